"""Read a folder of learners' results files for the cohort report, defensively.

Every file that cannot be used, and every field that had to be repaired, becomes a :class:`Problem`
with a Chinese reason; nothing a learner wrote can raise here. Answers are re-graded with
``exercises.grading`` against the current banks, so a recorded score is never trusted.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..questions.bank import Question
from ..questions.grading import VERDICTS, Grade, clip, grade
from ..questions.progress import FORMAT, MAX_BYTES, VERSION
from ..safeio import SafeReadError, clean_text, read_json

MAX_NAME = 60
RISKY_NAME = re.compile(r"[<>&\"'`/\\]|\.\.")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Problem:
    """A results file skipped or repaired, with the reason in Chinese."""

    file: str
    reason: str
    skipped: bool


@dataclass
class Learner:
    """One learner's usable results: answers re-graded, keyed by question id."""

    file: str
    name: str
    learner_id: str
    updated: datetime
    grades: dict[str, Grade] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.name or self.learner_id or f"（未署名：{self.file}）"

    @property
    def key(self) -> str:
        """Who this is, for finding duplicates; unnamed files never match each other."""
        return f"id:{self.learner_id}" if self.learner_id else f"name:{self.name}" if self.name else f"file:{self.file}"


@dataclass
class Cohort:
    learners: list[Learner]
    problems: list[Problem]


def _text_field(data: dict, key: str, name: str, problems: list[Problem]) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        problems.append(Problem(name, f"字段 {key} 应为文字，实为 {type(value).__name__}，已按空白处理。", False))
        return ""
    text = " ".join(clip(value).split())
    if len(text) > MAX_NAME:
        problems.append(Problem(name, f"字段 {key} 过长（{len(text)} 字），已截取前 {MAX_NAME} 字。", False))
        text = text[:MAX_NAME]
    if RISKY_NAME.search(text):
        problems.append(Problem(name, f"字段 {key} 含有 HTML 或路径字符，报告中按原文转义显示，不作为文件名使用。", False))
    return text


def _updated(data: dict, name: str, problems: list[Problem]) -> datetime:
    value = data.get("updated")
    try:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        problems.append(Problem(name, "字段 updated 不是有效的时间，按最早的时间处理。", False))
        return EPOCH


def _entry_ok(entry: dict) -> bool:
    """Whether the recorded fields have the documented types (the score is re-computed anyway)."""
    number = (int, float)
    return (entry.get("verdict") in VERDICTS
            and isinstance(entry.get("score"), number) and not isinstance(entry.get("score"), bool)
            and isinstance(entry.get("points"), number) and not isinstance(entry.get("points"), bool)
            and isinstance(entry.get("time"), str))


def _grades(answers: dict, questions: dict[str, Question], name: str, problems: list[Problem]) -> dict[str, Grade]:
    unknown, not_object, bad_fields = [], [], []
    grades: dict[str, Grade] = {}
    for question_id, entry in answers.items():
        if question_id not in questions:
            unknown.append(question_id)
        elif not isinstance(entry, dict):
            not_object.append(question_id)
        else:
            if not _entry_ok(entry):
                bad_fields.append(question_id)
            result = grade(questions[question_id], entry.get("answer"))
            if result.answered:
                grades[question_id] = result
    if unknown:
        shown = "、".join(clip(i)[:20] for i in unknown[:5]) + ("等" if len(unknown) > 5 else "")
        problems.append(Problem(name, f"有 {len(unknown)} 个未知题号（{shown}），已忽略这些答案。", False))
    if not_object:
        problems.append(Problem(name, f"题目 {'、'.join(not_object[:5])} 的记录不是对象，已忽略。", False))
    if bad_fields:
        problems.append(Problem(name, f"题目 {'、'.join(bad_fields[:5])} 的 verdict、score、points 或 time 字段类型不对，已按答案重新判分。", False))
    return grades


def read_results(path: Path, questions: dict[str, Question], problems: list[Problem]) -> Learner | None:
    """One results file as a Learner, or None (with the reason added to ``problems``)."""
    name = clean_text(path.name)
    try:
        data = read_json(path, max_bytes=MAX_BYTES, follow_symlinks=False)
    except SafeReadError as exc:
        problems.append(Problem(name, f"{exc}，未读取，已跳过。", True))
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        problems.append(Problem(name, "不是本课程的成绩文件（缺少 format: sige-course-results），已跳过。", True))
        return None
    version = data.get("version")
    if type(version) is not int or version != VERSION:
        shown = clip(json.dumps(version, ensure_ascii=False))[:20]
        problems.append(Problem(name, f"版本 {shown} 不受支持（本工具读取第 {VERSION} 版），已跳过。", True))
        return None
    answers = data.get("answers")
    if not isinstance(answers, dict):
        problems.append(Problem(name, "字段 answers 应为对象（题号 → 记录），已跳过。", True))
        return None
    learner = Learner(file=name, name=_text_field(data, "learner", name, problems),
                      learner_id=_text_field(data, "learner_id", name, problems),
                      updated=_updated(data, name, problems))
    learner.grades = _grades(answers, questions, name, problems)
    return learner


def load_cohort(folder: Path, questions: dict[str, Question]) -> Cohort:
    """Every ``*.json`` results file in ``folder``; for the same learner only the newest file is kept."""
    problems: list[Problem] = []
    newest: dict[str, Learner] = {}
    for path in sorted(Path(folder).glob("*.json")):
        learner = read_results(path, questions, problems)
        if learner is None:
            continue
        other = newest.get(learner.key)
        if other is None:
            newest[learner.key] = learner
            continue
        keep, drop = (learner, other) if learner.updated > other.updated else (other, learner)
        newest[learner.key] = keep
        problems.append(Problem(drop.file, f"与 {keep.file} 是同一学员（{keep.label}）的成绩，保留更新时间较晚的 {keep.file}，本文件已跳过。", True))
    learners = sorted(newest.values(), key=lambda l: (l.label, l.file))
    return Cohort(learners, problems)
