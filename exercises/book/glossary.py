"""The glossary appendix: every term of the banks with its measure, the article's sentence and any 编者注."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..questions.bank import load_all
from ..questions.presentation import part_label
from ..text.article import load_article
from ..text.quoting import quoted
from .chapter import Rich


@dataclass(frozen=True)
class Entry:
    """One glossary entry."""

    term: str
    pillar: int
    where: str
    source: str
    editorial: str | None


def entries() -> list[Entry]:
    """All terms in the article's order: by pillar, the general part before the measures."""
    found = []
    for bank in load_all():
        terms = sorted(bank.terms, key=lambda t: t.measure or "")
        for t in terms:
            where = part_label(bank.pillar, t.measure, t.source)
            found.append(Entry(t.term, bank.pillar, where, t.source, t.editorial))
    return found


def glossary() -> Rich:
    """The glossary as one table per pillar (HTML) and a list (Markdown)."""
    article = load_article()
    html, markdown = [], []
    all_entries = entries()
    for pillar in article.pillars:
        mine = [e for e in all_entries if e.pillar == pillar.number]
        rows = "".join(
            f'<tr><th scope="row">{escape(e.term)}</th><td>{escape(e.where)}</td>'
            f"<td>{escape(quoted(e.source))}</td><td>{escape(e.editorial or '')}</td></tr>"
            for e in mine
        )
        html.append(f'<h2 class="sige-glossary-part">{escape(pillar.title)}（{len(mine)} 条）</h2>'
                    '<table class="sige-glossary"><thead><tr><th scope="col">术语</th><th scope="col">所属部分</th>'
                    f'<th scope="col">原文</th><th scope="col">补充说明</th></tr></thead><tbody>{rows}</tbody></table>')
        markdown.append(f"### {pillar.title}\n\n" + "\n".join(
            f"- **{e.term}**：{e.where}。原文{quoted(e.source)}" + (f"{e.editorial}" if e.editorial else "")
            for e in mine))
    return Rich("".join(html), "\n\n".join(markdown), "\n\n".join(markdown))
