"""Readable labels every output shares: the answer key line and which part of the article a question tests."""
from __future__ import annotations

from ..text.article import load_article
from .model import Question
from .types import type_of


def answer_text(q: Question) -> str:
    """The answer key of one question as one readable line."""
    return type_of(q).answer_text(q)


def type_label(q: Question) -> str:
    """E.g. "单选题"."""
    return type_of(q).label


def measure_label(q: Question) -> str:
    """Which part of the article the question tests, e.g. "举措 1.2 丰富形式全面学"."""
    article = load_article()
    if q.measure:
        return f"举措 {q.measure} {article.measure(q.measure).name}"
    return f"{article.pillar(q.pillar).title}（总体要求）"
