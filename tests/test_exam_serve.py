"""The 综合测评 under `course serve` (a real server process): pages name the grading address, the book's key
file is never served, and the key comes only with a handed-in paper, graded as Python grades it."""
from __future__ import annotations

import json

import pytest

from exercises.book.assessment import shipped_papers
from exercises.questions.grading import correct_response
from exercises.renderers.html import KEY_FILE
from test_serve import raw
from test_serve_process import Server, free_port, make_records, tiny_book

pytestmark = pytest.mark.process
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def server(tmp_path):
    db, _ = make_records(tmp_path)
    book = tiny_book(tmp_path)
    (book / "_static").mkdir()
    for name in (KEY_FILE, f"{KEY_FILE}.gz", "kept.json"):
        (book / "_static" / name).write_text('{"p1-01": {"answer": "A"}}', "utf-8")
    running = Server(db, book, free_port(), ("--rate", "0")).start()
    yield running
    running.stop()


def test_key_file_withheld_and_key_only_for_a_handed_in_paper(server):
    status, _, page = raw(server, "GET", "/")
    assert status == 200 and b'<meta name="sige-assessment-key" content="/api/assessment/key">' in page
    for path in (f"/_static/{KEY_FILE}", f"/_static/{KEY_FILE}.gz", f"/_static/./{KEY_FILE}", f"/x/../_static/{KEY_FILE}"):
        assert raw(server, "GET", path)[0] == 404, path
    assert raw(server, "GET", "/_static/kept.json")[0] == 200
    name, questions = shipped_papers()[1]
    answers = {q.id: correct_response(q) for q in questions[:3]}
    status, _, body = raw(server, "POST", "/api/assessment/key", json.dumps({"paper": name, "answers": answers}).encode(),
                          JSON)
    result = json.loads(body)
    assert status == 200 and set(result["key"]) == {q.id for q in questions}
    assert all(result["key"][q.id]["explanation"] == q.explanation for q in questions)
    assert [result["grades"][q.id]["verdict"] for q in questions[:3]] == ["correct"] * 3
    assert {result["grades"][q.id]["verdict"] for q in questions[3:]} <= {"unanswered"}


@pytest.mark.parametrize("body, headers, status", [
    (b'{"paper": "seed-1", "answers": {}}', JSON, 400),
    (b'{"paper": ["seed-20241"], "answers": {}}', JSON, 400),
    (b'{"paper": "seed-20241", "answers": []}', JSON, 400),
    (b'[1, 2]', JSON, 400),
    (b'{"paper": ', JSON, 400),
    (b"[" * 100_000 + b"]" * 100_000, JSON, 400),
    (b'{"paper": "seed-20241", "answers": {}}', {"Content-Type": "text/plain"}, 415),
])
def test_hostile_requests_get_a_chinese_message(server, body, headers, status):
    got, _, answer = raw(server, "POST", "/api/assessment/key", body, headers)
    assert got == status
    message = json.loads(answer)["error"]
    assert message and all(ord(ch) < 0x2000 or "\u4e00" <= ch <= "\u9fff" or ch in "，。：；“”" for ch in message)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)
