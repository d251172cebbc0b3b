"""Shared fixtures (the article, the banks, one real book build per session) and the test tiers.

Tiers (markers registered in pyproject.toml): ``browser`` (Chromium), ``tex`` (xelatex, poppler), ``binder``
(JupyterLab), ``slow`` (whole-book builds, notebooks, many processes), ``process`` (starts a server or another
process: the ``course`` command, node, PostgreSQL, a classroom server); the rest is the fast tier. A tier whose
tool is missing is skipped with the reason, except under CI=true or SIGE_REQUIRE_ALL_TIERS=1 (set by
``./course test``), where every skip fails: a check that did not run is a defect there.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exercises.text.article import load_article

ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
PINYIN_RESIDUE = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}[)）]")
REPR_LEAKS = re.compile(r"VBox\(|HBox\(|<IPython[^>]*object|<Figure size|<matplotlib|Output\(|widget-view\+json|Building prefix dict|Loading model")
CHROMIUM = "/usr/bin/chromium"
PILLARS = load_article().numbers  # test parameters per pillar come from the parsed article
REQUIRE_ALL_TIERS = os.environ.get("CI", "").lower() == "true" or os.environ.get("SIGE_REQUIRE_ALL_TIERS") == "1"

# Which tier a test belongs to: by a fixture it uses, by its file, or by its name.
FIXTURE_TIERS = {"chromium": "browser", "built_book": "slow", "postgres": "process"}
PARAM_TIERS = {"postgresql": "process"}  # a parametrised test's case by its parameter (a PostgreSQL server)
FILE_TIERS = {"test_pdf.py": "tex", "test_binder.py": "binder", "test_rebuild.py": "slow", "test_lazy_imports.py": "slow",
              "test_serve_process.py": "process", "test_page_scripts.py": "process"}
TEST_TIERS = {
    "test_grading_vectors.py::test_page_script_agrees_with_python_in_node": "process",
    "test_grading_vectors.py::test_challenge_scoring_in_node_agrees": "process",
    "test_grading_vectors.py::test_option_shuffle_in_node_agrees": "process",
    "test_report.py::test_command_line": "process",
    "test_answer_entry.py::test_every_row_of_a_long_sheet_is_read": "slow",
    "test_paper.py::test_printed_paper_and_key_pdf": "tex",
    "test_records_outputs.py::test_score_sheets_and_certificates": "tex",
    "test_assessment.py::test_assessment_page_runs_live_with_widgets": "slow",
    "test_report.py::test_two_hundred_learners_in_seconds": "slow",
    "test_progress.py::test_kill_9_mid_write_never_corrupts_or_loses_and_leaves_no_temp": "slow",
    "test_progress.py::test_concurrent_processes_lose_no_acknowledged_answer": "slow",
    "test_cli.py::test_bootstrap_asks_for_nothing_when_everything_is_installed": "slow",  # may reinstall .venv
    "test_cli.py::test_bootstrap_says_which_packages_are_missing_and_how": "slow",
}
# What each tier needs: (found?, what is missing and how to get it).
TIER_TOOLS = {
    "browser": [(lambda: Path(CHROMIUM).is_file(), f"{CHROMIUM} (Debian package chromium)")],
    "tex": [(lambda t=tool: shutil.which(t) is not None, f"{tool} (Debian package {package})")
            for tool, package in (("xelatex", "texlive-xetex"), ("latexmk", "latexmk"), ("pdftotext", "poppler-utils"),
                                  ("pdffonts", "poppler-utils"))],
    "binder": [(lambda: Path(sys.executable).with_name("jupyter-lab").is_file(), "jupyter-lab in the venv (requirements.txt)")],
    "slow": [(lambda: JUPYTER_BOOK.is_file(), "jupyter-book in the venv (requirements.txt)")],
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark every test with its tiers; a tier entry that names no collected test is an error."""
    named = set()
    for item in items:
        file, name = item.path.name, getattr(item, "originalname", item.name)
        tiers = {FIXTURE_TIERS[f] for f in item.fixturenames if f in FIXTURE_TIERS}
        tiers |= {FILE_TIERS[file]} if file in FILE_TIERS else set()
        params = getattr(getattr(item, "callspec", None), "params", {})
        tiers |= {PARAM_TIERS[v] for v in params.values() if isinstance(v, str) and v in PARAM_TIERS}
        key = f"{file}::{name}"
        if key in TEST_TIERS:
            named.add(key)
            tiers.add(TEST_TIERS[key])
        for tier in sorted(tiers):
            item.add_marker(getattr(pytest.mark, tier))
    files = {item.path.name for item in items}
    stale = [key for key in TEST_TIERS if key.split("::")[0] in files and key not in named]
    partial = config.option.keyword or config.option.deselect or any("::" in arg for arg in config.args)
    if stale and not partial:
        raise pytest.UsageError(f"tests/conftest.py TEST_TIERS names tests that do not exist: {stale}")


def pytest_runtest_setup(item):
    """Skip a test whose tier's tool is missing, saying what is missing and which package brings it."""
    for marker in item.iter_markers():
        missing = [what for found, what in TIER_TOOLS.get(marker.name, []) if not found()]
        if missing:
            pytest.skip(f"{marker.name} tier: missing {', '.join(missing)}; ./course test installs it")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true or SIGE_REQUIRE_ALL_TIERS=1 a skipped test fails, with the skip's reason."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL_TIERS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, but CI / ./course test must run every check: {reason}"


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
