"""Security headers of every response; the Content-Security-Policy allows no inline script except, on book
pages, the theme's own inline scripts by their SHA-256 (``script_hashes``)."""
from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
_DATA_TYPE = re.compile(rb"""type=["']?application/(?:ld\+)?json""", re.I)

BASE_POLICY = ("default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def policy(script_sources: list[str] | None = None) -> str:
    """The CSP: scripts only from this server (and the listed hashes), never framed by another site."""
    return f"{BASE_POLICY}; script-src 'self'" + "".join(f" '{s}'" for s in script_sources or [])


def script_hashes(html: bytes) -> list[str]:
    """``sha256-…`` of each inline script in ``html`` that a browser would run (data blocks are not run)."""
    found = []
    for attributes, body in _INLINE_SCRIPT.findall(html):
        if not _DATA_TYPE.search(attributes):
            found.append("sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii"))
    return sorted(set(found))


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def apply(handler, script_sources: list[str] | None = None) -> None:
    """Set the security headers on a tornado handler's response."""
    for name, value in HEADERS.items():
        handler.set_header(name, value)
    handler.set_header("Content-Security-Policy", policy(script_sources))
