"""The records of rotations: batches, rosters, imports (each one transaction), matching, and reading back.

Identity is the roster's normalised 学号. A file is matched by its 学号 (a different name on the
roster is a conflict), or, without a 学号, by a name that is unique on the roster; everything else is
kept unmatched, ambiguous or conflicting for the trainer to resolve (``assign``), never merged by guess.
Every answer of every distinct file is stored with its time and file; the latest per question wins
when the records are read back. Practice and 综合测评 attempts are kept apart.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from ...safeio import clean_text
from .identity import display_text, normalize_name, normalize_number
from .intake import collect, progress
from .results import NotResults, parse_results
from .roster import read_roster
from .schema import answer_versions, answers, batches, hours, imports, learners, open_engine, skipped, submissions
from .versions import keep_versions, seen_versions

USED = ("matched", "assigned")
STATUS_TEXT = {"matched": "已匹配", "assigned": "已手工指定", "unmatched": "未匹配", "ambiguous": "无法区分",
               "conflict": "信息冲突"}


class RecordsError(ValueError):
    """Something the trainer asked for cannot be done; the message is one Chinese line."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Answer:
    """One stored answer: the response, its time and the file it came from."""

    question_id: str
    response: object
    time: str
    source: str
    version: str = ""  # the question version the learner answered (``questions.versions.fingerprint``)


@dataclass
class LearnerRecord:
    id: int
    number: str
    name: str
    unit: str
    on_roster: bool
    practice: dict[str, Answer] = field(default_factory=dict)
    assessment: dict[str, dict[str, Answer]] = field(default_factory=dict)  # attempt -> latest answers
    sources: list[str] = field(default_factory=list)
    hours: dict[int, float] = field(default_factory=dict)

    @property
    def total_hours(self) -> float | None:
        if not self.hours:
            return None
        return self.hours[0] if 0 in self.hours else sum(self.hours.values())

    def latest_attempt(self) -> tuple[str, dict[str, Answer]] | None:
        """The 综合测评 attempt answered last, if any."""
        if not self.assessment:
            return None
        return max(self.assessment.items(), key=lambda kv: max((a.time for a in kv[1].values()), default=""))


@dataclass(frozen=True)
class FileNote:
    """A file the records hold but do not count (unmatched, ambiguous, conflicting) or did not read."""

    source: str
    status: str
    reason: str
    submission_id: int | None = None


@dataclass
class BatchData:
    code: str
    pass_mark: float
    learners: list[LearnerRecord]
    notes: list[FileNote]
    stored_answers: int
    repairs: list[FileNote] = field(default_factory=list)  # files counted, with what was repaired or how matched
    versions: dict = field(default_factory=dict)  # question version -> Question, every version the records have seen


@dataclass
class ImportReport:
    read: int = 0
    matched: int = 0  # files counted for a learner
    answers: int = 0
    notes: list[FileNote] = field(default_factory=list)
    learners: set[int] = field(default_factory=set)  # the learners the counted files belong to
    other_versions: list[str] = field(default_factory=list)  # files from another course version, with it


NAME_KEY = "无学号·"  # identity of a learner known only by name (``by_name`` imports without a roster)


class _Index:
    """The roster of one batch for matching files; ``by_name``: without a roster, a file without 学号 is
    identified by its normalised name (the one-step folder report), never used once a roster exists."""

    def __init__(self, rows, by_name: bool = False):
        self.by_name_only = by_name
        self.roster = [r for r in rows if r.on_roster]
        self.by_number = {r.number: r for r in (self.roster or rows)}  # no roster: numbers seen in files
        self.by_name: dict[str, list] = defaultdict(list)
        for r in self.roster:
            self.by_name[normalize_name(r.name)].append(r)

    @staticmethod
    def identity(number: str, name: str) -> str:
        """The learner key of a file: its normalised 学号, else (``by_name``) the name behind ``NAME_KEY``."""
        return normalize_number(number) or NAME_KEY + normalize_name(name)[:56]

    def match(self, number: str, name: str) -> tuple[int | None, str, str]:
        """(learner id, status, reason) for a file signed with ``number`` and ``name``."""
        key = normalize_number(number)
        if key:
            row = self.by_number.get(key)
            if row is None:
                if self.roster:
                    return None, "unmatched", f"学号 {key} 不在本期次的花名册中。"
                return None, "new", ""
            if name and row.name and normalize_name(name) != normalize_name(row.name):
                return None, "conflict", f"学号 {key} 在花名册中是「{row.name}」，文件署名「{name}」，不一致。"
            return row.id, "matched", ""
        if not name:
            return None, "unmatched", "文件既没有学号也没有姓名，无法确定是谁。"
        if not self.roster and self.by_name_only:
            row = self.by_number.get(self.identity(number, name))
            return (row.id, "matched", "") if row else (None, "new", "")
        if not self.roster:
            return None, "unmatched", f"文件（{name}）没有学号，本期次也没有花名册，无法确定是谁。"
        candidates = self.by_name.get(normalize_name(name), [])
        if len(candidates) == 1:
            return candidates[0].id, "matched", "文件没有学号，按花名册中唯一的同名学员匹配。"
        if candidates:
            return None, "ambiguous", f"花名册中有 {len(candidates)} 位「{name}」，文件没有学号，无法确定是哪一位。"
        return None, "unmatched", f"姓名「{name}」不在本期次的花名册中，文件也没有学号。"


class Records:
    """One records database (SQLite file or PostgreSQL)."""

    def __init__(self, url: str | None = None):
        self.engine = open_engine(url)

    def close(self) -> None:
        self.engine.dispose()

    # ---- batches ------------------------------------------------------------------------------------
    @staticmethod
    def _batch(connection, code: str):
        row = connection.execute(select(batches).where(batches.c.code == code)).first()
        if row is None:
            raise RecordsError(f"没有期次「{code}」：请先用 course records batch {code} 建立。")
        return row


    def _learner(self, connection, batch, code: str, number: str):
        """The roster row of ``number`` in the batch, or a RecordsError naming both."""
        row = connection.execute(select(learners).where(
            and_(learners.c.batch_id == batch.id, learners.c.number == normalize_number(number)))).first()
        if row is None:
            raise RecordsError(f"期次「{code}」中没有学号 {normalize_number(number)}。")
        return row
    def create_batch(self, code: str, pass_mark: float | None = None) -> bool:
        """Create the batch, or update its pass mark; True when it was created."""
        code = display_text(code, 100)
        if not code:
            raise RecordsError("期次名称不能为空。")
        if pass_mark is not None and not 0 <= pass_mark <= 100:
            raise RecordsError("及格线应为 0 到 100 之间的百分数。")
        with self.engine.begin() as connection:
            row = connection.execute(select(batches).where(batches.c.code == code)).first()
            if row is None:
                connection.execute(insert(batches).values(code=code, pass_mark=60.0 if pass_mark is None else pass_mark,
                                                          created=_now()))
                return True
            if pass_mark is not None:
                connection.execute(update(batches).where(batches.c.id == row.id).values(pass_mark=pass_mark))
            return False

    def batch_codes(self) -> list[str]:
        with self.engine.connect() as connection:
            return list(connection.execute(select(batches.c.code).order_by(batches.c.id)).scalars())

    # ---- roster -------------------------------------------------------------------------------------
    def import_roster(self, code: str, path: Path) -> tuple[int, list[str]]:
        """Add or update the roster's learners (and 学时) in one transaction; re-match stored files."""
        roster = read_roster(path)
        problems = list(roster.problems)
        with self.engine.begin() as connection:
            batch = self._batch(connection, code)
            connection.execute(insert(imports).values(batch_id=batch.id, kind="roster", source=clean_text(Path(path).name),
                                                      time=_now()))
            existing = {r.number: r for r in connection.execute(select(learners).where(learners.c.batch_id == batch.id))}
            from .rules import batch_units  # rules reads the store's errors: imported here, not at the top

            units = batch_units(connection, batch.id)
            count = 0
            for row in roster.rows:
                if row.batch and normalize_name(row.batch) != normalize_name(code):
                    problems.append(f"学号 {row.number}（{row.name}）属于期次「{row.batch}」，未导入本期次。")
                    continue
                values = {"name": row.name, "unit": row.unit, "on_roster": 1}
                if row.number in existing:
                    learner_id = existing[row.number].id
                    connection.execute(update(learners).where(learners.c.id == learner_id).values(**values))
                else:
                    learner_id = connection.execute(insert(learners).values(batch_id=batch.id, number=row.number,
                                                                            **values)).inserted_primary_key[0]
                for session, amount in row.hours.items():
                    if session and session not in units:
                        problems.append(f"学号 {row.number} 的第 {session} 单元学时未导入：期次「{code}」没有这个单元"
                                        f"（单元为 {'、'.join(map(str, units))}）。")
                        continue
                    self._set_hours(connection, learner_id, session, amount)
                count += 1
            if count == 0:
                raise RecordsError(f"花名册中没有属于期次「{code}」的学员，未导入任何内容。")
            self._rematch(connection, batch.id)
        return count, problems

    @staticmethod
    def _set_hours(connection, learner_id: int, session: int, amount: float) -> None:
        where = and_(hours.c.learner_id == learner_id, hours.c.session == session)
        if connection.execute(select(hours.c.id).where(where)).first():
            connection.execute(update(hours).where(where).values(hours=amount))
        else:
            connection.execute(insert(hours).values(learner_id=learner_id, session=session, hours=amount))

    def set_hours(self, code: str, number: str, session: int, amount: float) -> str:
        """Record 学时 of one session (0: the whole rotation) for a learner; return the learner's name."""
        if not 0 <= session <= 99:
            raise RecordsError("单元应为 1 到 99 的整数（0 表示整个轮训）。")
        if not 0 <= amount <= 1000:
            raise RecordsError("学时应为 0 到 1000 之间的数。")
        with self.engine.begin() as connection:
            batch = self._batch(connection, code)
            row = self._learner(connection, batch, code, number)
            self._set_hours(connection, row.id, session, amount)
            return row.name

    # ---- files --------------------------------------------------------------------------------------
    def _rematch(self, connection, batch_id: int) -> None:
        """Match again every file not assigned by hand (after the roster changed); drop learners left with nothing."""
        index = _Index(connection.execute(select(learners).where(learners.c.batch_id == batch_id)).all())
        rows = connection.execute(select(submissions).where(
            and_(submissions.c.batch_id == batch_id, submissions.c.status != "assigned"))).all()
        for row in rows:
            learner_id, status, reason = index.match(row.number, row.name)
            if status == "new":
                learner_id, status = row.learner_id, "matched"
            connection.execute(update(submissions).where(submissions.c.id == row.id).values(
                learner_id=learner_id, status=status, reason=reason))
        used = select(submissions.c.learner_id).where(submissions.c.learner_id.is_not(None))
        connection.execute(delete(learners).where(and_(learners.c.batch_id == batch_id, learners.c.on_roster == 0,
                                                       learners.c.id.not_in(used))))

    def import_files(self, code: str, paths: list[Path], require_results: bool = True,
                     by_name: bool = False) -> ImportReport:
        """Read files, folders and zip archives into the batch, in one transaction. ``by_name``: while the
        batch has no roster, files without 学号 are merged by name (learners get a ``NAME_KEY`` number)."""
        intake = collect(paths)
        report = ImportReport()
        with self.engine.begin() as connection:
            batch = self._batch(connection, code)
            import_id = connection.execute(insert(imports).values(
                batch_id=batch.id, kind="files", source=clean_text("；".join(str(p) for p in paths))[:2000], time=_now())
            ).inserted_primary_key[0]
            known = dict(connection.execute(select(submissions.c.sha256, submissions.c.source).where(
                submissions.c.batch_id == batch.id)).all())
            index = _Index(connection.execute(select(learners).where(learners.c.batch_id == batch.id)).all(), by_name)
            notes = [FileNote(u.source, "unread", u.reason) for u in intake.unread]
            rows = []
            for blob in progress(intake.blobs, "读取成绩文件"):
                if blob.sha256 in known:
                    notes.append(FileNote(blob.source, "unread", f"此前已导入过内容完全相同的文件（{known[blob.sha256]}），只计一次。"))
                    continue
                try:
                    parsed = parse_results(blob.data)
                except NotResults as exc:
                    notes.append(FileNote(blob.source, "unread", str(exc).rstrip("。") + "，未读取。"))
                    continue
                learner_id, status, reason = index.match(parsed.number, parsed.name)
                if status == "new":  # no roster: the 学号 itself (or, by_name, the name) is the identity
                    number = index.identity(parsed.number, parsed.name)
                    learner_id = connection.execute(insert(learners).values(
                        batch_id=batch.id, number=number, name=parsed.name, unit="", on_roster=0)).inserted_primary_key[0]
                    index = _Index([*index.by_number.values(), _Row(learner_id, number, parsed.name, 0)], by_name)
                    status = "matched"
                reason = "；".join(part.rstrip("。") for part in [reason, *parsed.notes] if part)
                reason += "。" if reason else ""
                submission_id = connection.execute(insert(submissions).values(
                    batch_id=batch.id, import_id=import_id, sha256=blob.sha256, source=blob.source[:1000],
                    name=parsed.name, number=parsed.number, updated=parsed.updated, learner_id=learner_id,
                    status=status, reason=reason)).inserted_primary_key[0]
                known[blob.sha256] = blob.source
                report.read += 1
                report.matched += status in USED
                if status in USED:
                    report.learners.add(learner_id)
                if parsed.other_version:
                    report.other_versions.append(f"{blob.source}（课程 {parsed.course_version} 版）")
                if status not in USED:
                    notes.append(FileNote(blob.source, status, reason, submission_id))
                rows += [{"submission_id": submission_id, "kind": "practice", "attempt": "", "question_id": q,
                          "response": r, "time": t, "version": v} for q, (r, t, v) in parsed.practice.items()]
                rows += [{"submission_id": submission_id, "kind": "assessment", "attempt": a, "question_id": q,
                          "response": r, "time": t, "version": v}
                         for a, given in parsed.assessment.items() for q, (r, t, v) in given.items()]
            if rows:
                connection.execute(insert(answers), [{k: v for k, v in r.items() if k != "version"} for r in rows])
                keep_versions(connection, rows)
            report.answers = len(rows)
            if notes and any(n.status == "unread" for n in notes):
                connection.execute(insert(skipped), [{"batch_id": batch.id, "import_id": import_id,
                                                      "source": n.source[:1000], "reason": n.reason}
                                                     for n in notes if n.status == "unread"])
            report.notes = notes
            if require_results and report.read == 0:
                example = f"，例如 {notes[0].source}：{notes[0].reason}" if notes else ""
                raise RecordsError(f"没有读到任何可用的成绩文件（{len(notes)} 个文件未能使用{example}），本次导入未作任何改动。")
        return report

    def add_paper_rows(self, code: str, source: str, rows: list[tuple]) -> list[tuple[str, str]]:
        """Store paper answer rows (sha256, number, name, attempt, {question id: response JSON}, time) in one transaction."""
        results = []
        with self.engine.begin() as connection:
            batch = self._batch(connection, code)
            import_id = connection.execute(insert(imports).values(batch_id=batch.id, kind="paper", source=source[:2000],
                                                                  time=_now())).inserted_primary_key[0]
            index = _Index(connection.execute(select(learners).where(learners.c.batch_id == batch.id)).all())
            known = set(connection.execute(select(submissions.c.sha256).where(submissions.c.batch_id == batch.id)).scalars())
            for sha, number, name, attempt, given, time in rows:
                if sha in known:
                    results.append(("unread", "此前已录入过相同的答题记录，只计一次。"))
                    continue
                learner_id, status, reason = index.match(number, name)
                if status == "new":
                    status, reason = "unmatched", f"学号 {normalize_number(number)} 不在本期次的花名册中。"
                submission_id = connection.execute(insert(submissions).values(
                    batch_id=batch.id, import_id=import_id, sha256=sha, source=f"{source}（{name or number}）"[:1000],
                    name=name, number=number, updated=time, learner_id=learner_id, status=status,
                    reason=reason)).inserted_primary_key[0]
                known.add(sha)
                if given:
                    connection.execute(insert(answers), [
                        {"submission_id": submission_id, "kind": "assessment", "attempt": attempt, "question_id": q,
                         "response": r, "time": time} for q, r in given.items()])
                results.append((status, reason))
        return results

    def assign(self, code: str, submission_id: int, number: str) -> str:
        """Count a stored file for the learner with ``number`` (the trainer resolved it); return the name."""
        with self.engine.begin() as connection:
            batch = self._batch(connection, code)
            row = self._learner(connection, batch, code, number)
            done = connection.execute(update(submissions).where(
                and_(submissions.c.id == submission_id, submissions.c.batch_id == batch.id)).values(
                learner_id=row.id, status="assigned", reason=f"由培训师指定给学号 {row.number}。"))
            if done.rowcount == 0:
                raise RecordsError(f"期次「{code}」中没有编号为 {submission_id} 的文件。")
            return row.name

    # ---- reading back -------------------------------------------------------------------------------
    def batch_data(self, code: str) -> BatchData:
        """Everything the reports need: learners with merged answers, and every file not counted."""
        with self.engine.connect() as connection:
            batch = self._batch(connection, code)
            people = {r.id: LearnerRecord(r.id, r.number, r.name, r.unit, bool(r.on_roster))
                      for r in connection.execute(select(learners).where(learners.c.batch_id == batch.id)
                                                  .order_by(learners.c.number))}
            for r in connection.execute(select(hours).where(hours.c.learner_id.in_(list(people) or [-1]))):
                people[r.learner_id].hours[r.session] = r.hours
            files = connection.execute(select(submissions).where(submissions.c.batch_id == batch.id)
                                       .order_by(submissions.c.id)).all()
            for f in files:
                if f.status in USED and f.learner_id in people:
                    people[f.learner_id].sources.append(f.source)
            query = (select(answers.c.kind, answers.c.attempt, answers.c.question_id, answers.c.response,
                            answers.c.time, submissions.c.learner_id, submissions.c.source, answer_versions.c.version)
                     .join(submissions, answers.c.submission_id == submissions.c.id)
                     .join(answer_versions, and_(answer_versions.c.submission_id == answers.c.submission_id,
                                                 answer_versions.c.kind == answers.c.kind,
                                                 answer_versions.c.attempt == answers.c.attempt,
                                                 answer_versions.c.question_id == answers.c.question_id), isouter=True)
                     .where(and_(submissions.c.batch_id == batch.id, submissions.c.status.in_(USED)))
                     .order_by(answers.c.time, submissions.c.updated, submissions.c.id))
            for row in connection.execute(query):
                record = people.get(row.learner_id)
                if record is None:
                    continue
                answer = Answer(row.question_id, json.loads(row.response), row.time, row.source, row.version or "")
                if row.kind == "practice":
                    record.practice[row.question_id] = answer  # ordered by time: the latest wins
                else:
                    record.assessment.setdefault(row.attempt, {})[row.question_id] = answer
            total = connection.execute(select(func.count()).select_from(answers).join(submissions).where(
                submissions.c.batch_id == batch.id)).scalar()
            notes = [FileNote(f.source, f.status, f.reason, f.id) for f in files if f.status not in USED]
            notes += [FileNote(s.source, "unread", s.reason) for s in connection.execute(
                select(skipped).where(skipped.c.batch_id == batch.id).order_by(skipped.c.id))]
            repairs = [FileNote(f.source, f.status, f.reason, f.id) for f in files
                       if f.status in USED and f.learner_id in people and f.reason]
            versions = seen_versions(connection)
        ordered = sorted(people.values(), key=lambda l: (l.unit, l.number))
        return BatchData(batch.code, batch.pass_mark, ordered, notes, total, repairs, versions)

    def all_answers(self, code: str) -> list[tuple[str, str, str, str, str, object]]:
        """Every stored answer: (number, kind, attempt, question id, time, response), for audits and tests."""
        with self.engine.connect() as connection:
            batch = self._batch(connection, code)
            query = (select(learners.c.number, answers.c.kind, answers.c.attempt, answers.c.question_id,
                            answers.c.time, answers.c.response)
                     .join(submissions, answers.c.submission_id == submissions.c.id)
                     .join(learners, submissions.c.learner_id == learners.c.id, isouter=True)
                     .where(submissions.c.batch_id == batch.id))
            return [(n or "", k, a, q, t, json.loads(r)) for n, k, a, q, t, r in connection.execute(query)]


@dataclass(frozen=True)
class _Row:
    """A learner created during an import, for the matcher's index."""

    id: int
    number: str
    name: str
    on_roster: int


def records_error_from(exc: SQLAlchemyError) -> RecordsError:
    """A database failure as one Chinese line."""
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
    return RecordsError(f"数据库操作失败，未作任何改动（{reason}）。")
