"""The handlers' common ground: security headers, errors as one Chinese line (JSON or page), database work
off the event loop, and the client's address."""
from __future__ import annotations

import json
from http import HTTPStatus

from tornado.ioloop import IOLoop
from tornado.web import RequestHandler

from . import security
from .context import Context

STATUS_TEXT = {400: "请求格式不对。", 403: "没有权限，或需要先登录。", 404: "找不到这个页面。",
               405: "不支持这种请求方式。", 413: "提交的内容过大。", 415: "提交的内容类型不对。",
               429: "请求太频繁，请稍后再试。", 503: "服务暂时不可用，请稍后再试。"}


class Base(RequestHandler):
    def initialize(self, context: Context) -> None:
        self.context = context

    def set_default_headers(self) -> None:
        security.apply(self)

    def client(self) -> str:
        return self.request.remote_ip or "?"

    async def off_loop(self, function, *args):
        """Run blocking work (database reads, password hashing) in the trainer's threads, never the writer's."""
        return await IOLoop.current().run_in_executor(self.context.desk, function, *args)

    def message(self, status: int) -> str:
        reason = getattr(self, "_message", None)
        return reason or STATUS_TEXT.get(status, f"请求未能完成（{HTTPStatus(status).phrase}）。")

    def fail(self, status: int, message: str) -> None:
        """End the request with ``status`` and a Chinese message."""
        self._message = message
        self.send_error(status)

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": self.message(status_code)}, ensure_ascii=False))
