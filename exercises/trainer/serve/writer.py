"""The hand-ins' store: whatever arrived together (up to ``GROUP``) is written in one transaction, so a whole
hall costs a few commits instead of one each. It runs in the hand-in process (``worker``), alone, so no two
writers of one server wait for each other's locks.

A hand-in is acknowledged only after its transaction committed. A document already stored (same learner, same
content) adds no row: it is found by its SHA-256, and on PostgreSQL a second process storing the same one at
the same moment is absorbed by the unique key (``ON CONFLICT DO NOTHING``). Each receipt counts the learner's
distinct answers as they stand in that committed transaction.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..records.schema import answer_versions, answers, batches, imports, submissions
from ..records.store import USED
from ..records.versions import keep_questions
from .handin import Prepared

GROUP = 64  # hand-ins at most in one transaction
TRIES = 4  # attempts of a hand-in alone before it is refused (503)
COLUMNS = {answers.name: ("submission_id", "kind", "attempt", "question_id", "response", "time"),
           answer_versions.name: ("submission_id", "kind", "attempt", "question_id", "version")}


@dataclass(frozen=True)
class Receipt:
    """What the server stored: new answers of this hand-in, the learner's stored totals, and when."""

    number: str
    batch: str
    new_answers: int
    practice: int
    assessment: int
    time: str
    repeated: bool

    def to_json(self) -> dict:
        return {"number": self.number, "batch": self.batch, "new_answers": self.new_answers,
                "practice": self.practice, "assessment": self.assessment, "time": self.time, "repeated": self.repeated}


def _insert_many(connection, table, rows: list[tuple]) -> None:
    """Insert ``rows`` (values in the order of ``COLUMNS[table]``) with the driver's executemany: thousands of
    answer rows a second without building SQLAlchemy parameters for each."""
    if not rows:
        return
    columns = COLUMNS[table.name]
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
    connection.exec_driver_sql(statement, rows)


class Writer:
    def __init__(self, engine: Engine, batch: str):
        self.engine = engine
        self.batch = batch
        with engine.connect() as connection:
            self.batch_id = connection.execute(select(batches.c.id).where(batches.c.code == batch)).scalar_one()
        dialect = sqlite_insert if engine.dialect.name == "sqlite" else postgresql_insert
        self._submission = dialect(submissions).on_conflict_do_nothing(
            index_elements=[submissions.c.batch_id, submissions.c.sha256]).returning(submissions.c.id)

    def write(self, group: list[Prepared], tries: int = TRIES) -> list[Receipt | SQLAlchemyError]:
        """Store ``group`` in one transaction; per hand-in its Receipt, or the database's error if it could
        not be stored. A database that stays locked (SQLite has already waited ``busy_timeout``) or unreachable
        fails the whole group at once; any other failure is retried one hand-in at a time, so one bad hand-in
        costs no other, and a clash with another process (the same question version stored at the same moment,
        a deadlock) is tried again after a pause."""
        try:
            with self.engine.begin() as connection:
                return list(self._store(connection, group))
        except OperationalError as exc:
            if self.engine.dialect.name == "sqlite" or exc.connection_invalidated or tries <= 1:
                return [exc] * len(group)
            time.sleep(0.05 * (TRIES - tries + 1))
            return self.write(group, tries - 1)
        except SQLAlchemyError as exc:
            if len(group) > 1:
                return [result for one in group for result in self.write([one])]
            if tries > 1:
                time.sleep(0.05 * (TRIES - tries + 1))
                return self.write(group, tries - 1)
            return [exc]

    def _store(self, connection, items: list[Prepared]) -> list[Receipt]:
        known = set(connection.execute(select(submissions.c.sha256).where(and_(
            submissions.c.batch_id == self.batch_id, submissions.c.sha256.in_({i.sha256 for i in items})))).scalars())
        fresh = [i for i in items if i.sha256 not in known]
        new_answers: dict[str, int] = {}
        if fresh:
            import_id = connection.execute(insert(imports).values(
                batch_id=self.batch_id, kind="handin", source="课堂收卷",
                time=datetime.now(UTC).isoformat(timespec="seconds"))).inserted_primary_key[0]
            rows, versions = [], []
            for item in fresh:
                if item.sha256 in new_answers:  # the same document twice in this group
                    continue
                submission_id = connection.execute(self._submission, {
                    "batch_id": self.batch_id, "import_id": import_id, "sha256": item.sha256, "source": item.source,
                    "name": item.learner.name, "number": item.learner.number, "updated": item.updated,
                    "learner_id": item.learner.id, "status": "matched", "reason": item.reason}).scalar()
                if submission_id is None:  # another process stored it a moment ago
                    continue
                new_answers[item.sha256] = len(item.rows)
                rows += [(submission_id, *row[:5]) for row in item.rows]
                versions += [(submission_id, *row[:3], row[5]) for row in item.rows if row[5]]
            _insert_many(connection, answers, rows)
            _insert_many(connection, answer_versions, versions)
            keep_questions(connection, {v[4] for v in versions})
            if not new_answers:
                connection.execute(delete(imports).where(imports.c.id == import_id))
        totals = self._totals(connection, {i.learner.id for i in items})
        receipts = []
        for item in items:
            added = new_answers.pop(item.sha256, None)
            practice, assessment = totals.get(item.learner.id, (0, 0))
            receipts.append(Receipt(item.learner.number, self.batch, added or 0, practice, assessment, item.time,
                                    added is None))
        return receipts

    @staticmethod
    def _totals(connection, learner_ids: set[int]) -> dict[int, tuple[int, int]]:
        """Per learner: distinct practice questions and distinct 综合测评 attempts stored."""
        found: dict[int, list[int]] = {}
        query = (select(submissions.c.learner_id, answers.c.kind,
                        func.count(func.distinct(answers.c.question_id)), func.count(func.distinct(answers.c.attempt)))
                 .select_from(answers).join(submissions, answers.c.submission_id == submissions.c.id)
                 .where(and_(submissions.c.learner_id.in_(learner_ids), submissions.c.status.in_(USED)))
                 .group_by(submissions.c.learner_id, answers.c.kind))
        for learner_id, kind, questions, attempts in connection.execute(query):
            counts = found.setdefault(learner_id, [0, 0])
            if kind == "practice":
                counts[0] = questions
            else:
                counts[1] = attempts
        return {k: (v[0], v[1]) for k, v in found.items()}
