"""Pillars and measures come from the article: an article of five parts is taken by the book's blocks, the bank
schema and the records without a change to the code."""
from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml
from openpyxl import load_workbook

from exercises.book import chapter
from exercises.cli import main as course
from exercises.questions.bank import bank_schema
from exercises.text.article import parse
from exercises.text.numbers import all_chapters, chinese_number
from exercises.trainer.records import rules, scoring

ROOT = Path(__file__).resolve().parents[1]


def five_parts(article):
    """The received article with its first pillar's paragraph once more, as a fifth part (a test fixture)."""
    paragraphs = [p.paragraph for p in article.pillars] + [article.pillars[0].paragraph]
    return parse("\n".join([article.opening, *paragraphs, article.author_line]) + "\n", article.report)


def test_chinese_numbers():
    assert [chinese_number(n) for n in (0, 1, 4, 10, 12, 20, 21, 99)] == \
        ["〇", "一", "四", "十", "十二", "二十", "二十一", "九十九"]
    assert all_chapters(4) == "全部四章" and all_chapters(5) == "全部五章" and all_chapters(1) == "本章"


def test_the_book_blocks_take_a_fifth_part(article):
    five = five_parts(article)
    assert five.numbers == (1, 2, 3, 4, 5) and [m.id for m in five.pillar(5).measures] == ["5.1", "5.2", "5.3"]
    assert five.pillar(5).title in chapter.pillar_text(5, five).html
    assert "举措 5.3" in chapter.structure(5, five).plain


def test_the_bank_schema_follows_the_article(article):
    five = five_parts(article)
    data = yaml.safe_load((ROOT / "exercises" / "banks" / "p1-political.yml").read_text(encoding="utf-8"))
    data["pillar"] = 5
    for entry in [*data["questions"], *data["discussion"]]:
        entry["id"] = entry["id"].replace("p1-", "p5-")
    for entry in [*data["questions"], *data["terms"]]:
        if "measure" in entry:
            entry["measure"] = entry["measure"].replace("1.", "5.", 1)
    assert list(jsonschema.Draft202012Validator(bank_schema(five)).iter_errors(data)) == []
    four = [e.message for e in jsonschema.Draft202012Validator(bank_schema(article)).iter_errors(data)]
    assert any("5 is greater than the maximum of 4" in m for m in four)
    assert any("'5.1' is not one of" in m for m in four)


def test_the_records_keep_a_fifth_session(article, tmp_path, monkeypatch):
    five = five_parts(article)
    for module in (rules, scoring):
        monkeypatch.setattr(module, "load_article", lambda: five)
    db, batch = str(tmp_path / "records.sqlite"), "2026年第1期"
    roster = tmp_path / "花名册.csv"
    roster.write_text("学号,姓名,单位\n1001,张三,夫子庙街道\n", encoding="utf-8")
    for argv in (["batch", batch], ["roster", batch, str(roster)], ["hours", batch, "1001", "5", "2"],
                 ["report", batch, str(tmp_path / "out"), "--no-pdf"]):
        assert course(["records", "--db", db, *argv]) == 0, argv
    sheet = load_workbook(tmp_path / "out" / "成绩.xlsx")["学时"]
    header = [c.value for c in sheet[1]]
    assert "第 5 单元" in header
    assert sheet.cell(row=2, column=header.index("第 5 单元") + 1).value == 2


def pillar_lists(source: str, numbers: tuple[int, ...], titles: set[str]) -> list[str]:
    """Literal lists of the pillars in ``source``: their numbers (1, 2, 3, 4) or two or more of their titles."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if tuple(values) == numbers or len(titles.intersection(v for v in values if isinstance(v, str))) >= 2:
                found.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_no_code_lists_the_pillars(article):
    """Only the article parser knows how many pillars there are and what they are called."""
    numbers, titles = article.numbers, {p.title for p in article.pillars}
    found = [f"{p.relative_to(ROOT)}:{hit}" for p in sorted((ROOT / "exercises").rglob("*.py"))
             if p.name != "article.py" for hit in pillar_lists(p.read_text(encoding="utf-8"), numbers, titles)]
    assert found == []
    planted = 'SESSIONS = (1, 2, 3, 4)\nNAMES = ["突出政治引领", "突出人才引育"]\n'
    assert len(pillar_lists(planted, (1, 2, 3, 4), {"突出政治引领", "突出人才引育"})) == 2
