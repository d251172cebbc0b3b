"""The bootstrap ./course on what the README names: Debian 12's own Python (3.11.2, the lowest supported), an
interpreter that is too old (named in Chinese, before anything is installed), and a symlinked ./course.

Each test works on a fresh clone of the repository; the first installs requirements.txt from PyPI into it.
"""
from __future__ import annotations

import glob
import os
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.process]

ROOT = Path(__file__).resolve().parents[1]
DEBIAN_PYTHON = Path("/usr/bin/python3")
# Debian's own folders only: python3 is /usr/bin/python3, as on a stock Debian 12.
PLAIN_PATH = "/usr/local/bin:/usr/bin:/bin"


def _clone(target: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True, timeout=120)
    return target


def _run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHON", "VENV", "PYTHONPATH")}
    return subprocess.run(command, cwd=cwd, env={**clean, "PATH": PLAIN_PATH, **env}, capture_output=True, text=True,
                          timeout=1200)


@pytest.fixture(scope="module")
def installed_clone(tmp_path_factory) -> Path:
    """A fresh clone whose ./course has installed its environment with Debian's own /usr/bin/python3."""
    clone = _clone(tmp_path_factory.mktemp("debian") / "course")
    result = _run(["./course", "--help"], clone)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "用法" in result.stdout
    return clone


def test_debian_python_is_the_lowest_supported_one():
    version = subprocess.run([str(DEBIAN_PYTHON), "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == "3.11.2", f"this test needs Debian 12's own Python 3.11.2 at {DEBIAN_PYTHON}, found {version}"


def test_bootstrap_installs_the_lock_with_debians_own_python(installed_clone):
    python = installed_clone / ".venv" / "bin" / "python"
    probe = "import sys, exercises, sqlalchemy, sphinx, openpyxl, ipywidgets; print(sys.version.split()[0])"
    result = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "3.11.2"
    check = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_symlinked_course_runs_in_its_repository(installed_clone, tmp_path):
    elsewhere = tmp_path / "桌面"
    elsewhere.mkdir()
    (elsewhere / "course").symlink_to(installed_clone / "course")
    result = _run(["./course", "--help"], elsewhere)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "用法" in result.stdout
    assert sorted(p.name for p in elsewhere.iterdir()) == ["course"]  # no .venv beside the link


def _older_python() -> str:
    found = sorted(glob.glob("/usr/bin/python3.[0-9]") + glob.glob(os.path.expanduser("~/.pyenv/versions/3.10.*/bin/python3")))
    if not found:
        pytest.skip("no Python older than 3.11 on this machine (pyenv's 3.10 or Debian's python3.9)")
    return found[-1]


def test_a_too_old_python_is_named_before_anything_is_installed(tmp_path):
    clone = _clone(tmp_path / "course")
    older = _older_python()
    version = subprocess.run([older, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], capture_output=True,
                             text=True, check=True).stdout.strip()
    result = _run(["./course", "book"], clone, PYTHON=older)
    assert result.returncode == 1
    message = result.stderr.strip()
    assert "Python 3.11 或更新版本" in message and version in message, message
    assert "apt-get install python3 python3-venv" in message
    assert "网络" not in message and "Traceback" not in message
    assert len(message.splitlines()) == 1
    assert not (clone / ".venv").exists()
