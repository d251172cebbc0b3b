"""A batch's own rules and what follows from them: its units, the 学时 and issuing body a certificate needs,
paper results (one per learner and paper, replaced on re-entry), and certificate numbers (kept once given).

Reads and writes the tables of schema version 3 through a :class:`~.store.Records` engine.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import and_, delete, func, insert, select, update

from ...text.article import load_article
from .identity import display_text, normalize_name, normalize_number
from .schema import batch_rules, batches, certificates, learners, paper_results
from .store import Records, RecordsError

MAX_HOURS = 1000.0


@dataclass(frozen=True)
class PaperResult:
    paper: str  # "种子/题数"
    score: float
    total: float
    source: str
    time: str

    @property
    def percent(self) -> float:
        return 100 * self.score / self.total if self.total else 0.0


@dataclass
class BatchRules:
    """A batch's certificate rules, units, paper results and issued certificates, by learner id."""

    pass_mark: float
    min_hours: float | None = None
    issuer: str = ""
    units: tuple[int, ...] = ()
    papers: dict[int, PaperResult] = field(default_factory=dict)  # the latest paper entered per learner
    certificates: dict[int, tuple[str, str]] = field(default_factory=dict)  # learner id -> (number, issued)

    def missing(self) -> list[str]:
        """What the batch lacks before any certificate can be issued."""
        lacks = []
        if self.min_hours is None:
            lacks.append("结业所需学时（course records batch 期次 --hours 学时）")
        if not self.issuer:
            lacks.append("发证单位（course records batch 期次 --issuer 单位名称）")
        return lacks

    def percent(self, learner) -> float:
        """The learner's result: the paper's 得分率 when a paper is recorded (the formal test), else the records'."""
        paper = self.papers.get(learner.record.id)
        return paper.percent if paper else learner.percent

    def passed(self, learner) -> bool:
        """Pass mark met, on the paper when one is recorded, else on the records' score."""
        if learner.record.id in self.papers:
            return self.percent(learner) >= self.pass_mark - 1e-9
        return learner.passed

    def handed_in(self, learner) -> bool:
        return bool(learner.record.sources) or learner.record.id in self.papers

    def eligible(self, learner) -> bool:
        """Both rules met: the pass mark, and at least the batch's 学时."""
        hours = learner.record.total_hours
        return (not self.missing() and self.passed(learner) and hours is not None
                and hours >= (self.min_hours or 0) - 1e-9)


def article_units() -> tuple[int, ...]:
    return tuple(p.number for p in load_article().pillars)


def _batch(connection, code: str):
    row = connection.execute(select(batches).where(batches.c.code == code)).first()
    if row is None:
        raise RecordsError(f"没有期次「{code}」：请先用 course records batch {code} 建立。")
    return row


def parse_units(text: str) -> tuple[int, ...]:
    """"1,2,4" (or with 、，) as units of the article; a RecordsError names the allowed ones."""
    allowed = article_units()
    parts = [p for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]
    try:
        units = tuple(sorted({int(p) for p in parts}))
    except ValueError:
        units = ()
    if not units or any(u not in allowed for u in units):
        raise RecordsError(f"单元应为 {'、'.join(map(str, allowed))} 中的一个或几个，用逗号分隔，现在是“{display_text(text, 30)}”。")
    return units


def set_rules(records, code: str, min_hours: float | None, issuer: str | None, units: tuple[int, ...] | None) -> None:
    """Set the given rules of the batch (None: leave as is)."""
    if min_hours is not None and not 0 <= min_hours <= MAX_HOURS:
        raise RecordsError(f"结业所需学时应为 0 到 {MAX_HOURS:g} 之间的数。")
    values = {}
    if min_hours is not None:
        values["min_hours"] = min_hours
    if issuer is not None:
        values["issuer"] = display_text(issuer, 200)
    if units is not None:
        values["units"] = ",".join(map(str, units))
    if not values:
        return
    with records.engine.begin() as connection:
        batch = _batch(connection, code)
        if connection.execute(select(batch_rules.c.batch_id).where(batch_rules.c.batch_id == batch.id)).first():
            connection.execute(update(batch_rules).where(batch_rules.c.batch_id == batch.id).values(**values))
        else:
            connection.execute(insert(batch_rules).values(batch_id=batch.id, **values))


def _rules_row(connection, batch_id: int):
    return connection.execute(select(batch_rules).where(batch_rules.c.batch_id == batch_id)).first()


def batch_units(connection, batch_id: int) -> tuple[int, ...]:
    row = _rules_row(connection, batch_id)
    if row is not None and row.units:
        return tuple(int(u) for u in row.units.split(","))
    return article_units()


def read_rules(records, code: str, pass_mark: float) -> BatchRules:
    with records.engine.connect() as connection:
        batch = _batch(connection, code)
        row = _rules_row(connection, batch.id)
        rules = BatchRules(pass_mark, row.min_hours if row else None, (row.issuer or "") if row else "",
                           batch_units(connection, batch.id))
        query = (select(paper_results).join(learners, paper_results.c.learner_id == learners.c.id)
                 .where(learners.c.batch_id == batch.id).order_by(paper_results.c.time, paper_results.c.id))
        for r in connection.execute(query):
            rules.papers[r.learner_id] = PaperResult(r.paper, r.score, r.total, r.source, r.time)
        for r in connection.execute(select(certificates).where(certificates.c.batch_id == batch.id)):
            rules.certificates[r.learner_id] = (r.number, r.issued)
    return rules


def store_papers(records, code: str, source: str, paper: str, rows) -> tuple[list, list[str]]:
    """Store sound answer-sheet rows (``answer_sheet.PaperRow``) in one transaction: each replaces that learner's
    earlier result on the same paper. Returns (rows stored with whether they replaced one, rows refused)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    stored, refused = [], []
    with records.engine.begin() as connection:
        batch = _batch(connection, code)
        people = connection.execute(select(learners).where(learners.c.batch_id == batch.id)).all()
        if not people:
            raise RecordsError(f"期次「{code}」还没有花名册：请先用 course records roster {code} 花名册.xlsx 导入，再录入试卷。")
        roster = [p for p in people if p.on_roster] or people
        by_number = {p.number: p for p in roster}
        for row in rows:
            learner = by_number.get(normalize_number(row.number))
            if learner is None:
                refused.append(f"工作表“答题录入”第 {row.line} 行 A 列“{row.number}”：学号不在期次「{code}」的花名册中，"
                               "该行未录入。")
                continue
            if row.name and learner.name and normalize_name(row.name) != normalize_name(learner.name):
                refused.append(f"工作表“答题录入”第 {row.line} 行 B 列“{row.name}”：学号 {learner.number} 在花名册中是"
                               f"「{learner.name}」，姓名不一致，该行未录入。")
                continue
            detail = json.dumps({"responses": row.responses, "points": row.points}, ensure_ascii=False)
            where = and_(paper_results.c.learner_id == learner.id, paper_results.c.paper == paper)
            replaced = connection.execute(delete(paper_results).where(where)).rowcount > 0
            connection.execute(insert(paper_results).values(
                learner_id=learner.id, paper=paper, source=source[:1000], time=now, score=row.score, total=row.total,
                detail=detail))
            stored.append((row, learner.name, replaced))
    return stored, refused


def issue_numbers(records, code: str, learner_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Certificate numbers and dates for these learners: kept when given before, else the next in the batch."""
    today = f"{date.today():%Y年%-m月%-d日}"
    with records.engine.begin() as connection:
        batch = _batch(connection, code)
        given = {r.learner_id: (r.number, r.issued) for r in connection.execute(
            select(certificates).where(certificates.c.batch_id == batch.id))}
        count = connection.execute(select(func.count()).select_from(certificates)
                                   .where(certificates.c.batch_id == batch.id)).scalar() or 0
        for learner_id in learner_ids:
            if learner_id in given:
                continue
            count += 1
            number = f"{date.today():%Y}-{batch.id:03d}-{count:04d}"
            connection.execute(insert(certificates).values(batch_id=batch.id, learner_id=learner_id, number=number,
                                                           issued=today))
            given[learner_id] = (number, today)
    return {i: given[i] for i in learner_ids}


def record_hours(records, code: str, entries) -> tuple[int, list[str]]:
    """Record 学时 entries (``hours.HoursEntry``; one given by hand is an entry of line 0) in one transaction;
    entries for a 学号 not in the batch or a unit it does not have are refused, each with its reason."""
    done, refused = 0, []
    with records.engine.begin() as connection:
        batch = _batch(connection, code)
        units = batch_units(connection, batch.id)
        people = {p.number: p for p in connection.execute(select(learners).where(learners.c.batch_id == batch.id))}
        for entry in entries:
            where = f"第 {entry.line} 行：" if entry.line else ""
            learner = people.get(normalize_number(entry.number))
            if learner is None:
                refused.append(f"{where}期次「{code}」中没有学号 {entry.number}，未登记。")
            elif entry.session != 0 and entry.session not in units:
                refused.append(f"{where}期次「{code}」没有第 {entry.session} 单元（单元应为 {'、'.join(map(str, units))}，"
                               "0 表示整个轮训），未登记。")
            else:
                Records._set_hours(connection, learner.id, entry.session, entry.hours)
                done += 1
    return done, refused


def rules_for_report(records, scores) -> BatchRules:
    """The batch's rules with a certificate number given to every learner who meets them (kept once given)."""
    rules = read_rules(records, scores.data.code, scores.data.pass_mark)
    eligible = [l.record.id for l in scores.learners if rules.eligible(l)]
    rules.certificates = issue_numbers(records, scores.data.code, eligible) if eligible else {}
    return rules
