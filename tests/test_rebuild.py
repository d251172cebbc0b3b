"""A maintainer edits a question bank and rebuilds: the page shows the edit, not cached outputs."""
import os
import shutil
import subprocess

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
    assert "突出政治引领，要坚持以" in _build(repo)
    bank = repo / "exercises" / "banks" / "p1-political.yml"
    old_stem = "突出政治引领，要坚持以___为先，广泛凝聚改革共识、汇聚改革力量。"
    text = bank.read_text(encoding="utf-8")
    assert old_stem in text
    bank.write_text(text.replace(old_stem, "按照原文，突出政治引领要坚持以___为先。"), encoding="utf-8")
    html = _build(repo)
    assert "按照原文，突出政治引领要坚持以" in html
    assert "突出政治引领，要坚持以" not in html
