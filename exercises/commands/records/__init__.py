"""``course records``: keep a rotation's records and produce its reports.

Each sub-command is one module of this package with ``add_parser(subparsers)`` (its parser sets
``act=run``) and ``run(args, records) -> str`` (what to print); ``SUBCOMMANDS`` lists them in help order.
The group opens the records database (``--db``) around the sub-command and closes it after.
"""
from __future__ import annotations

from ...trainer.records.location import DEFAULT_PATH, ENV_DB
from ..base import OK, add_command
from . import assign, batch, compare, grade, hours, intake, listing, pins, report, roster

SUBCOMMANDS = (batch, listing, roster, pins, intake, hours, assign, grade, report, compare)

DESCRIPTION = f"""轮训记录：期次、花名册、成绩文件、学时，以及成绩报告、Excel 工作簿、成绩单和结业证书。
记录保存在数据库中：默认是 SQLite 文件 {DEFAULT_PATH}（可用 --db 或环境变量 {ENV_DB} 指定文件路径，
或用 postgresql://用户@主机/库名 让几位培训师共用一个 PostgreSQL 数据库）。

常用步骤：
  course records batch 2026年第1期 --pass-mark 60 --hours 12 --issuer 发证单位名称
  course records roster 2026年第1期 花名册.xlsx
  course records import 2026年第1期 成绩文件夹 [更多文件夹、文件或 .zip]
  course records signin 2026年第1期 签到表.xlsx --hours 3
  course records grade 2026年第1期 答题录入表.xlsx
  course records report 2026年第1期 输出文件夹"""


def add_db_option(parser) -> None:
    parser.add_argument("--db", metavar="数据库", help=f"SQLite 文件路径或 postgresql:// 地址（默认 {DEFAULT_PATH}）")


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "records", "轮训记录：期次、花名册、成绩文件、学时、报告、证书（course records --help）",
                         DESCRIPTION)
    add_db_option(parser)
    commands = parser.add_subparsers(title="命令", dest="records_command", metavar="命令", required=True,
                                     help="下列之一；“course records 命令 --help”显示该命令的说明")
    for module in SUBCOMMANDS:
        module.add_parser(commands)
    parser.set_defaults(run=run)


def run(args) -> int:
    """Open the records, run the sub-command (``args.act``), print what it says."""
    from ...trainer.records.store import Records

    records = Records(args.db)
    try:
        print(args.act(args, records))
    finally:
        records.close()
    return OK


def safe_name(text: str) -> str:
    """``text`` as part of a default file name."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:60] or "batch"
