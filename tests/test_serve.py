"""`course serve` over real HTTP: a hand-in is stored and merged, the trainer's routes need a session and an
XSRF token, and hostile requests get a 4xx, change nothing and never a 5xx."""
from __future__ import annotations

import http.client
import json
import re
import time
from datetime import UTC
from urllib.parse import quote

import pytest

from exercises.questions.bank import load_all
from exercises.questions.grading import correct_response
from exercises.trainer.records.store import Records
from exercises.trainer.serve import codes, tables
from test_serve_process import BATCH, PASSWORD, Server, document, free_port, make_records, tiny_book

pytestmark = pytest.mark.process


@pytest.fixture
def server(tmp_path):
    db, _ = make_records(tmp_path)
    running = Server(db, tiny_book(tmp_path), free_port(), ("--rate", "0")).start()  # limits: their own test
    yield running
    running.stop()


def questions(count: int):
    return [q for bank in load_all() for q in bank.questions][:count]


def state(db) -> tuple:
    """Everything a request could change: answers, files, codes, sessions, password."""
    records = Records(str(db))
    try:
        with records.engine.connect() as connection:
            extra = tuple(tuple(sorted(map(tuple, connection.execute(t.select()).all())))
                          for t in (tables.codes, tables.sessions, tables.settings))
        return tuple(sorted(map(repr, records.all_answers(BATCH)))), len(records.batch_data(BATCH).notes), extra
    finally:
        records.close()


def raw(server: Server, method: str, path: str, body: bytes = b"", headers: dict | None = None):
    """One request with no redirect followed and no cookie kept: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def test_hand_in_is_stored_merged_never_replaced_and_confirmed(server):
    first, second = questions(2)
    status, receipt = server.hand_in("10001", document({first.id: correct_response(first)}, learner="任意署名"))
    assert status == 200 and receipt["new_answers"] == 1 and receipt["practice"] == 1 and not receipt["repeated"]
    assert receipt["number"] == "10001" and receipt["time"].startswith("20")
    assert "学员10001" not in json.dumps(receipt, ensure_ascii=False)  # the receipt names only what the sender proved
    # the page sends what it has now: the second question only (the first was cleared there) — nothing is lost
    status, receipt = server.hand_in("１０００１", document({second.id: correct_response(second)},
                                                          time_text="2026-11-27T11:00:00+00:00"))
    assert status == 200 and receipt["new_answers"] == 1 and receipt["practice"] == 2
    status, receipt = server.hand_in("10001", document({second.id: correct_response(second)},
                                                       time_text="2026-11-27T11:00:00+00:00"))
    assert status == 200 and receipt["repeated"] and receipt["new_answers"] == 0 and receipt["practice"] == 2
    records = Records(str(server.db))
    learner = next(l for l in records.batch_data(BATCH).learners if l.number == "10001")
    records.close()
    assert set(learner.practice) == {first.id, second.id} and learner.name == "学员10001"


def test_trainer_logs_in_sees_who_handed_in_and_the_rates(server, tmp_path):
    q = next(q for q in questions(40) if q.options and isinstance(q.answer, str))
    script = "<script>alert('x')</script>"
    roster = tmp_path / "hostile.csv"
    roster.write_text(f"学号,姓名,单位\n10006,\"{script}\",\"<img src=x onerror=alert(1)>\"\n", "utf-8")
    records = Records(str(server.db))
    records.import_roster(BATCH, roster)
    records.close()
    assert server.hand_in("10002", document({q.id: q.answer}, learner=script))[0] == 200
    assert server.login("wrong password") == 403
    assert server.login() == 200
    status, headers, page = server.request("trainer")
    text = page.decode("utf-8")
    assert status == 200 and "收卷情况" in text and "<script" not in text and "<img" not in text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text  # the name, shown as text
    unit = re.search(rf"第 {q.pillar} 单元[^<]*：已交 1 人，未交 5 人", text)
    assert unit, text[:3000]
    row = re.search(rf'<tr id="q-{q.id}">(.*?)</tr>', text, re.S).group(1)
    assert "100.0%" in row and f"{q.answer}✓ 1" in row
    for path, kind in (("trainer/project", "text/html"), ("trainer/report.html", "text/html"),
                       ("trainer/workbook.xlsx", "spreadsheetml")):
        status, headers, body = server.request(path)
        assert status == 200 and kind in headers["Content-Type"], (path, body[:300])
    status, _, project = server.request("trainer/project")
    assert server.code in project.decode() and "<svg" in project.decode() and server.url in project.decode()


def test_session_cookie_and_security_headers(server):
    status, headers, _ = raw(server, "GET", "/trainer/login")
    xsrf_cookie = next(v for k, v in headers if k == "Set-Cookie" and v.startswith("_xsrf="))
    token = xsrf_cookie.split(";")[0].split("=", 1)[1]
    body = f"_xsrf={token}&password={quote(PASSWORD)}".encode()
    status, headers, _ = raw(server, "POST", "/trainer/login", body,
                             {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"_xsrf={token}"})
    assert status == 303
    session = next(v for k, v in headers if k == "Set-Cookie" and v.startswith("sige_trainer="))
    assert "HttpOnly" in session and "SameSite=Strict" in session and "Path=/trainer" in session
    for path in ("/", "/api/collect/info", "/trainer/login", "/_collect/handin.js"):
        status, headers, _ = raw(server, "GET", path)
        found = dict(headers)
        policy = found["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert status == 200 and "unsafe-inline" not in script_src and "frame-ancestors 'none'" in policy
        assert found["X-Content-Type-Options"] == "nosniff"
    status, headers, page = raw(server, "GET", "/")
    assert b'<meta name="sige-collect" content="/api/collect/info">' in page
    assert "'sha256-" in dict(headers)["Content-Security-Policy"]  # the page's own inline script, by its hash


def _hostile(server: Server, valid: dict) -> list[tuple[str, int]]:
    """Each hostile request and the status it got."""
    results = []
    json_headers = {"Content-Type": "application/json"}

    def post(label: str, body: bytes, headers=json_headers):
        try:
            status = raw(server, "POST", "/api/collect/handin", body, headers)[0]
        except (ConnectionError, http.client.HTTPException):  # the server may refuse a huge body by closing
            status = 400
        results.append((label, status))

    def send(label: str, payload: dict):
        post(label, json.dumps(payload, ensure_ascii=False).encode("utf-8"))

    post("oversize (over the hand-in limit)", b'{"code": "' + b"A" * 1_100_000 + b'"}')
    post("oversize (over the server limit)", b"[" * 3_000_000)
    post("malformed JSON", b'{"code": "ABC", "number": ')
    post("not UTF-8", b'{"code": "\xff\xfe"}')
    post("deep nesting", b'{"code": ' + b"[" * 500 + b"]" * 500 + b"}")
    post("duplicate keys", b'{"code": "A", "code": "B", "number": "1", "document": {}}')
    post("NaN", json.dumps({**valid, "document": {**valid["document"], "x": float("nan")}}).encode())
    post("form post from another site", f"code={server.code}&number=10001".encode(),
         {"Content-Type": "application/x-www-form-urlencoded"})
    post("text/plain (a CORS simple request)", json.dumps(valid).encode(), {"Content-Type": "text/plain"})
    send("array body", [valid])  # type: ignore[arg-type]
    send("number as integer", {**valid, "number": 10001})
    send("code as list", {**valid, "code": [server.code]})
    send("document as string", {**valid, "document": json.dumps(valid["document"])})
    send("extra field", {**valid, "path": "/etc/passwd"})
    send("missing document", {"code": server.code, "number": "10001"})
    send("wrong format", {**valid, "document": {**valid["document"], "format": "other"}})
    send("answers as list", {**valid, "document": {**valid["document"], "answers": []}})
    send("bad verdict", {**valid, "document": {**valid["document"], "answers": {
        "p1-01": {"answer": "A", "verdict": "<script>"}}}})
    send("question id with path characters", {**valid, "document": {**valid["document"], "answers": {
        "../../etc/passwd": {"answer": "A", "verdict": "correct"}}}})
    send("script in 学号", {**valid, "number": "<script>alert(1)</script>"})
    send("path in 学号", {**valid, "number": "../../../etc/passwd"})
    send("path in code", {**valid, "code": "../../x"})
    send("unknown code", {**valid, "code": "ZZZZZZ" if server.code != "ZZZZZZ" else "YYYYYY"})
    send("not on the roster", {**valid, "number": "99999"})
    for path in ("/trainer", "/trainer/", "/trainer/project", "/trainer/report.html", "/trainer/workbook.xlsx",
                 "/trainer/certificates.zip", "/trainer/anything"):
        results.append((f"no session GET {path}", raw(server, "GET", path)[0]))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    results.append(("no session POST /trainer/code", raw(server, "POST", "/trainer/code", b"action=new", form)[0]))
    results.append(("forged session cookie", raw(server, "GET", "/trainer", headers={"Cookie": "sige_trainer=forged"})[0]))
    results.append(("login without XSRF token", raw(server, "POST", "/trainer/login",
                                                    f"password={quote(PASSWORD)}".encode(), form)[0]))
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/_static/../../../etc/passwd", "/.%2e/.%2e/etc/passwd",
                 "/nothing-here.html", "/%00.html"):
        results.append((f"GET {path}", raw(server, "GET", path)[0]))
    results.append(("PUT a book page", raw(server, "PUT", "/index.html", b"x")[0]))
    return results


def test_hostile_requests_get_4xx_and_change_nothing(server):
    q = questions(1)[0]
    valid = {"code": server.code, "number": "10001", "document": document({q.id: correct_response(q)})}
    assert server.hand_in("10001", valid["document"])[0] == 200
    before = state(server.db)
    results = _hostile(server, valid)
    assert state(server.db) == before
    wrong = [(label, status) for label, status in results if not 400 <= status < 500]
    assert not wrong, wrong
    # the one trainer form a signed-in trainer's browser could be tricked into posting: refused without the token
    assert server.login() == 200
    session = next(c for c in server.cookies if c.name == "sige_trainer")
    forged = raw(server, "POST", "/trainer/code", b"action=end&code=" + server.code.encode(),
                 {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"sige_trainer={session.value}",
                  "Origin": "http://evil.example"})[0]
    assert forged == 403 and state(server.db)[0] == before[0]
    assert server.hand_in("10001", valid["document"])[1]["repeated"]  # the code still works


def test_replayed_and_expired_codes_are_refused(server):
    q = questions(1)[0]
    doc = document({q.id: correct_response(q)})
    assert server.hand_in("10001", doc)[0] == 200
    records = Records(str(server.db))
    expired = codes.issue(records.engine, BATCH, hours=-1)
    records.close()
    before = state(server.db)
    status, reply = server.hand_in("10002", doc, code=expired.code)
    assert status == 403 and "过期" in reply["error"]
    assert server.login() == 200
    form = f"_xsrf={server.xsrf()}&action=end&code={server.code}".encode()
    status, _, _ = server.request("trainer/code", form, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    status, reply = server.hand_in("10002", doc)  # the class's code, replayed after the trainer ended it
    assert status == 403 and state(server.db)[0] == before[0]
    form = f"_xsrf={server.xsrf()}&action=new".encode()
    server.request("trainer/code", form, {"Content-Type": "application/x-www-form-urlencoded"})
    _, _, page = server.request("trainer")
    new_code = re.search(r'<strong class="code">([A-Z0-9]{6})</strong>', page.decode()).group(1)
    assert new_code != server.code and server.hand_in("10002", doc, code=new_code)[0] == 200


def test_rate_limit_per_address(tmp_path):
    db, _ = make_records(tmp_path)
    limited = Server(db, tiny_book(tmp_path), free_port(), ("--rate", "3")).start()
    try:
        q = questions(1)[0]
        statuses = [limited.hand_in("10001", document({q.id: correct_response(q)}))[0] for _ in range(12)]
    finally:
        limited.stop()
    assert statuses[0] == 200 and 429 in statuses and set(statuses) <= {200, 429}


@pytest.mark.tex
def test_certificates_download_as_a_zip_of_pdfs(server):
    import io
    import zipfile

    q = questions(1)[0]
    assert server.hand_in("10001", document({q.id: correct_response(q)}))[0] == 200
    assert server.login() == 200
    status, headers, body = server.request("trainer/certificates.zip", timeout=600)
    assert status == 200 and headers["Content-Type"] == "application/zip", body[:300]
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert names and all(n.endswith(".pdf") for n in names), names


def test_a_notebook_progress_file_hands_in_as_the_readme_shows(server, tmp_path):
    from exercises.questions.grading import grade
    from exercises.questions.progress import ProgressStore

    q = questions(3)[2]
    store = ProgressStore(tmp_path / "progress.json")
    store.record(grade(q, correct_response(q)))
    saved = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    status, receipt = server.hand_in("10005", saved)
    assert status == 200 and receipt["new_answers"] == 1 and receipt["number"] == "10005"


def _rows(db) -> tuple[int, int, int]:
    """(imports, submissions, answers) rows in the records."""
    from sqlalchemy import func, select

    from exercises.trainer.records.schema import answers, imports, submissions

    records = Records(str(db))
    try:
        with records.engine.connect() as connection:
            return tuple(connection.execute(select(func.count()).select_from(t)).scalar()
                         for t in (imports, submissions, answers))
    finally:
        records.close()


def test_forged_hand_in_for_another_learner_is_refused_and_changes_nothing(server):
    """The batch code (projected for all) and another learner's 学号 are not enough: the 个人码 is."""
    q = questions(1)[0]
    assert server.hand_in("10001", document({q.id: correct_response(q)}))[0] == 200
    before, rows = state(server.db), _rows(server.db)
    forged = document({q.id: "篡改" if correct_response(q) != "篡改" else "X"}, time_text="2099-01-01T00:00:00+00:00")
    victim, attacker = server.pins["10001"], server.pins["10002"]
    wrong = next(p for p in ("ABCDEF", "ABCDEG") if p != victim)
    replies = [server.hand_in("10001", forged, pin=pin) for pin in ("", wrong, attacker, victim.lower()[:5])]
    body = json.dumps({"code": server.code, "number": "10001", "document": forged}).encode()  # no pin at all
    status, _, data = raw(server, "POST", "/api/collect/handin", body, {"Content-Type": "application/json"})
    replies.append((status, json.loads(data)))
    assert [s for s, _ in replies] == [403] * 5, replies
    assert state(server.db) == before and _rows(server.db) == rows
    # the refusal says nothing about who is on the roster: an unknown 学号 gets the very same answer
    unknown = server.hand_in("99999", forged, pin=wrong)
    assert unknown[0] == 403 and {r["error"] for _, r in replies} == {unknown[1]["error"]}
    assert "学员10001" not in unknown[1]["error"]


def test_guessing_one_learners_pin_is_slowed_per_learner_from_any_address(server):
    q = questions(1)[0]
    doc = document({q.id: correct_response(q)})
    wrong = next(p for p in ("ABCDEF", "ABCDEG") if p != server.pins["10003"])
    statuses = [server.hand_in("10003", doc, pin=wrong)[0] for _ in range(12)]
    assert statuses[:10] == [403] * 10 and statuses[10:] == [429, 429], statuses
    assert server.hand_in("10004", doc)[0] == 200  # another learner on the same address is not held up


def test_times_from_the_future_are_clamped_and_never_win(server):
    first = questions(1)[0]
    right = correct_response(first)
    other = "错误答案" if right != "错误答案" else "另一个"
    status, _ = server.hand_in("10001", document({first.id: other}, time_text="2099-01-01T00:00:00+00:00"))
    assert status == 200
    time.sleep(1.1)  # the learner answers again a moment later, on a device whose clock is right
    status, _ = server.hand_in("10001", document({first.id: right}, time_text=datetime_now()))
    assert status == 200
    records = Records(str(server.db))
    learner = next(l for l in records.batch_data(BATCH).learners if l.number == "10001")
    times = [t for *_, t, _r in records.all_answers(BATCH)]
    records.close()
    assert learner.practice[first.id].response == (list(right) if isinstance(right, tuple) else right)
    assert all(t < "2027" for t in times), times


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "2026-02-30T00:00:00Z",
                                    "9" * 40])
def test_times_outside_the_calendar_never_fail_the_server(server, moment):
    q = questions(1)[0]
    doc = document({q.id: correct_response(q)}, time_text=moment)
    doc["assessment"] = {"attempts": [{"id": "attempt-1", "paper": "p", "started": moment, "submitted": moment,
                                       "answers": {q.id: {"answer": correct_response(q), "verdict": "correct",
                                                          "time": moment}}}]}
    status, reply = server.hand_in("10001", doc)
    assert status in (200, 422), (status, reply)
    if status == 422:
        assert re.search(r"[\u4e00-\u9fff]", reply["error"])
    assert server.hand_in("10002", document({q.id: correct_response(q)}))[0] == 200  # the server is still fine


def test_resending_the_same_document_adds_no_rows(server):
    q = questions(1)[0]
    doc = document({q.id: correct_response(q)})
    assert server.hand_in("10001", doc)[0] == 200
    rows = _rows(server.db)
    for _ in range(3):
        status, receipt = server.hand_in("10001", doc)
        assert status == 200 and receipt["repeated"] and receipt["new_answers"] == 0
    assert _rows(server.db) == rows


def test_a_hall_behind_one_address_hands_in_with_the_default_limits(tmp_path):
    db, numbers = make_records(tmp_path, 200)
    hall = Server(db, tiny_book(tmp_path), free_port()).start()  # default --rate
    try:
        q = questions(1)[0]
        doc = document({q.id: correct_response(q)})
        statuses = [hall.hand_in(n, doc)[0] for n in numbers]
        again = [hall.hand_in(n, document({q.id: correct_response(q)}, time_text=datetime_now()))[0]
                 for n in numbers[:50]]
    finally:
        hall.stop()
    assert set(statuses) == {200} and set(again) == {200}


def test_trainer_resets_one_learners_pin_from_the_dashboard(server):
    q = questions(1)[0]
    doc = document({q.id: correct_response(q)})
    old = server.pins["10005"]
    assert server.login() == 200
    status, _, page = server.request("trainer")
    assert status == 200 and "重置个人码" in page.decode()
    form = f"_xsrf={server.xsrf()}&number=10005".encode()
    status, _, page = server.request("trainer/pin", form, {"Content-Type": "application/x-www-form-urlencoded"})
    new = re.search(r"新个人码：([A-Z0-9]{6})", page.decode()).group(1)
    assert status == 200 and new != old
    assert server.hand_in("10005", doc, pin=old)[0] == 403
    assert server.hand_in("10005", doc, pin=new)[0] == 200
    forged = raw(server, "POST", "/trainer/pin", b"number=10005", {"Content-Type": "application/x-www-form-urlencoded"})
    assert forged[0] == 403  # no session, no XSRF token: nothing reset


def test_failed_logins_back_off_per_account(server):
    assert [server.login("wrong password") for _ in range(5)] == [403] * 5
    assert server.login() == 429  # even the right password waits now, from any address
    status, _, page = server.request("trainer/login")
    assert status == 200


def datetime_now() -> str:
    from datetime import datetime

    return datetime.now(UTC).isoformat(timespec="seconds")


def test_dashboard_counts_each_answer_once(server):
    first, second = questions(2)
    one = document({first.id: correct_response(first)})
    both = document({first.id: correct_response(first), second.id: correct_response(second)},
                    time_text="2026-11-27T11:00:00+00:00")
    for doc in (one, both):  # the second hand-in holds the first answer again: stored twice, counted once
        assert server.hand_in("10001", doc)[0] == 200
    assert server.hand_in("10002", one)[0] == 200
    assert server.login() == 200
    _, _, page = server.request("trainer")
    assert "已收到答案 3 条" in page.decode()


def test_a_checking_process_that_dies_is_replaced(server):
    """The hand-in being checked when its process dies is refused (503, kept on the device); the next ones work."""
    import os
    import signal
    from pathlib import Path

    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    checkers = [c for c in children if b"exercises.trainer.serve.worker" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert checkers
    for child in checkers:
        os.kill(int(child), signal.SIGKILL)
    q = questions(1)[0]
    statuses = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and statuses[-1:] != [200]:
        statuses.append(server.hand_in("10001", document({q.id: correct_response(q)}))[0])
    assert statuses[-1] == 200 and set(statuses) <= {200, 503}, statuses


def test_a_database_locked_elsewhere_refuses_quickly_then_works_again(server):
    """Another program holding the records' write lock past SQLite's busy timeout: the hand-in waiting for it is
    refused once (503, kept on the device), not retried for minutes, and the next one after the lock is stored."""
    import sqlite3

    q = questions(1)[0]
    doc = document({q.id: correct_response(q)})
    holder = sqlite3.connect(str(server.db), timeout=1)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        start = time.monotonic()
        status, reply = server.hand_in("10001", doc)
        waited = time.monotonic() - start
    finally:
        holder.rollback()
        holder.close()
    assert status == 503 and "仍保存在本机" in reply["error"], (status, reply)
    assert waited < 30, waited  # SQLite's busy timeout is 10 s: one wait, no retries one by one
    assert server.hand_in("10001", doc)[0] == 200
