"""个人码: each roster learner's short random code in a batch, printed on the learner's slip and proved at hand-in.

A code is random per learner and batch (never derived from the 学号 or reused across batches), so the records
keep it as it is and a slip can be printed again; the trainer resets one that was lost or seen by others.
"""
from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import and_, delete, insert, select

from .identity import normalize_number
from .output import write_text
from .schema import batches, learners, pins
from .tables import cell

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read from paper and typed on phones
LENGTH = 6


@dataclass(frozen=True)
class Pin:
    learner_id: int
    number: str
    name: str
    unit: str
    pin: str


def new_pin() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_pin(text) -> str:
    """A typed 个人码 as stored: upper case, spaces and dashes dropped; empty when it cannot be one."""
    if not isinstance(text, str) or len(text) > 40:
        return ""
    value = "".join(ch for ch in text.upper() if ch not in " -\t")
    return value if len(value) == LENGTH and all(ch in ALPHABET for ch in value) else ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _roster(connection, batch: str):
    return connection.execute(
        select(learners.c.id, learners.c.number, learners.c.name, learners.c.unit, pins.c.pin)
        .join(batches, learners.c.batch_id == batches.c.id)
        .join(pins, pins.c.learner_id == learners.c.id, isouter=True)
        .where(and_(batches.c.code == batch, learners.c.on_roster == 1))
        .order_by(learners.c.unit, learners.c.number)).all()


def batch_pins(engine, batch: str) -> list[Pin]:
    """Every roster learner of ``batch`` with a 个人码; the learners without one get one now (one transaction)."""
    with engine.begin() as connection:
        rows = _roster(connection, batch)
        missing = [{"learner_id": r.id, "pin": new_pin(), "created": _now()} for r in rows if r.pin is None]
        if missing:
            connection.execute(insert(pins), missing)
            rows = _roster(connection, batch)
    return [Pin(r.id, r.number, r.name, r.unit, r.pin) for r in rows]


def reset_pin(engine, batch: str, number: str) -> Pin | None:
    """A new 个人码 for the roster learner ``number`` of ``batch`` (the old one stops working); None if not on it."""
    with engine.begin() as connection:
        row = next((r for r in _roster(connection, batch) if r.number == normalize_number(number)), None)
        if row is None:
            return None
        value = new_pin()
        connection.execute(delete(pins).where(pins.c.learner_id == row.id))
        connection.execute(insert(pins).values(learner_id=row.id, pin=value, created=_now()))
    return Pin(row.id, row.number, row.name, row.unit, value)


def write_csv(rows: list[Pin], path: Path) -> Path:
    """``学号,姓名,个人码`` (UTF-8 with a BOM, cells safe from formulas), written atomically."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["学号", "姓名", "个人码"])
    writer.writerows([cell(r.number), cell(r.name), r.pin] for r in rows)
    return write_text(Path(path), buffer.getvalue(), encoding="utf-8-sig")
