"""The result of grading one response, and the verdict words every output shows."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Question

VERDICTS = {
    "correct": "回答正确",
    "partial": "部分正确",
    "incorrect": "回答错误",
    "unanswered": "尚未作答",
}


@dataclass(frozen=True)
class Grade:
    """The result of grading one response. Texts are plain; renderers escape them before showing."""

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


def scored(q: Question, fraction: float, response: Any, details: list[str]) -> Grade:
    """A graded response earning ``fraction`` of the question's points."""
    fraction = min(max(fraction, 0.0), 1.0)
    verdict = "correct" if fraction >= 1 else "incorrect" if fraction <= 0 else "partial"
    return Grade(q.id, verdict, round(q.points * fraction, 2), q.points, response, tuple(details))


def unanswered(q: Question, response: Any, why: str) -> Grade:
    """A response that gives no usable answer; ``why`` tells the learner what to do."""
    return Grade(q.id, "unanswered", 0.0, q.points, response, (why,))
