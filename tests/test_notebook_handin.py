"""「交给培训师」in a notebook, driven through the widgets' API against the real `course serve` on localhost (and,
for replies no classroom server gives, a small local HTTP server): the receipt, the server's refusals, the
remembered address, 期次码 and 个人码 (never in the results file), and every failure as one Chinese line."""
from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from exercises.questions.grading import correct_response, grade
from exercises.questions.progress import ProgressStore
from exercises.renderers import handin_client
from exercises.renderers.handin_client import BAD_ADDRESS, NO_SERVICE, ODD_REPLY, hand_in, handin_url
from exercises.renderers.handin_memory import memory_path
from exercises.renderers.results_panel import ResultsPanel
from exercises.trainer.serve import handin as server_handin
from test_serve_process import BATCH, free_port, records_db, server, stored_answers  # noqa: F401  (the running course serve fixture)

pytestmark = pytest.mark.process
PIN = "K7M3QX"  # a 个人码 for the local HTTP server, found nowhere else
RECEIPT = json.dumps({"number": "10001", "batch": BATCH, "new_answers": 1, "practice": 1, "assessment": 0,
                      "time": "2026-11-27T10:00:00+00:00", "repeated": False}).encode()


def answered(folder, questions) -> ProgressStore:
    store = ProgressStore(folder / "progress.json")
    for q in questions:
        store.record(grade(q, correct_response(q)))
    return store


def fill(panel: ResultsPanel, number: str, address: str, code: str, pin: str) -> None:
    panel.learner_id.value = number
    panel.handin.server.value, panel.handin.code.value, panel.handin.pin.value = address, code, pin


# ---- against the real classroom server -------------------------------------------------------------
def test_a_right_hand_in_is_stored_and_the_receipt_shown_typed_once(server, tmp_path, banks):  # noqa: F811
    questions = banks[0].questions[:2]
    panel = ResultsPanel(answered(tmp_path, questions), export_dir=tmp_path / "export")
    assert (panel.handin.send_button.description, panel.handin.server.description,
            panel.handin.code.description, panel.handin.pin.description) == ("交给培训师", "服务器地址", "期次码", "个人码")
    pin = server.pins["10001"]
    fill(panel, "10001", server.url, server.code, pin)
    panel.handin.send_button.click()
    assert "已交给培训师（学号 10001），本次新记入 2 条答案。培训师处现有你的练习答案 2 题、综合测评 0 次" \
        in panel.handin.status.value, panel.handin.status.value
    assert stored_answers(server.db) == {"10001": {("practice", q.id) for q in questions}}
    assert not panel.handin.send_button.disabled

    # a new notebook (new store, new panel): only the answer is new, nothing is typed again
    again = ResultsPanel(answered(tmp_path, banks[0].questions[2:3]), export_dir=tmp_path / "export")
    assert (again.learner_id.value, again.handin.server.value, again.handin.code.value, again.handin.pin.value) \
        == ("10001", server.url, server.code, pin)
    again.handin.send_button.click()
    assert "培训师处现有你的练习答案 3 题" in again.handin.status.value, again.handin.status.value
    assert stored_answers(server.db) == {"10001": {("practice", q.id) for q in banks[0].questions[:3]}}
    again.handin.send_button.click()
    assert "这些答案培训师处已经有了，无需重复交：练习答案 3 题" in again.handin.status.value

    # the 个人码 is in its own owner-only file, never in the progress file or an exported results file
    again.name.value = "张三"
    exported = again.export()
    remembered = memory_path(tmp_path / "progress.json")
    assert json.loads(remembered.read_text("utf-8"))["pin"] == pin and remembered.stat().st_mode & 0o777 == 0o600
    for path in (exported, tmp_path / "progress.json"):
        assert pin not in path.read_text("utf-8") and server.code not in path.read_text("utf-8")


@pytest.mark.parametrize("wrong", ["pin", "code"])
def test_a_wrong_pin_or_code_shows_the_servers_line_and_stores_nothing(server, tmp_path, banks, wrong):  # noqa: F811
    panel = ResultsPanel(answered(tmp_path, banks[0].questions[:1]))
    pin = server.pins["10002"] if wrong == "pin" else server.pins["10001"]  # another learner's code
    code = server.code if wrong == "pin" else "ABCDEF"
    fill(panel, "10001", server.url, code, pin)
    panel.handin.send_button.click()
    line = server_handin.WRONG_LEARNER if wrong == "pin" else server_handin.WRONG_CODE
    assert panel.handin.status.value == f"<p>未能交上：{line}</p>"
    assert stored_answers(server.db) == {}


def test_the_server_address_may_be_typed_loosely(server, tmp_path, banks):  # noqa: F811
    panel = ResultsPanel(answered(tmp_path, banks[1].questions[:1]))
    loose = f"  127．0．0．1：{server.port}  "  # full-width punctuation, no http://, spaces
    fill(panel, "10003", loose, server.code.lower(), server.pins["10003"])
    panel.handin.send_button.click()
    assert "已交给培训师（学号 10003）" in panel.handin.status.value, panel.handin.status.value
    assert stored_answers(server.db) == {"10003": {("practice", banks[1].questions[0].id)}}


def test_missing_fields_and_no_answers_are_said_before_anything_is_sent(server, tmp_path, banks):  # noqa: F811
    panel = ResultsPanel(ProgressStore(tmp_path / "progress.json"))
    handin = panel.handin
    fill(panel, "", server.url, server.code, server.pins["10001"])
    handin.send_button.click()
    assert handin.status.value == "<p>请先在上面的“学号”一栏填写学号，再交。</p>"
    fill(panel, "10001", server.url, "", server.pins["10001"])
    handin.send_button.click()
    assert "请填写期次码" in handin.status.value
    fill(panel, "10001", server.url, server.code, " ")
    handin.send_button.click()
    assert "请填写个人码" in handin.status.value
    fill(panel, "10001", server.url, server.code, server.pins["10001"])
    handin.send_button.click()
    assert handin.status.value == "<p>本机还没有保存任何答案：先作答，再交。</p>"
    assert stored_answers(server.db) == {}


# ---- addresses and replies no classroom server gives ----------------------------------------------
@pytest.mark.parametrize("address", ["ftp://127.0.0.1/", "file:///etc/passwd", "javascript:alert(1)", "http://",
                                     "http://127.0.0.1:99999/", "http://127.0.0.1:8000/\n#x", "培训师的电脑"])
def test_a_non_http_address_is_refused_without_a_connection(tmp_path, banks, address):
    panel = ResultsPanel(answered(tmp_path, banks[0].questions[:1]))
    fill(panel, "10001", address, "ABCDEF", PIN)
    panel.handin.send_button.click()
    assert panel.handin.status.value == f"<p>{BAD_ADDRESS}</p>"
    assert not memory_path(tmp_path / "progress.json").exists()  # a wrong address is not remembered


def test_address_forms():
    assert handin_url("http://192.168.1.20:8000/") == "http://192.168.1.20:8000/api/collect/handin"
    assert handin_url("192.168.1.20:8000") == "http://192.168.1.20:8000/api/collect/handin"
    assert handin_url("HTTPS://user:secret@课堂.example:8443/trainer/project?x=1#y") is None  # not ASCII
    assert handin_url("https://user:secret@class.example:8443/trainer?x=1#y") == \
        "https://class.example:8443/api/collect/handin"  # the server's root; no credentials sent
    assert handin_url("http://[::1]:8000/") == "http://[::1]:8000/api/collect/handin"
    assert handin_client.MAX_BODY == server_handin.MAX_BODY


def test_an_unreachable_server_is_one_line(tmp_path, banks):
    panel = ResultsPanel(answered(tmp_path, banks[0].questions[:1]))
    port = free_port()
    fill(panel, "10001", f"http://127.0.0.1:{port}/", "ABCDEF", PIN)
    panel.handin.send_button.click()
    assert panel.handin.status.value == (f"<p>无法连接培训师的电脑（127.0.0.1:{port}）：请核对服务器地址，确认本机与培训师的电脑"
                                         "在同一网络后再试。答案仍保存在本机，不会丢失。</p>")
    assert memory_path(tmp_path / "progress.json").exists()  # typed once, even when the first try fails


class Odd(BaseHTTPRequestHandler):
    """Replies as ``mode`` says; keeps every request it receives."""

    mode = ""
    received: list[tuple[str, dict, bytes]] = []

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {"Content-Type": "application/json"}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Odd.received.append((self.path, dict(self.headers), b""))
        self._send(200, b"{}")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Odd.received.append((self.path, dict(self.headers), body))
        mode = Odd.mode
        if mode == "receipt":
            self._send(200, RECEIPT)
        elif mode == "huge":  # a receipt, were it read to the end
            self._send(200, RECEIPT + b" " * 20_000_000)
        elif mode == "endless":  # no length, never ends
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"[" * 65_536)
            except OSError:
                pass
        elif mode == "html":
            self._send(200, b"<html>login</html>", {"Content-Type": "text/html"})
        elif mode == "hostile error":
            self._send(500, json.dumps({"error": "<script>x</script>\n忙\x00" + "长" * 5000}).encode())
        elif mode == "not found":
            self._send(404, b"<html>404</html>", {"Content-Type": "text/html"})
        elif mode == "redirect":
            self._send(302, b"", {"Location": "/elsewhere"})
        elif mode == "slow":
            time.sleep(3)
            self._send(200, b"{}")
        elif mode == "hang up":
            self.close_connection = True
            self.connection.shutdown(2)


@pytest.fixture
def odd():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Odd)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Odd.received = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def test_the_document_sent_is_the_store_and_the_pin_travels_only_as_pin(odd, tmp_path, banks):
    Odd.mode = "receipt"
    store = answered(tmp_path, banks[0].questions[:3])
    panel = ResultsPanel(store)
    panel.name.value = "李四"
    fill(panel, "10001", odd, "ABCDEF", PIN)
    assert panel.handin.send() is True
    assert "已交给培训师（学号 10001），本次新记入 1 条答案" in panel.handin.status.value
    [(path, headers, body)] = Odd.received
    sent = json.loads(body)
    assert path == "/api/collect/handin" and headers["Content-Type"].startswith("application/json")
    assert set(sent) == {"code", "number", "pin", "document"}
    assert (sent["code"], sent["number"], sent["pin"]) == ("ABCDEF", "10001", PIN)
    assert sent["document"] == json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert sent["document"]["learner"] == "李四" and len(sent["document"]["answers"]) == 3
    assert PIN not in json.dumps(sent["document"]) and PIN not in (tmp_path / "progress.json").read_text("utf-8")


@pytest.mark.parametrize("mode, line", [
    ("huge", ODD_REPLY), ("endless", ODD_REPLY), ("html", ODD_REPLY),
    ("not found", NO_SERVICE.format(status=404)), ("redirect", NO_SERVICE.format(status=302)),
    ("hang up", "连接在培训师的电脑回复前中断，不能确认是否已交上：请稍后再交一次（再次交会合并，不会重复记入）。"
                "答案仍保存在本机，不会丢失。"),
])
def test_odd_replies_are_capped_and_said_in_one_line(odd, tmp_path, banks, mode, line):
    Odd.mode = mode
    panel = ResultsPanel(answered(tmp_path, banks[0].questions[:1]))
    fill(panel, "10001", odd, "ABCDEF", PIN)
    started = time.monotonic()
    assert panel.handin.send() is False
    assert time.monotonic() - started < 5  # a huge or endless reply is cut off, not read to the end
    assert panel.handin.status.value == f"<p>{line}</p>"
    assert [r[0] for r in Odd.received] == ["/api/collect/handin"]  # no redirect followed


def test_the_servers_error_line_is_escaped_on_one_bounded_line(odd, tmp_path, banks):
    Odd.mode = "hostile error"
    panel = ResultsPanel(answered(tmp_path, banks[0].questions[:1]))
    fill(panel, "10001", odd, "ABCDEF", PIN)
    panel.handin.send_button.click()
    shown = panel.handin.status.value
    assert shown.startswith("<p>未能交上：&lt;script&gt;x&lt;/script&gt; 忙") and "<script>" not in shown
    assert "\n" not in shown and len(shown) < 400


def test_a_slow_server_times_out_with_one_line(odd, banks):
    Odd.mode = "slow"
    q = banks[0].questions[0]
    document = {"answers": {q.id: {"answer": correct_response(q)}}}
    started = time.monotonic()
    outcome = hand_in(odd, "ABCDEF", "10001", PIN, document, timeout=0.5)
    assert time.monotonic() - started < 2.5
    assert outcome == handin_client.Outcome(False, handin_client.TOO_SLOW)


def test_a_memory_that_cannot_be_written_still_hands_in_and_says_so(odd, tmp_path, banks):
    Odd.mode = "receipt"
    panel = ResultsPanel(answered(tmp_path, banks[0].questions[:1]))
    memory_path(tmp_path / "progress.json").mkdir()  # a folder where the file should go
    fill(panel, "10001", odd, "ABCDEF", PIN)
    assert panel.handin.send() is True
    assert "已交给培训师" in panel.handin.status.value
    assert "（服务器地址、期次码和个人码未能记住：" in panel.handin.status.value
    assert os.listdir(memory_path(tmp_path / "progress.json")) == []
