"""``course records list``: every batch's code."""
from __future__ import annotations

from ..base import add_command


def add_parser(subparsers) -> None:
    add_command(subparsers, "list", "列出所有期次").set_defaults(act=run)


def run(args, records) -> str:
    codes = records.batch_codes()
    return "\n".join(codes) if codes else "还没有任何期次。"
