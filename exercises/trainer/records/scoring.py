"""Scores a trainer can compare: re-graded from the records, over the assigned questions.

A learner's total is over every assigned auto-graded question (unanswered = 0), with completion
shown separately; short answers (简答) give a reference score beside the total, never inside it.
Rates per question, measure and pillar are over the answers given (with how many answered); for
单选/多选 the chosen options are counted. Answers are always graded again with
``exercises.questions.grading.grade``, each against the question version the learner saw (an earlier
version's fraction of its points is applied to the current points); stored scores are never used. An answer
on a version the records and the package do not know is counted apart (题目已变): not in the total, the
completion or the rates, and listed.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from ...questions.bank import Question, load_all
from ...questions.grading import Grade, grade
from ...questions.types import type_of
from ...questions.versions import fingerprint
from ...text.article import load_article
from .store import Answer, BatchData, LearnerRecord

RETEACH_BELOW = 0.7  # a question whose rate is below this is on its unit's re-teach list


@dataclass
class Rate:
    """Points earned over points of the answers given, and how many answers."""

    label: str
    answered: int = 0
    correct: int = 0
    score: float = 0.0
    points: float = 0.0

    @property
    def value(self) -> float | None:
        return self.score / self.points if self.points else None

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value:.1%}"

    def add(self, g: Grade) -> None:
        self.answered += 1
        self.correct += g.verdict == "correct"
        self.score += g.score
        self.points += g.points


@dataclass
class QuestionStat:
    question: Question
    rate: Rate
    choices: Counter = field(default_factory=Counter)  # option key -> learners who chose it

    def reach(self, learners: int) -> float:
        return self.rate.answered / learners if learners else 0.0


@dataclass
class AttemptScore:
    attempt: str
    score: float
    points: float
    answered: int
    count: int


@dataclass
class LearnerScore:
    record: LearnerRecord
    score: float
    points: float
    answered: int
    assigned: int
    short_score: float
    short_points: float
    passed: bool
    pillars: dict[int, Rate]
    units_submitted: set[int]
    grades: dict[str, Grade]
    assessment: AttemptScore | None

    @property
    def percent(self) -> float:
        return 100 * self.score / self.points if self.points else 0.0

    @property
    def completion(self) -> float:
        return self.answered / self.assigned if self.assigned else 0.0


@dataclass
class BatchScores:
    data: BatchData
    questions: list[Question]
    learners: list[LearnerScore]
    by_question: dict[str, QuestionStat]
    measures: list[Rate]
    pillars: list[Rate]
    reteach: dict[int, list[QuestionStat]]
    not_submitted: dict[int, list[LearnerRecord]]
    unknown: dict[str, list[str]] = field(default_factory=dict)  # file -> question ids not in the banks (ignored)
    earlier: Counter = field(default_factory=Counter)  # (question id, version) -> answers graded on that earlier version
    changed: dict[str, list[str]] = field(default_factory=dict)  # file -> question ids answered on no known version

    @property
    def unit_titles(self) -> dict[int, str]:
        return {p.number: p.title for p in load_article().pillars}


def course_questions() -> list[Question]:
    return [q for bank in load_all() for q in bank.questions]


def _reference(q: Question) -> bool:
    """Scored for reference only (简答), beside the total and never inside it."""
    return type_of(q).reference_score


class _Grader:
    """``grade`` once per distinct (question version, response), each answer against the version the learner
    saw; None for an answer on a version nobody knows (题目已变)."""

    def __init__(self, versions: dict[str, Question]):
        self.versions = versions
        self.done: dict[tuple[str, str], Grade] = {}
        self.current: dict[str, str] = {}

    def seen(self, q: Question, answer: Answer) -> Question | None:
        """The question ``answer`` was given on: ``q`` itself, an earlier version, or None (unknown)."""
        mine = self.current.setdefault(q.id, fingerprint(q))
        if not answer.version or answer.version == mine:
            return q
        return self.versions.get(answer.version)

    def __call__(self, q: Question, answer: Answer) -> Grade | None:
        shown = self.seen(q, answer)
        if shown is None:
            return None
        key = (fingerprint(shown) if shown is not q else self.current[q.id],
               json.dumps(answer.response, ensure_ascii=False, sort_keys=True))
        if key not in self.done:
            g = grade(shown, answer.response)
            if shown is not q:  # the earlier version's share of its points, on the current points
                share = g.score / g.points if g.points else 0.0
                g = Grade(q.id, g.verdict, round(q.points * share, 2), q.points, g.response, g.details)
            self.done[key] = g
        return self.done[key]


def _attempt(graded: _Grader, questions: dict[str, Question], attempt: tuple[str, dict] | None) -> AttemptScore | None:
    if attempt is None:
        return None
    label, given = attempt
    asked = [questions[i] for i in given if i in questions and not _reference(questions[i])
             and graded.seen(questions[i], given[i]) is not None]
    grades = [graded(q, given[q.id]) for q in asked]
    return AttemptScore(label, sum(g.score for g in grades), sum(q.points for q in asked),
                        sum(g.answered for g in grades), len(asked))



def _combined(label: str, parts: list) -> Rate:
    """One rate over several questions' rates (a measure's or a pillar's)."""
    rate = Rate(label)
    for part in parts:
        rate.answered += part.answered
        rate.correct += part.correct
        rate.score += part.score
        rate.points += part.points
    return rate

def score_batch(data: BatchData, questions: list[Question] | None = None) -> BatchScores:
    """Grade every learner's merged answers and compute the batch's analyses."""
    questions = course_questions() if questions is None else questions
    by_id = {q.id: q for q in questions}
    counted = [q for q in questions if not _reference(q)]
    shorts = [q for q in questions if _reference(q)]
    stats = {q.id: QuestionStat(q, Rate(q.id)) for q in questions}
    article = load_article()
    graded = _Grader(data.versions)
    learners = []
    unknown: dict[str, list[str]] = {}
    earlier: Counter = Counter()
    changed: dict[str, list[str]] = {}
    for record in data.learners:
        grades = {}
        apart = set()
        for question_id, answer in record.practice.items():
            q = by_id.get(question_id)
            if q is None:
                unknown.setdefault(answer.source, []).append(question_id)
                continue
            g = graded(q, answer)
            if g is None:
                changed.setdefault(answer.source, []).append(question_id)
                apart.add(question_id)
                continue
            if g.answered:
                grades[q.id] = g
                stat = stats[q.id]
                stat.rate.add(g)
                if graded.seen(q, answer) is not q:
                    earlier[q.id, answer.version] += 1
                elif q.options:  # a choice question: its graded response is a key or a list of keys
                    stat.choices.update([g.response] if isinstance(g.response, str) else g.response)
        pillars = {p.number: Rate(p.title) for p in article.pillars}
        mine = [q for q in counted if q.id not in apart]
        for q in mine:
            pillar = pillars.setdefault(q.pillar, Rate(str(q.pillar)))
            pillar.points += q.points
            if q.id in grades:
                pillar.answered += 1
                pillar.score += grades[q.id].score
                pillar.correct += grades[q.id].verdict == "correct"
        score = sum(grades[q.id].score for q in mine if q.id in grades)
        points = sum(q.points for q in mine)
        learners.append(LearnerScore(
            record=record, score=round(score, 2), points=points,
            answered=sum(q.id in grades for q in mine), assigned=len(mine),
            short_score=round(sum(grades[q.id].score for q in shorts if q.id in grades), 2),
            short_points=sum(q.points for q in shorts),
            passed=bool(points) and 100 * score / points >= data.pass_mark - 1e-9,
            pillars=pillars, units_submitted={by_id[i].pillar for i in grades}, grades=grades,
            assessment=_attempt(graded, by_id, record.latest_attempt())))
    measures = [_combined(f"{m.id} {m.name}", [stats[q.id].rate for q in counted if q.measure == m.id])
                for m in article.measures]
    pillar_rates = [_combined(p.title, [stats[q.id].rate for q in counted if q.pillar == p.number])
                    for p in article.pillars]
    reteach = {p.number: sorted((stats[q.id] for q in questions
                                 if q.pillar == p.number and stats[q.id].rate.value is not None
                                 and stats[q.id].rate.value < RETEACH_BELOW),
                                key=lambda s: (s.rate.value, s.question.id))
               for p in article.pillars}
    roster = [l for l in learners if l.record.on_roster] or learners
    not_submitted = {p.number: [l.record for l in roster if p.number not in l.units_submitted]
                     for p in article.pillars}
    return BatchScores(data, questions, learners, stats, measures, pillar_rates, reteach, not_submitted, unknown,
                       earlier, changed)
