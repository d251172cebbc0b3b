"""Who may hand in, kept in memory: the batch's codes in use and its roster learners with their 个人码.

Loaded from the records at start and loaded again on change: at once after a change made by this process
(a new or ended code, a reset 个人码), and every ``REFRESH`` seconds for changes made elsewhere (a roster
imported, another ``course serve`` process on the same database). A hand-in is checked against it without
touching the database. Roster learners without a 个人码 get one when it is loaded.
"""
from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from ..records.identity import normalize_number
from ..records.pins import batch_pins, normalize_pin
from . import codes

REFRESH = 2.0  # seconds


@dataclass(frozen=True)
class Learner:
    id: int
    number: str
    name: str
    pin: str


class Directory:
    def __init__(self, engine: Engine, batch: str):
        self.engine = engine
        self.batch = batch
        self._lock = threading.Lock()
        self._codes: dict[str, str] = {}  # code -> expiry (UTC, ISO text)
        self._learners: dict[str, Learner] = {}

    def load(self) -> None:
        """Read the codes in use and the roster with its 个人码 (blocking: call it off the event loop)."""
        learners = {p.number: Learner(p.learner_id, p.number, p.name, p.pin) for p in batch_pins(self.engine, self.batch)}
        active = {c.code: c.expires for c in codes.active_for(self.engine, self.batch)}
        with self._lock:
            self._learners, self._codes = learners, active

    def refresh(self) -> None:
        """``load``, keeping what is known when the database cannot be read just now (the next refresh tries again)."""
        try:
            self.load()
        except SQLAlchemyError:
            pass

    def code_ok(self, typed) -> bool:
        """The typed batch code is in use for this batch and has not expired."""
        value = codes.normalize_code(typed)
        expires = self._codes.get(value) if value else None
        return expires is not None and expires > datetime.now(UTC).isoformat(timespec="seconds")

    def known(self, typed_number) -> Learner | None:
        """The roster learner with this 学号 (for counting failed attempts per learner), whatever the 个人码."""
        return self._learners.get(normalize_number(typed_number)) if isinstance(typed_number, str) else None

    def learner(self, typed_number, typed_pin) -> Learner | None:
        """The roster learner proved by 学号 and 个人码, or None (compared in constant time)."""
        entry = self.known(typed_number)
        pin = normalize_pin(typed_pin)
        if entry is None or not pin:
            return None
        return entry if hmac.compare_digest(entry.pin, pin) else None

    @property
    def size(self) -> int:
        return len(self._learners)
