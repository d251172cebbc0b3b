"""``course records compare``: two batches' rates per pillar and measure, side by side."""
from __future__ import annotations

from pathlib import Path

from ..base import add_command


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "compare", "比较两个期次各“突出”、各举措的得分率")
    parser.add_argument("first", metavar="期次甲")
    parser.add_argument("second", metavar="期次乙")
    parser.add_argument("out", type=Path, nargs="?", metavar="输出文件", help="XLSX，默认为 ./对比-甲-乙.xlsx")
    parser.set_defaults(act=run)


def run(args, records) -> str:
    from ...trainer.records.compare import Change, write_comparison
    from ...trainer.records.scoring import score_batch
    from . import safe_name

    first, second = (score_batch(records.batch_data(code)) for code in (args.first, args.second))
    out = args.out or Path(f"对比-{safe_name(args.first)}-{safe_name(args.second)}.xlsx")
    changes = write_comparison(first, second, out)
    lines = [f"{'“突出”或举措':<16}{args.first:>12}{args.second:>12}{'变化（百分点）':>12}"]
    lines += [f"{c.label:<16}{Change.pct(c.before):>12}{Change.pct(c.after):>12}{Change.pct(c.delta, True):>12}"
              for c in changes]
    return "\n".join([*lines, f"已写出 {out}"])
