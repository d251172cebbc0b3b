"""``course grade 期次 答题录入表.xlsx``: the short form of ``course records grade``."""
from __future__ import annotations

from . import records


def add_parser(subparsers) -> None:
    parser = records.grade.add_parser(subparsers, "grade", "读入纸质试卷的答题录入表：course grade 期次 答题录入表.xlsx")
    records.add_db_option(parser)
    parser.set_defaults(run=records.run)
