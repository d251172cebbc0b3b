"""What every output form shares: shuffled display orders and the readable answer key."""
from __future__ import annotations

import random

from .bank import OPTION_KEYS, Question


def _shuffled(values: tuple[str, ...], seed: str) -> list[str]:
    """A stable shuffle that never leaves the list in its original order (when it can)."""
    order = list(values)
    rng = random.Random(seed)
    for _ in range(10):
        rng.shuffle(order)
        if order != list(values):
            break
    return order


def order_choices(q: Question) -> list[str]:
    """The items of an ordering question, as presented to the learner."""
    return _shuffled(q.items, f"{q.id}/items")


def match_choices(q: Question) -> list[str]:
    """The right-hand side of a matching question, as presented to the learner."""
    return _shuffled(tuple(right for _, right in q.pairs), f"{q.id}/pairs")


def option_lines(q: Question) -> list[str]:
    return [f"{OPTION_KEYS[i]}. {text}" for i, text in enumerate(q.options)]


def answer_text(q: Question) -> str:
    """The answer key of one question as one readable line."""
    if q.type == "single":
        return f"{q.answer}. {q.option_text(q.answer)}"
    if q.type == "multiple":
        return "；".join(f"{k}. {q.option_text(k)}" for k in q.answer)
    if q.type == "truefalse":
        return "正确" if q.answer else "错误"
    if q.type == "fill":
        return "；".join(
            f"第 {i} 空：" + " / ".join(variants) for i, variants in enumerate(q.blanks, start=1)
        )
    if q.type == "order":
        return " → ".join(q.items)
    if q.type == "match":
        return "；".join(f"{left} → {right}" for left, right in q.pairs)
    points = "；".join(point for point, _ in q.keypoints)
    return f"参考答案：{q.answer}（要点：{points}）"


def measure_label(q: Question) -> str:
    """Which part of the article the question tests, e.g. "举措 1.2 丰富形式全面学"."""
    from ..text.article import load_article

    article = load_article()
    if q.measure:
        return f"举措 {q.measure} {article.measure(q.measure).name}"
    return f"{article.pillar(q.pillar).title}（总体要求）"
