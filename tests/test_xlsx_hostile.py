"""Hostile spreadsheets against the one XLSX reader, through the real commands in a subprocess capped at 1 GB of
memory and 10 s: a lying ``<dimension>``, a cell at XFD1048576, a zip bomb sheet, millions of shared strings,
merged cells, a DOCTYPE. Each ends in a clear Chinese line and a non-zero exit, or (the lying dimension) in the
right import."""
from __future__ import annotations

import re
import resource
import subprocess
import sys
import zipfile

import pytest
from openpyxl import Workbook

pytestmark = pytest.mark.process

BATCH = "2026年第1期"
MEMORY = 1 << 30
SECONDS = 10
SHEET = "xl/worksheets/sheet1.xml"


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _course(*argv: str, db) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exercises.cli", *argv[:1], "--db", str(db), *argv[1:]],
                          capture_output=True, text=True, timeout=SECONDS, preexec_fn=_limit)


def _roster(path, rows: int = 120, title: str = "花名册"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["学号", "姓名", "单位"])
    for i in range(1, rows + 1):
        sheet.append([f"{i:04d}", f"学员{i}", "区委组织部"])
    book.save(path)
    return path


def _rewrite(path, member: str, replace) -> None:
    """Rewrite one member of the XLSX package (its text changed by ``replace``)."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[member] = replace(parts[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


@pytest.fixture
def db(tmp_path):
    db = tmp_path / "records.sqlite"
    assert _course("records", "batch", BATCH, db=db).returncode == 0
    return db


def _refused(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert all(word in done.stderr for word in words), done.stderr


def test_a_lying_dimension_is_ignored(tmp_path, db):
    path = _roster(tmp_path / "花名册.xlsx", rows=60)
    _rewrite(path, SHEET, lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml))
    assert 'A1:XFD1048576' in zipfile.ZipFile(path).read(SHEET).decode() and path.stat().st_size < 8000
    done = _course("records", "roster", BATCH, str(path), db=db)
    assert done.returncode == 0 and "已导入花名册：60 名学员" in done.stdout, done.stderr


@pytest.mark.parametrize("row, cell", [("1048576", "XFD1048576"), ("2", "ZZZZZZ2"), ("9" * 5000, "A" + "9" * 5000)])
def test_a_cell_far_out_is_refused(tmp_path, db, row, cell):
    path = _roster(tmp_path / "花名册.xlsx")
    _rewrite(path, SHEET, lambda xml: xml.replace(
        "</sheetData>", f'<row r="{row}"><c r="{cell}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    _refused(_course("records", "roster", BATCH, str(path), db=db), "花名册", "超过", "未读取")


def test_a_zip_bomb_sheet_is_stopped_at_the_unpacked_cap(tmp_path, db):
    """Under 8 MB on disk, hundreds of megabytes of XML inside: the reader stops at its budget whatever the zip headers say."""
    path = _roster(tmp_path / "炸弹.xlsx", rows=2)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    head = parts[SHEET].decode().split("</sheetData>")[0]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            if name != SHEET:
                target.writestr(name, data)
        with target.open(SHEET, "w", force_zip64=True) as stream:
            stream.write((head + '<row r="4"><c r="A4" t="inlineStr"><is><t>').encode())
            block = b"x" * (1 << 20)
            for _ in range(256):  # 256 MiB of text in one cell
                stream.write(block)
            stream.write(b"</t></is></c></row></sheetData></worksheet>")
    assert path.stat().st_size < 8_000_000
    _refused(_course("records", "roster", BATCH, str(path), db=db), "解压后超过", "MB")


def test_millions_of_shared_strings_are_refused(tmp_path, db):
    path = _roster(tmp_path / "字符串.xlsx", rows=2)
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    count = 6_000_000
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
               + f' count="{count}" uniqueCount="{count}">'.encode() + b"<si><t>a</t></si>" * count + b"</sst>")
    parts["xl/sharedStrings.xml"] = strings
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert path.stat().st_size < 1_000_000
    _refused(_course("records", "roster", BATCH, str(path), db=db), "共享字符串超过")


def test_merged_cells_are_refused_by_name(tmp_path, db):
    path = tmp_path / "合并.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["学号", "姓名", "单位"])
    sheet.append(["0001", "张三", "区委组织部"])
    sheet.append(["0002", "李四", None])
    sheet.merge_cells("C2:C3")
    book.save(path)
    _refused(_course("records", "roster", BATCH, str(path), db=db), "合并单元格", "C2:C3")


def test_a_doctype_is_refused(tmp_path, db):
    path = _roster(tmp_path / "实体.xlsx", rows=2)
    _rewrite(path, SHEET, lambda xml: xml.replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><worksheet', 1))
    _refused(_course("records", "roster", BATCH, str(path), db=db), "DOCTYPE")


@pytest.mark.parametrize("command", [["grade"], ["records", "hours-file"], ["records", "signin", "--hours", "3"]])
def test_every_reader_of_outside_spreadsheets_uses_the_capped_reader(tmp_path, db, command):
    path = _roster(tmp_path / "表.xlsx", title="答题录入")
    _rewrite(path, SHEET, lambda xml: xml.replace(
        "</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    argv = [*command[:2], BATCH, str(path), *command[2:]] if command[0] == "records" else [*command, BATCH, str(path)]
    _refused(_course(*argv, db=db), "超过")
