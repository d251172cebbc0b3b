"""学时 through the trainer's commands: only units of the batch, in bulk from a 学时表 and a 签到表 (each bad cell
named), certificates only where the batch's rules are met, and the batch rolled up by 单位."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook, load_workbook

from exercises.cli import main
from exercises.questions.papers import make_paper
from exercises.questions.types import type_of
from exercises.trainer.records.answer_sheet import write_answer_sheet
from exercises.trainer.records.store import Records

BATCH = "2026年第3期"
ROSTER = "学号,姓名,单位\n001,张三,甲局\n002,李四,乙局\n003,王五,乙局\n004,赵六,乙局\n"


@pytest.fixture
def db(tmp_path):
    db = str(tmp_path / "records.sqlite")
    roster = tmp_path / "花名册.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["records", "--db", db, "batch", BATCH, "--units", "1,2,3"]) == 0
    assert main(["records", "--db", db, "roster", BATCH, str(roster)]) == 0
    return db


def _xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _hours(tmp_path, db) -> dict:
    """Each learner's 学时 as the records hold them: {学号: {"合计": total}}."""
    records = Records(db)
    try:
        return {l.number: {"合计": l.total_hours} for l in records.batch_data(BATCH).learners}
    finally:
        records.close()


def test_hours_only_for_units_of_the_batch(db, tmp_path, capsys):
    assert main(["records", "--db", db, "hours", BATCH, "001", "9", "3"]) == 1
    assert "期次「2026年第3期」没有第 9 单元（单元应为 1、2、3，0 表示整个轮训），未登记。" in capsys.readouterr().err
    assert main(["records", "--db", db, "hours", BATCH, "001", "4", "3"]) == 1  # unit 4 is not in this batch
    assert main(["records", "--db", db, "hours", BATCH, "001", "2", "3"]) == 0
    assert main(["records", "--db", db, "hours", BATCH, "999", "2", "3"]) == 1
    assert "没有学号 999" in capsys.readouterr().err
    assert main(["records", "--db", db, "hours", BATCH, "001", "2", "nan"]) == 2
    assert "应为 0 到 1000 之间的数" in capsys.readouterr().err
    assert main(["records", "--db", db, "batch", BATCH, "--units", "1,9"]) == 1
    assert "单元应为 1、2、3、4 中的一个或几个" in capsys.readouterr().err
    hours = _hours(tmp_path, db)
    assert hours["001"]["合计"] == 3 and hours["002"]["合计"] is None


def test_hours_from_a_table_name_each_bad_cell(db, tmp_path, capsys):
    table = _xlsx(tmp_path / "学时表.xlsx", [["学号", "单元", "学时"], ["001", 1, 3], ["001", 2, 2.5], ["002", 9, 3],
                                            ["003", 1, "三"], ["", 1, 3], ["888", 1, 3], ["004", 0, 8]])
    assert main(["records", "--db", db, "hours-file", BATCH, str(table)]) == 1
    captured = capsys.readouterr()
    assert "已登记学时 3 项" in captured.out and "有 4 处问题" in captured.err
    for text in ("第 5 行 C 列“三”：学时应为 0 到 1000 之间的数", "第 6 行 A 列“”：没有学号", "第 4 行：期次「2026年第3期」没有第 9 单元",
                 "第 7 行：期次「2026年第3期」中没有学号 888"):
        assert text in captured.out, text
    hours = _hours(tmp_path, db)
    assert (hours["001"]["合计"], hours["002"]["合计"], hours["003"]["合计"], hours["004"]["合计"]) == (5.5, None, None, 8)


def test_hours_from_a_sign_in_sheet(db, tmp_path, capsys):
    sheet = _xlsx(tmp_path / "签到表.xlsx", [["学号", "姓名", "第1单元", "第2单元", "第3单元"],
                                          ["001", "张三", "√", "√", "√"], ["002", "李四", "√", None, "请假"],
                                          ["003", "王五", "√", "迟到", "√"]])
    assert main(["records", "--db", db, "signin", BATCH, str(sheet), "--hours", "2"]) == 1
    captured = capsys.readouterr()
    assert "已登记学时 4 项" in captured.out
    assert "第 4 行 D 列“迟到”：签到栏应填 √（到）或留空（未到）。该行未登记。" in captured.out
    hours = _hours(tmp_path, db)
    assert (hours["001"]["合计"], hours["002"]["合计"], hours["003"]["合计"]) == (6, 2, None)


def _paper_for_001(tmp_path):
    """An answer-entry sheet with 001's fully right paper."""
    paper = make_paper(3, 12)
    path = write_answer_sheet(paper, tmp_path / "答题录入表.xlsx")
    book = load_workbook(path)
    cells = []
    for q, marks in zip(paper.marked(), paper.marks):
        kind = type_of(q)
        answer = kind.correct_response(q)
        if not kind.entry_hint:
            cells.append(marks)
        elif isinstance(answer, bool):
            cells.append("对" if answer else "错")
        else:
            cells.append(("；" if q.type == "fill" else "").join(answer) if isinstance(answer, list) else answer)
    for column, value in enumerate(["001", "张三", *cells], start=1):
        book["答题录入"].cell(row=2, column=column, value=value)
    book.save(path)
    return path


def test_certificates_only_where_the_rules_are_met_and_units_roll_up(db, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["grade", "--db", db, BATCH, str(_paper_for_001(tmp_path))]) == 0
    assert main(["records", "--db", db, "report", BATCH, str(out), "--no-pdf"]) == 0
    assert "未发结业证书：期次尚未设定结业所需学时" in capsys.readouterr().out
    assert main(["records", "--db", db, "batch", BATCH, "--hours", "4", "--issuer", "市委党校"]) == 0
    for number, amount in (("001", "6"), ("002", "3")):
        assert main(["records", "--db", db, "hours", BATCH, number, "0", amount]) == 0
    assert main(["records", "--db", db, "report", BATCH, str(out), "--no-pdf"]) == 0
    assert "结业证书 1 份（及格且学时不少于 4）" in capsys.readouterr().out
    book = load_workbook(out / "成绩.xlsx")
    issued = list(book["结业证书"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[4], r[5]) for r in issued] == [("001", 6, "市委党校")] and issued[0][0] and issued[0][6]
    units = {r[0]: r for r in book["单位汇总"].iter_rows(min_row=2, values_only=True)}
    assert set(units) == {"甲局", "乙局", "合计"}
    assert units["甲局"][1:] == (1, 1, 100, 100, 1, 100)  # on roster, handed in, 参学率, mean, passed, pass rate
    assert units["乙局"][1:] == (3, 0, 0, None, 0, 0)  # 002 has 学时 but handed nothing in: no certificate
    assert units["合计"][1:] == (4, 1, 25, 100, 1, 25)
    page = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    heading = next(h for h in page.find_all("h2") if h.get_text() == "各单位汇总")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in heading.find_next("table").find_all("tr")[1:]]
    assert rows == [["乙局", "3", "0", "0.0%", "—", "0", "0.0%"], ["甲局", "1", "1", "100.0%", "100.0%", "1", "100.0%"],
                    ["合计", "4", "1", "25.0%", "100.0%", "1", "25.0%"]]


def test_roster_hours_for_a_unit_the_batch_lacks_are_named(db, tmp_path, capsys):
    roster = tmp_path / "学时花名册.csv"
    roster.write_text("学号,姓名,单位,第1单元学时,第9单元学时\n001,张三,甲局,3,4\n", encoding="utf-8")
    assert main(["records", "--db", db, "roster", BATCH, str(roster)]) == 0
    assert "学号 001 的第 9 单元学时未导入：期次「2026年第3期」没有这个单元（单元为 1、2、3）。" in capsys.readouterr().out
    assert _hours(tmp_path, db)["001"]["合计"] == 3
