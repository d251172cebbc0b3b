"""What the trainer's live view shows, read from the records and scored with ``records.scoring``."""
from __future__ import annotations

from dataclasses import dataclass

from ...questions.model import OPTION_KEYS
from ..records.scoring import score_batch
from ..records.store import Records


@dataclass(frozen=True)
class UnitView:
    number: int
    title: str
    handed_in: list[tuple[str, str, str]]  # (学号, name, unit)
    missing: list[tuple[str, str, str]]


@dataclass(frozen=True)
class QuestionView:
    id: str
    pillar: int
    stem: str
    rate: str
    answered: int
    choices: list[tuple[str, int, bool]]  # (option key, learners who chose it, is it in the key)


@dataclass(frozen=True)
class View:
    batch: str
    learners: int
    answers: int  # distinct answers: one per learner and question, per 综合测评 attempt and question
    units: list[UnitView]
    questions: list[QuestionView]


def _person(record) -> tuple[str, str, str]:
    return record.number, record.name, record.unit


def _key(answer) -> set[str]:
    return set(answer) if isinstance(answer, (list, tuple)) else {answer} if isinstance(answer, str) else set()


def build_view(records: Records, batch: str) -> View:
    """Per unit who has handed in and who has not; per question the rate and the options chosen."""
    scores = score_batch(records.batch_data(batch))
    roster = [l for l in scores.learners if l.record.on_roster] or scores.learners
    titles = scores.unit_titles
    units = []
    for number, missing in scores.not_submitted.items():
        handed = [_person(l.record) for l in roster if number in l.units_submitted]
        units.append(UnitView(number, titles.get(number, str(number)), handed, [_person(r) for r in missing]))
    questions = []
    for q in scores.questions:
        stat = scores.by_question[q.id]
        key = _key(q.answer)
        choices = [(k, stat.choices.get(k, 0), k in key) for k in OPTION_KEYS[:len(q.options)]]
        questions.append(QuestionView(q.id, q.pillar, q.stem, stat.rate.text, stat.rate.answered, choices))
    answers = sum(len(l.record.practice) + sum(map(len, l.record.assessment.values())) for l in scores.learners)
    return View(batch, len(roster), answers, units, questions)
