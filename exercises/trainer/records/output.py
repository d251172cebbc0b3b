"""Writing output files atomically (``exercises.safeio.atomic_write``): the folder is made, a file is whole or absent."""
from __future__ import annotations

import io
from pathlib import Path

from ...safeio import atomic_write


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` in one step, making its folder first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, data)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    return write_bytes(path, text.encode(encoding))


def save_workbook(book, path: Path) -> Path:
    """Save an openpyxl workbook to ``path`` in one step."""
    buffer = io.BytesIO()
    book.save(buffer)
    return write_bytes(path, buffer.getvalue())
