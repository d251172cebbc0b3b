"""The code is linted (ruff: pycodestyle, pyflakes, import order, bugbear, pyupgrade) and the core typed (mypy),
with the settings in pyproject.toml."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.process


def run(tool: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / tool), *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    done = run("ruff", "check", "--no-cache", "exercises", "tests")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def test_mypy_finds_nothing(tmp_path):
    done = run("mypy", "--cache-dir", str(tmp_path / "mypy"))  # the files: [tool.mypy] files
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def test_the_linters_catch_a_planted_fault(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nimport sys\n\n\ndef f(x: int) -> str:\n    return x\n", encoding="utf-8")
    assert run("ruff", "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(bad)).returncode == 1
    assert run("mypy", "--cache-dir", str(tmp_path / "mypy"), str(bad)).returncode == 1
