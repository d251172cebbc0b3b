"""The learners' side: what the hand-in script needs (``/api/collect/info``), the script, and the hand-in.

The hand-in takes only ``Content-Type: application/json``: another site's page cannot send that without a
CORS preflight, which this server never grants, so no cookie or form can make a browser hand in for it.
"""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import BrokenExecutor
from datetime import UTC, datetime

from sqlalchemy.exc import SQLAlchemyError
from tornado.ioloop import IOLoop

from ...renderers.pagescript import STORAGE_KEY
from .base import Base
from .book import handin_script
from .handin import MAX_BODY, HandinError, identify, prepare, read_body
from .texts import HANDIN_TEXTS

HANDIN_PATH = "/api/collect/handin"
UNAVAILABLE = "培训师的电脑暂时无法记下答案：答案未交上，仍保存在本机，请稍后再试。"


class InfoHandler(Base):
    def get(self) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps({"handin": HANDIN_PATH, "storage_key": STORAGE_KEY, "max_bytes": MAX_BODY,
                               "texts": HANDIN_TEXTS}, ensure_ascii=False))


class ScriptHandler(Base):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(handin_script())


class HandinHandler(Base):
    def check_xsrf_cookie(self) -> None:
        """No cookie is used here; the JSON content type (preflighted cross-site) stands in for the token."""

    async def post(self) -> None:
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return self.fail(415, "提交的内容类型应为 application/json。")
        limits, address = self.context.limits, self.client()
        if limits.failures.exhausted(address):
            return self.fail(429, HANDIN_TEXTS["busy"])
        arrived = datetime.now(UTC)
        try:
            body = read_body(self.request.body)
            learner = self._identify(body)
            if not (limits.learner.allow(learner.number) and limits.address.allow(address)):
                return self.fail(429, HANDIN_TEXTS["busy"])
            item = await IOLoop.current().run_in_executor(self.context.checker, prepare, body.document, learner,
                                                          arrived)
        except HandinError as exc:
            if exc.status != 429:
                limits.failures.allow(address)
            return self.fail(exc.status, str(exc))
        except BrokenExecutor:  # a checking process died (out of memory): this hand-in is not stored
            await self.off_loop(self.context.renew_checker, self.context.checker)
            return self.fail(503, UNAVAILABLE)
        try:
            receipt = await asyncio.wrap_future(self.context.writer.submit(item))
        except SQLAlchemyError:
            return self.fail(503, UNAVAILABLE)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(receipt.to_json(), ensure_ascii=False))

    def _identify(self, body):
        """The proved learner; wrong 个人码 count per 学号, so guessing one learner's code is slow from anywhere."""
        named = self.context.directory.known(body.number)
        if named is not None and self.context.limits.guesses.exhausted(named.number):
            raise HandinError(429, HANDIN_TEXTS["busy"])
        try:
            return identify(self.context.directory, body)
        except HandinError:
            if named is not None:
                self.context.limits.guesses.allow(named.number)
            raise
