"""Per-learner option order, the same in Python and in the page script (contract: FNV-1a, mulberry32,
Fisher–Yates from the end). Answers are recorded by canonical key; only the displayed order changes."""
from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

FNV_OFFSET = 2166136261
FNV_PRIME = 16777619
MASK = 0xFFFFFFFF


def fnv1a(text: str) -> int:
    """FNV-1a 32-bit hash of the UTF-8 bytes of ``text`` (a lone surrogate counts as U+FFFD, as in the browser)."""
    h = FNV_OFFSET
    for byte in text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8"):
        h = ((h ^ byte) * FNV_PRIME) & MASK
    return h


def _imul(a: int, b: int) -> int:
    """JavaScript ``Math.imul``: the low 32 bits of the product, as an unsigned number."""
    return (a * b) & MASK


def mulberry32(state: int) -> Iterator[float]:
    """The standard JavaScript mulberry32 generator: floats in [0, 1)."""
    a = state & MASK
    while True:
        a = (a + 0x6D2B79F5) & MASK
        t = _imul(a ^ (a >> 15), a | 1)
        t = (t ^ ((t + _imul(t ^ (t >> 7), t | 61)) & MASK)) & MASK
        yield ((t ^ (t >> 14)) & MASK) / 4294967296


def shuffled_keys(keys: Sequence[T], seed: str, question_id: str) -> list[T]:
    """``keys`` in the display order of learner ``seed`` for question ``question_id``."""
    order = list(keys)
    rand = mulberry32(fnv1a(f"{seed}/{question_id}"))
    for i in range(len(order) - 1, 0, -1):
        j = int(next(rand) * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


class SeededOrder(random.Random):
    """Stands in for ``random.Random`` where a question type asks for a permutation (``shuffled(q, rng)`` calls
    ``rng.sample``): the permutation of ``shuffled_keys`` for this seed and question."""

    def __init__(self, seed: str, question_id: str):
        super().__init__(f"{seed}/{question_id}")
        self.order_seed = seed
        self.question_id = question_id

    def sample(self, population: Sequence[T], k: int, *, counts: Iterable[int] | None = None) -> list[T]:
        if counts is not None:
            raise TypeError("SeededOrder.sample draws a permutation; counts are not supported")
        return shuffled_keys(list(population), self.order_seed, self.question_id)[:k]
