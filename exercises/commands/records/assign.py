"""``course records assign``: give an unmatched, ambiguous or conflicting file to a learner."""
from __future__ import annotations

from ..base import add_command, bounded

MAX_ID = 2 ** 31 - 1


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "assign", "把一个未匹配、无法区分或信息冲突的文件指定给学员")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("file_id", type=bounded(int, 1, MAX_ID), metavar="文件编号", help="报告“未计入的文件”中的文件编号")
    parser.add_argument("number", metavar="学号")
    parser.set_defaults(act=run)


def run(args, records) -> str:
    name = records.assign(args.batch, args.file_id, args.number)
    return f"文件 {args.file_id} 已计入学号 {args.number}（{name}）。"
