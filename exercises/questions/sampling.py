"""Seeded selections of questions: balanced across pillars and types, choices shuffled with the key."""
from __future__ import annotations

import random
from collections import Counter

from .model import Question
from .types import type_of


def shuffle_choices(q: Question, rng: random.Random) -> Question:
    """``q`` with its choices in a new order and its key following them (types without choices unchanged)."""
    return type_of(q).shuffled(q, rng)


def _quotas(pillars: list[int], count: int, rng: random.Random) -> dict[int, int]:
    """An even share of ``count`` per pillar; the remainder goes to pillars drawn at random."""
    base, extra = divmod(count, len(pillars))
    lucky = set(rng.sample(pillars, extra))
    return {p: base + (p in lucky) for p in pillars}


def select(pool: dict[int, list[Question]], count: int, rng: random.Random) -> list[Question]:
    """Pick ``count`` questions: pillars in even shares, each pick of the type least used so far."""
    quotas = _quotas(sorted(pool), count, rng)
    for p in sorted(pool):  # a pillar short of questions passes its share to the one with most to spare
        while quotas[p] > len(pool[p]):
            quotas[p] -= 1
            quotas[max(sorted(pool), key=lambda o: len(pool[o]) - quotas[o])] += 1
    used: Counter[str] = Counter()
    chosen: list[Question] = []
    for p in sorted(pool):
        candidates = rng.sample(pool[p], len(pool[p]))
        for _ in range(quotas[p]):
            pick = min(candidates, key=lambda q: used[q.type])  # ties: the random order decides
            candidates.remove(pick)
            used[pick.type] += 1
            chosen.append(pick)
    return chosen
