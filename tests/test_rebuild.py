"""A maintainer edits a question bank and rebuilds: the page shows the edit, not cached outputs."""
import os
import shutil
import subprocess

import yaml

from conftest import JUPYTER_BOOK, ROOT


def _copy_repository(target):
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)


def _build(repo):
    env = {**os.environ, "PYTHONPATH": str(repo)}
    env.pop("SIGE_COURSE_STATIC", None)
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(repo), "-n", "-W", "--keep-going"],
                            capture_output=True, text=True, timeout=1200, env=env, cwd=repo)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return (repo / "_build" / "html" / "book" / "ch1-political.html").read_text(encoding="utf-8")


def test_edited_bank_reaches_the_page_on_rebuild(tmp_path):
    repo = tmp_path / "course"
    _copy_repository(repo)
    bank = repo / "exercises" / "banks" / "p1-political.yml"
    text = bank.read_text(encoding="utf-8")
    stem = yaml.safe_load(text)["questions"][0]["stem"]  # the chapter's first question, as the bank words it today
    head = stem.split("___")[0][:8]
    marker = "重建后的题干："
    assert head and f"stem: {stem}" in text
    first = _build(repo)
    assert head in first and marker not in first
    bank.write_text(text.replace(f"stem: {stem}", f"stem: {marker}{stem}", 1), encoding="utf-8")
    assert marker in _build(repo)
