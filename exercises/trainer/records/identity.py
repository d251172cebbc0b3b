"""Who a learner is: the 学号/工号, normalised; names are for display and for a unique-name match only."""
from __future__ import annotations

import unicodedata

MAX_NUMBER = 40
MAX_NAME = 60


def _clean(value) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float) and value.is_integer():  # spreadsheet cells often hold 1024.0
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "C")


def normalize_number(value) -> str:
    """A 学号 as an identity: full/half width folded, every space removed, letters upper-case."""
    return _clean(value).upper()[:MAX_NUMBER]


def normalize_name(value) -> str:
    """A name for comparison: width folded and spaces removed (「张 三」 is 「张三」)."""
    return _clean(value)[:MAX_NAME]


def display_text(value, limit: int = MAX_NAME) -> str:
    """A learner's typed text for display: width folded, runs of spaces collapsed, control characters dropped."""
    if value is None or isinstance(value, bool):
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(ch for ch in text if ch in " \t" or unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:limit]
