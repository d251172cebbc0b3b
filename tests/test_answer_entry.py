"""A printed paper through the trainer's commands: ``course paper`` writes the answer-entry sheet, the trainer
fills it, ``course grade`` checks it cell by cell, and the records, workbook and report show the paper out of 100."""
from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from exercises.cli import main
from exercises.questions.types import REGISTRY

pytestmark = pytest.mark.process  # ``course paper`` runs Sphinx in a subprocess

BATCH = "2026年第9期"
ROSTER = "学号,姓名,单位\n001,张三,甲局\n002,李四,乙局\n003,王五,乙局\n"


def _entry(question: dict):
    """What a trainer types for a fully right answer: the printed key, or the full marks for a hand-marked one."""
    answer = question["answer"]
    kind = REGISTRY[question["type"]]
    if not kind.entry_hint:
        return question["points"]
    if isinstance(answer, bool):
        return "对" if answer else "错"
    if isinstance(answer, list):
        return ("；" if question["type"] == "fill" else "").join(answer)
    return answer


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """A real paper written by ``course paper`` (its answer-entry sheet and key)."""
    out = tmp_path_factory.mktemp("paper")
    assert main(["paper", "--seed", "11", "--count", "24", "--no-pdf", str(out)]) == 0
    return next(out.glob("*答题录入表.xlsx")), json.loads(next(out.glob("*-key.json")).read_text("utf-8"))


@pytest.fixture
def paper(printed, tmp_path):
    """A batch with a roster, the printed paper, and a helper to fill its sheet."""
    sheet, key = printed
    db = str(tmp_path / "records.sqlite")
    roster = tmp_path / "花名册.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["records", "--db", db, "batch", BATCH, "--hours", "6", "--issuer", "区委党校"]) == 0
    assert main(["records", "--db", db, "roster", BATCH, str(roster)]) == 0

    def fill(rows: list[list], name: str = "填好.xlsx"):
        book = load_workbook(sheet)
        entry = book["答题录入"]
        for r, values in enumerate(rows, start=2):
            for c, value in enumerate(values, start=1):
                entry.cell(row=r, column=c, value=value)
        path = tmp_path / name
        book.save(path)
        return path

    full = [_entry(q) for q in key["questions"]]
    return {"db": db, "key": key, "fill": fill, "full": full, "sheet": sheet, "tmp": tmp_path}


def _column(key: dict, kind: str) -> int:
    """The 0-based answer index of the first question of ``kind``."""
    return next(i for i, q in enumerate(key["questions"]) if q["type"] == kind)


def _learner_row(path, number: str) -> dict:
    book = load_workbook(path)
    rows = list(book["学员成绩"].iter_rows(values_only=True))
    return next(dict(zip(rows[0], r)) for r in rows[1:] if r[0] == number)


def test_sheet_has_hand_marked_columns_and_the_marks(paper):
    book = load_workbook(paper["sheet"])
    head = [c.value for c in book["答题录入"][1]]
    hand = [q for q in paper["key"]["questions"] if not REGISTRY[q["type"]].entry_hint]
    assert {q["type"] for q in hand} >= {"short"} and hand
    for q in hand:
        assert head[1 + q["number"]] == f"{q['number']}（得分，满分 {q['points']:g}）"
    notes = list(book["说明"].iter_rows(values_only=True))
    assert notes[0][:3] == ("sige-answer-sheet", 11, 24)
    assert sum(r[2] for r in notes[2:26]) == 100 and [r[3] for r in notes[2:26]] == [q["id"] for q in paper["key"]["questions"]]


def test_all_correct_with_full_hand_marks_records_100_of_100(paper, capsys):
    path = paper["fill"]([["001", "张三", *paper["full"]]])
    assert main(["grade", "--db", paper["db"], BATCH, str(path)]) == 0
    assert "学号 001（张三）：100 / 100 分" in capsys.readouterr().out
    out = paper["tmp"] / "out"
    assert main(["records", "--db", paper["db"], "report", BATCH, str(out), "--no-pdf"]) == 0
    row = _learner_row(out / "成绩.xlsx", "001")
    assert (row["纸质试卷得分"], row["纸质试卷满分"]) == (100, 100)
    assert row[next(k for k in row if str(k).startswith("是否及格"))] == "及格"
    page = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    table = next(t for t in page.find_all("table") if "纸质试卷" in [th.get_text() for th in t.find_all("th")])
    cells = next([td.get_text() for td in tr.find_all("td")] for tr in table.find_all("tr")
                 if tr.find("td") and tr.find("td").get_text() == "001")
    assert cells[-1] == "100/100"


def test_every_bad_cell_is_named_and_its_row_recorded_nothing(paper, capsys):
    key = paper["key"]
    bad = list(paper["full"])
    outside = "ABCDEFG"[len(key["questions"][_column(key, "multiple")]["options"])]  # the letter after the last option
    bad[_column(key, "multiple")] = f"BD{outside}"
    two = list(paper["full"])
    two[_column(key, "single")] = "AB"
    word = list(paper["full"])
    word[_column(key, "truefalse")] = "X"
    hand = next(i for i, q in enumerate(key["questions"]) if not REGISTRY[q["type"]].entry_hint)
    over = list(paper["full"])
    over[hand] = key["questions"][hand]["points"] + 1
    path = paper["fill"]([["001", "张三", *bad], ["002", "李四", *two], ["003", "王五", *word],
                          ["9999", "外人", *paper["full"]], ["001", "张三", *over]])
    assert main(["grade", "--db", paper["db"], BATCH, str(path)]) == 1
    captured = capsys.readouterr()
    assert "已录入 0 名学员" in captured.out and "有 5 处问题" in captured.err and "Traceback" not in captured.err

    def column(index: int) -> str:
        return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index + 2]

    expected = [f"第 2 行 {column(_column(key, 'multiple'))} 列（第 {_column(key, 'multiple') + 1} 题，多选题）“BD{outside}”："
                f"多选题应填 A–{'ABCDEFG'[len(key['questions'][_column(key, 'multiple')]['options']) - 1]} 中的字母，"
                f"“{outside}”不是选项",
                f"第 3 行 {column(_column(key, 'single'))} 列（第 {_column(key, 'single') + 1} 题，单选题）“AB”",
                f"第 4 行 {column(_column(key, 'truefalse'))} 列（第 {_column(key, 'truefalse') + 1} 题，判断题）“X”",
                "第 5 行 A 列“9999”：学号不在期次「2026年第9期」的花名册中",
                f"第 6 行 {column(hand)} 列（第 {hand + 1} 题"]
    for text in expected:
        assert f"工作表“答题录入”{text}" in captured.out, text
    assert "此前已录入" not in captured.out
    out = paper["tmp"] / "out"
    assert main(["records", "--db", paper["db"], "report", BATCH, str(out), "--no-pdf"]) == 0
    assert all(_learner_row(out / "成绩.xlsx", n)["纸质试卷得分"] is None for n in ("001", "002", "003"))


def test_re_entry_of_a_corrected_sheet_replaces_the_learners_paper(paper, capsys):
    half = list(paper["full"])
    hand = [i for i, q in enumerate(paper["key"]["questions"]) if not REGISTRY[q["type"]].entry_hint]
    for i in hand:
        half[i] = 0
    first = paper["fill"]([["001", "张三", *half]], "第一次.xlsx")
    assert main(["grade", "--db", paper["db"], BATCH, str(first)]) == 0
    lost = sum(paper["key"]["questions"][i]["points"] for i in hand)
    assert f"{100 - lost:g} / 100 分" in capsys.readouterr().out
    corrected = paper["fill"]([["001", "张三", *paper["full"]]], "改正.xlsx")
    assert main(["grade", "--db", paper["db"], BATCH, str(corrected)]) == 0
    said = capsys.readouterr().out
    assert "其中 1 名替换了此前录入的成绩" in said and "100 / 100 分（替换此前录入）" in said
    out = paper["tmp"] / "out"
    assert main(["records", "--db", paper["db"], "report", BATCH, str(out), "--no-pdf"]) == 0
    assert _learner_row(out / "成绩.xlsx", "001")["纸质试卷得分"] == 100


@pytest.mark.parametrize("count", [0, -3, "三"])
def test_a_changed_count_in_the_notes_sheet_is_a_clear_message(paper, capsys, count):
    path = paper["fill"]([["001", "张三", *paper["full"]]])
    book = load_workbook(path)
    book["说明"]["C1"] = count
    book.save(path)
    assert main(["grade", "--db", paper["db"], BATCH, str(path)]) == 1
    err = capsys.readouterr().err
    assert f"题数“{count}”不是 1 到 200 之间的整数" in err and "Traceback" not in err


def test_every_row_of_a_long_sheet_is_read(paper, capsys):
    """No silent limit: 6 000 learners past line 5 002 are all entered."""
    numbers = [f"{i:05d}" for i in range(1, 6001)]
    roster = paper["tmp"] / "大花名册.csv"
    roster.write_text("学号,姓名,单位\n" + "".join(f"{n},学员{n},单位{int(n) % 7}\n" for n in numbers), encoding="utf-8")
    assert main(["records", "--db", paper["db"], "roster", BATCH, str(roster)]) == 0
    path = paper["fill"]([[n, f"学员{n}", *paper["full"]] for n in numbers])
    capsys.readouterr()
    assert main(["grade", "--db", paper["db"], BATCH, str(path)]) == 0
    out = capsys.readouterr().out
    assert "已录入 6000 名学员" in out and "学号 06000（学员06000）：100 / 100 分" in out


def test_numbers_out_of_range_name_the_range(paper, capsys):
    assert main(["records", "--db", paper["db"], "assign", BATCH, "1180591620717411303424", "001"]) == 2
    assert "应为 1 到 2147483647 之间的整数，现在是“1180591620717411303424”" in capsys.readouterr().err
    for bad in ("nan", "-5", "inf"):
        assert main(["records", "--db", paper["db"], "batch", BATCH, "--pass-mark", bad]) == 2
        assert "应为 0 到 100 之间的数" in capsys.readouterr().err


@pytest.mark.tex
def test_the_score_sheet_shows_the_paper_out_of_its_total(paper, capsys):
    import subprocess

    path = paper["fill"]([["001", "张三", *paper["full"]]])
    assert main(["grade", "--db", paper["db"], BATCH, str(path)]) == 0
    out = paper["tmp"] / "out"
    assert main(["records", "--db", paper["db"], "report", BATCH, str(out)]) == 0
    text = subprocess.run(["pdftotext", str(out / "成绩单.pdf"), "-"], capture_output=True, text=True).stdout
    page = next(p for p in text.split("\f") if "学号： 001" in p)
    assert "纸质试卷：100 / 100" in page and "结果：及格" in page


def test_a_batch_without_a_roster_says_so(paper, capsys):
    path = paper["fill"]([["001", "张三", *paper["full"]]])
    assert main(["records", "--db", paper["db"], "batch", "空期次"]) == 0
    assert main(["grade", "--db", paper["db"], "空期次", str(path)]) == 1
    assert "期次「空期次」还没有花名册" in capsys.readouterr().err
