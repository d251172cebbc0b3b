"""A light, quiet page: what Chromium transfers for a chapter, only the icons the pages use, pre-compressed
files, and no developer controls on learners' pages.

The weights are measured by the benchmark's own code (benchmarks/run.py), on the session's real book build,
served with its .gz copies the way nginx's gzip_static serves them.
"""
from __future__ import annotations

import gzip
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = runpy.run_path(str(ROOT / "benchmarks" / "run.py"), run_name="bench")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_first_visit_and_further_pages_within_budget(built_book, chromium):
    pages = BENCH["site_pages"](built_book)
    assert BENCH["FIRST_VISIT_PAGE"] in pages and len(pages) >= 8
    with BENCH["serve_site"](built_book) as base:
        first, further = BENCH["transferred_bytes"](chromium, base, BENCH["FIRST_VISIT_PAGE"], pages)
    print(f"first visit {first:,} B; further pages {further}")
    assert 20_000 < first <= 600 * 1024, first  # a real page with its assets, within the budget
    assert set(further) == set(pages) - {BENCH["FIRST_VISIT_PAGE"]}
    for page, size in further.items():
        assert 1_000 < size <= 150 * 1024, (page, size)


def test_no_icon_script_and_every_icon_drawn(built_book, chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    loaded = []
    page.on("request", lambda request: loaded.append(request.url))
    try:
        for name in ("book/ch1-political.html", "book/trainer-guide.html"):
            loaded.clear()
            page.goto((built_book / name).as_uri(), wait_until="load")
            assert not [u for u in loaded if "fontawesome" in u], loaded
            # Every icon element the theme shows has its image (a mask from sige-icons.css) and a size.
            missing = page.evaluate("""() => [...document.querySelectorAll('[class*="fa-"]')]
                .filter(e => /\\b(fa-solid|fa-brands|fa-regular|fas|fab|far)\\b/.test(e.className))
                .filter(e => !getComputedStyle(e).getPropertyValue('--sige-icon').includes('svg'))
                .map(e => e.className)""")
            assert missing == [], (name, missing)
            assert page.locator("i.fa-bars, i.fa-magnifying-glass").count() >= 1
    finally:
        page.close()


def test_static_files_are_precompressed(built_book):
    checked = 0
    for path in built_book.rglob("*"):
        if path.suffix in (".html", ".js", ".css") and path.stat().st_size >= 512:
            packed = path.with_name(path.name + ".gz")
            assert packed.is_file(), path
            assert gzip.decompress(packed.read_bytes()) == path.read_bytes(), path
            checked += 1
    assert checked > 30


def test_learners_see_no_developer_controls(built_book):
    for name in ("intro", "article", "ch1-political", "ch2-cadres", "ch3-talent", "ch4-foundation", "assessment",
                 "glossary"):
        html = (built_book / "book" / f"{name}.html").read_text("utf-8")
        assert "download-notebook-button" not in html and "download-source-button" not in html, name
        assert "source-repository-button" not in html and "github.com/sige-course" not in html, name
        assert not re.search(r'href="[^"]*_sources/[^"]*\.(ipynb|md)"', html), name
        assert "urlpath=lab/" not in html, name
    trainer = (built_book / "book" / "trainer-guide.html").read_text("utf-8")
    assert "source-repository-button" in trainer and "download-source-button" in trainer
