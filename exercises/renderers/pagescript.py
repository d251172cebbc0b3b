"""Data for the in-page self-check (static/selfcheck.js): question payloads and page settings.

The page script grades like ``grading.py``; what it needs from Python (answers, texts, and a
Traditional-to-Simplified map generated from OpenCC for the characters of the accepted answers)
is embedded as JSON in ``<script type="application/json">`` elements.
"""
from __future__ import annotations

import json
from functools import lru_cache

from .. import __version__
from ..questions.bank import Question
from ..questions.grading import MAX_TEXT, PUNCTUATION_TO_DROP, RULES, VERDICTS, _converter
from ..questions.presentation import answer_text

STORAGE_KEY = "sige-course-results"
# Words the true/false grader accepts as typed text (see grading._as_bool).
TRUEFALSE_WORDS = "对正确是错误否"
# Code point ranges searched for characters OpenCC t2s changes: CJK blocks and compatibility ideographs.
CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))


@lru_cache(maxsize=1)
def _t2s_table() -> dict[str, str]:
    """Every single character OpenCC t2s changes, with its Simplified form."""
    convert = _converter().convert
    table = {}
    for start, end in CJK_RANGES:
        for code in range(start, end):
            char = chr(code)
            simple = convert(char)
            if simple != char:
                table[char] = simple
    return table


def t2s_map(texts) -> dict[str, str]:
    """The part of the OpenCC t2s table whose Simplified side occurs in ``texts``."""
    wanted = set("".join(texts))
    return {t: s for t, s in sorted(_t2s_table().items()) if wanted & set(s)}


def _accepted_texts(q: Question) -> list[str]:
    if q.type == "fill":
        return [v for variants in q.blanks for v in variants]
    if q.type == "order":
        return list(q.items)
    if q.type == "match":
        return [right for _, right in q.pairs]
    if q.type == "truefalse":
        return [TRUEFALSE_WORDS]
    return []


def question_payload(q: Question) -> dict:
    """What the page script needs to grade ``q`` and explain the result."""
    return {
        "id": q.id, "type": q.type, "pillar": q.pillar, "points": q.points, "options": len(q.options),
        "answer": list(q.answer) if q.type == "multiple" else q.answer,
        "blanks": [list(v) for v in q.blanks], "items": list(q.items),
        "pairs": [list(p) for p in q.pairs],
        "answer_text": answer_text(q), "explanation": q.explanation, "source": q.source,
        "rule": RULES[q.type], "t2s": t2s_map(_accepted_texts(q)),
    }


def page_settings() -> dict:
    """Texts and constants shared by every question on a page."""
    from ..text.article import load_article

    return {"course_version": __version__, "storage_key": STORAGE_KEY, "max_text": MAX_TEXT,
            "drop": PUNCTUATION_TO_DROP, "verdicts": VERDICTS,
            "pillars": {str(p.number): p.title for p in load_article().pillars}}


def script_json(data: dict) -> str:
    """JSON safe inside a <script> element (no "<", ">" or "&" left to end it early)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def data_script(data: dict, css_class: str) -> str:
    return f'<script type="application/json" class="{css_class}">{script_json(data)}</script>'
