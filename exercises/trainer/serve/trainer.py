"""The trainer's side: login (password, session cookie), the live view, the projected page, batch codes, and
the report, workbook and certificates made from the records. Every route but the login refuses a request
without a session (403); every form carries tornado's XSRF token (checked on every POST)."""
from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from tornado.ioloop import IOLoop
from tornado.web import HTTPError

from ..print.certificates import write_certificates
from ..print.latex import LatexError
from ..records.pins import reset_pin
from ..records.rules import rules_for_report
from ..records.scoring import score_batch
from ..records.store import RecordsError
from ..records.summary import build_html
from ..records.workbook import write_workbook
from . import auth, codes, qr
from .base import Base
from .dashboard import build_view

COOKIE = "sige_trainer"
CODE_HOURS = 8
ACCOUNT = "trainer"  # the one trainer account: failed logins back off per account, from any address


class Page(Base):
    """A trainer page: HTML errors, and a session required unless ``public``."""

    public = False

    async def prepare(self) -> None:
        """The session is looked up in the trainer's threads (the event loop serves learners meanwhile)."""
        token = self.get_cookie(COOKIE)
        if token and await self.off_loop(auth.valid_session, self.context.records.engine, token):
            self.current_user = token
        if not self.public and self.current_user is None:
            raise HTTPError(403)

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.render("message.html", title="未能完成", text=self.message(status_code), login=status_code == 403)

    def get_template_path(self) -> str:
        return str(Path(__file__).with_name("templates"))


class LoginHandler(Page):
    public = True

    def get(self) -> None:
        self.render("login.html", error="")

    async def post(self) -> None:
        limits = self.context.limits
        if not limits.logins.allow(self.client()):
            return self.fail(429, "密码尝试太频繁，请一分钟后再试。")
        wait = limits.backoff.wait(ACCOUNT)
        if wait > 0:
            return self.fail(429, f"密码连续输错多次，请 {max(1, round(wait))} 秒后再试。")
        engine = self.context.records.engine
        digest = await self.off_loop(auth.password_digest, engine)
        password = self.get_body_argument("password", "")
        if not await IOLoop.current().run_in_executor(self.context.hasher, auth.verify, digest, password):
            limits.backoff.failed(ACCOUNT)
            self.set_status(403)
            return self.render("login.html", error="密码不对。")
        limits.backoff.succeeded(ACCOUNT)
        token = await self.off_loop(auth.open_session, engine)
        self.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/trainer",
                        secure=self.request.protocol == "https", expires_days=None)
        self.redirect("/trainer", status=303)


class LogoutHandler(Page):
    async def post(self) -> None:
        await self.off_loop(auth.close_session, self.context.records.engine, self.current_user)
        self.clear_cookie(COOKIE, path="/trainer")
        self.redirect("/trainer/login", status=303)


class DashboardHandler(Page):
    async def get(self) -> None:
        view = await self.off_loop(build_view, self.context.records, self.context.batch)
        active = await self.off_loop(codes.active_for, self.context.records.engine, self.context.batch)
        self.render("dashboard.html", view=view, codes=active, address=self.context.address)


class ProjectHandler(Page):
    async def get(self) -> None:
        active = await self.off_loop(codes.active_for, self.context.records.engine, self.context.batch)
        code = active[0] if active else None
        expires = datetime.fromisoformat(code.expires).astimezone().strftime("%Y-%m-%d %H:%M") if code else ""
        self.render("project.html", batch=self.context.batch, address=self.context.address, code=code,
                    expires=expires, qr_svg=qr.svg(self.context.address))


class CodeHandler(Page):
    async def post(self) -> None:
        engine = self.context.records.engine
        if self.get_body_argument("action", "") == "end":
            if not await self.off_loop(codes.revoke, engine, self.get_body_argument("code", "")):
                return self.fail(400, "没有这个正在使用的期次码。")
        else:
            await self.off_loop(codes.issue, engine, self.context.batch, CODE_HOURS)
        await self.off_loop(self.context.directory.load)
        self.redirect("/trainer", status=303)


class PinHandler(Page):
    """A new 个人码 for one learner (lost slip, or seen by others); the old one stops working at once."""

    async def post(self) -> None:
        number = self.get_body_argument("number", "")
        pin = await self.off_loop(reset_pin, self.context.records.engine, self.context.batch, number)
        if pin is None:
            return self.fail(400, "花名册中没有这个学号。")
        await self.off_loop(self.context.directory.load)
        self.render("message.html", title="个人码已重置",
                    text=f"{pin.name}（学号 {pin.number}）的新个人码：{pin.pin}。原来的个人码已失效，请把新码告诉本人。",
                    login=False)


class OutputHandler(Page):
    """The records' outputs for the batch: report (HTML), workbook (XLSX), certificates (PDF, zipped)."""

    KINDS = {"report.html": "text/html; charset=utf-8",
             "workbook.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "certificates.zip": "application/zip"}

    async def get(self, kind: str) -> None:
        if kind not in self.KINDS:
            raise HTTPError(404)
        try:
            data = await self.off_loop(self.make, kind)
        except (RecordsError, LatexError) as exc:
            return self.fail(409, str(exc).splitlines()[0])
        except SQLAlchemyError:
            return self.fail(503, "数据库暂时无法读取，请稍后再试。")
        self.set_header("Content-Type", self.KINDS[kind])
        self.set_header("Cache-Control", "no-store")
        if kind != "report.html":
            self.set_header("Content-Disposition", f"attachment; filename={kind}")
        self.write(data)

    def make(self, kind: str) -> bytes:
        scores = score_batch(self.context.records.batch_data(self.context.batch))
        if not scores.learners:
            raise RecordsError("本期次还没有学员：请先导入花名册。")
        rules = rules_for_report(self.context.records, scores)  # papers, the batch's rules, certificate numbers
        if kind == "report.html":
            return build_html(scores, rules=rules).encode("utf-8")
        with tempfile.TemporaryDirectory(prefix="sige-serve-") as folder:
            if kind == "workbook.xlsx":
                return write_workbook(scores, Path(folder) / "成绩.xlsx", rules).read_bytes()
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in write_certificates(scores, Path(folder), rules):
                    archive.write(path, path.relative_to(folder).as_posix())
            return buffer.getvalue()
