"""QR codes of the collection address: SVG for the projected page, text for the terminal (segno, pure Python)."""
from __future__ import annotations

import io

import segno


def svg(text: str) -> str:
    """An SVG element (no XML declaration, a viewBox and no fixed size) of ``text``'s QR code: the page sizes it."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=10, border=2, xmldecl=False, svgns=True,
                                     title="课程地址二维码", svgclass="qr", lineclass=None, omitsize=True)
    return buffer.getvalue().decode("utf-8")


def terminal(text: str) -> str:
    """``text``'s QR code drawn with block characters, for the terminal."""
    buffer = io.StringIO()
    segno.make(text, error="m").terminal(out=buffer, compact=True, border=2)
    return buffer.getvalue()
