"""The built site in real headless Chromium: offline pages, search, in-page self-check, keyboard, a11y, layout."""
from __future__ import annotations

import functools
import json
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest

from exercises.questions.bank import bank_for_pillar
from exercises.questions.grading import correct_response
from exercises.questions.progress import ProgressStore
from exercises.questions.results import FORMAT, VERSION, export_name
from page_helpers import fill_in

TYPES = ("single", "multiple", "truefalse", "fill", "order", "match")
EXTERNAL_ASSET = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=[\"'](?:https?:)?//"
    r"|<link\b[^>]*\bhref=[\"'](?:https?:)?//"
    r"|url\([\"']?(?:https?:)?//|@import\s+[\"']?(?:url\()?[\"']?(?:https?:)?//",
    re.IGNORECASE,
)
UNNAMED_CONTROL = re.compile(r"^\s*- (radio|checkbox|textbox|combobox|button|link)(?: \[[^\]]*\])?:?\s*$", re.M)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    """The built book served over HTTP on 127.0.0.1; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(built_book))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


class Watched:
    """A page in a fresh context with the network cut: every non-localhost request is aborted and recorded."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(accept_downloads=True, **context_options)
        self.problems: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda exc: self.problems.append(f"pageerror: {exc}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def _route(self, route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def watched(chromium):
    made = []

    def make(**options):
        made.append(Watched(chromium, **options))
        return made[-1]

    yield make
    for w in made:
        w.close()


def _pages(built_book):
    return sorted(p.relative_to(built_book).as_posix() for p in built_book.rglob("*.html")
                  if not p.relative_to(built_book).as_posix().startswith(("_static/", "_sources/")))


def _section(page, kind):
    return page.locator(f"section.sige-question[data-type='{kind}']").first


def _question(page, kind):
    qid = _section(page, kind).get_attribute("data-qid")
    return bank_for_pillar(1).question(qid)


# ---- offline ---------------------------------------------------------------------------------------

def test_no_external_scripts_styles_or_fonts(built_book):
    offenders = []
    for path in [*built_book.rglob("*.html"), *built_book.rglob("*.css")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(built_book)}: {m.group(0)}" for m in EXTERNAL_ASSET.finditer(text)]
    assert offenders == []


def test_every_page_works_offline_without_errors(built_book, site, watched):
    pages = _pages(built_book)
    assert {"index.html", "search.html", "book/ch1-political.html", "book/article.html"} <= set(pages)
    w = watched()
    problems = {}
    for name in pages:
        w.problems.clear()
        w.open(f"{site}/{name}")
        if w.problems:
            problems[name] = list(w.problems)
    assert problems == {}
    page = w.open(f"{site}/book/ch1-political.html")
    assert page.locator("form.sige-check:not([hidden])").count() >= 6  # the self-check script ran offline
    assert page.locator("img").evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")


# ---- search ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("term, chapter", [
    ("小马拉大车", "book/ch4-foundation.html"),
    ("全面深化改革", "book/ch1-political.html"),
    ("关键少数", "book/ch1-political.html"),
])
def test_search_box_leads_to_the_chapter(site, watched, term, chapter):
    w = watched()
    page = w.open(f"{site}/index.html")
    page.locator("button.search-button__button, .search-button-field").first.click()
    box = page.locator("#pst-search-dialog input[name=q]")
    box.fill(term)
    box.press("Enter")
    page.wait_for_url(re.compile(r"search\.html\?q="))
    link = page.locator(f"#search-results a[href*='{chapter}']").first
    link.wait_for(timeout=15_000)
    link.click()
    page.wait_for_load_state("networkidle")
    assert urlparse(page.url).path.endswith(chapter)
    assert term in page.locator("main").inner_text()
    assert w.problems == []


# ---- self-check ------------------------------------------------------------------------------------

def _answer_by_mouse(page, q, response):
    section = fill_in(page, q, response)
    section.get_by_role("button", name="提交").click()
    return section.locator(".sige-feedback")


def test_learner_answers_each_type_and_sees_feedback(site, watched, tmp_path):
    w = watched()
    page = w.open(f"{site}/book/ch1-political.html")
    expected_total = 0.0
    for kind in TYPES:
        q = _question(page, kind)
        feedback = _answer_by_mouse(page, q, correct_response(q))
        assert feedback.get_attribute("data-verdict") == "correct", kind
        text = feedback.inner_text()
        assert "回答正确" in text and f"得分 {q.points:g} / {q.points:g}" in text
        assert q.explanation in text and q.source in text
        expected_total += q.points
    assert f"得分：{expected_total:g} /" in page.locator(".sige-total").inner_text()

    # a wrong answer, then 重做
    single = _question(page, "single")
    wrong = next(k for k in "ABCD" if k != single.answer)
    feedback = _answer_by_mouse(page, single, wrong)
    assert "回答错误" in feedback.inner_text() and f"正确答案是 {single.answer}" in feedback.inner_text()
    page.locator(f"section[data-qid='{single.id}']").get_by_role("button", name="重做").click()
    assert feedback.inner_text() == ""
    assert page.locator(f"section[data-qid='{single.id}'] input:checked").count() == 0

    # hostile text is shown as text, never as markup
    fill = _question(page, "fill")
    hostile = ["<img src=x onerror=window.hacked=1>"] * len(fill.blanks)
    feedback = _answer_by_mouse(page, fill, hostile)
    assert "<img src=x onerror=window.hacked=1>" in feedback.inner_text()
    assert feedback.locator("img").count() == 0 and page.evaluate("window.hacked") is None

    # progress survives a reload, and the export is a results file the Python side reads
    page.reload()
    page.wait_for_load_state("networkidle")
    multiple = _question(page, "multiple")
    restored = page.locator(f"section[data-qid='{multiple.id}'] .sige-feedback")
    assert restored.get_attribute("data-verdict") == "correct"
    page.get_by_label("姓名（可不填）").fill("  张三<b>\t")
    page.get_by_label("学号（交卷必填）").fill("1024")
    page.get_by_label("学号（交卷必填）").press("Tab")
    with page.expect_download() as info:
        page.get_by_role("button", name="导出成绩文件").click()
    assert info.value.suggested_filename == export_name("张三<b>", "1024") == "成绩-张三_b-1024.json"
    saved = tmp_path / "results.json"
    info.value.save_as(saved)
    store = ProgressStore(saved)
    assert store.message == ""
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    assert (data["learner"], data["learner_id"]) == ("张三<b>", "1024")
    assert data["answers"][multiple.id]["verdict"] == "correct"
    assert data["answers"][multiple.id]["answer"] == list(multiple.answer)
    assert data["answers"][fill.id]["verdict"] == "incorrect"
    assert single.id not in data["answers"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="清除本页练习的记录").click()
    assert restored.inner_text() == ""
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator(".sige-feedback[data-verdict]").count() == 0
    assert w.problems == []


def _answer_by_keyboard(page, q):
    """Answer ``q`` correctly with key presses only, starting from focus on its first control."""
    section = page.locator(f"section[data-qid='{q.id}']")
    section.locator(".sige-controls input, .sige-controls select").first.focus()
    keys = page.keyboard
    if q.type in ("single", "truefalse"):
        values = [v for v in section.locator("input").evaluate_all("xs => xs.map(x => x.value)")]
        target = values.index(q.answer if q.type == "single" else str(q.answer).lower())
        keys.press("Space")
        for _ in range(target):
            keys.press("ArrowDown")
        keys.press("Tab")
    elif q.type == "multiple":
        for index in range(len(q.options)):
            if "ABCDEF"[index] in q.answer:
                keys.press("Space")
            keys.press("Tab")
    elif q.type == "fill":
        for variants in q.blanks:
            keys.insert_text(variants[0])
            keys.press("Tab")
    else:
        selects = section.locator("select").all()
        wanted = list(q.items) if q.type == "order" else [right for _, right in q.pairs]
        for select, text in zip(selects, wanted):
            labels = select.locator("option").all_inner_texts()
            for _ in range(labels.index(text)):
                keys.press("ArrowDown")
            keys.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "提交"
    keys.press("Enter")
    return section.locator(".sige-feedback")


def test_each_type_can_be_answered_with_the_keyboard(site, watched):
    w = watched()
    page = w.open(f"{site}/book/ch1-political.html")
    for kind in TYPES:
        q = _question(page, kind)
        feedback = _answer_by_keyboard(page, q)
        assert feedback.get_attribute("data-verdict") == "correct", (kind, feedback.inner_text())
    assert w.problems == []


def test_every_control_has_an_accessible_name(site, watched):
    w = watched()
    page = w.open(f"{site}/book/ch1-political.html")
    snapshot = page.locator("body").aria_snapshot()
    assert UNNAMED_CONTROL.findall(snapshot) == []
    questions = page.locator(".sige-questions").aria_snapshot()
    controls = page.locator(".sige-questions").locator("input, select, button").count()
    named = len(re.findall(r'^\s*- (?:radio|checkbox|textbox|combobox|button) "[^"]+', questions, re.M))
    assert named == controls > 0


def test_without_javascript_no_dead_controls(site, watched):
    w = watched(java_script_enabled=False)
    page = w.open(f"{site}/book/ch1-political.html")
    assert page.locator("section.sige-question").count() > 0
    assert page.locator("input:visible, select:visible, .sige-questions button:visible").count() == 0
    assert page.locator("details.sige-key summary:visible").count() == page.locator("section.sige-question").count()


@pytest.mark.parametrize("width", [390, 1280])
def test_chapter_layout_fits_phone_and_desktop(site, watched, tmp_path, width):
    w = watched(viewport={"width": width, "height": 900})
    page = w.open(f"{site}/book/ch1-political.html")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    q = _question(page, "match")
    section = page.locator(f"section[data-qid='{q.id}']")
    box = section.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    for control in section.locator("select").all():
        c = control.bounding_box()
        assert c["x"] + c["width"] <= box["x"] + box["width"]
    shot = page.screenshot(full_page=True)
    assert int.from_bytes(shot[16:20], "big") == width  # PNG header: the page is drawn no wider than the screen
    assert w.problems == []


def test_assessment_page_breaks_the_score_down_by_pillar(site, watched):
    from exercises.questions.bank import load_all

    questions = {q.id: q for bank in load_all() for q in bank.questions}
    page = watched().open(f"{site}/book/assessment.html")
    table = page.locator(".sige-breakdown")
    assert not table.is_visible()  # nothing is scored before 交卷
    first = questions[page.locator("section.sige-question:not([data-type='short']):visible").first.get_attribute("data-qid")]
    fill_in(page, first, correct_response(first))
    assert page.locator(".sige-feedback[data-verdict]").count() == 0  # a test shows nothing before 交卷
    page.once("dialog", lambda dialog: dialog.accept())  # "还有 N 道题未作答，确定交卷吗？"
    page.get_by_role("button", name="交卷").click()
    page.locator(f"section[data-qid='{first.id}'] .sige-feedback p.sige-verdict").wait_for()
    assert page.locator(f"section[data-qid='{first.id}'] .sige-feedback").get_attribute("data-verdict") == "correct"
    assert table.is_visible() and table.locator("tbody tr").count() == 4
    title = ("突出政治引领", "突出选贤任能", "突出人才引育", "突出固本强基")[first.pillar - 1]
    row = table.locator("tbody tr", has=page.locator("th", has_text=title))
    assert row.locator("td").first.inner_text().startswith(f"{first.points:g} / ")
    assert row.locator("td").nth(1).inner_text().strip().endswith("%")
    for other in {"突出政治引领", "突出选贤任能", "突出人才引育", "突出固本强基"} - {title}:
        assert table.locator("tbody tr", has=page.locator("th", has_text=other)).locator("td").first \
            .inner_text().startswith("0 / ")
    # a chapter page covers one pillar: no breakdown there
    chapter = watched().open(f"{site}/book/ch1-political.html")
    assert not chapter.locator(".sige-breakdown").is_visible()


def test_two_tabs_keep_each_others_answers(site, watched):
    """Chapter 1 in one tab, chapter 2 in another, answering in turn: both answers are stored and shown."""
    w = watched()
    first = w.open(f"{site}/book/ch1-political.html")
    second = w.context.new_page()
    second.goto(f"{site}/book/ch2-cadres.html")
    second.wait_for_load_state("networkidle")
    q1 = _question(first, "single")
    q2 = bank_for_pillar(2).question(_section(second, "single").get_attribute("data-qid"))
    _answer_by_mouse(first, q1, correct_response(q1))
    _answer_by_mouse(second, q2, correct_response(q2))
    stored = json.loads(first.evaluate("localStorage.getItem('sige-course-results')"))
    assert {q1.id, q2.id} <= set(stored["answers"])
    first.reload()
    first.wait_for_load_state("networkidle")
    assert first.locator(f"section[data-qid='{q1.id}'] .sige-feedback").get_attribute("data-verdict") == "correct"
    # the other tab follows a change made here (storage event)
    first.locator(f"section[data-qid='{q1.id}']").get_by_role("button", name="重做").click()
    second_stored = json.loads(second.evaluate("localStorage.getItem('sige-course-results')"))
    assert q1.id not in second_stored["answers"] and q2.id in second_stored["answers"]
    assert w.problems == []


SIZES = {"phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
         "desktop": {"viewport": {"width": 1280, "height": 900}}}


@pytest.mark.parametrize("size", SIZES)
def test_another_tab_never_erases_unsubmitted_input(site, watched, size):
    """Typed and ticked but not submitted in one tab; another tab submits an answer on the same page: the
    first tab shows that answer and keeps what was typed and ticked."""
    w = watched(**SIZES[size])
    first = w.open(f"{site}/book/ch1-political.html")
    second = w.context.new_page()
    second.goto(f"{site}/book/ch1-political.html")
    second.wait_for_load_state("networkidle")
    typed, ticked, other = _question(first, "fill"), _question(first, "multiple"), _question(first, "single")
    fill_in(first, typed, correct_response(typed))
    fill_in(first, ticked, correct_response(ticked))
    _answer_by_mouse(second, other, correct_response(other))
    feedback = first.locator(f"section[data-qid='{other.id}'] .sige-feedback")
    feedback.locator("p.sige-verdict").wait_for()
    assert feedback.get_attribute("data-verdict") == "correct"
    boxes = first.locator(f"section[data-qid='{typed.id}'] input[type=text]").all()
    assert [b.input_value() for b in boxes] == list(correct_response(typed))
    checked = first.locator(f"section[data-qid='{ticked.id}'] input:checked").evaluate_all("l => l.map(i => i.value)")
    assert sorted(checked) == sorted(correct_response(ticked))
    assert first.locator(f"section[data-qid='{typed.id}'] .sige-feedback[data-verdict]").count() == 0
    assert w.problems == []


def test_assessment_is_a_test_apart_from_practice(site, watched):
    from exercises.questions.bank import load_all

    questions = {q.id: q for bank in load_all() for q in bank.questions}
    w = watched()
    chapter = w.open(f"{site}/book/ch1-political.html")
    for section in chapter.locator("section.sige-question:not([data-type='short'])").all():
        q = questions[section.get_attribute("data-qid")]
        _answer_by_mouse(chapter, q, correct_response(q))
    practised = json.loads(chapter.evaluate("localStorage.getItem('sige-course-results')"))["answers"]

    page = w.open(f"{site}/book/assessment.html")
    assert page.locator(".sige-feedback[data-verdict]").count() == 0  # never pre-filled from practice
    assert page.locator(".sige-controls input:checked").count() == 0
    assert page.get_by_role("button", name="提交").count() == 0 or not page.get_by_role("button", name="提交").first.is_visible()
    shared = [i for i in practised if page.locator(f"section[data-qid='{i}']:visible").count()]
    assert shared, "the paper should share questions with chapter 1"
    q = questions[shared[0]]
    fill_in(page, q, correct_response(q))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="交卷").click()
    page.locator(".sige-feedback[data-verdict]").first.wait_for()  # graded once the key has come
    data = json.loads(page.evaluate("localStorage.getItem('sige-course-results')"))
    attempt = data["assessment"]["attempts"][-1]
    assert attempt["paper"] == "seed-20241" and attempt["answers"][q.id]["verdict"] == "correct"
    assert data["answers"] == practised  # practice untouched
    page.get_by_role("button", name="再测一次").click()
    assert page.locator(".sige-feedback[data-verdict]").count() == 0
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator(".sige-feedback[data-verdict]").count() == 0  # the new paper stays open after a reload
    assert page.get_by_role("button", name="交卷").is_enabled()
    assert json.loads(page.evaluate("localStorage.getItem('sige-course-results')"))["answers"] == practised
    assert w.problems == []


def test_search_never_shows_keys_or_explanations(site, watched, banks):
    """No search result snippet holds an answer key, an explanation or a button label."""
    w = watched()
    keys = [q.explanation for b in banks for q in b.questions]
    for term in ("全面深化改革", "组织基础", "关键少数"):
        page = w.open(f"{site}/search.html?q={term}")
        page.locator("#search-results .context").first.wait_for(timeout=20_000)
        snippets = page.locator("#search-results").inner_text()
        assert "答案：" not in snippets and "解析：" not in snippets and "提交重做" not in snippets, term
        assert not [k for k in keys if k[:12] in snippets], term
    assert w.problems == []


# ---- the page store on hostile stored data -----------------------------------------------------------

def test_a_deeply_nested_or_corrupt_store_costs_only_the_bad_entry(site, watched):
    """One stored answer nested 5 000 levels deep: the others stay, later answers save and survive a reload,
    the learner is told, and the unreadable document is kept aside; a corrupt document likewise."""
    w = watched(**SIZES["phone"])
    page = w.open(f"{site}/book/ch1-political.html")
    kept, later = _question(page, "single"), _question(page, "truefalse")
    good = {"answer": correct_response(kept), "verdict": "correct", "score": kept.points, "points": kept.points,
            "time": "2026-12-04T08:00:00+00:00"}
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    text = ('{"format": "sige-course-results", "version": 2, '
            f'"answers": {{"{kept.id}": {json.dumps(good)}, "p9-99": {{"answer": {deep}}}}}}}')
    for stored in (text, "{not json"):
        page.evaluate("(t) => { localStorage.clear(); localStorage.setItem('sige-course-results', t); }", stored)
        page.reload(wait_until="networkidle")
        notice = page.locator(".sige-notice").inner_text()
        assert "无法读取" in notice, notice
        _answer_by_mouse(page, later, correct_response(later))
        page.reload(wait_until="networkidle")
        data = json.loads(page.evaluate("localStorage.getItem('sige-course-results')"))
        assert later.id in data["answers"] and "p9-99" not in data["answers"]
        assert (kept.id in data["answers"]) == (stored == text)
        assert page.evaluate("localStorage.getItem('sige-course-results-unreadable')") == stored
        assert page.locator(f"section[data-qid='{later.id}'] .sige-feedback").get_attribute("data-verdict") == "correct"
    assert w.problems == []


def test_blocked_storage_is_said_on_a_chapter_page(site, watched):
    w = watched(**SIZES["desktop"])
    w.context.add_init_script("Object.defineProperty(window, 'localStorage', {get() { throw new Error('blocked'); }});")
    page = w.open(f"{site}/book/ch1-political.html")
    q = _question(page, "single")
    assert "不允许保存" in page.locator(".sige-notice").inner_text()
    assert _answer_by_mouse(page, q, correct_response(q)).get_attribute("data-verdict") == "correct"
    assert "本组练习得分" in page.locator(".sige-total").inner_text()
    assert not [p for p in w.problems if "/sige-" in p or "selfcheck" in p]
