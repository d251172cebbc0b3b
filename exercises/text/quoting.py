"""Quotation marks for quoted article text: a quote inside “…” takes ‘…’, as Chinese usage requires."""
from __future__ import annotations

# Inside double quotes the levels swap: “” become ‘’ and ‘’ (a third level) become “”.
INNER = str.maketrans({"“": "‘", "”": "’", "‘": "“", "’": "”"})


def nested(text: str) -> str:
    """The text as it reads inside a pair of double quotation marks (its own “” turned into ‘’)."""
    return text.translate(INNER)


def quoted(text: str) -> str:
    """The text in double quotation marks, its own quotation marks one level down: “…‘…’…”."""
    return f"“{nested(text)}”"
