"""``course records import`` tells the trainer what it read: people and files counted apart, files from another
course version named, no empty list after a colon, and a progress bar on a terminal for a large folder."""
from __future__ import annotations

import io
import json
import sys

import pytest

from exercises import __version__
from exercises.cli import main as course
from exercises.questions.bank import load_all
from exercises.questions.grading import correct_response, grade
from exercises.questions.versions import fingerprint, release

pytestmark = pytest.mark.process


def _file(folder, name, number, answers, version=2, course_version=__version__):
    doc = {"format": "sige-course-results", "version": version, "course_version": course_version,
           "learner": f"学员{number}", "learner_id": number, "updated": "2026-11-27T10:00:00+00:00", "answers": answers}
    (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _entry(q, response, time="2026-11-27T09:00:00+00:00", version=None):
    g = grade(q, response)
    return {"answer": g.response, "verdict": g.verdict, "time": time, "question_version": version or fingerprint(q)}


@pytest.fixture
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGE_COURSE_RECORDS", str(tmp_path / "records.sqlite"))
    assert course(["records", "batch", "一期"]) == 0


def test_people_and_files_are_counted_apart_and_another_version_is_named(tmp_path, database, capsys):
    q = next(q for b in load_all() for q in b.questions if q.options)
    old = release("0.1.0").by_id["p1-01"]
    folder = tmp_path / "交来的"
    folder.mkdir()
    _file(folder, "a-周一.json", "1", {q.id: _entry(q, correct_response(q), "2026-11-27T09:00:00+00:00")})
    _file(folder, "a-周二.json", "1", {q.id: _entry(q, correct_response(q), "2026-11-28T09:00:00+00:00")})
    old_answer = {"answer": old.answer, "verdict": "correct", "score": 1, "points": 1, "time": "2026-11-20T09:00:00+00:00"}
    _file(folder, "b-旧版.json", "2", {"p1-01": old_answer}, version=1, course_version="0.1.0")
    capsys.readouterr()
    assert course(["records", "import", "一期", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "已读取 3 个成绩文件，计入学员 2 人（3 个文件）" in out
    assert "其中 1 个文件来自其他课程版本" in out and "交来的/b-旧版.json（课程 0.1.0 版）" in out
    assert "所有文件都已计入。" in out and "未计入的文件 0 个" not in out and not out.rstrip().endswith("：")
    report = tmp_path / "报告"
    assert course(["records", "report", "一期", str(report)]) == 0
    html = next(report.glob("*.html")).read_text("utf-8")
    assert "文件来自课程 0.1.0 版" in html and "b-旧版.json" in html


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_large_folder_shows_progress_on_a_terminal_only(tmp_path, database, capsys, monkeypatch):
    q = next(q for b in load_all() for q in b.questions if q.options)
    folder = tmp_path / "很多"
    folder.mkdir()
    for n in range(230):
        _file(folder, f"{n:03d}.json", str(n), {q.id: _entry(q, correct_response(q))})
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert course(["records", "import", "一期", str(folder)]) == 0
    shown = terminal.getvalue()
    assert "读取成绩文件" in shown and "230/230" in shown
    monkeypatch.undo()
    monkeypatch.setenv("SIGE_COURSE_RECORDS", str(tmp_path / "records.sqlite"))
    assert course(["records", "batch", "二期"]) == 0
    capsys.readouterr()
    assert course(["records", "import", "二期", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "读取成绩文件" not in captured.err and "计入学员 230 人（230 个文件）" in captured.out
