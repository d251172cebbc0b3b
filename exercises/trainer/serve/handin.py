"""One hand-in checked and prepared for the writer: the body parsed once, the batch code and the learner's
学号 and 个人码 checked first, then the document validated (compiled results schema) — all in the server's event
loop — and, in the hand-in process, read into answer rows with every time in it clamped to the server's clock
on arrival.

The body is ``{"code": 期次码, "number": 学号, "pin": 个人码, "document": 成绩文件}``. The document is stored under
the roster's 学号 and name; the records merge it per answer with what the learner handed in before (the latest
answer per question counts), so sending again never replaces, and a time from the future cannot win a merge.
Nothing is written to a file.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import fastjsonschema

from ...questions.results import VERSION, results_schema
from ...safeio import SafeReadError, decode_text, parse_json
from ..records.results import NotResults, read_checked, read_document
from .directory import Directory, Learner

MAX_BODY = 1_000_000  # bytes of one hand-in; a whole course's answers take well under 200 kB
FIELDS = {"code", "number", "pin", "document"}
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # the records' answer times (``records.results.utc_time``)
WRONG_CODE = "期次码不对或已过期：请核对培训师投影页上的期次码。"
WRONG_LEARNER = "学号或个人码不对：请核对发给你的个人码条（学号和 6 位个人码）。"


class HandinError(ValueError):
    """A hand-in refused: the HTTP status and one Chinese line for the learner."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status

    def __reduce__(self):
        return HandinError, (self.status, str(self))  # raised in the hand-in process, re-raised here


@dataclass(frozen=True)
class Body:
    code: object
    number: object
    pin: object
    document: dict


@dataclass(frozen=True)
class Prepared:
    """A checked hand-in, ready to be stored: the submission's fields and its answer rows, each
    (kind, attempt, question id, response JSON, time, question version or "")."""

    learner: Learner
    sha256: str
    source: str
    updated: str
    reason: str
    rows: list[tuple[str, str, str, str, str, str]]
    time: str


def read_body(body: bytes) -> Body:
    """The four fields of the request body (parsed once), or HandinError(400/413)."""
    if len(body) > MAX_BODY:
        raise HandinError(413, f"提交的内容过大（上限 {MAX_BODY // 1000} KB）。")
    try:
        data = parse_json(decode_text(body))
    except SafeReadError as exc:
        raise HandinError(400, f"提交的内容不是有效的 JSON（{exc}）。") from None
    if not isinstance(data, dict) or set(data) - {"pin"} != FIELDS - {"pin"}:
        raise HandinError(400, "提交的内容应包含期次码、学号、个人码和成绩记录。")
    if not isinstance(data["document"], dict):
        raise HandinError(400, "成绩记录应为对象。")
    return Body(data["code"], data["number"], data.get("pin"), data["document"])


def identify(directory: Directory, body: Body) -> Learner:
    """The learner proved by the batch code, 学号 and 个人码, or HandinError(403) with nothing said about who exists."""
    if not directory.code_ok(body.code):
        raise HandinError(403, WRONG_CODE)
    learner = directory.learner(body.number, body.pin)
    if learner is None:
        raise HandinError(403, WRONG_LEARNER)
    return learner


@lru_cache(maxsize=1)
def _validator():
    schema = {k: v for k, v in results_schema().items() if k != "$id"}  # a relative $id confuses its resolver
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"  # the keywords used are draft 7's
    return fastjsonschema.compile(schema)


def warm_up() -> None:
    """Compile the validator now (at start), not on the first learner's hand-in."""
    _validator()


def validate(document: dict) -> None:
    """HandinError(422) naming the first way the document breaks the results schema, if it does."""
    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        where = ".".join(str(p) for p in exc.path[1:]) or "（根）"
        raise HandinError(422, f"成绩记录格式不对：字段 {where[:80]} 不符合成绩文件格式（{exc.rule}）。") from None


def _clamp(time: str, now: str) -> str:
    return now if time > now else time


def prepare(document: dict, learner: Learner, arrived: datetime) -> Prepared:
    """The document (already validated) as answer rows of ``learner``, every time at most ``arrived``;
    HandinError(422) if it cannot be used."""
    signed = {**document, "learner": learner.name[:60], "learner_id": learner.number[:60]}
    sha = hashlib.sha256(json.dumps(signed, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    try:
        parsed = read_checked(signed) if signed.get("version") == VERSION else read_document(signed)
    except NotResults as exc:
        raise HandinError(422, f"成绩记录无法使用：{exc}") from None
    now = arrived.astimezone(UTC).strftime(TIME_FORMAT)
    rows = [("practice", "", q, r, _clamp(t, now), v) for q, (r, t, v) in parsed.practice.items()]
    rows += [("assessment", a, q, r, _clamp(t, now), v)
             for a, given in parsed.assessment.items() for q, (r, t, v) in given.items()]
    reason = "；".join(n.rstrip("。") for n in parsed.notes)
    return Prepared(learner, sha, f"网页交卷-{learner.number}-{arrived.strftime('%Y%m%dT%H%M%S%fZ')}",
                    _clamp(parsed.updated, now), reason + ("。" if reason else ""), rows,
                    arrived.isoformat(timespec="seconds"))
