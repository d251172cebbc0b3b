"""Shared fixtures: the article, the banks, and one real book build per test session."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
PINYIN_RESIDUE = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
REPR_LEAKS = re.compile(r"VBox\(|HBox\(|<IPython[^>]*object|<Figure size|<matplotlib|Output\(|widget-view\+json|Building prefix dict|Loading model")


@pytest.fixture(scope="session")
def article():
    from exercises.text.article import load_article

    return load_article()


@pytest.fixture(scope="session")
def banks():
    from exercises.questions.bank import load_all

    return load_all()


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """Build the whole book once, from scratch, with Sphinx warnings as errors; return the HTML folder."""
    out = tmp_path_factory.mktemp("book")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(ROOT), "-n", "-W", "--keep-going", "--path-output", str(out)],
        capture_output=True, text=True, timeout=1800,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    return out / "_build" / "html"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """One real headless Chromium per test session (Playwright)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
