"""Clean the received article into canonical Simplified Chinese and parse its structure.

The received text (``data/source/000_012235bad5547e84.txt``) is kept byte for byte. Everything the
course shows of the article is derived here: pinyin residue removed, OpenCC conversion plus
a small reviewed correction table, full-width punctuation, the damaged clause flagged.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

RECEIVED_SHA256 = "fceb0e74632e2721ea24a0bc2e4341b9dc8a8b95a9f537b19d0b317c470403ae"

#: Shown wherever the received text is damaged; the lost words are never guessed.
DAMAGE_MARK = "〔原文此处字符损坏，内容缺失〕"

PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
#: A Han character followed by a parenthesised pinyin syllable, e.g. ``領(lǐng)``.
PINYIN_RESIDUE = re.compile(rf"(?<=[\u4e00-\u9fff])\(([{PINYIN_LETTERS}]{{1,7}})\)")
#: The scraping damage: a run that starts and ends with a literal question mark.
DAMAGED_SPAN = re.compile(r"\?[^。\n]*\?")

#: Reviewed word-level corrections after OpenCC (Traditional form -> Simplified reading).
CORRECTIONS = {
    "著力": "着力",
}

HALF_TO_FULL = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"})

HEADING_MAX_CHARS = 10


@dataclass(frozen=True)
class CleaningReport:
    """What the pipeline changed, for the provenance note and the tests."""

    pinyin_removed: int
    pinyin_characters: tuple[str, ...]
    corrections: dict[str, int]
    punctuation_fixed: int
    damaged_spans: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    """One concrete measure: a short heading sentence and its body sentences."""

    pillar: int
    number: int
    heading: str
    sentences: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.pillar}.{self.number}"

    @property
    def name(self) -> str:
        return self.heading.rstrip("。")

    @property
    def body(self) -> str:
        return "".join(self.sentences)


@dataclass(frozen=True)
class Pillar:
    """One of the article's emphases (突出…): title, aim, lead sentences and its measures."""

    number: int
    title: str
    aim: str
    lead: tuple[str, ...]
    measures: tuple[Measure, ...]

    @property
    def paragraph(self) -> str:
        head = f"{self.title}，{self.aim}"
        return head + "".join(self.lead) + "".join(m.heading + m.body for m in self.measures)


@dataclass(frozen=True)
class Article:
    """The canonical article: opening, its pillars (four in the received text), author line."""

    opening: str
    pillars: tuple[Pillar, ...]
    author_line: str
    text: str
    report: CleaningReport = field(compare=False)

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(m for p in self.pillars for m in p.measures)

    def pillar(self, number: int) -> Pillar:
        return self.pillars[number - 1]

    @property
    def numbers(self) -> tuple[int, ...]:
        """The pillars' numbers, 1..n: the chapters, the sessions of a rotation, the banks' ``pillar``."""
        return tuple(p.number for p in self.pillars)

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)

    def sentences(self) -> list[str]:
        """Every sentence of the body, in order (the author line excluded)."""
        return split_sentences(self.text.split("\n（作者", 1)[0])

    def damaged_sentences(self) -> list[str]:
        return [s for s in self.sentences() if DAMAGE_MARK in s]


def read_received() -> str:
    """The article exactly as received (UTF-8)."""
    raw = resources.files("exercises").joinpath("data/source/000_012235bad5547e84.txt").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != RECEIVED_SHA256:
        raise ValueError(f"data/source/000_012235bad5547e84.txt 与收到的原文不一致（sha256 {digest}）")
    return raw.decode("utf-8")


def clean(raw: str) -> tuple[str, CleaningReport]:
    """Turn the received text into canonical Simplified Chinese, reporting every change."""
    import opencc

    damaged = tuple(DAMAGED_SPAN.findall(raw))
    text = DAMAGED_SPAN.sub(DAMAGE_MARK, raw)
    residue = PINYIN_RESIDUE.findall(text)
    residue_chars = tuple(sorted({text[m.start() - 1] for m in PINYIN_RESIDUE.finditer(text)}))
    text = PINYIN_RESIDUE.sub("", text)
    text = opencc.OpenCC("t2s").convert(text)
    corrections = {}
    for wrong, right in CORRECTIONS.items():
        corrections[wrong] = text.count(wrong)
        text = text.replace(wrong, right)
    punctuation = sum(text.count(c) for c in ",;:()?!")
    text = text.translate(HALF_TO_FULL)
    report = CleaningReport(
        pinyin_removed=len(residue),
        pinyin_characters=residue_chars,
        corrections=corrections,
        punctuation_fixed=punctuation,
        damaged_spans=damaged,
    )
    return text.strip() + "\n", report


def split_sentences(text: str) -> list[str]:
    """Split on the full stop, keeping it; quotes and commas stay inside sentences."""
    return [s + "。" for s in text.replace("\n", "").split("。") if s.strip()]


def _is_heading(sentence: str) -> bool:
    core = sentence.rstrip("。")
    return len(core) <= HEADING_MAX_CHARS and not re.search(r"[，、；：“”]", core)


def parse(text: str, report: CleaningReport) -> Article:
    """Parse the canonical text into opening, pillars (aim, lead, measures) and author line: one paragraph
    per pillar between the opening and the author line, each with at least one measure."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        raise ValueError(f"原文应至少有 3 段（开篇、至少一个“突出”、作者），实际 {len(lines)} 段")
    opening, *paragraphs, author = lines
    pillars = []
    for number, paragraph in enumerate(paragraphs, start=1):
        first, *rest = split_sentences(paragraph)
        title, aim = first.split("，", 1)
        if not title.startswith("突出"):
            raise ValueError(f"第 {number} 段不以“突出”开头：{title}")
        heading_positions = [i for i, s in enumerate(rest) if _is_heading(s)]
        if not heading_positions:
            raise ValueError(f"第 {number} 段没有找到举措（举措以不超过 {HEADING_MAX_CHARS} 字的短句开头）")
        lead = tuple(rest[: heading_positions[0]])
        bounds = heading_positions + [len(rest)]
        measures = tuple(
            Measure(pillar=number, number=k + 1, heading=rest[start], sentences=tuple(rest[start + 1 : end]))
            for k, (start, end) in enumerate(zip(bounds, bounds[1:]))
        )
        pillars.append(Pillar(number=number, title=title, aim=aim, lead=lead, measures=measures))
    return Article(opening=opening, pillars=tuple(pillars), author_line=author, text=text, report=report)


@lru_cache(maxsize=1)
def load_article() -> Article:
    """The canonical, parsed article (cleaned once per process)."""
    text, report = clean(read_received())
    return parse(text, report)
