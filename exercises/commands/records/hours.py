"""``course records hours`` / ``hours-file`` / ``signin``: a learner's hours, a table of hours, a sign-in sheet."""
from __future__ import annotations

from pathlib import Path

from ..base import CommandError, add_command, bounded


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "hours", "登记某学员某单元的学时（单元 0 表示整个轮训）")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("number", metavar="学号")
    parser.add_argument("session", type=bounded(int, 0, 99), metavar="单元")
    parser.add_argument("hours", type=bounded(float, 0, 1000), metavar="学时")
    parser.set_defaults(act=run_one)
    parser = add_command(subparsers, "hours-file", "从学时表（XLSX：学号、单元、学时三列）批量登记学时")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("table", type=Path, metavar="学时表")
    parser.set_defaults(act=run_table)
    parser = add_command(subparsers, "signin", "从签到表（XLSX：学号和各单元的签到栏，√ 为到）登记学时")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("table", type=Path, metavar="签到表")
    parser.add_argument("--hours", type=bounded(float, 0, 1000), required=True, metavar="学时", help="每个单元的学时")
    parser.set_defaults(act=run_signin)


def run_one(args, records) -> str:
    from ...trainer.records.hours import HoursEntry
    from ...trainer.records.rules import record_hours

    _, refused = record_hours(records, args.batch, [HoursEntry(0, args.number, args.session, args.hours)])
    if refused:
        raise CommandError(refused[0])
    return f"已登记：学号 {args.number} 第 {args.session} 单元 {args.hours:g} 学时。"


def run_table(args, records) -> str:
    from ...trainer.records.entry import hours_from

    return hours_from(records, args.batch, args.table)


def run_signin(args, records) -> str:
    from ...trainer.records.entry import hours_from

    return hours_from(records, args.batch, args.table, args.hours)
