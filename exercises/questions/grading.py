"""Graders for the seven question types: pure functions, no widget code, never raising.

``grade(question, response)`` accepts anything a learner (or a hostile caller) may send and
returns a :class:`Grade`. Texts in a Grade are plain; renderers escape them before showing.

Response shapes: single ``"B"``; multiple ``["A", "C"]``; truefalse ``True``; fill ``["…", "…"]``
(one string per blank); order ``["item", …]`` (the items in the learner's order); match
``{"left": "right", …}``; short ``"text"``.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .bank import OPTION_KEYS, Question

MAX_TEXT = 2000  # characters of a typed answer that are graded and kept
PUNCTUATION_TO_DROP = "，。、；：？！“”‘’\"'（）()《》〈〉【】[]「」『』,.;:?!·—-…~～ "

VERDICTS = {
    "correct": "回答正确",
    "partial": "部分正确",
    "incorrect": "回答错误",
    "unanswered": "尚未作答",
}

RULES = {
    "single": "选对得满分，选错不得分。",
    "multiple": "选项全对得满分；只要选了错误选项不得分；未选错但漏选的，按选对的比例得分。",
    "truefalse": "判断正确得满分，判断错误不得分。",
    "fill": "每个空按比例计分；答案会忽略空格、全角半角和繁简差异。",
    "order": "每个位置放对即得该位置的分数。",
    "match": "每组配对正确即得该组的分数。",
    "short": "按要点覆盖计“参考分”：找到几个要点得几份分，供自查，不作正式评分。",
}


@dataclass(frozen=True)
class Grade:
    """The result of grading one response."""

    question_id: str
    verdict: str
    score: float
    points: float
    response: Any
    details: tuple[str, ...] = field(default=())

    @property
    def verdict_text(self) -> str:
        return VERDICTS[self.verdict]

    @property
    def answered(self) -> bool:
        return self.verdict != "unanswered"


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def clip(value: Any) -> str:
    """A learner's typed value as text of bounded length, without control characters."""
    text = value if isinstance(value, str) else ""
    text = text[:MAX_TEXT]
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def simplify(value: Any) -> str:
    """Typed text with half-width forms and Simplified characters."""
    return _converter().convert(unicodedata.normalize("NFKC", clip(value)))


def normalize(value: Any) -> str:
    """Normalise typed text for comparison: width, spaces, Traditional to Simplified, punctuation."""
    text = simplify(value)
    return "".join(ch for ch in text.lower() if not ch.isspace() and ch not in PUNCTUATION_TO_DROP)


def _as_list(value: Any) -> list:
    if isinstance(value, (list, tuple)):
        return list(value)
    return []


def _option_key(value: Any, count: int) -> str | None:
    """Accept an option key ("b", "Ｂ") or an index; anything else is no answer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value < count:
        return OPTION_KEYS[value]
    if isinstance(value, str):
        key = unicodedata.normalize("NFKC", value).strip().upper()
        if len(key) == 1 and key in OPTION_KEYS[:count]:
            return key
    return None


def _result(q: Question, fraction: float, response: Any, details: list[str]) -> Grade:
    fraction = min(max(fraction, 0.0), 1.0)
    verdict = "correct" if fraction >= 1 else "incorrect" if fraction <= 0 else "partial"
    return Grade(q.id, verdict, round(q.points * fraction, 2), q.points, response, tuple(details))


def _unanswered(q: Question, response: Any, why: str) -> Grade:
    return Grade(q.id, "unanswered", 0.0, q.points, response, (why,))


def _grade_single(q: Question, response: Any) -> Grade:
    key = _option_key(response, len(q.options))
    if key is None:
        return _unanswered(q, None, "请选择一个选项。")
    right = key == q.answer
    detail = f"你选了 {key}。" if right else f"你选了 {key}，正确答案是 {q.answer}。"
    return _result(q, 1.0 if right else 0.0, key, [detail])


def _grade_multiple(q: Question, response: Any) -> Grade:
    chosen = sorted({k for k in (_option_key(v, len(q.options)) for v in _as_list(response)) if k})
    if not chosen:
        return _unanswered(q, [], "请至少选择一个选项。")
    wrong = [k for k in chosen if k not in q.answer]
    missed = [k for k in q.answer if k not in chosen]
    details = [f"你选了 {'、'.join(chosen)}；正确答案是 {'、'.join(q.answer)}。"]
    if wrong:
        details.append(f"多选了 {'、'.join(wrong)}。")
    if missed:
        details.append(f"漏选了 {'、'.join(missed)}。")
    fraction = 0.0 if wrong else (len(q.answer) - len(missed)) / len(q.answer)
    return _result(q, fraction, chosen, details)


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = normalize(value)
        if text in ("对", "正确", "是", "true", "√", "t"):
            return True
        if text in ("错", "错误", "否", "false", "×", "f"):
            return False
    return None


def _grade_truefalse(q: Question, response: Any) -> Grade:
    value = _as_bool(response)
    if value is None:
        return _unanswered(q, None, "请判断“正确”或“错误”。")
    right = value == q.answer
    said = "正确" if value else "错误"
    truth = "正确" if q.answer else "错误"
    detail = f"你判断为“{said}”。" if right else f"你判断为“{said}”，这句话其实是“{truth}”的。"
    return _result(q, 1.0 if right else 0.0, value, [detail])


def _grade_fill(q: Question, response: Any) -> Grade:
    given = _as_list(response) if not isinstance(response, str) else [response]
    typed = [clip(v) for v in given[: len(q.blanks)]]
    typed += [""] * (len(q.blanks) - len(typed))
    if not any(normalize(t) for t in typed):
        return _unanswered(q, typed, "请填写答案。")
    right = 0
    details = []
    for number, (text, variants) in enumerate(zip(typed, q.blanks), start=1):
        ok = normalize(text) in {normalize(v) for v in variants}
        right += ok
        shown = text.strip() or "（空）"
        details.append(f"第 {number} 空：你填“{shown}”，{'正确' if ok else '应为“' + variants[0] + '”'}。")
    return _result(q, right / len(q.blanks), typed, details)


def _grade_order(q: Question, response: Any) -> Grade:
    given = [clip(v) for v in _as_list(response)][: len(q.items)]
    if not any(given):
        return _unanswered(q, given, "请为每个位置选择一项。")
    right = sum(1 for a, b in zip(given, q.items) if normalize(a) == normalize(b))
    details = [f"放对了 {right} / {len(q.items)} 个位置。", "正确顺序：" + " → ".join(q.items)]
    return _result(q, right / len(q.items), given, details)


def _grade_match(q: Question, response: Any) -> Grade:
    given = response if isinstance(response, dict) else {}
    cleaned = {clip(k): clip(v) for k, v in list(given.items())[: 2 * len(q.pairs)] if isinstance(k, str)}
    if not any(cleaned.values()):
        return _unanswered(q, cleaned, "请为每一项选择对应的内容。")
    right = 0
    details = []
    for left, answer in q.pairs:
        chosen = cleaned.get(left, "")
        ok = normalize(chosen) == normalize(answer)
        right += ok
        details.append(f"{left} → {chosen or '（未选）'}：{'正确' if ok else '应为“' + answer + '”'}。")
    return _result(q, right / len(q.pairs), cleaned, details)


def _grade_short(q: Question, response: Any) -> Grade:
    from ..text.analysis import covers, segment

    text = clip(response)
    answer = normalize(text)
    if not answer:
        return _unanswered(q, text, "请写下你的回答。")
    words = set(segment(simplify(text)))
    found, missed = [], []
    for point, terms in q.keypoints:
        (found if any(covers(answer, words, normalize(t)) for t in terms) else missed).append(point)
    details = [f"参考分：覆盖了 {len(found)} / {len(q.keypoints)} 个要点（按关键词自动比对，仅供自查）。"]
    if found:
        details.append("已答到：" + "；".join(found) + "。")
    if missed:
        details.append("未答到：" + "；".join(missed) + "。")
    return _result(q, len(found) / len(q.keypoints), text, details)


GRADERS = {
    "single": _grade_single,
    "multiple": _grade_multiple,
    "truefalse": _grade_truefalse,
    "fill": _grade_fill,
    "order": _grade_order,
    "match": _grade_match,
    "short": _grade_short,
}


def grade(question: Question, response: Any) -> Grade:
    """Grade any response to ``question``; unusable input is reported as unanswered."""
    return GRADERS[question.type](question, response)


def correct_response(question: Question) -> Any:
    """A response that earns full marks (for keys, tests and demonstrations)."""
    if question.type == "fill":
        return [variants[0] for variants in question.blanks]
    if question.type == "order":
        return list(question.items)
    if question.type == "match":
        return dict(question.pairs)
    if question.type == "multiple":
        return list(question.answer)
    return question.answer
