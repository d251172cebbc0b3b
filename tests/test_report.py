"""``course report DIR``: a folder read through a temporary records database; golden rates, hostile files,
atomic outputs, errors in one Chinese line, speed."""
from __future__ import annotations

import csv
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from exercises import __version__
from exercises.cli import main as course
from exercises.questions.grading import correct_response, grade
from exercises.questions.versions import fingerprint
from exercises.trainer.records.output import write_bytes
from exercises.trainer.records.report import ReportError, make_report
from exercises.trainer.records.store import NAME_KEY


def main(argv: list[str]) -> int:
    """``course report …``"""
    return course(["report", *argv])


ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ["learners.csv", "questions.csv", "report.html", "成绩.xlsx"]


def results(learner, answers, updated="2026-11-27T10:00:00+00:00", **extra) -> dict:
    """A results file as this version writes it."""
    data = {"format": "sige-course-results", "version": 2, "course_version": __version__,
            "learner": learner, "updated": updated, "answers": answers}
    data.update(extra)
    return data


def entry(question, response, time="2026-11-27T09:59:58+00:00") -> dict:
    """A results-file entry as the notebook writes it: the response graded by exercises.questions.grading, and
    the version of the question answered."""
    g = grade(question, response)
    return {"answer": g.response, "verdict": g.verdict, "score": g.score, "points": g.points, "time": time,
            "question_version": fingerprint(question)}


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
    return next(qs[:2] for qs in by_measure.values() if len(qs) >= 2)


def wrong(q):
    return wrong_key(q) if q.type == "single" else not q.answer


def soup_of(out: Path) -> BeautifulSoup:
    return BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")


def table_after(soup: BeautifulSoup, heading: str) -> list[list[str]]:
    h2 = next(h for h in soup.find_all(["h2", "h3"]) if h.get_text().startswith(heading))
    table = h2.find_next("table")
    return [[c.get_text() for c in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_golden_rates(tmp_path, one_point_pair, banks):
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
                                          multiple.id: entry(multiple, [multiple.answer[0]])}, learner_id="0042"))
    write(folder, "c.json", results("丙", {q1.id: entry(q1, correct_response(q1))}))
    report = make_report(folder, out)
    assert sorted(l.record.name for l in report.scores.learners) == ["丙", "乙", "甲"]
    assert report.scores.data.notes == [] and report.by_name == 2
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS  # no temporary file left beside them
    assigned = sum(q.points for b in banks for q in b.questions if q.type != "short")

    with (out / "questions.csv").open(encoding="utf-8") as handle:
        assert handle.read(1) == "\ufeff"
    by_id = {r["编号"]: r for r in csv_rows(out / "questions.csv")}
    assert (by_id[q1.id]["作答人数"], by_id[q1.id]["全对人数"], by_id[q1.id]["得分率"]) == ("3", "2", "0.6667")
    assert (by_id[q2.id]["作答人数"], by_id[q2.id]["全对人数"], by_id[q2.id]["得分率"]) == ("2", "2", "1.0000")
    expected_multiple = (multiple.points + partial.score) / (2 * multiple.points)
    assert by_id[multiple.id]["得分率"] == f"{expected_multiple:.4f}" and by_id[multiple.id]["全对人数"] == "1"

    soup = soup_of(out)
    measure_rows = {r[0].split()[0]: r for r in table_after(soup, "各举措得分率")}
    assert measure_rows[q1.measure][1:] == ["5", "4", "80.0%"]
    assert len(measure_rows) == 12
    learners = {r[1]: r for r in table_after(soup, "学员成绩")}
    assert learners["丙"][0] == f"{NAME_KEY}丙" and learners["乙"][0] == "0042"
    assert learners["丙"][3:5] == ["1", f"{assigned:g}"] and learners["丙"][6] == f"1/{learners['丙'][6].split('/')[1]}"
    assert learners["乙"][3] == f"{1 + partial.score:g}"
    text = soup.get_text()
    assert "有 2 名学员的成绩文件没有学号" in text and "所有文件都已计入" in text

    book = load_workbook(out / "成绩.xlsx")
    analysis = {r[0]: r for r in book["题目分析"].iter_rows(min_row=2, values_only=True)}
    assert analysis[q1.id][4] == 3 and analysis[q1.id][6] == 2 and analysis[q1.id][7] == 66.7
    numbers = {r[1]: r[0] for r in book["学员成绩"].iter_rows(min_row=2, values_only=True)}
    assert numbers["乙"] == "0042"  # 学号 stays text, leading zeros kept


def test_report_is_self_contained_and_names_what_to_reteach(tmp_path, one_point_pair):
    q1, _ = one_point_pair
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.json", results("甲", {q1.id: entry(q1, wrong(q1))}, learner_id="1"))
    make_report(folder, tmp_path / "out")
    html = (tmp_path / "out" / "report.html").read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    images = soup.find_all("img")
    assert len(images) == 3  # 突出, 举措, the learners' distribution
    assert all(img["src"].startswith("data:image/png;base64,") and img["alt"] for img in images)
    assert "http://" not in html and "https://" not in html
    assert not soup.find_all("script") and not soup.find_all("link")
    row = next(r for r in table_after(soup, "各单元需要重讲的题目") if r[0] == q1.id)
    assert row[2] == "0.0%" and row[5] == q1.stem and row[6] == q1.source  # 题干 and 原文依据


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
    write(folder, "v3.json", results("新版本", good) | {"version": 3})
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
    report = make_report(folder, out)
    assert time.perf_counter() - started < 60
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]

    scores = report.scores
    names = {l.record.name for l in scores.learners}
    assert names == {"正常学员", "重复学员", "未知题号", "<script>alert('x')</script>",
                     '<img src=x onerror="alert(1)">', "../../etc/passwd"}
    kept = next(l for l in scores.learners if l.record.name == "重复学员")  # both files, latest answer wins
    assert sorted(kept.record.sources) == ["in/dup-new.json", "in/dup-old.json"]
    assert kept.grades[q1.id].verdict == "correct"

    soup = soup_of(out)
    unused = {}
    for file, action, reason in table_after(soup, "未计入的文件"):  # no file numbers: the records were temporary
        unused.setdefault(file, []).append((action, reason))
    assert "course records assign" not in soup.get_text()
    expected = {
        "truncated.json": "JSON 格式错误", "malformed.json": "JSON 格式错误", "empty.json": "文件为空",
        "latin1.json": "不是 UTF-8", "huge.json": "文件过大", "v3.json": "版本 3 不受支持",
        "vtrue.json": "版本 true 不受支持", "other.json": "不是本课程的成绩文件", "list.json": "不是本课程的成绩文件",
        "answers-list.json": "answers 应为对象", "types.json": "既没有学号也没有姓名",
    }
    for file, words in expected.items():
        assert len(unused[f"in/{file}"]) == 1 and words in unused[f"in/{file}"][0][1], (file, unused.get(f"in/{file}"))
    reasons = unused["in/types.json"][0][1]
    assert "字段 learner 应为文字" in reasons and "updated 不是有效的时间" in reasons
    assert f"题目 {q1.id} 的记录字段 verdict 不符合格式" in reasons and f"题目 {q2.id} 的记录" in reasons
    assert set(unused) == {f"in/{f}" for f in expected}
    explained = {}
    for file, note in table_after(soup, "已计入文件的说明"):
        explained[file] = explained.get(file, "") + note
    assert "未知题号" in explained["in/unknown.json"] and "p9-99" in explained["in/unknown.json"]
    assert "题目 <b>x</b> 的记录" in explained["in/unknown.json"]  # the entry without an answer, named
    assert set(explained) == {"in/unknown.json"}

    html = (out / "report.html").read_text("utf-8")
    assert "<script" not in html.lower() and "<img src=x" not in html and "<b>x</b>" not in html
    assert not soup.find_all("script") and not soup.find("b")
    assert all(not attr.lower().startswith("on") for tag in soup.find_all(True) for attr in tag.attrs)
    assert [img["src"][:22] for img in soup.find_all("img")] == ["data:image/png;base64,"] * 3
    learner_cells = [r[1] for r in table_after(soup, "学员成绩")]
    assert "<script>alert('x')</script>" in learner_cells and '<img src=x onerror="alert(1)">' in learner_cells

    rows = csv_rows(out / "learners.csv")
    assert {r["姓名"] for r in rows} >= {"../../etc/passwd", "<script>alert('x')</script>"}


def test_formula_like_texts_are_neutralised(tmp_path, one_point_pair):
    q1, _ = one_point_pair
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "f.json", results("=HYPERLINK(\"http://x\")", {q1.id: entry(q1, correct_response(q1))},
                                    learner_id="@SUM(1)"))
    write(folder, "g.json", results("+1", {q1.id: entry(q1, correct_response(q1))}, learner_id="-2"))
    make_report(folder, tmp_path / "out")
    rows = {r["学号"]: r for r in csv_rows(tmp_path / "out" / "learners.csv")}
    assert rows["'@SUM(1)"]["姓名"] == "'=HYPERLINK(\"http://x\")"
    assert rows["'-2"]["姓名"] == "'+1" and rows["'-2"]["得分"] == "1"
    book = load_workbook(tmp_path / "out" / "成绩.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    assert {r[0] for r in book["学员成绩"].iter_rows(min_row=2, values_only=True)} == {"@SUM(1)", "-2"}


def test_size_limit_is_checked_before_reading_and_no_learner_is_an_error(tmp_path, capsys):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    with (folder / "big.json").open("wb") as handle:
        handle.truncate(50 * 1024**3)  # 50 GB of holes: reading it would take minutes and all memory
    started = time.perf_counter()
    with pytest.raises(ReportError, match="文件过大"):
        make_report(folder, out)
    assert main([str(folder), str(out)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "没有可以计入的学员成绩" in err and "in/big.json" in err
    assert not out.exists()
    assert time.perf_counter() - started < 30


def test_zero_learners_is_one_chinese_line_and_a_failure(tmp_path, capsys):
    empty = tmp_path / "空"
    empty.mkdir()
    assert main([str(empty), str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "空 中没有可以计入的学员成绩（0 个文件未能使用），未生成报告。"
    write(empty, "broken.json", "{")
    write(empty, "nobody.json", results("", {}))
    assert main([str(empty), str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "2 个文件未能使用" in err
    assert not (tmp_path / "out").exists()


def test_command_line(tmp_path, capsys, one_point_pair):
    assert main([]) == 2
    assert "用法" in capsys.readouterr().err
    assert main([str(tmp_path / "missing")]) == 1
    assert "找不到成绩文件夹" in capsys.readouterr().err
    q1, _ = one_point_pair
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.json", results("甲", {q1.id: entry(q1, correct_response(q1))}))
    import zipfile

    with zipfile.ZipFile(tmp_path / "收到的.zip", "w") as archive:  # a forwarded archive is read as it is
        archive.write(folder / "a.json", "第1单元/a.json")
    assert main([str(tmp_path / "收到的.zip"), str(tmp_path / "from-zip")]) == 0
    assert "学员 1 人" in capsys.readouterr().out
    assert "收到的.zip!第1单元/a.json" in (tmp_path / "from-zip" / "learners.csv").read_text("utf-8-sig")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    assert main([str(tmp_path / "notes.txt")]) == 1
    assert "找不到成绩文件夹" in capsys.readouterr().err
    done = subprocess.run([sys.executable, "-m", "exercises", "report", str(folder), str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "学员 1 人" in done.stdout and (tmp_path / "out" / "report.html").is_file()
    assert done.stderr == ""


def test_unwritable_outputs_are_chinese_and_leave_nothing_half_written(tmp_path, capsys, one_point_pair):
    q1, _ = one_point_pair
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.json", results("甲", {q1.id: entry(q1, correct_response(q1))}))
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main([str(folder), str(afile)]) == 1
    assert capsys.readouterr().err.strip() == f"无法写入报告（已有同名的文件或文件夹）：{afile}"
    out = tmp_path / "out"
    (out / "report.html").mkdir(parents=True)
    assert main([str(folder), str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("无法写入报告（是文件夹）") and not any("a" <= ch.lower() <= "z" for ch in err.split("：")[0])
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]  # no temporary file left behind


def test_an_output_interrupted_by_a_full_disk_keeps_the_previous_file(tmp_path):
    """A write that fails part-way (here the file-size limit) leaves the old file whole and no temporary file."""
    target = tmp_path / "out" / "report.html"
    write_bytes(target, b"previous report")
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
    try:
        with pytest.raises(OSError):
            write_bytes(target, b"x" * 100_000)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_folder_names_that_are_not_utf8(tmp_path, capsys, one_point_pair):
    """A folder or output name in another encoding (surrogate escapes) is shown with U+FFFD, never a crash."""
    q1, _ = one_point_pair
    folder = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9")))
    folder.mkdir()
    write(folder, "a.json", results("甲", {q1.id: entry(q1, correct_response(q1))}))
    out = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"out\xff")))
    assert main([str(folder), str(out)]) == 0
    printed = capsys.readouterr().out
    assert "out\ufffd" in printed
    html = (out / "report.html").read_text("utf-8")
    assert "caf\ufffd" in html and (out / "report.html").stat().st_size > 1000
    assert "caf\ufffd/a.json" in {s for l in make_report(folder, out).scores.learners for s in l.record.sources}


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
        report = make_report(folder, tmp_path / "out")
        timings.append(time.perf_counter() - started)
    assert len(report.scores.learners) == 200 and report.scores.data.notes == [] and report.by_name == 0
    print(f"200 learners: median {statistics.median(timings):.2f} s over {timings}")
    assert statistics.median(timings) < 15


def _expire(signum, frame):
    raise TimeoutError("reading the folder took longer than 60 s")


def test_special_files_and_hostile_json_are_listed_not_read(tmp_path, one_point_pair):
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
    (folder / "dir.json").mkdir()  # a folder is read recursively, whatever its name
    write(folder / "dir.json", "inner.json", results("子文件夹", good))
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.json"), "w", encoding="utf-8") as handle:
        json.dump(results("非 UTF-8 文件名", good), handle, ensure_ascii=False)
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.alarm(60)  # a FIFO or device that is read would hang here: fail instead
    try:
        report = make_report(folder, tmp_path / "out")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    reasons = {n.source: n.reason for n in report.scores.data.notes}
    expected = {"null.json": "不是本课程的成绩文件", "deep.json": "嵌套层数超过", "dup.json": "键 'answers' 重复出现",
                "nan.json": "非有限数值", "fifo.json": "不是普通文件",
                "zero.json": "链接", "outside.json": "链接"}
    for file, words in expected.items():
        assert words in reasons.get(f"in/{file}", ""), (file, reasons.get(f"in/{file}"))
    assert set(reasons) == {f"in/{f}" for f in expected}
    repaired = {n.source: n.reason for n in report.scores.data.repairs}  # the name repaired, the file counted
    assert "字段 learner 含有孤立的代理项" in repaired["in/surrogate.json"]
    learners = report.scores.learners
    assert sorted(l.record.name for l in learners) == ["子文件夹", "正常学员", "非 UTF-8 文件名", "\ufffd"]
    assert "in/caf\ufffd.json" in {s for l in learners for s in l.record.sources}
    assert "in/dir.json/inner.json" in {s for l in learners for s in l.record.sources}
    assert "caf\ufffd.json" in (tmp_path / "out" / "learners.csv").read_text("utf-8-sig")
