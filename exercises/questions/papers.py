"""Seeded batch papers as data: K questions balanced across pillars and types, options shuffled with the
key, grouped by type, marks scaled to a total of 100; graded by printed number.

The same seed and count always give the same paper. Shuffled questions are ordinary :class:`Question`
objects (options reordered, answer keys remapped, bank points), so every renderer and the graders work on
them unchanged; ``Paper.marked`` gives them with the paper's marks, as printed. ``trainer/print/paper.py`` prints
papers; ``trainer/records/answer_sheet.py`` reads their answer-entry sheets back.
"""
from __future__ import annotations

import dataclasses
import math
import random
from dataclasses import dataclass

from .bank import load_all
from .grading import grade
from .model import Question
from .outcome import Grade
from .presentation import type_label
from .sampling import select
from .shuffle import SeededOrder
from .types import REGISTRY, type_of

TOTAL = 100  # a paper's total marks


@dataclass(frozen=True)
class Paper:
    seed: int
    questions: tuple[Question, ...]  # in printed order, with their bank points
    marks: tuple[int, ...]  # each question's marks on the paper (adding up to TOTAL)

    def marked(self) -> tuple[Question, ...]:
        """The questions with the paper's marks as their points (as printed and graded on the paper)."""
        return tuple(dataclasses.replace(q, points=float(m)) for q, m in zip(self.questions, self.marks))


def scaled_marks(points: list[float], total: int = TOTAL) -> list[int]:
    """Whole marks in proportion to ``points`` adding up to ``total`` (largest remainder; at least 1 each)."""
    if not points or len(points) > total:
        raise ValueError(f"题数应为 1 到 {total} 之间的整数，现在是 {len(points)}。")
    shares = [p * total / sum(points) for p in points]
    marks = [max(1, math.floor(s)) for s in shares]
    by_remainder = sorted(range(len(points)), key=lambda i: (shares[i] - math.floor(shares[i]), -i), reverse=True)
    while sum(marks) < total:
        for i in by_remainder[:total - sum(marks)]:
            marks[i] += 1
    while sum(marks) > total:  # the minimum of 1 overshot: take from the largest
        marks[max(range(len(marks)), key=lambda i: (marks[i], -i))] -= 1
    return marks


def _section_key(q: Question) -> tuple:
    """Sections by type, lighter types first (in registration order among equals)."""
    return type_of(q).default_points, list(REGISTRY).index(q.type)


def make_paper(seed: int, count: int, banks=None) -> Paper:
    """The paper for ``seed``: ``count`` questions (at most all of them) grouped by type, in pillar order within
    a type, marked out of 100; choices in the course's shuffle order for seed "paper-<seed>"."""
    banks = load_all() if banks is None else banks
    pool = {b.pillar: list(b.questions) for b in banks if b.questions}
    total = sum(len(v) for v in pool.values())
    if count < 1 or total == 0:
        raise ValueError(f"题数应为 1 到 {total} 之间的整数，现在是 {count}。")
    rng = random.Random(f"sige-paper/{seed}")
    picked = [type_of(q).shuffled(q, SeededOrder(f"paper-{seed}", q.id)) for q in select(pool, min(count, total), rng)]
    picked.sort(key=_section_key)  # stable: pillar order within a type
    return Paper(seed, tuple(picked), tuple(scaled_marks([q.points for q in picked])))


def sections(paper: Paper) -> list[tuple[str, list[tuple[int, Question]]]]:
    """(heading label, [(printed number, question)]) per type, in printed order."""
    result: list[tuple[str, list[tuple[int, Question]]]] = []
    for number, q in enumerate(paper.marked(), start=1):
        if not result or result[-1][0] != type_label(q):
            result.append((type_label(q), []))
        result[-1][1].append((number, q))
    return result


def grade_paper(paper: Paper, responses: dict) -> list[Grade]:
    """Grade a learner's answers given by printed number ("1", "2", … or 1, 2, …; keys as printed) with the
    course's graders; scores are on the paper's scale."""
    responses = responses if isinstance(responses, dict) else {}
    return [grade(q, responses.get(str(n), responses.get(n))) for n, q in enumerate(paper.marked(), start=1)]
