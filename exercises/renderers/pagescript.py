"""Data for the in-page self-check (static/selfcheck.js): every text, constant and rule it uses.

The page script has no texts or constants of its own: each question carries its form, its type's
texts and what its grader needs; each list of questions carries the page settings. Both are embedded
as JSON in ``<script type="application/json">`` elements at build time.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

from .. import __version__
from ..questions.grading import rule
from ..questions.model import OPTION_KEYS, Question
from ..questions.normalize import MAX_TEXT, PUNCTUATION_TO_DROP, t2s_converter
from ..questions.outcome import VERDICTS
from ..questions.presentation import answer_text
from ..questions.results import FORMAT, VERSION, naming_rules
from ..questions.types import type_of
from ..questions.versions import fingerprint
from ..text.article import load_article

STORAGE_KEY = "sige-course-results"
UNSAFE_IN_HTML = re.compile("[\u007f-\u009f\u2028\u2029]")  # control characters HTML forbids; line separators
BACKUP_KEY = "sige-course-results-unreadable"  # where a stored document the page cannot use is set aside
DRAFT_KEY = "sige-course-draft"  # answers typed on the 综合测评 but not yet handed in (not part of the results)
MAX_DEPTH = 24  # nesting kept in a stored entry; a deeper entry is set aside, the rest of the document kept
# Python's str.isspace(): the characters the page treats as white space.
SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
SYMBOLS = {"correct": "✔", "partial": "◐", "incorrect": "✘", "unanswered": "？"}
# Code point ranges searched for characters OpenCC t2s changes: CJK blocks and compatibility ideographs.
CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))
PAGE_TEXTS = {
    "storage_blocked": "浏览器不允许保存答题记录；判分照常进行，但离开本页后记录不会保留。",
    "storage_unreadable": "本浏览器中保存的答题记录无法读取，已从头记录。",
    "storage_failed": "答题记录未能保存到浏览器；判分结果仍显示在本页。",
    "storage_salvaged": "本浏览器中保存的答题记录有 {count} 项无法读取，已另存备份并略过，其余记录照常保留。",
    "key_unavailable": "暂时取不到答案与解析，请稍后按“交卷”重试；你的作答已保存。",
    "total": "本组练习得分：{score} / {points}（可自动判分的 {count} 题中已答 {answered} 题）",
    "score": "　得分 {score} / {points}",
    "answer": "答案：",
    "explanation": "解析：",
    "source": "原文依据：",
    "rule": "计分规则：{rule}",
    "confirm_reset": "确定清除本页 {count} 道练习的答题记录吗？其他页面的记录和测评记录不受影响。",
    "confirm_hand_in": "还有 {count} 道题未作答，确定交卷吗？",
}


@lru_cache(maxsize=1)
def _t2s_table() -> dict[str, str]:
    """Every single character OpenCC t2s changes, with its Simplified form."""
    convert = t2s_converter().convert
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


def question_payload(q: Question) -> dict:
    """What the page script needs to show, grade and explain ``q``."""
    kind = type_of(q)
    return {
        "id": q.id, "type": q.type, "pillar": q.pillar, "points": q.points,
        "form": kind.form(q).to_json(), "texts": kind.texts, **kind.grading_data(q),
        "answer_text": answer_text(q), "explanation": q.explanation, "source": q.source,
        "rule": rule(q), "t2s": t2s_map(kind.accepted_texts(q)), "question_version": fingerprint(q),
    }


EXAM_FIELDS = ("id", "type", "pillar", "points", "form", "texts", "question_version")


def exam_payload(q: Question) -> dict:
    """What an exam page shows of ``q`` before 交卷: its form and texts, nothing of the key."""
    full = question_payload(q)
    return {name: full[name] for name in EXAM_FIELDS if name in full}


def page_settings() -> dict:
    """Texts and constants shared by every question on a page."""
    return {"course_version": __version__, "storage_key": STORAGE_KEY, "backup_key": BACKUP_KEY,
            "draft_key": DRAFT_KEY, "format": FORMAT, "version": VERSION, "max_depth": MAX_DEPTH,
            "option_keys": OPTION_KEYS, "space": SPACE,
            "max_text": MAX_TEXT, "drop": PUNCTUATION_TO_DROP, "verdicts": VERDICTS, "symbols": SYMBOLS,
            "texts": PAGE_TEXTS, "naming": naming_rules(),
            "pillars": {str(p.number): p.title for p in load_article().pillars}}


def script_json(data: dict) -> str:
    """JSON safe inside a <script> element (no "<", ">" or "&" left to end it early)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return UNSAFE_IN_HTML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def data_script(data: dict, css_class: str) -> str:
    return f'<script type="application/json" class="{css_class}">{script_json(data)}</script>'
