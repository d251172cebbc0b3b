"""One learner's results file (bytes) as data: who, when, practice answers and assessment attempts.

Version-1 files hold practice answers (``answers``). An ``assessment`` section, if present, holds the
综合测评 attempts as the page writes them (``exercises/schema/results.schema.json``):
``{"attempts": [{"id": "attempt-1", "paper": "seed-20241", "started": t, "submitted": t, "answers": {...}}]}``
(each attempt's answers in the same shape as ``answers``); they are kept apart from practice, one attempt per
paper and id. The text is read with :func:`exercises.safeio.parse_json` (no duplicate keys, NaN or deep
nesting). Scores in the file are never used.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ...questions.progress import FORMAT, VERSION
from ...safeio import SafeReadError, decode_text, parse_json
from .identity import display_text

MAX_ANSWERS = 2000
MAX_RESPONSE = 20_000  # characters of one stored response (JSON)
MAX_ATTEMPTS = 50


@dataclass
class ParsedFile:
    """The usable content of a results file; ``notes`` are repairs made, in Chinese."""

    name: str
    number: str
    updated: str
    practice: dict[str, tuple[str, str]] = field(default_factory=dict)  # question id -> (response JSON, time)
    assessment: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # attempt -> answers
    notes: list[str] = field(default_factory=list)


class NotResults(ValueError):
    """The file is not a usable results file; the message is the Chinese reason."""


def utc_time(value) -> str | None:
    """An ISO 8601 time as a sortable UTC text, or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _answers(raw, updated: str, notes: list[str], where: str) -> dict[str, tuple[str, str]]:
    """Question id -> (response JSON, time); an entry's own time, else ``updated``."""
    if not isinstance(raw, dict):
        notes.append(f"{where}不是对象，已忽略。")
        return {}
    kept: dict[str, tuple[str, str]] = {}
    bad = 0
    for question_id, entry in list(raw.items())[:MAX_ANSWERS]:
        if not isinstance(entry, dict) or "answer" not in entry or len(question_id) > 40:
            bad += 1
            continue
        response = json.dumps(entry["answer"], ensure_ascii=False, sort_keys=True)
        if len(response) > MAX_RESPONSE:
            bad += 1
            continue
        kept[question_id] = (response, utc_time(entry.get("time")) or updated)
    if len(raw) > MAX_ANSWERS:
        notes.append(f"{where}超过 {MAX_ANSWERS} 条，只读取了前 {MAX_ANSWERS} 条。")
    if bad:
        notes.append(f"{where}中有 {bad} 条记录不完整或过长，已忽略。")
    return kept


def _attempt_label(attempt: dict, index: int) -> str:
    """``paper/id`` (ids count attempts across papers), or the position when the page's fields are missing."""
    ident = display_text(attempt.get("id"), 40) if isinstance(attempt.get("id"), str) else ""
    paper = display_text(attempt.get("paper"), 40) if isinstance(attempt.get("paper"), str) else ""
    return "/".join(part for part in (paper, ident or f"attempt-{index}") if part)


def parse_results(data: bytes) -> ParsedFile:
    """Parse a results file; raise NotResults with the reason when it cannot be used."""
    if not data.strip():
        raise NotResults("文件为空。")
    try:
        document = parse_json(decode_text(data))
    except SafeReadError as exc:
        raise NotResults(f"{exc}。") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise NotResults("不是本课程的成绩文件（缺少 format: sige-course-results）。")
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise NotResults(f"版本 {display_text(json.dumps(version), 20)} 不受支持（本工具读取第 {VERSION} 版）。")
    notes: list[str] = []
    updated = utc_time(document.get("updated"))
    if updated is None:
        notes.append("字段 updated 不是有效的时间，按最早的时间处理。")
        updated = ""
    name, number = document.get("learner", ""), document.get("learner_id", "")
    for key, value, kinds in (("learner", name, str), ("learner_id", number, (str, int))):
        if value is not None and (isinstance(value, bool) or not isinstance(value, kinds)):
            notes.append(f"字段 {key} 应为文字，已按空白处理。")
    parsed = ParsedFile(name=display_text(name if isinstance(name, str) else ""),
                        number=display_text(number if isinstance(number, (str, int)) and not isinstance(number, bool) else "", 40),
                        updated=updated, notes=notes)
    if "answers" not in document and "assessment" not in document:
        raise NotResults("没有 answers 字段（题号 → 记录）。")
    if not isinstance(document.get("answers", {}), dict) and not isinstance(document.get("assessment"), dict):
        raise NotResults("字段 answers 应为对象（题号 → 记录）。")
    if "answers" in document:
        parsed.practice = _answers(document["answers"], updated, notes, "练习答案")
    section = document.get("assessment")
    if section is not None:
        attempts = section.get("attempts") if isinstance(section, dict) else None
        if not isinstance(attempts, list):
            notes.append("综合测评部分格式不对（应有 attempts 列表），已忽略。")
        else:
            for index, attempt in enumerate(attempts[:MAX_ATTEMPTS], start=1):
                if not isinstance(attempt, dict):
                    notes.append(f"综合测评第 {index} 次作答不是对象，已忽略。")
                    continue
                label = _attempt_label(attempt, index)
                when = utc_time(attempt.get("submitted")) or updated
                parsed.assessment[label] = _answers(attempt.get("answers"), when, notes, f"综合测评「{label}」")
    return parsed
