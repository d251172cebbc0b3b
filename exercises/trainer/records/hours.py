"""学时 in bulk: a table of (学号, 单元, 学时) rows, or a 签到表 (one row per learner, one column per unit,
a mark where the learner signed in), read through the capped XLSX reader and checked cell by cell.

A bad cell is reported with its row, column and value, and nothing of that row is taken.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .identity import display_text, normalize_name, normalize_number
from .xlsx import column_letter, read_xlsx

SIGNED = frozenset({"√", "✓", "✔", "到", "是", "1", "签到", "已签到", "Y", "YES"})
ABSENT = frozenset({"×", "✗", "缺", "缺席", "缺勤", "请假", "否", "0", "N", "NO"})
UNIT_HEAD = re.compile(r"^(?:第)?(\d{1,2})(?:单元|次)$|^单元(\d{1,2})$")
MAX_HOURS = 1000.0


class HoursError(ValueError):
    """A 学时 file that cannot be used at all; the message is Chinese."""


@dataclass(frozen=True)
class HoursEntry:
    line: int
    number: str
    session: int
    hours: float


def _text(value) -> str:
    return unicodedata.normalize("NFKC", display_text(value, 100)).strip()


def _number(value) -> float | None:
    try:
        number = float(_text(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _sheet(path: Path, label: str) -> list[list]:
    if Path(path).suffix.lower() != ".xlsx":
        raise HoursError(f"{label}应为 .xlsx 文件：{Path(path).name}")
    rows = next(iter(read_xlsx(path, label).values())).rows
    if not rows:
        raise HoursError(f"{label} {Path(path).name} 是空的。")
    return rows


def _where(line: int, column: int, value) -> str:
    return f"第 {line} 行 {column_letter(column)} 列“{display_text(value, 30)}”"


def read_hours_table(path: Path) -> tuple[list[HoursEntry], list[str]]:
    """Rows of 学号, 单元, 学时 (any column order, named in the first row)."""
    rows = _sheet(path, "学时表")
    head = [normalize_name(h) for h in rows[0]]
    columns = {key: next((i for i, h in enumerate(head) if h in names), None)
               for key, names in (("number", ("学号", "工号", "学号/工号")), ("session", ("单元", "单元号")),
                                  ("hours", ("学时",)))}
    if None in columns.values():
        raise HoursError(f"学时表 {Path(path).name} 的第一行应有「学号」「单元」「学时」三列。")
    entries, problems = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in row):
            continue
        number = normalize_number(row[columns["number"]])
        session, amount = _number(row[columns["session"]]), _number(row[columns["hours"]])
        bad = []
        if not number:
            bad.append(f"{_where(line, columns['number'], row[columns['number']])}：没有学号")
        if session is None or not session.is_integer() or not 0 <= session <= 99:
            bad.append(f"{_where(line, columns['session'], row[columns['session']])}：单元应为整数（0 表示整个轮训）")
        if amount is None or not 0 <= amount <= MAX_HOURS:
            bad.append(f"{_where(line, columns['hours'], row[columns['hours']])}：学时应为 0 到 {MAX_HOURS:g} 之间的数")
        if bad:
            problems.append("；".join(bad) + "。该行未登记。")
            continue
        entries.append(HoursEntry(line, number, int(session), amount))
    return entries, problems


def read_signin(path: Path, per_unit: float) -> tuple[list[HoursEntry], list[str]]:
    """A 签到表: 学号 and a column per unit (「第1单元」「单元2」「第3次」); a sign-in mark gives ``per_unit`` 学时."""
    rows = _sheet(path, "签到表")
    head = [normalize_name(h) for h in rows[0]]
    number_column = next((i for i, h in enumerate(head) if h in ("学号", "工号", "学号/工号")), None)
    units = {i: int(m.group(1) or m.group(2)) for i, h in enumerate(head) if (m := UNIT_HEAD.match(h))}
    if number_column is None or not units:
        raise HoursError(f"签到表 {Path(path).name} 的第一行应有「学号」列和各单元的列（如「第1单元」）。")
    entries, problems = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in row):
            continue
        number = normalize_number(row[number_column])
        taken, bad = [], []
        if not number:
            bad.append(f"{_where(line, number_column, row[number_column])}：没有学号")
        for column, unit in units.items():
            mark = _text(row[column]).upper()
            if mark in SIGNED:
                taken.append(HoursEntry(line, number, unit, per_unit))
            elif mark and mark not in ABSENT:
                bad.append(f"{_where(line, column, row[column])}：签到栏应填 √（到）或留空（未到）")
        if bad:
            problems.append("；".join(bad) + "。该行未登记。")
            continue
        entries += taken
    return entries, problems
