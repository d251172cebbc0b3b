"""Security headers of every response. The Content-Security-Policy allows no inline script, except on the
book's pages the theme's own inline scripts and button handlers, each by its SHA-256 (``book_sources``), and
``'unsafe-eval'`` there because Sphinx's doctools.js builds its plural rule with ``new Function``."""
from __future__ import annotations

import base64
import hashlib
import html
import re

_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
_DATA_TYPE = re.compile(rb"""type=["']?application/(?:ld\+)?json""", re.I)
_HANDLER = re.compile(rb'<[a-z][^>]*?\son[a-z]+="([^"]*)"', re.I)

BASE_POLICY = ("default-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; "
               "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def policy(script_sources: list[str] | None = None) -> str:
    """The CSP: scripts only from this server (and the listed hashes), never framed by another site."""
    return f"{BASE_POLICY}; script-src 'self'" + "".join(f" '{s}'" for s in script_sources or [])


def _sha256(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def book_sources(page: bytes) -> list[str]:
    """The script sources a built page needs: its inline scripts (data blocks are not run) and its
    ``on…="…"`` handlers by hash, and eval for Sphinx's translations."""
    scripts = {_sha256(body) for attributes, body in _INLINE_SCRIPT.findall(page) if not _DATA_TYPE.search(attributes)}
    handlers = {_sha256(html.unescape(value.decode("utf-8", "replace")).encode("utf-8"))
                for value in _HANDLER.findall(page)}
    return ["unsafe-eval", *(["unsafe-hashes"] if handlers else []), *sorted(scripts | handlers)]


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
