"""One hand-in: the request body checked (size, JSON, shape, results schema, batch code, 学号 on the roster)
and stored as one results file of the batch, in one transaction (``Records.import_files``).

The body is ``{"code": 期次码, "number": 学号, "document": 成绩文件}``. The document is stored under the
roster's 学号 and name; the records merge it per answer with what the learner handed in before (the latest
answer per question counts), so sending again never replaces. Nothing of the input names a path: the file
written for the import has a name made of the roster's 学号 (made safe) and the time, in a new temporary folder.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from ...questions.results import safe_filename, schema_problems
from ...safeio import SafeReadError, decode_text, parse_json
from ..records.identity import normalize_number
from ..records.schema import answers, batches, learners, submissions
from ..records.store import Records
from . import codes

MAX_BODY = 1_000_000  # bytes of one hand-in; a whole course's answers take well under 200 kB
FIELDS = {"code", "number", "document"}


class HandinError(ValueError):
    """A hand-in refused: the HTTP status and one Chinese line for the learner."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Receipt:
    """What the server stored: new answers of this hand-in, the learner's stored totals, and when."""

    name: str
    number: str
    batch: str
    new_answers: int
    practice: int
    assessment: int
    time: str
    repeated: bool

    def to_json(self) -> dict:
        return {"name": self.name, "number": self.number, "batch": self.batch, "new_answers": self.new_answers,
                "practice": self.practice, "assessment": self.assessment, "time": self.time, "repeated": self.repeated}


def read_body(body: bytes) -> tuple[str, str, dict]:
    """(code, 学号, document) from the request body, or HandinError(400/413/422)."""
    if len(body) > MAX_BODY:
        raise HandinError(413, f"提交的内容过大（上限 {MAX_BODY // 1000} KB）。")
    try:
        data = parse_json(decode_text(body))
    except SafeReadError as exc:
        raise HandinError(400, f"提交的内容不是有效的 JSON（{exc}）。") from None
    if not isinstance(data, dict) or set(data) != FIELDS:
        raise HandinError(400, "提交的内容应包含期次码、学号和成绩记录三项。")
    code, number, document = data["code"], data["number"], data["document"]
    if not isinstance(code, str) or not isinstance(number, str) or not isinstance(document, dict):
        raise HandinError(400, "期次码和学号应为文字，成绩记录应为对象。")
    problems = schema_problems(document)
    if problems:
        raise HandinError(422, f"成绩记录格式不对：{problems[0]}。")
    return code, number, document


def _roster_entry(records: Records, batch: str, number: str):
    with records.engine.connect() as connection:
        return connection.execute(
            select(learners.c.id, learners.c.number, learners.c.name)
            .join(batches, learners.c.batch_id == batches.c.id)
            .where(and_(batches.c.code == batch, learners.c.number == number, learners.c.on_roster == 1))).first()


def _count(records: Records, learner_id: int, kind: str, column) -> int:
    with records.engine.connect() as connection:
        return connection.execute(
            select(func.count(func.distinct(column))).select_from(answers)
            .join(submissions, answers.c.submission_id == submissions.c.id)
            .where(and_(submissions.c.learner_id == learner_id, answers.c.kind == kind))).scalar() or 0


def hand_in(records: Records, body: bytes) -> Receipt:
    """Check and store one hand-in; HandinError (4xx) when refused, with nothing stored."""
    typed_code, typed_number, document = read_body(body)
    code = codes.active(records.engine, typed_code)
    if code is None:
        raise HandinError(403, "期次码不对或已过期：请核对培训师投影页上的期次码。")
    number = normalize_number(typed_number)
    entry = _roster_entry(records, code.batch, number) if number else None
    if entry is None:
        raise HandinError(403, "这个学号不在本期次的花名册中：请核对学号，或请培训师查看花名册。")
    document = {**document, "learner": entry.name[:60], "learner_id": entry.number[:60]}
    data = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
    moment = datetime.now(timezone.utc)
    name = f"网页交卷-{safe_filename(entry.number) or 'learner'}-{moment.strftime('%Y%m%dT%H%M%S%fZ')}.json"
    with tempfile.TemporaryDirectory(prefix="sige-handin-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            report = records.import_files(code.batch, [path], require_results=False)
        except IntegrityError:  # the same document arrived twice at once: the other copy is stored
            report = records.import_files(code.batch, [path], require_results=False)
    return Receipt(entry.name, entry.number, code.batch, report.answers,
                   _count(records, entry.id, "practice", answers.c.question_id),
                   _count(records, entry.id, "assessment", answers.c.attempt),
                   moment.isoformat(timespec="seconds"), report.read == 0)
