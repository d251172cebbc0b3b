"""Answer-entry sheets for a seeded paper: one row per learner, one column per printed number; read back.

The sheet's 说明 sheet records the seed and count, so reading it back rebuilds the same paper and maps
each printed option letter to the bank's letter (options are shuffled on paper). Entered per type:
单选 a letter; 多选 letters (``ACD``); 判断 对/错; 填空 the blanks separated by ；; 简答 the text.
排序 and 匹配 are marked on paper and not entered here, so they are not part of the recorded attempt.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ...questions.bank import OPTION_KEYS, load_all
from ...questions.presentation import type_label
from ...questions.papers import Paper, make_paper
from .identity import display_text
from .output import save_workbook

MARK = "sige-answer-sheet"
ENTERED = {"single": "填选项字母", "multiple": "填选项字母，如 ACD", "truefalse": "填 对 或 错",
           "fill": "各空之间用 ；分隔", "short": "照录答案文字"}
SPLIT_BLANKS = re.compile(r"[；;｜|/]")
MAX_SHEET_BYTES = 20_000_000
MAX_ROWS = 5000


class SheetError(ValueError):
    """An answer-entry sheet that cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class PaperRow:
    line: int
    number: str
    name: str
    responses: dict[str, object]  # bank question id -> response in bank letters (None: left blank)
    digest: str


def write_answer_sheet(paper: Paper, path: Path) -> Path:
    """The XLSX answer-entry sheet for ``paper`` (学号 as text), written atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "答题录入"
    head = ["学号", "姓名", *[str(i) for i in range(1, len(paper.questions) + 1)]]
    sheet.append(head)
    for cell in sheet[1]:
        cell.data_type = "s"
        cell.font = Font(bold=True)
    for row in range(2, 202):  # 学号 typed into these cells stays text (no lost leading zeros)
        sheet.cell(row=row, column=1).number_format = "@"
    sheet.freeze_panes = "C2"
    notes = book.create_sheet("说明")
    notes.append([MARK, paper.seed, len(paper.questions)])
    notes.append(["题号", "题型", "录入方法"])
    for i, q in enumerate(paper.questions, start=1):
        notes.append([i, type_label(q), ENTERED.get(q.type, "不录入（在纸面评阅）")])
    return save_workbook(book, path)


def _to_bank(printed, bank) -> dict[str, str]:
    """Printed letter -> bank letter, through the option texts."""
    return {OPTION_KEYS[i]: OPTION_KEYS[bank.options.index(text)] for i, text in enumerate(printed.options)}


def _letter(printed, bank, text: str):
    return _to_bank(printed, bank).get(text.upper(), text)


def _letters(printed, bank, text: str):
    mapping = _to_bank(printed, bank)
    return [mapping.get(ch, ch) for ch in text.upper() if not ch.isspace() and ch not in ",，、"]


def _blanks(printed, bank, text: str):
    return [part.strip() for part in SPLIT_BLANKS.split(text)]


def _as_typed(printed, bank, text: str):
    return text


# How an entered cell becomes a response, per question type (排序 and 匹配 are not entered).
READERS = {"single": _letter, "multiple": _letters, "truefalse": _as_typed, "fill": _blanks, "short": _as_typed}


def _response(printed, bank, value):
    text = unicodedata.normalize("NFKC", display_text(value, 2000)).strip()
    return READERS[printed.type](printed, bank, text) if text else None


def read_answer_sheet(path: Path) -> tuple[Paper, list[PaperRow], list[str]]:
    """The paper and every entered row, in bank letters; rows without 学号 and 姓名 are listed as problems."""
    from openpyxl import load_workbook

    path = Path(path)
    if path.is_symlink() or not path.is_file():
        raise SheetError(f"找不到答题录入表：{path}")
    if path.stat().st_size > MAX_SHEET_BYTES:
        raise SheetError(f"答题录入表过大（上限 {MAX_SHEET_BYTES // 1_000_000} MB）：{path.name}")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SheetError(f"无法读取答题录入表 {path.name}（{type(exc).__name__}）。") from None
    try:
        if "说明" not in book.sheetnames or "答题录入" not in book.sheetnames:
            raise SheetError(f"{path.name} 不是 course paper 生成的答题录入表（缺少“答题录入”或“说明”工作表）。")
        mark = next(book["说明"].iter_rows(max_row=1, values_only=True), ())
        if len(mark) < 3 or mark[0] != MARK or not isinstance(mark[1], int) or not isinstance(mark[2], int):
            raise SheetError(f"{path.name} 的“说明”工作表已被改动，无法确定试卷的种子和题数。")
        rows = [list(r) for _, r in zip(range(MAX_ROWS + 2), book["答题录入"].iter_rows(values_only=True))]
    finally:
        book.close()
    paper = make_paper(mark[1], mark[2])
    banks = {q.id: q for b in load_all() for q in b.questions}
    problems, entered = [], []
    for line, row in enumerate(rows[1:], start=2):
        row = row + [None] * (2 + len(paper.questions) - len(row))
        number, name = display_text(row[0], 40), display_text(row[1])
        answers = row[2: 2 + len(paper.questions)]
        if not number and not name:
            if any(display_text(v) for v in answers):
                problems.append(f"第 {line} 行有答案但没有学号和姓名，未录入。")
            continue
        responses = {}
        for printed, value in zip(paper.questions, answers):
            if ENTERED.get(printed.type):  # a blank cell is an unanswered question (0 points)
                responses[printed.id] = _response(printed, banks[printed.id], value)
        digest = hashlib.sha256(json.dumps([MARK, paper.seed, len(paper.questions), number, name, responses],
                                           ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        entered.append(PaperRow(line, number, name, responses, digest))
    return paper, entered, problems
