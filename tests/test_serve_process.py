"""`course serve` as a real process on a free localhost port with a temporary records database; the helpers
here are shared by the other test_serve* files. The tests of this file: what the command says when it cannot
start (one Chinese line, exit 1) and what it prints when it starts (address, batch code, terminal QR code)."""
from __future__ import annotations

import functools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

pytestmark = pytest.mark.process
COURSE = Path(sys.executable).with_name("course")
BATCH = "2026年第1期"
PASSWORD = "培训师-secret-42"
READY = "按 Ctrl+C 停止。"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def course(*args: str, db: Path | str, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(COURSE), *args], input=stdin, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "SIGE_COURSE_RECORDS": str(db)})


def make_records(folder: Path, learners: int = 5, batch: str = BATCH, db: Path | str | None = None):
    """A records database (a new SQLite file unless ``db`` names one) with ``batch``, a roster of ``learners``
    (学号 10001…) and the trainer's password, made in-process (the commands themselves are tested below);
    returns (database, 学号 list)."""
    from exercises.trainer.records.store import Records
    from exercises.trainer.serve import auth, tables

    db = db or folder / "records.sqlite"
    numbers = [str(10001 + i) for i in range(learners)]
    roster = folder / "花名册.csv"
    roster.write_text("学号,姓名,单位\n" + "".join(f"{n},学员{n},第{int(n) % 3 + 1}科\n" for n in numbers), "utf-8")
    records = Records(str(db))
    try:
        records.create_batch(batch)
        records.import_roster(batch, roster)
        tables.ensure(records.engine)
        auth.set_password(records.engine, PASSWORD)
    finally:
        records.close()
    return db, numbers


def tiny_book(folder: Path) -> Path:
    """A book folder with one exercise page (a `.sige-progress` panel, an inline theme script)."""
    book = folder / "html"
    book.mkdir()
    (book / "index.html").write_text(
        "<!DOCTYPE html><html><head><title>课程</title><script>document.documentElement.dataset.x = '1';</script>"
        "</head><body><div class=\"sige-progress\"></div></body></html>", "utf-8")
    return book


@dataclass
class Server:
    """One `course serve` process; ``url`` ends with a slash, ``code`` is the batch code it printed."""

    db: Path | str
    book: Path
    port: int
    extra: tuple[str, ...] = ()
    process: subprocess.Popen | None = None
    output: str = ""
    code: str = ""
    pins: dict[str, str] = field(default_factory=dict)  # 学号 -> 个人码, read from the records once started
    cookies: CookieJar = field(default_factory=CookieJar)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 60) -> Server:
        self.process = subprocess.Popen(
            [str(COURSE), "serve", BATCH, "--host", "127.0.0.1", "--port", str(self.port), "--book", str(self.book),
             *self.extra], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "SIGE_COURSE_RECORDS": str(self.db)})
        lines = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"course serve ended: {self.process.wait()} {self.process.stderr.read()}")
            lines.append(line)
            if READY in line:
                break
        self.output = "".join(lines)
        self.code = re.search(r"期次码：([A-Z0-9]{6})", self.output).group(1)
        self.pins = learner_pins(self.db)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.process.stdout.close()
            self.process.stderr.close()

    def kill9(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()

    def request(self, path: str, body: bytes | None = None, headers: dict | None = None, method: str | None = None,
                cookies: bool = True, timeout: float = 60) -> tuple[int, dict, bytes]:
        """(status, headers, body) of one real HTTP request; redirects are followed, cookies kept."""
        handlers = [urllib.request.HTTPCookieProcessor(self.cookies)] if cookies else []
        opener = urllib.request.build_opener(*handlers)
        request = urllib.request.Request(self.url + path.lstrip("/"), data=body, headers=headers or {}, method=method)
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers), error.read()

    def hand_in(self, number: str, document: dict, code: str | None = None, pin: str | None = None) -> tuple[int, dict]:
        """Hand in as the learner ``number`` (with that learner's 个人码 unless ``pin`` is given)."""
        from exercises.trainer.records.identity import normalize_number

        pin = self.pins.get(normalize_number(number), "") if pin is None else pin
        body = json.dumps({"code": self.code if code is None else code, "number": number, "pin": pin,
                           "document": document}, ensure_ascii=False).encode("utf-8")
        status, _, data = self.request("api/collect/handin", body, {"Content-Type": "application/json"}, cookies=False)
        return status, json.loads(data)

    def xsrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "_xsrf")

    def login(self, password: str = PASSWORD) -> int:
        self.request("trainer/login")  # sets the _xsrf cookie
        form = f"_xsrf={self.xsrf()}&password={urllib.request.quote(password)}".encode()
        status, _, _ = self.request("trainer/login", form, {"Content-Type": "application/x-www-form-urlencoded"})
        return status


def learner_pins(db: Path | str, batch: str = BATCH) -> dict[str, str]:
    """学号 -> 个人码 of the batch's roster, as the records keep them."""
    from exercises.trainer.records.pins import batch_pins
    from exercises.trainer.records.store import Records

    records = Records(str(db))
    try:
        return {p.number: p.pin for p in batch_pins(records.engine, batch)}
    finally:
        records.close()


def document(answers: dict[str, object], learner: str = "", time_text: str = "2026-11-27T10:00:00+00:00") -> dict:
    """A results document as the page's export writes it (version 2), with these responses."""
    return {"format": "sige-course-results", "version": 2, "course_version": "test", "learner": learner,
            "learner_id": "", "updated": time_text,
            "answers": {q: {"answer": a, "verdict": "correct", "score": 1, "points": 1, "time": time_text,
                            "question_version": question_versions()[q]} for q, a in answers.items()}}


@functools.lru_cache(maxsize=1)
def question_versions() -> dict[str, str]:
    """Question id -> the fingerprint the page sends with each answer."""
    from exercises.questions.bank import load_all
    from exercises.questions.versions import fingerprint

    return {q.id: fingerprint(q) for bank in load_all() for q in bank.questions}


def stored_answers(db) -> dict[str, set[tuple[str, str]]]:
    """学号 -> (kind, question id) of every answer the records keep for the batch."""
    from exercises.trainer.records.store import Records

    records = Records(str(db))
    try:
        found: dict[str, set] = {}
        for number, kind, _attempt, question, _time, _response in records.all_answers(BATCH):
            found.setdefault(number, set()).add((kind, question))
        return found
    finally:
        records.close()


@pytest.fixture
def records_db(tmp_path):
    return make_records(tmp_path)


@pytest.fixture
def server(tmp_path, records_db):
    running = Server(records_db[0], tiny_book(tmp_path), free_port()).start()
    yield running
    running.stop()


# ---- tests ---------------------------------------------------------------------------------------
def test_start_prints_address_code_and_terminal_qr(server):
    assert f"学员打开：{server.url}" in server.output
    assert "█" in server.output and "▀" in server.output  # the QR code in block characters
    assert re.search(r"期次码：[A-HJ-NP-Z2-9]{6}（期次「2026年第1期」", server.output)


def test_restart_keeps_the_batch_code_unless_a_new_one_is_asked(tmp_path, records_db):
    book = tiny_book(tmp_path)
    first = Server(records_db[0], book, free_port()).start()
    first.stop()
    again = Server(records_db[0], book, free_port()).start()
    again.stop()
    fresh = Server(records_db[0], book, free_port(), ("--new-code",)).start()
    fresh.stop()
    assert again.code == first.code and fresh.code != first.code


@pytest.mark.parametrize("case", ["no batch", "unknown batch", "no roster", "no password", "no book", "port taken",
                                  "short password", "rate nan", "rate negative", "rate infinite"])
def test_cannot_start_one_chinese_line_and_exit_1(tmp_path, case):
    db = tmp_path / "r.sqlite"
    book = tiny_book(tmp_path)
    args = ["serve", BATCH, "--host", "127.0.0.1", "--port", str(free_port()), "--book", str(book)]
    stdin = ""
    if case != "no roster":
        db, _ = make_records(tmp_path)
    else:
        assert course("records", "batch", BATCH, db=db).returncode == 0
    holder = socket.socket()
    if case == "no batch":
        args = args[:1] + args[2:]
    elif case == "unknown batch":
        args[1] = "没有这期"
    elif case == "no password":
        from exercises.trainer.records.store import Records
        from exercises.trainer.serve import tables

        records = Records(str(db))
        with records.engine.begin() as connection:
            connection.execute(tables.settings.delete())
        records.close()
    elif case == "no book":
        args[-1] = str(tmp_path / "nowhere")
    elif case == "port taken":
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        args[args.index("--port") + 1] = str(holder.getsockname()[1])
    elif case == "short password":
        args, stdin = ["serve", "--set-password"], "short\n"
    elif case.startswith("rate"):
        args += ["--rate", {"rate nan": "nan", "rate negative": "-5", "rate infinite": "inf"}[case]]
    done = course(*args, db=db, stdin=stdin, timeout=60)
    holder.close()
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(r"[\u4e00-\u9fff]", lines[0]) and "Traceback" not in done.stderr, done.stderr
    if case.startswith("rate"):
        assert "0 到 10000" in lines[0], lines


def test_password_is_set_from_the_command_line_and_stored_hashed(tmp_path):
    db = tmp_path / "r.sqlite"
    done = course("serve", "--set-password", db=db, stdin="新的密码-2026\n")
    assert done.returncode == 0 and "密码已设定" in done.stdout, done.stderr
    from exercises.trainer.records.store import Records
    from exercises.trainer.serve import auth, tables

    records = Records(str(db))
    with records.engine.connect() as connection:
        stored = [row.value for row in connection.execute(tables.settings.select())]
    digest = auth.password_digest(records.engine)
    assert auth.verify(digest, "新的密码-2026") and not auth.verify(digest, "新的密码")
    records.close()
    assert len(stored) == 1 and stored[0].startswith("$argon2id$") and "新的密码" not in stored[0]


def test_help_is_chinese():
    done = subprocess.run([str(COURSE), "serve", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "课堂收卷" in done.stdout and "--port" in done.stdout and "--set-password" in done.stdout
