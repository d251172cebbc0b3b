"""Readable labels every output shares: the answer key line and which part of the article a question tests."""
from __future__ import annotations

from ..text.article import load_article
from .model import Question
from .types import type_of


def answer_text(q: Question) -> str:
    """The answer key of one question as one readable line."""
    return type_of(q).answer_text(q)


def type_label(q: Question) -> str:
    """E.g. "单选题"."""
    return type_of(q).label


KIND_LABELS = {"scenario": "情景"}


def kind_label(q: Question) -> str:
    """"情景" for a question that applies a measure to a situation; empty for recall of the text."""
    return KIND_LABELS.get(q.kind, "")


def shown_label(q: Question) -> str:
    """The label a learner sees, e.g. "单选题" or "情景 · 单选题"."""
    return " · ".join(filter(None, (kind_label(q), type_label(q))))


def measure_label(q: Question) -> str:
    """Which part of the article the question tests, e.g. "举措 1.2　丰富形式全面学" or "突出政治引领（目标）"."""
    return part_label(q.pillar, q.measure, q.source)


def part_label(pillar: int, measure: str | None, source: str) -> str:
    """The label of the part of the article a quote comes from, in the structure table's words.

    A measure's own quote is "举措 1.2　名称"; otherwise the quote is found in the article: "开篇", "作者署名",
    a pillar's "（目标）", "（总体要求）" or both, the measures it spans ("（举措 1.1—1.3）"), or the pillar alone.
    """
    article = load_article()
    if measure:
        return f"举措 {measure}\u3000{article.measure(measure).name}"
    parts = _parts_of(article, source)
    title = article.pillar(pillar).title
    if parts == {"opening"}:
        return "开篇"
    if parts == {"author"}:
        return "作者署名"
    if not parts or not all(isinstance(part, tuple) and part[1] == pillar for part in parts):
        return title
    kinds = {kind for kind, _, _ in parts}
    if kinds == {"aim"}:
        return f"{title}（目标）"
    if kinds == {"lead"}:
        return f"{title}（总体要求）"
    if kinds == {"aim", "lead"}:
        return f"{title}（目标与总体要求）"
    ids = sorted(m for kind, _, m in parts if kind == "measure")
    if kinds == {"measure"} and len(ids) == 1:
        return f"举措 {ids[0]}\u3000{article.measure(ids[0]).name}"
    if kinds == {"measure"}:
        return f"{title}（举措 {ids[0]}—{ids[-1]}）"
    return title


def _segments(article) -> list[tuple[object, str]]:
    """The article in order as (part, text): the opening, each pillar's aim, lead and measures, the author line."""
    found: list[tuple[object, str]] = [("opening", article.opening)]
    for p in article.pillars:
        found += [(("aim", p.number, None), f"{p.title}，{p.aim}"), (("lead", p.number, None), "".join(p.lead))]
        found += [(("measure", p.number, m.id), m.heading + m.body) for m in p.measures]
    return found + [("author", article.author_line)]


def _parts_of(article, source: str) -> set:
    """The parts of the article a quote overlaps (pieces joined by …… each located); empty if not found."""
    segments = _segments(article)
    text = "".join(t for _, t in segments)
    parts = set()
    for piece in (s for s in source.split("……") if s):
        start = text.find(piece)
        if start < 0:
            return set()
        end, offset = start + len(piece), 0
        for part, segment in segments:
            if offset < end and start < offset + len(segment):
                parts.add(part)
            offset += len(segment)
    return parts
