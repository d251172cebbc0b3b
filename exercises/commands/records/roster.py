"""``course records roster``: import a roster (CSV or XLSX)."""
from __future__ import annotations

from pathlib import Path

from ..base import add_command


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "roster", "导入花名册（CSV 或 XLSX：学号/工号、姓名、单位、期次、学时）")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("roster", type=Path, metavar="花名册")
    parser.set_defaults(act=run)


def run(args, records) -> str:
    count, problems = records.import_roster(args.batch, args.roster)
    return "\n".join([f"已导入花名册：{count} 名学员。", *(f"  {p}" for p in problems)])
