"""What every handler of one ``course serve`` process shares: the database, the batch, the address, who may hand
in, the writer, the limits, and the trainer's own worker threads (never the writer's)."""
from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..records.store import Records
from .directory import Directory
from .handin import warm_up
from .ratelimit import HALL, Backoff, TokenBucket
from .writer import Writer

RENEWING = threading.Lock()
FAILURES_PER_ADDRESS = 60  # refused hand-ins per minute from one address before it must wait
FAILURES_PER_NUMBER = 10   # wrong 个人码 per minute for one 学号


@dataclass
class Limits:
    """``rate``: hand-ins per minute per learner (0: no limit); the address limit lets a hall share one address."""

    rate: float
    learner: TokenBucket = field(init=False)
    address: TokenBucket = field(init=False)
    failures: TokenBucket = field(default_factory=lambda: TokenBucket(FAILURES_PER_ADDRESS, FAILURES_PER_ADDRESS))
    guesses: TokenBucket = field(default_factory=lambda: TokenBucket(FAILURES_PER_NUMBER, FAILURES_PER_NUMBER))
    logins: TokenBucket = field(default_factory=lambda: TokenBucket(10, 5))
    backoff: Backoff = field(default_factory=Backoff)

    def __post_init__(self) -> None:
        burst = max(5, int(self.rate // 3))
        self.learner = TokenBucket(self.rate, burst)
        self.address = TokenBucket(self.rate * HALL, burst * HALL)


@dataclass
class Context:
    records: Records
    batch: str
    address: str           # the address learners open (printed, projected, in the QR code)
    book: Path
    directory: Directory
    writer: Writer
    limits: Limits
    desk: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2,
                                                                               thread_name_prefix="trainer"))
    checker: ProcessPoolExecutor = field(default_factory=lambda: checking_pool())
    hasher: ProcessPoolExecutor = field(default_factory=lambda: hashing_pool())

    def renew_checker(self, broken: ProcessPoolExecutor) -> None:
        """Start new checking processes in place of ``broken`` (once, however many hand-ins found it broken)."""
        with RENEWING:
            if self.checker is broken:
                self.checker = checking_pool()
                broken.shutdown(wait=False)


def hashing_pool() -> ProcessPoolExecutor:
    """One process, at the lowest priority, for the trainer's password checks (argon2 takes a core for a moment:
    learners' hand-ins come first)."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=os.nice, initargs=(19,))


def checking_pool() -> ProcessPoolExecutor:
    """The processes that validate and read hand-ins (``handin.prepare``), so that this work runs beside the
    event loop on another core instead of taking turns with it; started now (spawned: this process has threads)."""
    pool = ProcessPoolExecutor(max_workers=max(1, (os.cpu_count() or 2) - 1),
                               mp_context=multiprocessing.get_context("spawn"), initializer=warm_up)
    pool.submit(warm_up).result()
    return pool
