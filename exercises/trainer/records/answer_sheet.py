"""Answer-entry sheets for a seeded paper: one row per learner, one column per printed number; read back and
checked cell by cell.

The 说明 sheet records the seed, the count and each number's bank id, so reading it back rebuilds the same
paper (or says the banks changed). A question type with an ``entry_hint`` is entered as the learner answered
(printed letters) and read by the type's ``read_entry``; the others (排序, 匹配, 简答) are marked on paper and
their points entered. A row is taken only when every cell in it is sound; a row with a bad cell is reported
(sheet, row, column, value, why) and nothing of it is taken. Scores are on the paper's scale (out of 100).
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ...questions.grading import grade
from ...questions.papers import Paper, make_paper
from ...questions.presentation import type_label
from ...questions.types import type_of
from ...questions.types.base import EntryError
from .identity import display_text, normalize_number
from .output import save_workbook
from .xlsx import XlsxError, column_letter, read_xlsx

MARK = "sige-answer-sheet"
FORMAT = 2
ENTRY, NOTES = "答题录入", "说明"
MAX_COUNT = 200  # printed questions on one paper
HAND_HINT = "在纸面评阅，填得分（0 到满分，可到 0.5 分；空白计 0 分）"


class SheetError(ValueError):
    """An answer-entry sheet that cannot be read; the message is Chinese."""


@dataclass(frozen=True)
class PaperRow:
    line: int
    number: str
    name: str
    responses: dict[int, object]  # printed number -> response in printed keys (None: left blank), entered types
    points: dict[int, float]  # printed number -> points on the paper's scale, every question
    score: float
    total: float


def hand_marked(q) -> bool:
    """Marked on paper (points entered) rather than entered as answered."""
    return not type_of(q).entry_hint


def _heading(number: int, q, marks: int) -> str:
    return f"{number}（得分，满分 {marks}）" if hand_marked(q) else str(number)


def write_answer_sheet(paper: Paper, path: Path) -> Path:
    """The XLSX answer-entry sheet for ``paper`` (学号 as text), written atomically."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = ENTRY
    sheet.append(["学号", "姓名", *[_heading(n, q, m) for n, (q, m) in enumerate(zip(paper.questions, paper.marks), 1)]])
    for cell in sheet[1]:
        cell.data_type = "s"
        cell.font = Font(bold=True)
    for row in range(2, 202):  # 学号 typed into these cells stays text (no lost leading zeros)
        sheet.cell(row=row, column=1).number_format = "@"
    sheet.freeze_panes = "C2"
    notes = book.create_sheet(NOTES)
    notes.append([MARK, paper.seed, len(paper.questions), FORMAT])
    notes.append(["题号", "题型", "分值", "题库编号", "录入方法"])
    for number, (q, marks) in enumerate(zip(paper.questions, paper.marks), start=1):
        notes.append([number, type_label(q), marks, q.id, type_of(q).entry_hint or HAND_HINT])
    notes.append([])
    notes.append(["一行有任何一格不合要求时，整行都不录入；改正后重新运行 course grade，该学员的试卷成绩以新录入为准。"])
    return save_workbook(book, path)


def _paper(notes: list[list], name: str) -> Paper:
    """Rebuild the paper from the 说明 sheet, refusing a changed sheet or changed banks."""
    mark = (notes[0] if notes else []) + [None] * 4
    if mark[0] != MARK or mark[3] != FORMAT:
        raise SheetError(f"{name} 不是本版 course paper 生成的答题录入表（“说明”工作表第一行已被改动），请用新生成的录入表。")
    seed, count = mark[1], mark[2]
    if not isinstance(seed, int) or isinstance(seed, bool) or abs(seed) > 2 ** 63:
        raise SheetError(f"{name} 的“说明”工作表中的种子“{display_text(seed, 30)}”不是整数，无法确定试卷。")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
        raise SheetError(f"{name} 的“说明”工作表中的题数“{display_text(count, 30)}”不是 1 到 {MAX_COUNT} 之间的整数，"
                         "无法确定试卷。")
    try:
        paper = make_paper(seed, count)
    except ValueError as exc:
        raise SheetError(f"{name}：{exc}") from None
    listed = [row[3] if len(row) > 3 else None for row in notes[2: 2 + count]]
    if len(paper.questions) != count or listed != [q.id for q in paper.questions]:
        raise SheetError(f"{name} 对应的试卷（种子 {seed}，{count} 题）与现行题库重建的试卷不同"
                         "（题库已改动或“说明”工作表被改动），无法录入。")
    return paper


def _text(value) -> str:
    if isinstance(value, bool):
        return "对" if value else "错"  # a spreadsheet's TRUE/FALSE in a 判断 cell
    return unicodedata.normalize("NFKC", display_text(value, 2000)).strip()


def _points(value, marks: int) -> float:
    if isinstance(value, str):
        try:
            value = float(unicodedata.normalize("NFKC", value).strip())
        except ValueError:
            raise EntryError(f"应填 0 到 {marks} 之间的得分") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise EntryError(f"应填 0 到 {marks} 之间的得分")
    if not 0 <= value <= marks or (2 * value) != int(2 * value):
        raise EntryError(f"得分应在 0 到 {marks} 之间，以 0.5 分为单位")
    return float(value)


class _Cells:
    """Reads and grades entered cells once per distinct (question, text): many learners enter the same answer."""

    def __init__(self):
        self.done: dict[tuple[int, str], tuple[object, float]] = {}

    def __call__(self, index: int, q, text: str) -> tuple[object, float]:
        key = (index, text)
        if key not in self.done:
            response = type_of(q).read_entry(q, text)
            self.done[key] = response, grade(q, response).score
        return self.done[key]


def _row(paper: Paper, marked, line: int, row: list, cells: _Cells) -> tuple[PaperRow | None, list[str]]:
    """One learner's row, or the cells that keep it out."""
    number, name = normalize_number(row[0]), display_text(row[1])
    responses: dict[int, object] = {}
    points: dict[int, float] = {}
    problems = []
    for index, (q, value) in enumerate(zip(marked, row[2:]), start=1):
        kind = type_of(q)
        try:
            if hand_marked(q):
                points[index] = 0.0 if _text(value) == "" else _points(value, int(q.points))
            else:
                text = _text(value)
                responses[index], points[index] = cells(index, q, text) if text else (None, 0.0)
        except EntryError as exc:
            shown = display_text(value, 40)
            problems.append(f"工作表“{ENTRY}”第 {line} 行 {column_letter(index + 1)} 列（第 {index} 题，{kind.label}）"
                            f"“{shown}”：{exc}。")
    extra = [(i, v) for i, v in enumerate(row[2 + len(marked):], start=2 + len(marked)) if _text(v)]
    problems += [f"工作表“{ENTRY}”第 {line} 行 {column_letter(i)} 列“{display_text(v, 40)}”：试卷只有 "
                 f"{len(marked)} 题，这一列不应有内容。" for i, v in extra[:3]]
    if not number:
        problems.append(f"工作表“{ENTRY}”第 {line} 行 A 列：没有学号（姓名“{name}”）。")
    if problems:
        return None, problems
    score = round(sum(points.values()), 2)
    return PaperRow(line, number, name, responses, points, score, float(sum(paper.marks))), []


def read_answer_sheet(path: Path) -> tuple[Paper, list[PaperRow], list[str]]:
    """The paper, every sound row, and one line per bad cell (its row is not among the sound rows)."""
    path = Path(path)
    name = f"答题录入表 {path.name}"
    try:
        sheets = read_xlsx(path, "答题录入表", (ENTRY, NOTES))
    except XlsxError as exc:
        if "没有工作表" in str(exc):
            raise SheetError(f"{path.name} 不是 course paper 生成的答题录入表（缺少“答题录入”或“说明”工作表）。") from None
        raise SheetError(str(exc)) from None
    paper = _paper(sheets[NOTES].rows, name)
    rows = sheets[ENTRY].rows
    width = 2 + len(paper.questions)
    expected = [display_text(h, 100) for h in ("学号", "姓名", *[_heading(n, q, m) for n, (q, m)
                                                                 in enumerate(zip(paper.questions, paper.marks), 1)])]
    head = [display_text(v, 100) for v in (rows[0] if rows else [])][:width]
    if head != expected:
        raise SheetError(f"{name} 的“{ENTRY}”工作表第一行（表头）已被改动，无法确定各列是哪一题。")
    marked = paper.marked()
    entered, problems, seen, cells = [], [], {}, _Cells()
    for line, row in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in row):
            continue
        row = row + [None] * (width - len(row))
        taken, bad = _row(paper, marked, line, row, cells)
        if taken and taken.number in seen:
            bad = [f"工作表“{ENTRY}”第 {line} 行 A 列“{taken.number}”：与第 {seen[taken.number]} 行学号重复。"]
            taken = None
        if taken:
            seen[taken.number] = line
            entered.append(taken)
        problems += bad
    return paper, entered, problems
