"""The built book's files. HTML pages get, just before ``</head>``, the collection marker and the hand-in
script; the static book itself is never changed, and offline it stays as it was built."""
from __future__ import annotations

from importlib import resources

from tornado.web import HTTPError, StaticFileHandler

from ...renderers.html import KEY_FILE
from ...safeio import SafeReadError, read_bytes
from . import security

INFO_PATH = "/api/collect/info"
SCRIPT_PATH = "/_collect/handin.js"
KEY_PATH = "/api/assessment/key"  # the 综合测评 is graded here (exam.py); the book's key file is withheld
WITHHELD = (KEY_FILE, f"{KEY_FILE}.gz")  # file names of the book never served
MARKER = (f'<meta name="sige-collect" content="{INFO_PATH}">'
          f'<meta name="sige-assessment-key" content="{KEY_PATH}">'
          f'<script src="{SCRIPT_PATH}" defer></script>').encode("ascii")
MAX_PAGE = 20_000_000


def with_handin(html: bytes) -> bytes:
    """The page with the collection marker and script added in its head (unchanged when it has no head)."""
    at = html.lower().find(b"</head>")
    return html if at < 0 else html[:at] + MARKER + html[at:]


def handin_script() -> bytes:
    return resources.files("exercises").joinpath("trainer/serve/static/handin.js").read_bytes()


class BookHandler(StaticFileHandler):
    """Static files of the book folder (tornado keeps every path inside it); pages with the hand-in added."""

    def set_default_headers(self) -> None:
        security.apply(self)

    async def get(self, path: str, include_body: bool = True) -> None:
        if any(ord(ch) < 32 or ch in "\\\x7f" for ch in path):
            raise HTTPError(404)  # no file of the book has such a name (and NUL would fail the file system calls)
        if path.rsplit("/", 1)[-1] in WITHHELD:
            raise HTTPError(404)
        if path == "" or path.endswith("/"):
            path += "index.html"
        if not path.lower().endswith(".html"):
            await super().get(path, include_body)
            return
        self.path = self.parse_url_path(path)
        self.absolute_path = self.validate_absolute_path(self.root, self.get_absolute_path(self.root, self.path))
        if self.absolute_path is None:
            return  # redirected (a folder without its slash)
        try:
            page = with_handin(read_bytes(self.absolute_path, MAX_PAGE))
        except SafeReadError:
            raise HTTPError(404) from None
        security.apply(self, security.book_sources(page))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        if include_body:
            self.write(page)
