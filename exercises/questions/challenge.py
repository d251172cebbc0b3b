"""挑战答题 (challenge rounds): the seeded draw of a round and its scoring rule, shared with the page script.

A round is ``RULE.count`` questions drawn by seed (``draw``): pillars in even shares, types balanced
(``sampling.select``), in shuffled order, choices shuffled. Each answer earns points (``score``): a
correct answer within the time limit earns ``per_correct``, plus ``streak_bonus`` for each correct answer
in a row before it (at most ``bonus_cap`` of them); anything else earns nothing and ends the streak.
The page script (static/practice.js) scores with the same rule, shipped as JSON (shared test vectors).
"""
from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass

from .bank import load_all
from .form import Choice, Form
from .model import Question
from .sampling import select, shuffle_choices
from .types import type_of

SEED_SALT = "sige-challenge"
MAX_SEED = 2**53 - 1  # the largest integer the page script holds exactly


@dataclass(frozen=True)
class Rule:
    """How a challenge round is played and scored."""

    count: int = 10          # questions in a round
    seconds: int = 30        # time limit per question
    per_correct: int = 10    # points for a correct answer in time
    streak_bonus: int = 5    # extra points per correct answer in a row before this one
    bonus_cap: int = 4       # at most this many bonus steps

    def to_json(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        """The rule as shown to learners."""
        return (f"每轮 {self.count} 题，每题限时 {self.seconds} 秒。在时限内答对一题得 {self.per_correct} 分；"
                f"连续答对时，每多连对一题另加 {self.streak_bonus} 分（最多另加 {self.streak_bonus * self.bonus_cap} 分）。"
                "答错、部分正确或超时不得分，连对从头计算。")


RULE = Rule()


def eligible(q: Question) -> bool:
    """Whether ``q`` can be played in a round: graded in the page and counted in totals."""
    kind = type_of(q)
    return kind.page_check and not kind.reference_score


def pool() -> dict[int, list[Question]]:
    """The questions a round is drawn from, by pillar."""
    return {bank.pillar: [q for q in bank.questions if eligible(q)] for bank in load_all()}


def seed_problem(seed, count) -> str:
    """Why ``seed``/``count`` cannot make a round, in Chinese; empty when they can."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        return f"随机种子应为 0 到 {MAX_SEED} 之间的整数，例如 1；收到的是：{_shown(seed)}。"
    most = sum(len(qs) for qs in pool().values())
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= most:
        return f"每轮题数应为 1 到 {most} 之间的整数；收到的是：{_shown(count)}。"
    return ""


def _shown(value) -> str:
    """A value as a short text (a huge integer is not written out)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"一个约 {int(value.bit_length() * math.log10(2)) + 1} 位的{'负' if value < 0 else ''}整数"
    text = repr(value) if not isinstance(value, str) else f"“{value}”"
    return text if len(text) <= 40 else text[:40] + "…"


def draw(seed: int, count: int = RULE.count) -> list[Question]:
    """The questions of round ``seed``: balanced over pillars and types, in shuffled order, choices shuffled."""
    problem = seed_problem(seed, count)
    if problem:
        raise ValueError(problem)
    rng = random.Random(f"{SEED_SALT}/{seed}")
    chosen = select(pool(), count, rng)
    rng.shuffle(chosen)
    return [shuffle_choices(q, rng) for q in chosen]


def in_time(seconds, rule: Rule = RULE) -> bool:
    """Whether an answer given after ``seconds`` counts (a number from 0 up to, not including, the limit)."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        return False
    return (isinstance(seconds, int) or math.isfinite(seconds)) and 0 <= seconds < rule.seconds


def score(answers, rule: Rule = RULE) -> list[int]:
    """Points of each answer of a round, in order; an answer is ``{"verdict": …, "seconds": …}``. Anything
    that is not a list of answers scores nothing (an empty list); never raises."""
    points, streak = [], 0
    for answer in answers if isinstance(answers, (list, tuple)) else []:
        given = answer if isinstance(answer, dict) else {}
        if given.get("verdict") == "correct" and in_time(given.get("seconds"), rule):
            points.append(rule.per_correct + rule.streak_bonus * min(streak, rule.bonus_cap))
            streak += 1
        else:
            points.append(0)
            streak = 0
    return points


def readable_answer(form: Form, response) -> str:
    """A response as the learner saw it: the texts of the chosen choices, typed or selected texts."""
    parts = []
    for control, value in zip(form.controls, form.values(response)):
        if isinstance(control, Choice):
            chosen = value if isinstance(value, list) else [value]
            texts = [text for choice, text in control.choices if any(choice == c and type(choice) is type(c)
                                                                      for c in chosen)]
            parts.append("、".join(texts))
        else:
            parts.append(value if isinstance(value, str) else "")
    shown = "；".join(p.strip() for p in parts)
    return shown if shown.strip("；") else "（未作答）"
