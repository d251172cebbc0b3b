"""Outputs read from the records: command line, workbook, HTML report, PDFs, comparison, paper answer sheets."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from exercises.cli import main as course
from records_batch import make_batch


def main(argv: list[str]) -> int:
    """``course records …``"""
    return course(["records", *argv])


BATCH = "2026年第1期"


@pytest.fixture
def loaded(tmp_path):
    """A generated batch imported through the command line into a fresh SQLite file."""
    batch = make_batch(tmp_path / "batch", learners=24)
    db = str(tmp_path / "records.sqlite")
    for argv in (["batch", BATCH, "--pass-mark", "50", "--hours", "6", "--issuer", "区委党校"],
                 ["roster", BATCH, str(batch.roster)],
                 ["import", BATCH, str(batch.root / "收集")]):
        assert main(["--db", db, *argv]) == 0
    return batch, db


def test_workbook_and_html_report(loaded, tmp_path, capsys):
    batch, db = loaded
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    doc = {"format": "sige-course-results", "version": 1, "learner": "=HYPERLINK(\"http://x\")<b>",
           "learner_id": "0099", "updated": "2026-11-27T10:00:00+00:00", "answers": {}}
    (hostile / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    roster = tmp_path / "extra.csv"
    roster.write_text('学号,姓名,单位\n0099,"=HYPERLINK(""http://x"")<b>",@SUM(1)\n', encoding="utf-8")
    assert main(["--db", db, "roster", BATCH, str(roster)]) == 0
    assert main(["--db", db, "import", BATCH, str(hostile)]) == 0
    out = tmp_path / "out"
    assert main(["--db", db, "report", BATCH, str(out), "--no-pdf"]) == 0
    assert "学员 25 人" in capsys.readouterr().out

    book = load_workbook(out / "成绩.xlsx")
    assert book.sheetnames[:5] == ["学员成绩", "题目分析", "举措", "未交名单", "学时"]
    rows = list(book["学员成绩"].iter_rows(values_only=True))
    numbers = [r[0] for r in rows[1:]]
    assert sorted(numbers) == sorted([*batch.numbers, "0099"]) and all(isinstance(n, str) for n in numbers)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    hostile_row = next(r for r in rows if r[0] == "0099")
    assert hostile_row[1] == '=HYPERLINK("http://x")<b>' and hostile_row[2] == "@SUM(1)"
    missing = {(r[1], r[0]) for r in book["未交名单"].iter_rows(min_row=2, values_only=True)}
    assert {n for n, _ in missing} >= set(batch.missing_unit) | {"0099"}
    analysis = {r[0]: r for r in book["题目分析"].iter_rows(min_row=2, values_only=True)}
    single = next(r for r in analysis.values() if r[3] == "单选题" and r[4])
    assert "人" in single[8]  # the chosen-option distribution
    unused = [r[0] for r in book["未用文件"].iter_rows(min_row=2, values_only=True)]
    assert set(batch.unused) <= set(unused)

    soup = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    assert not soup.find("b")  # a learner's markup is text, never markup
    assert '=HYPERLINK("http://x")<b>' in soup.get_text()
    assert "各单元需要重讲的题目" in soup.get_text() and "未计入的文件" in soup.get_text()


def test_errors_are_one_chinese_line(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite")
    assert main(["--db", db, "import", "没有这期", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "没有期次「没有这期」：请先用 course records batch 没有这期 建立。"
    assert main(["--db", db, "batch", BATCH]) == 0
    assert main(["--db", db, "import", BATCH, str(tmp_path / "nothing")]) == 1
    assert capsys.readouterr().err.strip().startswith("没有读到任何可用的成绩文件")
    assert main(["--db", db, "report", BATCH, str(tmp_path / "o")]) == 1
    assert "还没有学员" in capsys.readouterr().err
    assert main(["--db", "mysql://x/y", "list"]) == 1
    assert capsys.readouterr().err.strip().startswith("不支持的数据库")
    bad = tmp_path / "r.txt"
    bad.write_text("x", encoding="utf-8")
    assert main(["--db", db, "roster", BATCH, str(bad)]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_comparison_of_two_batches(loaded, tmp_path, capsys):
    batch, db = loaded
    other = make_batch(tmp_path / "other", learners=12, seed=99)
    for argv in (["batch", "第2期"], ["import", "第2期", str(other.root / "收集")]):
        assert main(["--db", db, *argv]) == 0
    out = tmp_path / "cmp.xlsx"
    assert main(["--db", db, "compare", BATCH, "第2期", str(out)]) == 0
    rows = list(load_workbook(out)["对比"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4 + 12 and rows[0][0] == "突出政治引领"
    for label, a, b, delta in rows:
        assert delta == pytest.approx(round(b - a, 1), abs=0.11), label


@pytest.mark.skipif(shutil.which("xelatex") is None or shutil.which("pdftotext") is None,
                    reason="需要 xelatex 和 pdftotext")
def test_score_sheets_and_certificates(loaded, tmp_path):
    batch, db = loaded
    out = tmp_path / "out"
    assert main(["--db", db, "report", BATCH, str(out)]) == 0
    sheets = subprocess.run(["pdftotext", str(out / "成绩单.pdf"), "-"], capture_output=True, text=True).stdout
    assert sheets.count("轮训成绩单") == len(batch.numbers)
    assert all(n in sheets for n in batch.numbers)
    book = load_workbook(out / "成绩.xlsx")
    rows = list(book["学员成绩"].iter_rows(values_only=True))
    columns = {h: i for i, h in enumerate(rows[0])}
    eligible = {r[0] for r in rows[1:] if r[9] == "及格" and (r[columns["学时合计"]] or 0) >= 6}
    short = {r[0] for r in rows[1:] if r[9] == "及格"} - eligible
    assert eligible and short  # some passed without the batch's 学时: no certificate for them
    listed = {r[1]: r for r in book["结业证书"].iter_rows(min_row=2, values_only=True)}
    assert set(listed) == eligible == {r[0] for r in rows[1:] if r[columns["证书编号"]]}
    assert all(r[5] == "区委党校" and r[4] >= 6 for r in listed.values()) and len({r[0] for r in listed.values()}) == len(listed)
    certificates = subprocess.run(["pdftotext", str(out / "结业证书.pdf"), "-"], capture_output=True, text=True).stdout
    certificates = certificates.replace("\u2011", "-")  # the font's hyphen comes back as a non-breaking one
    assert certificates.count("结业证书") == len(eligible)
    assert all(f"证书编号：{r[0]}" in certificates for r in listed.values()) and "区委党校" in certificates
    for name, title in (("成绩单", "轮训成绩单"), ("结业证书", "结业证书")):
        info = subprocess.run(["pdfinfo", str(out / f"{name}.pdf")], capture_output=True, text=True).stdout
        assert f"Title:           {title}：{BATCH}" in info
    assert main(["--db", db, "report", BATCH, str(tmp_path / "again"), "--no-pdf"]) == 0  # numbers kept once given
    again = {r[1]: r[0] for r in load_workbook(tmp_path / "again" / "成绩.xlsx")["结业证书"].iter_rows(min_row=2, values_only=True)}
    assert again == {n: r[0] for n, r in listed.items()}
    fonts = subprocess.run(["pdffonts", str(out / "成绩单.pdf")], capture_output=True, text=True).stdout
    assert "NotoSerifCJK" in fonts and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])


def test_csv_tables_and_unwritable_output_in_chinese(loaded, tmp_path, capsys):
    import csv

    batch, db = loaded
    roster = tmp_path / "extra.csv"
    roster.write_text('学号,姓名,单位\n0099,"=HYPERLINK(""http://x"")",@SUM(1)\n', encoding="utf-8")
    assert main(["--db", db, "roster", BATCH, str(roster)]) == 0
    out = tmp_path / "out"
    assert main(["--db", db, "report", BATCH, str(out), "--no-pdf"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["learners.csv", "questions.csv", "report.html", "成绩.xlsx"]
    assert (out / "learners.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    with (out / "learners.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["学号"]: r for r in csv.DictReader(handle)}
    assert set(rows) == {*batch.numbers, "0099"}
    assert rows["0099"]["姓名"] == "'=HYPERLINK(\"http://x\")" and rows["0099"]["单位"] == "'@SUM(1)"
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", db, "report", BATCH, str(afile), "--no-pdf"]) == 1
    assert capsys.readouterr().err.strip() == f"无法读写文件（已有同名的文件或文件夹）：{afile}"
