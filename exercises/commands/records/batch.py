"""``course records batch``: create a batch, or change its pass mark, hours, issuer and sessions."""
from __future__ import annotations

from ..base import add_command, bounded


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "batch", "建立期次，或修改它的及格线、结业所需学时、发证单位和单元")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("--pass-mark", type=bounded(float, 0, 100), metavar="百分数", help="及格线（得分率，默认 60）")
    parser.add_argument("--hours", type=bounded(float, 0, 1000), metavar="学时", help="结业所需的最少学时")
    parser.add_argument("--issuer", metavar="单位", help="结业证书的发证单位")
    parser.add_argument("--units", metavar="单元", help="本期次的单元，如 1,2,3,4（默认全部单元）")
    parser.set_defaults(act=run)


def run(args, records) -> str:
    from ...trainer.records.rules import parse_units, set_rules

    units = parse_units(args.units) if args.units is not None else None
    created = records.create_batch(args.batch, args.pass_mark)
    set_rules(records, args.batch, args.hours, args.issuer, units)
    return f"{'已建立' if created else '已更新'}期次「{args.batch}」。"
