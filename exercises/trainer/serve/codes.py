"""Batch codes (期次码): short codes a learner types to hand in to a batch; each expires, the trainer may end it."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Engine

from .tables import codes

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones
LENGTH = 6


@dataclass(frozen=True)
class Code:
    code: str
    batch: str
    expires: str


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def normalize_code(text) -> str:
    """A typed code as stored: upper case, spaces and dashes dropped; empty when it cannot be a code."""
    if not isinstance(text, str) or len(text) > 40:
        return ""
    value = "".join(ch for ch in text.upper() if ch not in " -\t")
    return value if len(value) == LENGTH and all(ch in ALPHABET for ch in value) else ""


def issue(engine: Engine, batch: str, hours: float) -> Code:
    """A new code for ``batch`` valid for ``hours`` from now."""
    now = datetime.now(UTC)
    value = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    expires = _time(now + timedelta(hours=hours))
    with engine.begin() as connection:
        connection.execute(insert(codes).values(code=value, batch=batch, created=_time(now), expires=expires, revoked=0))
    return Code(value, batch, expires)


def active_for(engine: Engine, batch: str) -> list[Code]:
    """The batch's codes still in use, newest first."""
    now = _time(datetime.now(UTC))
    with engine.connect() as connection:
        rows = connection.execute(select(codes).where(and_(codes.c.batch == batch, codes.c.revoked == 0,
                                                           codes.c.expires > now)).order_by(codes.c.created.desc()))
        return [Code(r.code, r.batch, r.expires) for r in rows]


def revoke(engine: Engine, value: str) -> bool:
    """End a code now; True when it was in use."""
    with engine.begin() as connection:
        return connection.execute(update(codes).where(and_(codes.c.code == normalize_code(value),
                                                           codes.c.revoked == 0)).values(revoked=1)).rowcount > 0
