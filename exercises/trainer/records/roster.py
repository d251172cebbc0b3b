"""A class roster (花名册) from CSV or XLSX: 学号/工号, 姓名, 单位, 期次 and optional 学时 columns.

The header row names the columns (any order). 学时 columns: 「学时」 (the whole rotation) or
「第N单元学时」/「学时N」 (session N). Rows without a 学号 are listed, not guessed.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .identity import display_text, normalize_name, normalize_number
from .xlsx import XlsxError, read_xlsx

MAX_ROSTER_BYTES = 20_000_000
MAX_ROWS = 20_000
NUMBER_HEADS = {"学号", "工号", "学号/工号", "学号或工号", "编号", "学员编号"}
HOURS_SESSION = re.compile(r"^(?:第)?(\d{1,2})(?:单元|次)?学时$|^学时(\d{1,2})$")


class RosterError(ValueError):
    """A roster that cannot be imported; the message is Chinese."""


@dataclass(frozen=True)
class RosterRow:
    number: str
    name: str
    unit: str
    batch: str
    hours: dict[int, float] = field(default_factory=dict)  # session (0: whole rotation) -> hours


@dataclass
class Roster:
    rows: list[RosterRow]
    problems: list[str]  # rows not imported, with the reason


def _rows_from_xlsx(path: Path) -> list[list]:
    """The first sheet, through the capped reader (merged cells are refused there)."""
    try:
        rows = next(iter(read_xlsx(path, "花名册").values())).rows
    except XlsxError as exc:
        raise RosterError(str(exc)) from None
    while rows and not any(display_text(v) for v in rows[-1]):
        rows.pop()
    return rows


def _rows_from_csv(path: Path) -> list[list]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in Chinese locales saves CSV as GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(f"花名册 {path.name} 不是 UTF-8 或 GBK 编码的文本。")
    rows = []
    for row in csv.reader(io.StringIO(text)):
        rows.append(row)
        if len(rows) > MAX_ROWS + 1:
            raise RosterError(f"花名册 {path.name} 超过 {MAX_ROWS} 行，未导入（请分成几个文件）。")
    return rows


def _hours(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(display_text(value))
    except ValueError:
        return None
    return number if 0 <= number <= 1000 else None


def read_roster(path: Path) -> Roster:
    """The rows of a roster file; raise RosterError when the file or its header cannot be used."""
    path = Path(path)
    if path.is_symlink() or not path.is_file():
        raise RosterError(f"找不到花名册文件：{path}")
    if path.stat().st_size > MAX_ROSTER_BYTES:
        raise RosterError(f"花名册 {path.name} 过大（上限 {MAX_ROSTER_BYTES // 1_000_000} MB）。")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _rows_from_xlsx(path)
    elif suffix == ".csv":
        rows = _rows_from_csv(path)
    else:
        raise RosterError(f"花名册应为 .xlsx 或 .csv 文件：{path.name}")
    if len(rows) > MAX_ROWS + 1:
        raise RosterError(f"花名册 {path.name} 有 {len(rows) - 1} 行，超过 {MAX_ROWS} 行，未导入（请分成几个文件）。")
    if not rows:
        raise RosterError(f"花名册 {path.name} 是空的。")
    head = [normalize_name(h) for h in rows[0]]
    columns: dict[str, int] = {}
    sessions: dict[int, int] = {}
    for index, title in enumerate(head):
        if title in NUMBER_HEADS and "number" not in columns:
            columns["number"] = index
        elif title in ("姓名", "名字") and "name" not in columns:
            columns["name"] = index
        elif title in ("单位", "工作单位", "所在单位") and "unit" not in columns:
            columns["unit"] = index
        elif title in ("期次", "批次", "班次") and "batch" not in columns:
            columns["batch"] = index
        elif title in ("学时", "总学时"):
            sessions[0] = index
        elif (match := HOURS_SESSION.match(title)):
            sessions[int(match.group(1) or match.group(2))] = index
    if "number" not in columns or "name" not in columns:
        raise RosterError(f"花名册 {path.name} 的第一行应有「学号」（或「工号」）和「姓名」两列。")

    def cell(row: list, key: str) -> object:
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    result, problems, seen = [], [], {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(display_text(v) for v in row):
            continue
        number, name = normalize_number(cell(row, "number")), display_text(cell(row, "name"))
        if not number:
            problems.append(f"第 {line} 行（{name or '无姓名'}）没有学号，未导入。")
            continue
        if number in seen:
            other = seen[number]
            if normalize_name(other.name) != normalize_name(name):
                raise RosterError(f"花名册中学号 {number} 出现两次且姓名不同（{other.name}、{name}），请先改正花名册。")
            problems.append(f"第 {line} 行与前面的学号 {number} 重复，只计一次。")
            continue
        row_hours = {}
        for session, index in sessions.items():
            value = row[index] if index < len(row) else None
            amount = _hours(value)
            if amount is not None:
                row_hours[session] = amount
            elif display_text(value):
                problems.append(f"第 {line} 行的学时「{display_text(value, 20)}」不是 0 到 1000 之间的数，未导入这一项。")
        entry = RosterRow(number, name, display_text(cell(row, "unit"), 200), display_text(cell(row, "batch"), 100),
                          row_hours)
        seen[number] = entry
        result.append(entry)
    return Roster(result, problems)
