"""The learners' side: what the hand-in script needs (``/api/collect/info``), the script, and the hand-in.

The hand-in takes only ``Content-Type: application/json``: another site's page cannot send that without a
CORS preflight, which this server never grants, so no cookie or form can make a browser hand in for it.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime

from ...renderers.pagescript import STORAGE_KEY
from .base import Base
from .book import handin_script
from .handin import MAX_BODY, HandinError, identify, read_body, validate
from .texts import HANDIN_TEXTS

HANDIN_PATH = "/api/collect/handin"


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
            validate(body.document)
        except HandinError as exc:
            if exc.status != 429:
                limits.failures.allow(address)
            return self.fail(exc.status, str(exc))
        status, reply = await self.context.handins.hand_in(body.document, learner, arrived)
        if status != 200:
            if 400 <= status < 500:
                limits.failures.allow(address)
            return self.fail(status, str(reply))
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(reply, ensure_ascii=False))

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
