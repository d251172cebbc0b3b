"""Hand-in from the page in Chromium: the built book served by `course serve`, each question type answered,
「交给培训师」 sends the stored document, the page shows what the server stored, the records and the trainer's
dashboard have it; the 综合测评 hands in its attempt; the same book opened from disk has no hand-in at all."""
from __future__ import annotations

import re

import pytest

from exercises.questions.bank import load_all
from exercises.questions.grading import correct_response
from exercises.trainer.records.store import Records
from page_helpers import fill_in
from test_serve_process import BATCH, Server, free_port, make_records

pytestmark = pytest.mark.process
TYPES = ("single", "multiple", "truefalse", "fill", "order", "match")
QUESTIONS = {q.id: q for bank in load_all() for q in bank.questions}


@pytest.fixture
def served(tmp_path, built_book):
    db, _ = make_records(tmp_path)
    running = Server(db, built_book, free_port()).start()
    yield running
    running.stop()


def _open(chromium, url: str):
    context = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return context, page, problems


def _hand_in(page, code: str, number: str, pin: str | None = None) -> str:
    box = page.locator(".sige-handin").first
    box.get_by_label("期次码").fill(code)
    box.get_by_label("学号").fill(number)
    if pin is not None:
        box.get_by_label("个人码").fill(pin)
    box.get_by_role("button", name="交给培训师").click()
    status = box.locator(".sige-handin-status")
    page.wait_for_function("el => /已交给培训师|已经有了|未能交上|无法连接|请填写/.test(el.textContent)",
                           arg=status.element_handle(), timeout=30_000)
    return status.inner_text()


def test_learner_hands_in_each_type_from_a_phone_and_the_trainer_sees_it(served, chromium):
    context, page, problems = _open(chromium, served.url + "book/ch1-political.html")
    chosen = []
    for kind in TYPES:
        q = QUESTIONS[page.locator(f"section[data-type='{kind}']").first.get_attribute("data-qid")]
        fill_in(page, q, correct_response(q))
        page.locator(f"section[data-qid='{q.id}']").get_by_role("button", name="提交").click()
        chosen.append(q)
    assert page.locator(".sige-handin").count() == page.locator(".sige-progress").count() >= 1
    pin = served.pins["10003"]
    assert "个人码" in _hand_in(page, served.code, "10003", "")  # asked for before anything is sent
    # typed on a phone: lower case, full-width digits
    text = _hand_in(page, served.code.lower(), "１０００３", pin.lower())
    assert re.search(r"已交给培训师（学号 10003），本次新记入 6 条答案。培训师处现有你的练习答案 6 题", text), text
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator(".sige-handin").first.get_by_label("个人码").input_value() == pin.lower()  # remembered
    assert "已经有了" in _hand_in(page, served.code, "10003")  # sending again changes nothing
    assert problems == [], problems  # no CSP violation, no script error
    assert "学号或个人码不对" in _hand_in(page, served.code, "10003", "ABCDEF" if pin != "ABCDEF" else "ABCDEG")
    assert "未能交上" in _hand_in(page, "ZZZZZ2", "10003") and "期次码" in page.locator(".sige-handin-status").first.inner_text()

    records = Records(str(served.db))
    learner = next(l for l in records.batch_data(BATCH).learners if l.number == "10003")
    records.close()
    assert {q.id: learner.practice[q.id].response for q in chosen} == {
        q.id: (list(r) if isinstance(r, tuple) else r) for q, r in ((q, correct_response(q)) for q in chosen)}

    trainer = chromium.new_context()
    desk = trainer.new_page()
    desk.goto(served.url + "trainer/login")
    desk.get_by_label("培训师密码").fill("培训师-secret-42")
    desk.get_by_role("button", name="登录").click()
    desk.wait_for_url(re.compile(r"/trainer$"))
    unit = desk.locator("h3", has_text="第 1 单元")
    assert "已交 1 人，未交 4 人" in unit.inner_text()
    for q in chosen:
        assert "100.0%" in desk.locator(f"#q-{q.id}").inner_text()
    desk.goto(served.url + "trainer/project")
    assert served.code in desk.locator("main").inner_text() and desk.locator("svg").count() == 1
    trainer.close()
    context.close()


def test_assessment_attempt_is_handed_in(served, chromium):
    context, page, problems = _open(chromium, served.url + "book/assessment.html")
    first = QUESTIONS[page.locator("section[data-qid]:visible").first.get_attribute("data-qid")]
    fill_in(page, first, correct_response(first))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    page.locator(".sige-feedback[data-verdict]").first.wait_for()  # graded by the server, which sent the key
    page.get_by_label("学号（交卷必填）").fill("10004")  # typed for the export: the hand-in offers it
    page.get_by_label("学号（交卷必填）").press("Tab")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator(".sige-handin").first.get_by_label("学号").input_value() == "10004"
    text = _hand_in(page, served.code, "10004", served.pins["10004"])
    assert "综合测评 1 次" in text, text
    records = Records(str(served.db))
    learner = next(l for l in records.batch_data(BATCH).learners if l.number == "10004")
    records.close()
    (_, answers), = learner.assessment.items()
    assert first.id in answers
    assert problems == [], problems
    context.close()


def test_the_slip_qr_address_fills_number_and_pin(served, chromium):
    from exercises.trainer.print.slips import slip_url

    context, page, problems = _open(chromium, slip_url(served.url, "10002", served.pins["10002"]))
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    assert "#" not in page.url  # the 个人码 does not stay in the address bar or the history
    page.goto(served.url + "book/ch1-political.html")
    page.wait_for_load_state("networkidle")
    box = page.locator(".sige-handin").first
    assert box.get_by_label("学号").input_value() == "10002"
    assert box.get_by_label("个人码").input_value() == served.pins["10002"]
    assert problems == [], (problems, missing)
    context.close()


def test_the_book_opened_from_disk_has_no_hand_in(built_book, chromium):
    context, page, problems = _open(chromium, (built_book / "book" / "ch1-political.html").as_uri())
    assert page.locator(".sige-progress").count() >= 1 and page.locator(".sige-handin").count() == 0
    assert "handin.js" not in (built_book / "book" / "ch1-political.html").read_text("utf-8")
    context.close()
