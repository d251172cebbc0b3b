"""How typed answers are compared: bounded length, no control characters, width, spaces, script, punctuation."""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

MAX_TEXT = 2000  # characters of a typed answer that are graded and kept
PUNCTUATION_TO_DROP = "，。、；：？！“”‘’\"'（）()《》〈〉【】[]「」『』,.;:?!·—-…~～ "


@lru_cache(maxsize=1)
def t2s_converter():
    """OpenCC's Traditional-to-Simplified converter, built once."""
    import opencc

    return opencc.OpenCC("t2s")


def clip(value: Any) -> str:
    """A learner's typed value as text of bounded length, without control characters or lone surrogates."""
    text = value if isinstance(value, str) else ""
    text = text[:MAX_TEXT]
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def simplify(value: Any) -> str:
    """Typed text with half-width forms and Simplified characters."""
    return t2s_converter().convert(unicodedata.normalize("NFKC", clip(value)))


def normalize(value: Any) -> str:
    """Normalise typed text for comparison: width, spaces, Traditional to Simplified, punctuation."""
    text = simplify(value)
    return "".join(ch for ch in text.lower() if not ch.isspace() and ch not in PUNCTUATION_TO_DROP)


def as_list(value: Any, limit: int) -> list:
    """A list or tuple response cut to ``limit`` items; anything else is an empty list."""
    if isinstance(value, (list, tuple)):
        return list(value[:limit])
    return []
