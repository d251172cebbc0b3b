"""The batch as two CSV tables, ``learners.csv`` and ``questions.csv``, for any spreadsheet program.

UTF-8 with a BOM (so spreadsheet programs read the Chinese), written atomically. A text cell that a
spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets a leading ',
so nothing a learner typed can run; numbers are written as numbers.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ...questions.presentation import type_label
from .output import write_text
from .scoring import BatchScores

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A CSV cell: numbers as written, texts neutralised against formulas, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _write(path: Path, head: list[str], rows: list[list]) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(head)
    writer.writerows([[cell(v) for v in row] for row in rows])
    return write_text(path, buffer.getvalue(), encoding="utf-8-sig")


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def write_tables(scores: BatchScores, out_dir: Path) -> list[Path]:
    """Write ``questions.csv`` (one row per question) and ``learners.csv`` (one row per learner, a score per question)."""
    titles = scores.unit_titles
    questions = scores.questions
    by_question = _write(
        out_dir / "questions.csv",
        ["编号", "单元", "举措", "题型", "作答人数", "全对人数", "得分", "满分", "得分率", "选项分布"],
        [[s.question.id, titles.get(s.question.pillar, str(s.question.pillar)), s.question.measure or "",
          type_label(s.question), s.rate.answered, s.rate.correct, round(s.rate.score, 2), s.rate.points,
          _ratio(s.rate.value), "，".join(f"{k}：{n}" for k, n in sorted(s.choices.items()))]
         for s in scores.by_question.values()])
    learners = sorted(scores.learners, key=lambda l: (l.record.unit, l.record.number))
    by_learner = _write(
        out_dir / "learners.csv",
        ["学号", "姓名", "单位", "得分", "满分", "得分率", "已答题数", "应答题数", "简答参考分", "综合测评得分",
         "综合测评满分", "成绩文件", *[q.id for q in questions]],
        [[l.record.number, l.record.name, l.record.unit, l.score, l.points, _ratio(l.score / l.points if l.points else None),
          l.answered, l.assigned, l.short_score, l.assessment.score if l.assessment else None,
          l.assessment.points if l.assessment else None, "；".join(l.record.sources),
          *[round(l.grades[q.id].score, 2) if q.id in l.grades else None for q in questions]]
         for l in learners])
    return [by_question, by_learner]
