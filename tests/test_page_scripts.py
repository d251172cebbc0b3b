"""The page scripts' own checks: the Node unit tests of the store and the cores (tests/js/*.test.mjs), ESLint
(no function over 60 lines) and Prettier, with the tools from tests/js/package-lock.json."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from exercises.renderers.pagescript import page_settings

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tests" / "js"
BIN = TOOLS / "node_modules" / ".bin"


def _run(command, **options):
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT, **options)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result.stdout


def test_store_and_cores_in_node(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps(page_settings(), ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "SIGE_SETTINGS": str(settings), "TZ": "Asia/Shanghai"}
    out = _run(["node", "--test", *sorted(str(p) for p in TOOLS.glob("*.test.mjs"))], env=env)
    assert "# fail 0" in out and "# pass 0" not in out


def test_page_scripts_pass_eslint():
    _run([str(BIN / "eslint"), "--max-warnings", "0", "--config", str(TOOLS / "eslint.config.mjs"),
          "exercises/static", "tests/js"])


def test_page_scripts_are_formatted_by_prettier():
    files = [str(p) for p in [*sorted((ROOT / "exercises" / "static").glob("*.js")), *sorted(TOOLS.glob("*.mjs"))]]
    _run([str(BIN / "prettier"), "--config", str(TOOLS / ".prettierrc.json"), "--check", *files])
