"""Accessibility of every page: axe-core in Chromium at phone and desktop widths, light and dark, before and
after answering; the Nu HTML checker on every page; the glossary on a phone; the contents without JavaScript.

The checkers come from npm (tests/js/package-lock.json; ``./course test`` runs ``npm ci`` there), the Nu
checker runs on Java from Debian. Both run on the session's real book build.
"""
from __future__ import annotations

import json
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tests" / "js" / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
BENCH = runpy.run_path(str(ROOT / "benchmarks" / "run.py"), run_name="bench")
WIDTHS = (390, 1280)
MODES = ("light", "dark")
SEARCH = "search.html?q=%E6%94%BF%E6%B2%BB%E5%BC%95%E9%A2%86"  # 政治引领: results with highlighted terms

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Fill every self-check form with something (first choice, a text, the last list entry) and submit it, as a
# learner would: verdicts, keys and explanations appear, and are checked too.
ANSWER_ALL = """() => {
  const forms = [...document.querySelectorAll('form.sige-check')].filter(f => !f.hidden);
  for (const form of forms) {
    for (const group of form.querySelectorAll('fieldset')) {
      const first = group.querySelector('input[type=radio], input[type=checkbox]');
      if (first) first.click();
    }
    for (const text of form.querySelectorAll('input[type=text], textarea')) {
      text.value = '测试';
      text.dispatchEvent(new Event('input', {bubbles: true}));
    }
    for (const list of form.querySelectorAll('select')) {
      list.selectedIndex = list.options.length - 1;
      list.dispatchEvent(new Event('change', {bubbles: true}));
    }
    const submit = form.querySelector('button[type=submit]');
    if (submit && !submit.disabled) submit.click();
  }
  for (const button of document.querySelectorAll('button.sige-hand-in')) if (!button.disabled) button.click();
  return forms.length;
}"""
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v =>
  v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')} :: ${n.html.slice(0, 160)}`)).flat()"""


def _tool(path: Path) -> Path:
    assert path.is_file(), f"{path} is missing: run `npm ci` in tests/js (./course test does)"
    return path


@pytest.fixture(scope="module")
def site(built_book):
    with BENCH["serve_site"](built_book) as base:
        yield base, BENCH["site_pages"](built_book)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_nothing_on_any_page(chromium, site, width, mode):
    base, pages = site
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.add_init_script(f"localStorage.setItem('mode', '{mode}'); localStorage.setItem('theme', '{mode}');")
    page = context.new_page()
    found, answered = [], 0
    try:
        for name in [*pages, SEARCH, "genindex.html"]:
            page.goto(base + name, wait_until="networkidle")
            assert page.locator("html").get_attribute("data-theme") == mode, name
            page.add_script_tag(path=str(_tool(AXE)))
            found += [f"{name} (before answering): {v}" for v in page.evaluate(RUN_AXE)]
            count = page.evaluate(ANSWER_ALL)
            if count:
                answered += count
                page.locator(".sige-verdict").first.wait_for(timeout=10_000)
                found += [f"{name} (after answering {count}): {v}" for v in page.evaluate(RUN_AXE)]
    finally:
        context.close()
    assert answered >= 40  # the chapters' and the assessment's forms were really answered
    assert found == [], "\n".join(found)


def test_nu_html_checker_finds_no_errors(built_book):
    java = shutil.which("java")
    assert java, "java is missing: apt-get install default-jre-headless"
    pages = [built_book / "index.html", *(built_book / p for p in BENCH["site_pages"](built_book))]
    result = subprocess.run([java, "-jar", str(_tool(VNU)), "--errors-only", "--format", "json", *map(str, pages)],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(errors)
    assert len(pages) >= 9


def test_glossary_reads_on_a_phone(chromium, site):
    base, _ = site
    page = chromium.new_page(viewport={"width": 390, "height": 800})
    try:
        page.goto(base + "book/glossary.html", wait_until="networkidle")
        cells = page.locator(".sige-glossary td, .sige-glossary tbody th")
        assert cells.count() > 40
        # No narrow columns: every cell that holds text is at least 12 characters wide, and nothing scrolls sideways.
        narrow = page.evaluate("""() => [...document.querySelectorAll('.sige-glossary td, .sige-glossary tbody th')]
            .filter(c => c.textContent.trim())
            .filter(c => c.getBoundingClientRect().width < 12 * parseFloat(getComputedStyle(c).fontSize))
            .map(c => c.textContent.trim().slice(0, 12))""")
        assert narrow == [], narrow[:10]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        page.close()


def test_contents_reachable_on_a_phone_without_javascript(chromium, site):
    base, pages = site
    context = chromium.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base + "book/ch1-political.html")
        for target in ("ch3-talent.html", "glossary.html", "trainer-guide.html"):  # not the next/previous links
            assert page.locator(f"a[href$='{target}']:visible").count() >= 1, f"no visible link to {target}"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.parametrize("width", (390, 768, 1024))  # the theme shows the button below 1200 px only
def test_back_to_top_never_covers_text(chromium, site, width):
    base, _ = site
    page = chromium.new_page(viewport={"width": width, "height": 700})
    try:
        page.goto(base + "book/ch1-political.html", wait_until="networkidle")
        seen = 0
        page.mouse.move(width * 0.55, 400)  # over the article, not a sidebar that scrolls by itself
        for y in (3000, -400, 3000, -400, 3000, -400):
            page.mouse.wheel(0, y)
            page.wait_for_timeout(400)
            button = page.locator("#pst-back-to-top")
            if not button.is_visible():
                continue
            seen += 1
            covered = page.evaluate("""() => {
                const b = document.getElementById('pst-back-to-top').getBoundingClientRect();
                const hits = [];
                for (const x of [b.left + 2, b.left + b.width / 2, b.right - 2]) {
                    for (const y of [b.top + 2, b.top + b.height / 2, b.bottom - 2]) {
                        for (const e of document.elementsFromPoint(x, y)) {
                            if (e.closest('#pst-back-to-top')) continue;
                            if ([...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) hits.push(e.tagName);
                            break;
                        }
                    }
                }
                return hits;
            }""")
            assert covered == [], covered
        assert seen >= 1  # the button did show while scrolling back up
    finally:
        page.close()
