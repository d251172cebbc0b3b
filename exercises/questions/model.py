"""The validated data of a chapter: questions, discussion questions, key terms."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

OPTION_KEYS = "ABCDEF"
BLANK = re.compile(r"_{3,}")


class Fields(Mapping[str, Any]):
    """A question type's own fields (what ``type.build`` returns), read-only and hashable."""

    def __init__(self, values: Mapping[str, Any] | None = None):
        self._values = dict(values or {})

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items(), key=lambda item: item[0])))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"Fields({self._values!r})"


@dataclass(frozen=True, init=False)
class Question:
    """One auto-graded question: the fields every question has, and ``data``, its type's own fields, which read
    as attributes too (``q.options``). A field another type declares reads as empty (``types.empty_field``);
    which fields a type has is the type's business (see ``types``)."""

    id: str
    type: str
    pillar: int
    measure: str | None
    points: float
    stem: str
    explanation: str
    source: str
    kind: str = ""  # "scenario": applies a measure to a situation (labelled 情景); empty: recall of the text
    data: Fields = field(default_factory=Fields)

    def __init__(self, id: str, type: str, pillar: int, measure: str | None, points: float, stem: str,
                 explanation: str, source: str, kind: str = "", data: Mapping[str, Any] | None = None, **fields: Any):
        values = {"id": id, "type": type, "pillar": pillar, "measure": measure, "points": points, "stem": stem,
                  "explanation": explanation, "source": source, "kind": kind, "data": Fields({**(data or {}), **fields})}
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        """A type's own field (only called for names that are not common fields)."""
        data = self.__dict__.get("data")
        if name.startswith("__") or data is None:
            raise AttributeError(name)
        if name in data:
            return data[name]
        from .types import empty_field

        return empty_field(name)

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
