"""What every handler of one ``course serve`` process shares: the database, the batch, the address, who may hand
in, the hand-in process, the limits, and the trainer's own worker threads and password process."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..records.store import Records
from .directory import Directory
from .handin_process import HandinProcess
from .ratelimit import HALL, Backoff, TokenBucket

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
    handins: HandinProcess
    limits: Limits
    desk: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(max_workers=2,
                                                                               thread_name_prefix="trainer"))
    hasher: ProcessPoolExecutor = field(default_factory=lambda: hashing_pool())


def hashing_pool() -> ProcessPoolExecutor:
    """One process, at the lowest priority, for the trainer's password checks (argon2 takes a core for a moment:
    learners' hand-ins come first)."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=os.nice, initargs=(19,))
