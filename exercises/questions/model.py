"""The validated data of a chapter: questions, discussion questions, key terms."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OPTION_KEYS = "ABCDEF"
BLANK = re.compile(r"_{3,}")


@dataclass(frozen=True)
class Question:
    """One auto-graded question. Which slots a type fills is the type's business (see ``types``)."""

    id: str
    type: str
    pillar: int
    measure: str | None
    points: float
    stem: str
    explanation: str
    source: str
    options: tuple[str, ...] = ()
    answer: Any = None
    blanks: tuple[tuple[str, ...], ...] = ()
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    keypoints: tuple[tuple[str, tuple[str, ...]], ...] = ()
    kind: str = ""  # "scenario": applies a measure to a situation (labelled 情景); empty: recall of the text

    def option_text(self, key: str) -> str:
        return self.options[OPTION_KEYS.index(key)]

    def option_lines(self) -> list[str]:
        return [f"{OPTION_KEYS[i]}. {text}" for i, text in enumerate(self.options)]


@dataclass(frozen=True)
class Discussion:
    """A discussion question (研讨题) with its trainer guide."""

    id: str
    prompt: str
    guide: str
    source: str


@dataclass(frozen=True)
class Term:
    """A key term with the article's own sentence about it; ``editorial`` is an 编者注."""

    term: str
    source: str
    measure: str | None = None
    editorial: str | None = None


@dataclass(frozen=True)
class Bank:
    """All data of one chapter."""

    path: Path
    pillar: int
    questions: tuple[Question, ...]
    discussion: tuple[Discussion, ...]
    terms: tuple[Term, ...]

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)
