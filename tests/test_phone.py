"""The learner's pages on a phone, as a person uses them: Chromium at 390 × 844 with touch (and 1280 px where the
theme behaves differently) on the session's real book build. The menu opens and reaches every part, the intro
links every chapter and practice page, every control is a 44 px target, the header speaks of learning, and
search finds the article's phrases, each page once, with snippets from the page body.
"""
from __future__ import annotations

import re
import runpy
import urllib.parse
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
BENCH = runpy.run_path(str(ROOT / "benchmarks" / "run.py"), run_name="bench")
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
MIN_TARGET = 44
# Controls a learner taps (inline links inside running text are exempt, as in WCAG 2.5.5).
SMALL_TARGETS = """() => {
  const selector = 'button, a.btn, .btn, input:not([type=hidden]), select, textarea, summary, [role=button],'
    + ' .bd-sidenav a, .bd-toc-nav a, .prev-next-area a, label:has(input[type=radio]), label:has(input[type=checkbox])';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('dialog:not([open])')) continue;
    if ((el.type === 'radio' || el.type === 'checkbox') && el.closest('label')) continue;  // the label is the target
    if (box.height < %d || box.width < %d) {
      const name = (el.textContent || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 20);
      small.push(`${Math.round(box.height)}×${Math.round(box.width)} ${el.tagName.toLowerCase()}.${el.className} ${name}`);
    }
  }
  return small;
}""" % (MIN_TARGET, MIN_TARGET)  # noqa: UP031 (JavaScript: its braces stay literal)
FURNITURE = "script, style, .headerlink, .onlyprint, nav, .sige-key, .sige-check, .sige-progress"
PHRASES = ("思想自觉", "驾驭复杂局面", "凝聚改革共识", "家家到、个个谈")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def toc_pages() -> list[str]:
    """Every page of the book's contents, as built paths (``book/ch1-political.html``), the root first."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text("utf-8"))
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    return [f"{f}.html" for f in files]


@pytest.fixture(scope="module")
def site(built_book):
    with BENCH["serve_site"](built_book) as base:
        yield base, built_book


@pytest.fixture()
def phone(chromium):
    context = chromium.new_context(**PHONE)
    yield context.new_page()
    context.close()


def _links(page, container: str) -> set[str]:
    hrefs = page.eval_on_selector_all(f"{container} a[href]", "links => links.map(a => a.href)")
    return {urllib.parse.urlsplit(h).path.lstrip("/") for h in hrefs}


def test_menu_opens_on_a_phone_and_reaches_every_part(site, phone):
    base, _ = site
    phone.goto(base + "book/ch1-political.html", wait_until="networkidle")
    phone.locator(".primary-toggle:visible").tap()
    dialog = phone.locator("#pst-primary-sidebar-modal")
    dialog.wait_for(state="visible", timeout=5_000)
    assert dialog.evaluate("d => d.open")
    reached = _links(phone, "#pst-primary-sidebar-modal")
    missing = [p for p in toc_pages()[1:] if p not in reached]
    assert missing == [], f"the menu does not link {missing}"
    assert phone.evaluate(SMALL_TARGETS) == []  # the menu's entries are targets too
    dialog.locator("a[href$='challenge.html']").tap()
    phone.wait_for_url(re.compile(r"book/challenge\.html"))


def test_page_contents_open_on_a_phone(site, phone):
    base, _ = site
    phone.goto(base + "book/ch1-political.html", wait_until="networkidle")
    phone.locator(".secondary-toggle:visible").tap()
    dialog = phone.locator("#pst-secondary-sidebar-modal")
    dialog.wait_for(state="visible", timeout=5_000)
    sections = dialog.locator("a[href^='#']")
    assert sections.count() >= 5
    assert "练习" in dialog.inner_text()


def test_menu_button_hides_and_shows_the_contents_on_a_desktop(site, chromium):
    base, _ = site
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(base + "book/ch1-political.html", wait_until="networkidle")
        sidebar = page.locator("#pst-primary-sidebar")
        assert sidebar.is_visible()
        page.locator(".primary-toggle:visible").click()
        shown = "() => document.querySelector('#pst-primary-sidebar').checkVisibility({visibilityProperty: true})"
        page.wait_for_function(f"() => !({shown})()")
        page.locator(".primary-toggle:visible").click()
        page.wait_for_function(shown)
    finally:
        page.close()


def test_intro_links_every_chapter_and_practice_page(site, phone):
    base, _ = site
    phone.goto(base + "book/intro.html", wait_until="networkidle")
    linked = _links(phone, "article.bd-article")
    missing = [p for p in toc_pages()[1:] if p not in linked]
    assert missing == [], f"the intro does not link {missing}"


def test_every_control_is_a_44px_target_on_a_phone(site, phone):
    base, html_dir = site
    found = []
    for name in [*BENCH["site_pages"](html_dir), "search.html?q=%E6%94%BF%E6%B2%BB"]:
        phone.goto(base + name, wait_until="networkidle")
        found += [f"{name}: {s}" for s in phone.evaluate(SMALL_TARGETS)]
    assert found == [], "\n".join(found[:40])


@pytest.mark.parametrize("mode", ("light", "dark"))
def test_back_to_top_reads_at_4_5_to_1(site, chromium, mode):
    base, _ = site
    context = chromium.new_context(**PHONE)
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    try:
        page.goto(base + "book/ch1-political.html", wait_until="networkidle")
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(300)
        page.mouse.wheel(0, -300)  # the theme shows the button when the reader scrolls back up
        page.locator("#pst-back-to-top").wait_for(state="visible", timeout=5_000)
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("""async () => (await axe.run('#pst-back-to-top',
            {runOnly: ['color-contrast', 'target-size']})).violations.map(v => v.id)""")
        assert found == []
        assert page.locator("#pst-back-to-top").bounding_box()["height"] >= MIN_TARGET
    finally:
        context.close()


def test_header_speaks_of_learning_not_of_tools(site, phone):
    base, html_dir = site
    for name in ("book/ch1-political.html", "book/assessment.html", "book/challenge.html", "book/intro.html"):
        phone.goto(base + name, wait_until="networkidle")
        header = phone.locator(".bd-header-article").inner_text()
        assert "Ctrl" not in header and ".pdf" not in header and "Binder" not in header, name
    # Every learner page (the trainer guide may name Binder: trainers and maintainers read it).
    for name in [p for p in BENCH["site_pages"](html_dir) if "trainer-guide" not in p]:
        text = BeautifulSoup((html_dir / name).read_text("utf-8"), "html.parser").get_text()
        for word in ("Binder", "Run All Cells", "seed=", "随机种子", "Ctrl"):
            assert word not in text, f"{name} shows {word!r} to learners"
    phone.goto(base + "book/ch1-political.html", wait_until="networkidle")
    phone.locator(".bd-header-article .dropdown-launch-buttons button").tap()
    assert phone.locator(".dropdown-launch-buttons .dropdown-menu").get_by_text("在线运行练习").is_visible()


def _body_text(html_dir: Path, href: str) -> str:
    soup = BeautifulSoup((html_dir / href).read_text("utf-8"), "html.parser")
    body = soup.select_one("article.bd-article")
    for node in body.select(FURNITURE):
        node.decompose()
    return re.sub(r"\s+", "", body.get_text())


@pytest.mark.parametrize("phrase", PHRASES)
def test_search_finds_the_articles_phrases(site, phone, phrase):
    base, html_dir = site
    phone.goto(base + "search.html?q=" + urllib.parse.quote(phrase), wait_until="networkidle")
    phone.wait_for_function("() => document.querySelectorAll('ul.search > li p.context').length > 0"
                            " && !document.querySelector('#search-progress')?.textContent")
    phone.wait_for_timeout(500)  # the remaining snippets are fetched one after the other
    results = phone.eval_on_selector_all("ul.search > li", """items => items.map(li => [
        li.querySelector('a').getAttribute('href'), li.querySelector('p.context')?.textContent || ''])""")
    pages = [urllib.parse.urlsplit(href).path for href, _ in results]
    assert "book/article.html" in pages
    assert len(pages) == len(set(pages)), f"a page is listed twice: {pages}"
    for href, snippet in results:
        piece = re.sub(r"\s+", "", snippet.strip(". "))
        assert piece and piece in _body_text(html_dir, urllib.parse.urlsplit(href).path), (href, snippet[:80])
    article_snippet = dict((urllib.parse.urlsplit(h).path, s) for h, s in results)["book/article.html"]
    assert re.sub(r"[、\s]", "", phrase) in re.sub(r"[、\s]", "", article_snippet)
