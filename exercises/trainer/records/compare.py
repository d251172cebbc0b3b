"""Two batches (期次) side by side: the rate of every pillar and measure, and the change."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .output import save_workbook
from .scoring import BatchScores


@dataclass(frozen=True)
class Change:
    label: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before

    @staticmethod
    def pct(value: float | None, signed: bool = False) -> str:
        return "—" if value is None else f"{100 * value:+.1f}" if signed else f"{100 * value:.1f}"


def compare(first: BatchScores, second: BatchScores) -> list[Change]:
    """Pillars then measures, each with the first and the second batch's rate."""
    pairs = [*zip(first.pillars, second.pillars), *zip(first.measures, second.measures)]
    return [Change(a.label, a.value, b.value) for a, b in pairs]


def write_comparison(first: BatchScores, second: BatchScores, path: Path) -> list[Change]:
    """An XLSX with one sheet 对比 (rates in %, change in percentage points), written atomically."""
    from openpyxl import Workbook

    changes = compare(first, second)
    book = Workbook()
    sheet = book.active
    sheet.title = "对比"
    sheet.append(["“突出”或举措", f"{first.data.code}得分率（%）", f"{second.data.code}得分率（%）", "变化（百分点）"])
    for c in changes:
        sheet.append([c.label, *(None if v is None else round(100 * v, 1) for v in (c.before, c.after, c.delta))])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.column_dimensions["A"].width = 28
    save_workbook(book, path)
    return changes
