"""Rate limit per client address: a token bucket per address, kept in this process's memory.

Per process on purpose: a limit is a guard against one noisy device, not an account, and behind a reverse
proxy several processes each allow ``rate`` per minute; nothing else depends on it.
"""
from __future__ import annotations

import time
from collections import OrderedDict

MAX_ADDRESSES = 10_000


class TokenBucket:
    """``rate`` requests per minute per address, bursts up to ``burst``; ``rate`` 0 means no limit."""

    def __init__(self, rate: float, burst: int):
        self.rate = rate / 60.0
        self.burst = burst
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def allow(self, address: str) -> bool:
        if self.rate <= 0:
            return True
        now = time.monotonic()
        tokens, last = self.buckets.pop(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        self.buckets[address] = (tokens - 1.0 if allowed else tokens, now)
        while len(self.buckets) > MAX_ADDRESSES:
            self.buckets.popitem(last=False)
        return allowed
