"""Limits kept in this process's memory: token buckets keyed by learner or by address, and a growing wait
after failed trainer logins.

Per process on purpose: a limit guards against one noisy device or one guessing attacker, it is not an account;
behind a reverse proxy several processes each allow their share. A classroom behind one NAT address shares that
address, so hand-ins are limited per learner (学号 proved with its 个人码) and the address limit is sized for a
hall (``HALL`` learners); failed attempts are limited per address and per 学号.
"""
from __future__ import annotations

import time
from collections import OrderedDict

MAX_KEYS = 10_000
HALL = 200  # learners the default limits let hand in from one address


class TokenBucket:
    """``rate`` requests per minute per key, bursts up to ``burst``; ``rate`` 0 means no limit."""

    def __init__(self, rate: float, burst: int):
        self.rate = rate / 60.0
        self.burst = burst
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self.buckets.pop(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - last) * self.rate)

    def allow(self, key: str) -> bool:
        """Take a token for ``key`` if one is left."""
        if self.rate <= 0:
            return True
        now = time.monotonic()
        tokens = self._tokens(key, now)
        allowed = tokens >= 1.0
        self.buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        while len(self.buckets) > MAX_KEYS:
            self.buckets.popitem(last=False)
        return allowed

    def exhausted(self, key: str) -> bool:
        """No token left for ``key`` now (none is taken)."""
        if self.rate <= 0 or key not in self.buckets:
            return False
        now = time.monotonic()
        tokens = self._tokens(key, now)
        self.buckets[key] = (tokens, now)
        return tokens < 1.0


class Backoff:
    """After ``free`` failures in a row, each further attempt waits twice as long (up to ``longest`` seconds);
    a success starts again. Keyed by account, whatever the address."""

    def __init__(self, free: int = 5, first: float = 1.0, longest: float = 300.0):
        self.free, self.first, self.longest = free, first, longest
        self.failures: dict[str, int] = {}
        self.until: dict[str, float] = {}

    def wait(self, account: str) -> float:
        """Seconds before ``account`` may try again (0: now)."""
        return max(0.0, self.until.get(account, 0.0) - time.monotonic())

    def failed(self, account: str) -> None:
        count = self.failures.get(account, 0) + 1
        self.failures[account] = count
        if count >= self.free:
            self.until[account] = time.monotonic() + min(self.longest, self.first * 2 ** (count - self.free))

    def succeeded(self, account: str) -> None:
        self.failures.pop(account, None)
        self.until.pop(account, None)
