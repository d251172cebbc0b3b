"""One learner's results file (bytes) as data: who, when, which course version, practice answers and assessment
attempts, each answer with the question version the learner saw.

The document is read by ``questions.results`` (format, versions 1 and 2, salvage: an answer that cannot be used
is set aside and named, the others kept; version-1 files get the question versions of the release they were
answered on). An ``assessment`` section holds the 综合测评 attempts as the page writes them
(``{"attempts": [{"id": "attempt-1", "paper": "seed-20241", "started": t, "submitted": t, "answers": {...}}]}``),
kept apart from practice, one attempt per paper and id. Scores and verdicts in the file are never used.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ... import __version__
from ...questions.results import Reading, reading_of, utc_text
from ...questions.results import read_document as read_text
from ...safeio import SafeReadError, decode_text
from .identity import display_text

MAX_ANSWERS = 2000
MAX_RESPONSE = 20_000  # characters of one stored response (JSON)
MAX_ATTEMPTS = 50

Given = tuple[str, str, str]  # (response JSON, time, question version or "")
_RESPONSE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode  # made once: a hand-in has ~75


@dataclass
class ParsedFile:
    """The usable content of a results file; ``notes`` are repairs made, in Chinese."""

    name: str
    number: str
    updated: str
    practice: dict[str, Given] = field(default_factory=dict)  # question id -> (response JSON, time, version)
    assessment: dict[str, dict[str, Given]] = field(default_factory=dict)  # attempt -> answers
    notes: list[str] = field(default_factory=list)
    course_version: str = ""
    answered_release: str = ""  # for a version-1 file: the bank release its answers were taken as answered on

    @property
    def other_version(self) -> bool:
        """Whether the file was written by another course version than this one."""
        return bool(self.course_version) and self.course_version != __version__


class NotResults(ValueError):
    """The file is not a usable results file; the message is the Chinese reason."""


def utc_time(value) -> str | None:
    """An ISO 8601 time as a sortable UTC text, or None (times outside the calendar are no times)."""
    return utc_text(value)


def _answers(raw: dict, updated: str, notes: list[str], where: str) -> dict[str, Given]:
    """Question id -> (response JSON, time, version); an entry's own time, else ``updated``."""
    kept: dict[str, Given] = {}
    too_long = 0
    for question_id, entry in list(raw.items())[:MAX_ANSWERS]:
        response = _RESPONSE_JSON(entry["answer"])
        if len(response) > MAX_RESPONSE:
            too_long += 1
            continue
        kept[question_id] = (response, utc_time(entry.get("time")) or updated, entry.get("question_version", ""))
    if len(raw) > MAX_ANSWERS:
        notes.append(f"{where}超过 {MAX_ANSWERS} 条，只读取了前 {MAX_ANSWERS} 条。")
    if too_long:
        notes.append(f"{where}中有 {too_long} 条答案过长，已略去。")
    return kept


def _attempt_label(attempt: dict, index: int) -> str:
    """``paper/id`` (ids count attempts across papers), or the position when the page's fields are missing."""
    ident = display_text(attempt.get("id"), 40) if isinstance(attempt.get("id"), str) else ""
    paper = display_text(attempt.get("paper"), 40) if isinstance(attempt.get("paper"), str) else ""
    return "/".join(part for part in (paper, ident or f"attempt-{index}") if part)


def _parsed(reading: Reading) -> ParsedFile:
    document, notes = reading.document, list(reading.notes)
    updated = utc_time(document.get("updated")) or ""
    if not updated and "updated" not in " ".join(notes):
        notes.append("字段 updated 不是有效的时间，按最早的时间处理。")
    parsed = ParsedFile(name=display_text(document.get("learner") or ""),
                        number=display_text(document.get("learner_id") or "", 40), updated=updated, notes=notes,
                        course_version=display_text(document.get("course_version") or "", 40),
                        answered_release=document.get("answered_release", ""))
    if parsed.other_version:
        release = f"，按题库 {parsed.answered_release} 版的题目" if parsed.answered_release else "，按学员作答时的题目版本"
        notes.append(f"文件来自课程 {parsed.course_version} 版（本工具为 {__version__} 版）{release}评分。")
    parsed.practice = _answers(document.get("answers", {}), updated, notes, "练习答案")
    attempts = document.get("assessment", {}).get("attempts", [])
    if len(attempts) > MAX_ATTEMPTS:
        notes.append(f"综合测评超过 {MAX_ATTEMPTS} 次作答，只读取了前 {MAX_ATTEMPTS} 次。")
    for index, attempt in enumerate(attempts[:MAX_ATTEMPTS], start=1):
        label = _attempt_label(attempt, index)
        when = utc_time(attempt.get("submitted")) or updated
        parsed.assessment[label] = _answers(attempt["answers"], when, notes, f"综合测评「{label}」")
    return parsed


def read_document(document) -> ParsedFile:
    """The usable content of a results document already parsed (a hand-in's); NotResults when it cannot be used."""
    try:
        return _parsed(reading_of(document))
    except SafeReadError as exc:
        raise NotResults(f"{exc}。") from None


def read_checked(document: dict) -> ParsedFile:
    """``read_document`` for a version-2 document its caller parsed strictly (``safeio.parse_json``) and
    validated against the results schema (a hand-in's): nothing to set aside, so it is read as it is."""
    return _parsed(Reading(document))


def parse_results(data: bytes) -> ParsedFile:
    """Parse a results file; raise NotResults with the reason when it cannot be used."""
    if not data.strip():
        raise NotResults("文件为空。")
    try:
        return _parsed(read_text(decode_text(data)))
    except SafeReadError as exc:
        raise NotResults(f"{exc}。") from None
