"""The 综合测评 as an exam in real Chromium (390 px touch and 1280 px): no key in the page before 交卷, answers
kept over a reload, the review after 交卷, 再测一次 with another paper and shuffled options."""
from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from exercises.book.assessment import shipped_papers
from exercises.questions.grading import correct_response
from exercises.questions.model import OPTION_KEYS
from exercises.questions.presentation import answer_text
from exercises.questions.results import schema_problems
from exercises.questions.shuffle import shuffled_keys
from exercises.questions.types import type_of
from exercises.questions.versions import fingerprint
from exercises.renderers.html import KEY_FILE
from page_helpers import fill_in

SIZES = {"phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
         "desktop": {"viewport": {"width": 1280, "height": 900}}}
PAPERS = shipped_papers()
QUESTIONS = {q.id: q for _, questions in PAPERS for q in questions}
STORED = "() => JSON.parse(localStorage.getItem('sige-course-results'))"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(built_book)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class Exam:
    """The assessment page in a fresh context, its requests and errors recorded; the network cut."""

    def __init__(self, browser, base, size):
        self.context = browser.new_context(accept_downloads=True, **SIZES[size])
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.problems.append(str(exc)))
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.url = f"{base}/book/assessment.html"

    def _route(self, route):
        self.requests.append(route.request.url)
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    def open(self):
        self.page.goto(self.url, wait_until="networkidle")
        return self.page

    def shown(self) -> list[str]:
        return self.page.locator("section.sige-question:visible").evaluate_all("l => l.map(s => s.dataset.qid)")

    def hand_in(self):
        self.page.once("dialog", lambda dialog: dialog.accept())
        self.page.get_by_role("button", name="交卷").click()
        self.page.locator(".sige-feedback[data-verdict]").first.wait_for()


@pytest.fixture(params=list(SIZES))
def exam(request, chromium, site):
    made = Exam(chromium, site, request.param)
    yield made
    made.context.close()


def _shown(q) -> str:
    """What a question shows before 交卷: its stem and the texts of its controls."""
    form = type_of(q).form(q).to_json()
    choices = [str(c[1]) if isinstance(c, list) else str(c) for control in form["controls"]
               for c in control.get("choices", [])]
    return "\n".join([q.stem, *choices, *(c.get("label", "") for c in form["controls"])])


SHOWN = "\n".join(_shown(q) for q in QUESTIONS.values())


def _key_texts(q) -> list[str]:
    """What only the key says: 解析, 原文依据 and the answer, unless a question shows the same words."""
    return [t for t in (q.explanation, q.source, answer_text(q)) if len(t) >= 6 and t not in SHOWN]


def test_nothing_of_the_key_before_hand_in(exam):
    page = exam.open()
    assert exam.shown() == [q.id for q in PAGES_FIRST]
    html = page.content()
    text = page.evaluate("() => document.documentElement.textContent")
    leaked = [(q.id, t[:20]) for q in QUESTIONS.values() for t in _key_texts(q) if t in html or t in text]
    assert leaked == []
    assert page.locator("details.sige-key").count() == 0 and "查看答案与解析" not in text
    assert not [u for u in exam.requests if KEY_FILE in u]
    first = QUESTIONS[exam.shown()[0]]
    fill_in(page, first, correct_response(first))
    assert page.locator(".sige-feedback[data-verdict]").count() == 0
    exam.hand_in()
    assert [u for u in exam.requests if KEY_FILE in u]
    review = page.locator(f"section[data-qid='{first.id}']").inner_text()
    assert "回答正确" in review and "解析：" in review and "原文依据：" in review and first.explanation in review
    assert exam.problems == []


PAGES_FIRST = PAPERS[0][1]


def test_a_reload_in_the_middle_keeps_the_answers(exam):
    page = exam.open()
    ids = [i for i in exam.shown() if QUESTIONS[i].type != "short"][:3]
    for i in ids:
        fill_in(page, QUESTIONS[i], correct_response(QUESTIONS[i]))
    page.reload(wait_until="networkidle")
    assert exam.shown() == [q.id for q in PAGES_FIRST]
    assert page.locator(".sige-feedback[data-verdict]").count() == 0
    exam.hand_in()
    attempt = page.evaluate(STORED)["assessment"]["attempts"][-1]
    assert [attempt["answers"][i]["verdict"] for i in ids] == ["correct"] * 3
    assert attempt["paper"] == PAPERS[0][0] and schema_problems(page.evaluate(STORED)) == []
    assert all(a["question_version"] == fingerprint(QUESTIONS[i]) for i, a in attempt["answers"].items())
    assert exam.problems == []


def test_again_draws_another_paper_with_shuffled_options_and_keeps_it_over_a_reload(exam):
    page = exam.open()
    exam.hand_in()
    page.get_by_role("button", name="再测一次").click()
    second = exam.shown()
    names = {name: [q.id for q in questions] for name, questions in PAPERS}
    assert second in names.values() and second != names[PAPERS[0][0]]
    assert page.locator(".sige-feedback[data-verdict]").count() == 0
    seed = page.evaluate(STORED)["seed"]
    single = next(QUESTIONS[i] for i in second if QUESTIONS[i].type == "single")
    labels = page.locator(f"section[data-qid='{single.id}'] label.sige-choice")
    order = shuffled_keys(list(OPTION_KEYS[:len(single.options)]), f"{seed}/2", single.id)
    assert labels.evaluate_all("l => l.map(x => x.querySelector('input').value)") == order
    shown = [t.strip() for t in labels.all_inner_texts()]
    assert shown == [f"{OPTION_KEYS[i]}. {single.options[OPTION_KEYS.index(k)]}" for i, k in enumerate(order)]
    fill_in(page, single, correct_response(single))
    page.reload(wait_until="networkidle")
    assert exam.shown() == second and page.get_by_role("button", name="交卷").is_enabled()
    assert page.locator(f"section[data-qid='{single.id}'] input[value='{single.answer}']").is_checked()
    exam.hand_in()
    attempts = page.evaluate(STORED)["assessment"]["attempts"]
    assert len(attempts) == 2 and attempts[-1]["answers"][single.id]["verdict"] == "correct"
    review = page.locator(f"section[data-qid='{single.id}']").inner_text()
    assert "原文依据：" in review and single.source in review
    with page.expect_download() as download:
        page.get_by_role("button", name="导出成绩文件").click()
    assert json.loads(open(download.value.path(), encoding="utf-8").read())["assessment"]["attempts"] == attempts
    assert exam.problems == []
