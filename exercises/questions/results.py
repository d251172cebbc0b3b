"""The results document (``sige-course-results``, version 2): format, schema, reading with salvage, the
version-1 reader, times, the practice-mode section's rules, and the naming of exports.

The notebooks' progress store, the page's export, the hand-in server and the trainer's records all read
through :func:`read_document`; ``schema/results.schema.json`` is the definition (README.md, 成绩文件格式).
Version 2 adds ``question_version`` to every answer: the fingerprint (``versions.fingerprint``) of the
question as the learner saw it. A version-1 file is read as version 2: each answer gets the fingerprint of
its question in the release its ``course_version`` names (see :func:`upgrade`).

Reading salvages: an answer with a non-finite number, a lone surrogate or a field of the wrong type is set
aside and named in a Chinese note; the good answers are kept.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ..safeio import SafeReadError, clean_text, parse_json
from .normalize import clip

FORMAT = "sige-course-results"
VERSION = 2
READABLE = (1, 2)
MAX_NAME = 60        # characters kept of a typed name or number
MAX_FILE_PART = 40   # characters of each part of an export's file name
EXPORT_PREFIX = "成绩-"
UNNAMED = "未署名"
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # times outside [EARLIEST, LATEST) are not times
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_TIME_TEXT = 40

# The practice-mode section (``practice_modes``), written by the notebook widgets and static/practice.js.
WRONG = ("incorrect", "partial")  # verdicts that put a question in the 错题本
MAX_ROUNDS = 200                  # challenge rounds kept, the latest
RETRY_NEED = 2                    # correct re-tries that take a question out of the 错题本


# ---- schema ------------------------------------------------------------------------------------------
def results_schema() -> dict:
    return json.loads(resources.files("exercises").joinpath("schema/results.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(results_schema())


@cache
def _part_validator(name: str):
    """A compiled check of one ``$defs`` part (an answer, an attempt, a round …)."""
    import fastjsonschema

    defs = results_schema()["$defs"]
    return fastjsonschema.compile({**defs[name], "$defs": defs})


def part_problem(name: str, value, plain: bool = False) -> str:
    """Why ``value`` is not a valid ``$defs/name`` (Chinese), or empty; ``plain``: known to hold no non-finite
    number or lone surrogate (read by the strict parser)."""
    from fastjsonschema import JsonSchemaValueException

    bad = "" if plain else _not_plain(value)
    if bad:
        return bad
    try:
        _part_validator(name)(value)
    except JsonSchemaValueException as exc:
        where = str(exc.name or "").replace("data", "", 1).lstrip(".") or "（本身）"
        return f"字段 {clean_text(where)[:40]} 不符合格式"
    return ""


def schema_problems(data) -> list[str]:
    """What makes ``data`` not a results document, each as a short Chinese phrase (empty when valid)."""
    problems = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))[:5]:
        where = ".".join(str(p) for p in error.absolute_path) or "（根）"
        problems.append(f"字段 {where} 不符合成绩文件格式（{error.validator}）")
    return problems


# ---- times -------------------------------------------------------------------------------------------
def parse_time(value) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime in [EARLIEST, LATEST), or None (never raises)."""
    if not isinstance(value, str) or len(value) > MAX_TIME_TEXT:
        return None
    try:
        moment = datetime.fromisoformat(value)
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment if EARLIEST <= moment < LATEST else None


def utc_text(value) -> str | None:
    """An ISO 8601 time as a sortable UTC text (``2026-11-27T09:00:00.000000Z``), or None."""
    moment = parse_time(value)  # isoformat: as strftime("%Y-%m-%dT%H:%M:%S.%fZ") for these years, 4× faster
    return None if moment is None else moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---- reading with salvage ----------------------------------------------------------------------------
class _NotFinite(float):
    """A NaN or Infinity met in a file (kept as a marker so the answer holding it can be named)."""


def _constant(name: str):
    return _NotFinite("nan")


def _float(text: str) -> float:
    value = float(text)
    return value if math.isfinite(value) else _NotFinite("nan")


def _pairs(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise SafeReadError("有重复的键")
    return result


_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_plain(value, depth: int = 0) -> str:
    """Why ``value`` cannot be stored as it is (a non-finite number, a lone surrogate), or empty."""
    if isinstance(value, float) and (isinstance(value, _NotFinite) or not math.isfinite(value)):
        return "含有非有限数值（NaN 或 Infinity）"
    if isinstance(value, str):
        return "含有无效的 Unicode 字符（孤立的代理项）" if _SURROGATE.search(value) else ""
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list) and depth < 64:
        return next((why for why in (_not_plain(v, depth + 1) for v in value) if why), "")
    return ""


def load_json(text: str) -> tuple[Any, bool]:
    """The JSON value of ``text`` and whether it is plain, with every cap of ``safeio.parse_json``, except that
    non-finite numbers and lone surrogates are kept (then not plain) for :func:`read_document` to set aside the
    answers holding them."""
    try:
        return parse_json(text), True
    except SafeReadError as exc:
        if "非有限" not in str(exc) and "代理项" not in str(exc) and "超出范围" not in str(exc):
            raise
    try:  # depth and syntax were checked above; only the values differ
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=_float), False
    except SafeReadError:
        raise
    except (ValueError, RecursionError):
        raise SafeReadError("JSON 内容无法解析") from None


@dataclass
class Reading:
    """A results document made usable (version 2, bad entries set aside) and the Chinese notes on what was."""

    document: dict
    notes: list[str] = field(default_factory=list)
    version: int = VERSION  # the version the file was written in


ANSWER_SECTIONS = {"answers": "练习答案"}


def _text_field(document: dict, key: str, notes: list[str]) -> None:
    value = document.get(key)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (str, int) if key == "learner_id" else str):
        notes.append(f"字段 {key} 应为文字，已按空白处理。")
        document[key] = ""
    elif isinstance(value, int):
        document[key] = str(value) if abs(value) < 10**40 else ""
    elif _SURROGATE.search(value):
        notes.append(f"字段 {key} 含有孤立的代理项（无效的 Unicode 字符），已替换为 �。")
        document[key] = clean_text(value)


def _salvage_answers(raw, where: str, notes: list[str], plain: bool) -> dict:
    """The entries of an answers object that are valid; each one set aside is named in ``notes``."""
    if not isinstance(raw, dict):
        notes.append(f"{where}不是对象，已略去。")
        return {}
    kept = {}
    for question_id, entry in raw.items():
        problem = part_problem("answer", entry, plain) or ("" if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", question_id)
                                                     else "题号格式不对")
        if problem:
            notes.append(f"{where}中题目 {clean_text(question_id)[:40]} 的记录{problem}，已略去，其余答案照常读取。")
        else:
            kept[question_id] = entry
    return kept


def _salvage_assessment(section, notes: list[str], plain: bool):
    if not isinstance(section, dict) or not isinstance(section.get("attempts"), list):
        notes.append("综合测评部分格式不对（应有 attempts 列表），已略去。")
        return {"attempts": []}
    attempts = []
    for index, attempt in enumerate(section["attempts"], start=1):
        if not isinstance(attempt, dict):
            notes.append(f"综合测评第 {index} 次作答不是对象，已略去。")
            continue
        label = str(attempt["id"]) if isinstance(attempt.get("id"), str) else f"第 {index} 次作答"
        answers = _salvage_answers(attempt.get("answers", {}), f"综合测评「{clean_text(label)[:40]}」", notes, plain)
        kept = {k: v for k, v in attempt.items() if k != "answers" and not _not_plain(v)}
        for key in ("id", "paper", "started", "submitted"):
            if key in kept and not isinstance(kept[key], str):
                del kept[key]
        attempts.append({**kept, "answers": answers})
    return {**{k: v for k, v in section.items() if k != "attempts" and not _not_plain(v)}, "attempts": attempts}


def clean_practice_modes(part, notes: list[str]) -> dict:
    """The ``practice_modes`` section with every entry that is not valid set aside (named in ``notes``)."""
    if not isinstance(part, dict):
        notes.append("练习模式记录（practice_modes）不是对象，已略去。")
        return {}
    part = dict(part)
    if "points" in part and part_problem_value("points", part["points"]):
        notes.append("练习模式的累计积分不是有效的数，已从 0 计起。")
        part["points"] = 0
    rounds = part.get("rounds", [])
    if not isinstance(rounds, list):
        notes.append("挑战答题记录（rounds）不是列表，已略去。")
        rounds = []
    kept_rounds = []
    for index, entry in enumerate(rounds, start=1):
        problem = part_problem("round", entry)
        if problem:
            notes.append(f"挑战答题第 {index} 轮的记录{problem}，已略去。")
        else:
            kept_rounds.append(entry)
    part["rounds"] = kept_rounds[-MAX_ROUNDS:]
    book = part.get("wrong_book", {})
    if not isinstance(book, dict):
        notes.append("错题本（wrong_book）不是对象，已略去。")
        book = {}
    kept_book = {}
    for question_id, entry in book.items():
        problem = part_problem("wrong", entry)
        if problem:
            notes.append(f"错题本中题目 {clean_text(question_id)[:40]} 的记录{problem}，已略去。")
        else:
            kept_book[question_id] = entry
    part["wrong_book"] = kept_book
    for key, kind in (("practice", dict), ("retry", dict)):
        if key in part and (not isinstance(part[key], kind) or _not_plain(part[key])):
            notes.append(f"练习模式记录中的 {key} 格式不对，已略去。")
            del part[key]
    return part


def part_problem_value(name: str, value) -> str:
    """Why a practice-mode number (``points``) is not a finite number ≥ 0, or empty."""
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and not _not_plain(value) and 0 <= value < 1e15
    return "" if ok else f"{name} 不是有效的数"


def read_document(text: str) -> Reading:
    """Read a results file's text: SafeReadError (Chinese) when it is not a results document at all; else the
    document as version 2 with every bad entry set aside and named."""
    return reading_of(*load_json(text))


def reading_of(data, plain: bool = False) -> Reading:
    """``read_document`` for a JSON value already parsed (a hand-in's document); ``plain``: parsed by
    ``safeio.parse_json``, so free of non-finite numbers and lone surrogates."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SafeReadError("不是本课程的成绩文件（缺少 format: sige-course-results）")
    version = data.get("version")
    if type(version) is not int or version not in READABLE:
        shown = clean_text(json.dumps(version if not _not_plain(version) else None, ensure_ascii=False))[:20]
        raise SafeReadError(f"版本 {shown} 不受支持（可读取第 {'、'.join(map(str, READABLE))} 版）")
    if "answers" not in data and "assessment" not in data:
        raise SafeReadError("没有 answers 字段（题号 → 记录）")
    if not isinstance(data.get("answers", {}), dict) and not isinstance(data.get("assessment"), dict):
        raise SafeReadError("字段 answers 应为对象（题号 → 记录）")
    return salvage(data, plain)


def salvage(data: dict, plain: bool = False) -> Reading:
    """``data`` (a results document of a readable version) made valid as version 2; what was set aside is noted."""
    notes: list[str] = []
    document = dict(data)
    for key in ("course_version", "learner", "learner_id", "seed"):
        _text_field(document, key, notes)
    if "updated" in document and parse_time(document["updated"]) is None:
        why = _not_plain(document["updated"]) or "不是有效的时间（或在 1970—2199 年之外）"
        notes.append(f"字段 updated {why}，按最早的时间处理。")
        document["updated"] = ""
    document["answers"] = _salvage_answers(document.get("answers", {}), "练习答案", notes, plain)
    if "assessment" in document:
        document["assessment"] = _salvage_assessment(document["assessment"], notes, plain)
    if "practice_modes" in document:
        document["practice_modes"] = clean_practice_modes(document["practice_modes"], notes)
    written = document["version"]
    if written == 1:
        from .versions import upgrade

        upgrade(document)
        document["version"] = VERSION
    return Reading(document, notes, written)


def answer_entries(document: dict):
    """Every answer entry of a document (practice, each assessment attempt, each challenge round) as
    (question id, entry)."""
    for question_id, entry in document.get("answers", {}).items():
        yield question_id, entry
    assessment = document.get("assessment")
    for attempt in assessment.get("attempts", []) if isinstance(assessment, dict) else []:
        yield from attempt.get("answers", {}).items()
    modes = document.get("practice_modes")
    for round_ in modes.get("rounds", []) if isinstance(modes, dict) else []:
        for entry in round_.get("answers", []):
            yield entry.get("question"), entry


# ---- the practice-mode section -------------------------------------------------------------------------
def section(data: dict) -> dict:
    """The ``practice_modes`` section of a results document, made whole where missing."""
    part = data.get("practice_modes")
    if not isinstance(part, dict):
        part = data["practice_modes"] = {}
    for key, empty in (("rounds", list), ("wrong_book", dict), ("practice", dict)):
        if not isinstance(part.get(key), empty):
            part[key] = empty()
    if part_problem_value("points", part.get("points")):
        part["points"] = 0
    return part


def streak(points: list[int]) -> int:
    """Correct answers in a row at the end of a round, from the points each answer earned."""
    run = 0
    for earned in points:
        run = run + 1 if earned else 0
    return run


# ---- names -------------------------------------------------------------------------------------------
def clean_name(value) -> str:
    """A typed name on one line, without control characters, of bounded length."""
    return " ".join(clip(value).split())[:MAX_NAME]


def safe_filename(value) -> str:
    """A file-name part from anything typed: letters (any script), digits, - and _ only."""
    text = unicodedata.normalize("NFKC", clean_name(value))
    kept = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)
    return re.sub("_+", "_", kept).strip("_")[:MAX_FILE_PART]


def export_name(learner: str, learner_id: str = "") -> str:
    """E.g. ``成绩-张三-1024.json``; unnamed learners get ``成绩-未署名.json``."""
    parts = [p for p in (safe_filename(learner), safe_filename(learner_id)) if p]
    return EXPORT_PREFIX + ("-".join(parts) or UNNAMED) + ".json"


def naming_rules() -> dict:
    """The naming constants, for the page script's copy of ``clean_name`` and ``export_name``."""
    return {"max_name": MAX_NAME, "max_file_part": MAX_FILE_PART, "prefix": EXPORT_PREFIX, "unnamed": UNNAMED}


def empty_document(course_version: str, learner: str = "") -> dict:
    return {"format": FORMAT, "version": VERSION, "course_version": course_version, "learner": learner,
            "learner_id": "", "updated": now_text(), "answers": {}}
