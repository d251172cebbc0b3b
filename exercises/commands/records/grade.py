"""``course records grade`` (also ``course grade``): a paper's answer-entry sheet into the records."""
from __future__ import annotations

from pathlib import Path

from ..base import add_command

SUMMARY = "读入纸质试卷的答题录入表（course paper 生成），逐格检查，试卷成绩计入记录"


def add_parser(subparsers, name: str = "grade", summary: str = SUMMARY):
    parser = add_command(subparsers, name, summary)
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("sheet", type=Path, metavar="答题录入表")
    parser.set_defaults(act=run)
    return parser


def run(args, records) -> str:
    from ...trainer.records.entry import grade_sheet

    return grade_sheet(records, args.batch, args.sheet)
