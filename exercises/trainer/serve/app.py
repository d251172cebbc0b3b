"""The tornado application of ``course serve``: routes, settings (XSRF on every form), and the HTTP server."""
from __future__ import annotations

from pathlib import Path

from tornado.httpserver import HTTPServer
from tornado.web import Application, HTTPError

from . import api, exam, trainer
from .base import Base
from .book import INFO_PATH, KEY_PATH, SCRIPT_PATH, BookHandler
from .context import Context
from .handin import MAX_BODY


class StyleHandler(Base):
    def get(self) -> None:
        self.set_header("Content-Type", "text/css; charset=utf-8")
        self.write(Path(__file__).with_name("templates").joinpath("serve.css").read_bytes())


class TrainerNotFound(trainer.Page):
    def get(self, _rest: str) -> None:
        raise HTTPError(404)

    post = get


def make_app(context: Context) -> Application:
    c = {"context": context}
    return Application([
        (INFO_PATH, api.InfoHandler, c),
        (api.HANDIN_PATH, api.HandinHandler, c),
        (KEY_PATH, exam.KeyHandler, c),
        (SCRIPT_PATH, api.ScriptHandler, c),
        (r"/_collect/serve\.css", StyleHandler, c),
        (r"/trainer/?", trainer.DashboardHandler, c),
        (r"/trainer/login", trainer.LoginHandler, c),
        (r"/trainer/logout", trainer.LogoutHandler, c),
        (r"/trainer/project", trainer.ProjectHandler, c),
        (r"/trainer/code", trainer.CodeHandler, c),
        (r"/trainer/pin", trainer.PinHandler, c),
        (r"/trainer/(report\.html|workbook\.xlsx|certificates\.zip)", trainer.OutputHandler, c),
        (r"/trainer/(.*)", TrainerNotFound, c),
        (r"/(.*)", BookHandler, {"path": str(context.book), "default_filename": "index.html"}),
    ], xsrf_cookies=True, xsrf_cookie_kwargs={"httponly": True, "samesite": "Strict"},
        template_path=str(Path(__file__).with_name("templates")))


def make_server(context: Context, behind_proxy: bool) -> HTTPServer:
    """The HTTP server; ``behind_proxy`` trusts X-Forwarded-For/-Proto (only behind a reverse proxy)."""
    return HTTPServer(make_app(context), xheaders=behind_proxy, max_body_size=MAX_BODY + 64_000,
                      idle_connection_timeout=60, body_timeout=30)
