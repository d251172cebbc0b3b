"""Cohort report: golden accuracies on a graded synthetic cohort, hostile results files, speed."""
from __future__ import annotations

import csv
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from exercises.questions.grading import correct_response, grade
from exercises.trainer.cohort import load_cohort
from exercises.trainer.report import main, make_report

ROOT = Path(__file__).resolve().parents[1]


def results(learner: str, answers: dict, updated: str = "2026-11-27T10:00:00+00:00", **extra) -> dict:
    data = {"format": "sige-course-results", "version": 1, "course_version": "0.1.0",
            "learner": learner, "updated": updated, "answers": answers}
    data.update(extra)
    return data


def entry(question, response) -> dict:
    """A results-file entry as the notebook writes it: the response graded by exercises.questions.grading."""
    g = grade(question, response)
    return {"answer": g.response, "verdict": g.verdict, "score": g.score, "points": g.points,
            "time": "2026-11-27T09:59:58+00:00"}


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def wrong_key(q) -> str:
    return next(k for k in "ABCDEF"[: len(q.options)] if k != q.answer)


@pytest.fixture(scope="module")
def one_point_pair(banks):
    """Two one-point single-choice or true/false questions that test the same measure."""
    by_measure: dict[str, list] = {}
    for bank in banks:
        for q in bank.questions:
            if q.type in ("single", "truefalse") and q.measure and q.points == 1:
                by_measure.setdefault(q.measure, []).append(q)
    pair = next(qs[:2] for qs in by_measure.values() if len(qs) >= 2)
    return pair


def wrong(q):
    return wrong_key(q) if q.type == "single" else not q.answer


def soup_of(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")


def table_after(soup: BeautifulSoup, heading: str) -> list[list[str]]:
    h2 = next(h for h in soup.find_all("h2") if h.get_text() == heading)
    table = h2.find_next("table")
    return [[c.get_text() for c in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


def test_golden_accuracies(tmp_path, one_point_pair, banks):
    q1, q2 = one_point_pair
    multiple = next(q for b in banks for q in b.questions
                    if q.type == "multiple" and len(q.answer) >= 2 and q.measure != q1.measure)
    partial = grade(multiple, [multiple.answer[0]])
    assert partial.verdict == "partial"
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    write(folder, "a.json", results("甲", {q1.id: entry(q1, correct_response(q1)), q2.id: entry(q2, correct_response(q2)),
                                          multiple.id: entry(multiple, correct_response(multiple))}))
    write(folder, "b.json", results("乙", {q1.id: entry(q1, wrong(q1)), q2.id: entry(q2, correct_response(q2)),
                                          multiple.id: entry(multiple, [multiple.answer[0]])}))
    write(folder, "c.json", results("丙", {q1.id: entry(q1, correct_response(q1))}))
    cohort = make_report(folder, out)
    assert [l.name for l in cohort.learners] == ["丙", "乙", "甲"] and cohort.problems == []

    soup = soup_of(out)
    rows = {r[0]: r for r in table_after(soup, "各题得分率")}
    assert rows[q1.id][3:6] == ["3", "2", "66.7%"]
    assert rows[q2.id][3:6] == ["2", "2", "100.0%"]
    expected_multiple = (multiple.points + partial.score) / (2 * multiple.points)
    assert rows[multiple.id][3:6] == ["2", "1", f"{expected_multiple:.1%}"]
    measure_rows = {r[0].split()[0]: r for r in table_after(soup, "各举措得分率")}
    assert measure_rows[q1.measure][1:] == ["5", "4", "80.0%"]
    assert len(measure_rows) == 12
    learners = {r[0]: r for r in table_after(soup, "学员成绩")}
    assert learners["丙"][3:] == ["1", "1", "1", "100.0%"]
    assert learners["乙"][4] == f"{1 + partial.score:g}"

    with (out / "questions.csv").open(encoding="utf-8") as handle:
        assert handle.read(1) == "\ufeff"
    with (out / "questions.csv").open(encoding="utf-8-sig", newline="") as handle:
        by_id = {r["编号"]: r for r in csv.DictReader(handle)}
    assert by_id[q1.id]["得分率"] == "0.6667" and by_id[q1.id]["作答人数"] == "3"
    assert by_id[q2.id]["得分率"] == "1.0000"


def test_report_is_self_contained_with_charts(tmp_path, one_point_pair):
    q1, _ = one_point_pair
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.json", results("甲", {q1.id: entry(q1, correct_response(q1))}))
    make_report(folder, tmp_path / "out")
    html = (tmp_path / "out" / "report.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    images = soup.find_all("img")
    assert len(images) == 4
    assert all(img["src"].startswith("data:image/png;base64,") and img["alt"] for img in images)
    assert "http://" not in html and "https://" not in html
    assert not soup.find_all("script") and not soup.find_all("link")
    weakest = next(h for h in soup.find_all("h2") if h.get_text() == "最需要重讲的题目")
    assert "原文依据" in weakest.find_next("blockquote").get_text()
    assert q1.source in weakest.find_next("blockquote").get_text()


def test_hostile_files_are_reported_and_nothing_runs(tmp_path, one_point_pair):
    q1, q2 = one_point_pair
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    good = {q1.id: entry(q1, correct_response(q1))}
    write(folder, "good.json", results("正常学员", good))
    valid = json.dumps(results("截断", good), ensure_ascii=False)
    write(folder, "truncated.json", valid[: len(valid) // 2])
    write(folder, "malformed.json", "{这不是 JSON")
    write(folder, "empty.json", "")
    (folder / "latin1.json").write_bytes("{\"learner\": \"é\"}".encode("latin-1"))
    with (folder / "huge.json").open("wb") as handle:
        handle.write(b'{"format": "sige-course-results", "version": 1, "answers": {}, "pad": "')
        handle.write(b"x" * (100 * 1024 * 1024))
        handle.write(b'"}')
    write(folder, "v2.json", results("新版本", good) | {"version": 2})
    write(folder, "vtrue.json", results("布尔版本", good) | {"version": True})
    write(folder, "other.json", {"hello": "world"})
    write(folder, "list.json", [1, 2, 3])
    write(folder, "answers-list.json", results("答案是列表", []))
    write(folder, "dup-old.json", results("重复学员", {q1.id: entry(q1, wrong(q1))}, "2026-11-01T10:00:00+00:00"))
    write(folder, "dup-new.json", results("重复学员", good, "2026-11-20T10:00:00+00:00"))
    write(folder, "unknown.json", results("未知题号", good | {"p9-99": entry(q1, "A"), "<b>x</b>": {}}))
    write(folder, "types.json", results(123, {q1.id: {"answer": correct_response(q1), "verdict": 5, "score": "满分",
                                                       "points": None, "time": 0},
                                              q2.id: "not an object"}, updated=["昨天"]))
    write(folder, "xss.json", results("<script>alert('x')</script>", good))
    write(folder, "img.json", results('<img src=x onerror="alert(1)">', good, learner_id="\"'&"))
    write(folder, "path.json", results("../../etc/passwd", good))
    started = time.perf_counter()
    cohort = make_report(folder, out)
    assert time.perf_counter() - started < 60
    assert sorted(p.name for p in out.iterdir()) == ["learners.csv", "questions.csv", "report.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]

    names = {l.name for l in cohort.learners}
    assert names == {"正常学员", "重复学员", "未知题号", "", "<script>alert('x')</script>",
                     '<img src=x onerror="alert(1)">', "../../etc/passwd"}
    kept = next(l for l in cohort.learners if l.name == "重复学员")
    assert kept.file == "dup-new.json" and kept.grades[q1.id].verdict == "correct"
    typed = next(l for l in cohort.learners if l.file == "types.json")
    assert set(typed.grades) == {q1.id} and typed.grades[q1.id].verdict == "correct"

    soup = soup_of(out)
    problems = {}
    for file, action, reason in table_after(soup, "跳过或修正的文件"):
        problems.setdefault(file, []).append((action, reason))
    expected = {
        "truncated.json": "JSON 格式错误", "malformed.json": "JSON 格式错误", "empty.json": "文件为空",
        "latin1.json": "不是 UTF-8", "huge.json": "文件过大", "v2.json": "版本 2 不受支持",
        "vtrue.json": "版本 true 不受支持", "other.json": "不是本课程的成绩文件", "list.json": "不是本课程的成绩文件",
        "answers-list.json": "answers 应为对象", "dup-old.json": "同一学员",
    }
    for file, words in expected.items():
        assert problems[file] == [("跳过", problems[file][0][1])] and words in problems[file][0][1], (file, problems.get(file))
    assert any("未知题号" in r and "p9-99" in r for _, r in problems["unknown.json"])
    assert {a for a, _ in problems["unknown.json"]} == {"已修正"}
    reasons = " ".join(r for _, r in problems["types.json"])
    assert "字段 learner 应为文字" in reasons and "updated 不是有效的时间" in reasons
    assert "不是对象" in reasons and "重新判分" in reasons
    for file in ("xss.json", "img.json", "path.json"):
        assert any("HTML 或路径字符" in r for _, r in problems[file]), file
    assert "good.json" not in problems and "dup-new.json" not in problems

    html = (out / "report.html").read_text("utf-8")
    assert "<script" not in html.lower() and "<img src=x" not in html
    assert not soup.find_all("script")
    assert all(not attr.lower().startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    assert [img["src"][:22] for img in soup.find_all("img")] == ["data:image/png;base64,"] * 4
    learner_cells = [r[0] for r in table_after(soup, "学员成绩")]
    assert "<script>alert('x')</script>" in learner_cells and '<img src=x onerror="alert(1)">' in learner_cells

    with (out / "learners.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["学员"] for r in rows} >= {"../../etc/passwd", "<script>alert('x')</script>"}


def test_formula_like_names_are_neutralised_in_csv(tmp_path, one_point_pair):
    q1, _ = one_point_pair
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "f.json", results("=HYPERLINK(\"http://x\")", {q1.id: entry(q1, correct_response(q1))}))
    make_report(folder, tmp_path / "out")
    with (tmp_path / "out" / "learners.csv").open(encoding="utf-8-sig", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["学员"] == "'=HYPERLINK(\"http://x\")"


def test_size_limit_is_checked_before_reading(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "big.json").open("wb") as handle:
        handle.truncate(50 * 1024**3)  # 50 GB of holes: reading it would take minutes and all memory
    started = time.perf_counter()
    cohort = make_report(folder, tmp_path / "out")
    assert [p.file for p in cohort.problems] == ["big.json"] and "文件过大" in cohort.problems[0].reason
    assert time.perf_counter() - started < 30


def test_command_line(tmp_path, capsys, one_point_pair):
    assert main([]) == 2
    assert "用法" in capsys.readouterr().err
    assert main([str(tmp_path / "missing")]) == 1
    assert "找不到成绩文件夹" in capsys.readouterr().err
    q1, _ = one_point_pair
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.json", results("甲", {q1.id: entry(q1, correct_response(q1))}))
    done = subprocess.run([sys.executable, "-m", "exercises.trainer.report", str(folder), str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "有效学员 1 人" in done.stdout and (tmp_path / "out" / "report.html").is_file()
    assert done.stderr == ""


def test_two_hundred_learners_in_seconds(tmp_path, banks):
    """A batch of 200 learners, every question answered; the median of three runs stays in seconds."""
    import random

    questions = [q for b in banks for q in b.questions]
    rng = random.Random(200)
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(200):
        answers = {q.id: entry(q, correct_response(q) if rng.random() < 0.7 else wrong(q) if q.type in ("single", "truefalse")
                               else None) for q in questions}
        write(folder, f"learner-{n:03d}.json", results(f"学员{n:03d}", answers, learner_id=str(n)))
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        cohort = make_report(folder, tmp_path / "out")
        timings.append(time.perf_counter() - started)
    assert len(cohort.learners) == 200 and cohort.problems == []
    print(f"200 learners: median {statistics.median(timings):.2f} s over {timings}")
    assert statistics.median(timings) < 15


def _expire(signum, frame):
    raise TimeoutError("reading the folder took longer than 60 s")


def test_special_files_and_hostile_json_are_listed_not_read(tmp_path, one_point_pair, banks):
    q1, _ = one_point_pair
    folder = tmp_path / "in"
    folder.mkdir()
    good = {q1.id: entry(q1, correct_response(q1))}
    write(folder, "good.json", results("正常学员", good))
    write(folder, "null.json", "null")
    write(folder, "deep.json", '{"format": "sige-course-results", "version": 1, "answers": {"x": '
          + "[" * 100_000 + "]" * 100_000 + "}}")
    write(folder, "dup.json", '{"format": "sige-course-results", "version": 1, "answers": {}, "answers": {}}')
    write(folder, "nan.json", '{"format": "sige-course-results", "version": 1, "answers": {}, "updated": NaN}')
    write(folder, "surrogate.json", '{"format": "sige-course-results", "version": 1, "answers": {}, "learner": "\\ud800"}')
    os.mkfifo(folder / "fifo.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    write(tmp_path, "outside.json", results("链接到外面", good))
    (folder / "outside.json").symlink_to(tmp_path / "outside.json")
    (folder / "dir.json").mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.json"), "w", encoding="utf-8") as handle:
        json.dump(results("非 UTF-8 文件名", good), handle, ensure_ascii=False)
    questions = {q.id: q for bank in banks for q in bank.questions}
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.alarm(60)  # a FIFO or device that is read would hang here: fail instead
    try:
        cohort = load_cohort(folder, questions)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    reasons = {p.file: p.reason for p in cohort.problems if p.skipped}
    expected = {"null.json": "不是本课程的成绩文件", "deep.json": "嵌套层数超过", "dup.json": "键 'answers' 重复出现",
                "nan.json": "非有限数值 NaN", "surrogate.json": "孤立的代理项", "fifo.json": "管道",
                "zero.json": "符号链接", "outside.json": "符号链接", "dir.json": "文件夹"}
    for file, words in expected.items():
        assert words in reasons.get(file, ""), (file, reasons.get(file))
    assert sorted(l.name for l in cohort.learners) == ["正常学员", "非 UTF-8 文件名"]
    assert "caf\ufffd.json" in {l.file for l in cohort.learners}
    out = tmp_path / "out"
    make_report(folder, out)
    assert "caf\ufffd.json" in (out / "report.html").read_text("utf-8")
