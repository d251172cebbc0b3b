"""Grading: one entry point for every question type; pure functions that never raise on learner input.

``grade(question, response)`` accepts anything a learner (or a hostile caller) may send and returns a
:class:`Grade`. Each type's rule lives in its module under ``types``; response shapes are listed in
README.md (成绩文件格式).
"""
from __future__ import annotations

from typing import Any

from .model import Question
from .normalize import MAX_TEXT, clip, normalize, simplify
from .outcome import VERDICTS, Grade
from .types import type_of

__all__ = ["MAX_TEXT", "VERDICTS", "Grade", "clip", "correct_response", "grade", "normalize", "rule", "simplify"]


def grade(question: Question, response: Any) -> Grade:
    """Grade any response to ``question``; unusable input is reported as unanswered."""
    return type_of(question).grade(question, response)


def correct_response(question: Question) -> Any:
    """A response that earns full marks (for keys, tests and demonstrations)."""
    return type_of(question).correct_response(question)


def rule(question: Question) -> str:
    """The scoring rule of the question's type, as shown to learners."""
    return type_of(question).rule
