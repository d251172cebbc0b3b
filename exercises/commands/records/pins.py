"""``course records pins`` / ``slips``: each roster learner's 个人码, as a table or as slips to cut and hand out."""
from __future__ import annotations

from pathlib import Path

from ..base import CommandError, add_command


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "pins", "写出花名册上每位学员的个人码（学号,姓名,个人码），课堂收卷时凭学号和个人码交卷")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("--csv", type=Path, required=True, metavar="文件", help="写出的 CSV 文件（UTF-8，Excel 可直接打开）")
    parser.set_defaults(act=run_pins)
    parser = add_command(subparsers, "slips", "打印个人码条（PDF，每页 10 张）：姓名、学号、个人码和扫码即填好学号与个人码的二维码")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("--url", metavar="网址",
                        help="学员打开的网址（与 course serve 打印的相同；默认按本机局域网地址和端口 8000 推算）")
    parser.add_argument("--out", type=Path, metavar="文件", help="写出的 PDF（默认 ./个人码条-期次.pdf）")
    parser.set_defaults(act=run_slips)


def _pins(records, batch: str):
    from ...trainer.records.pins import batch_pins

    if batch not in records.batch_codes():
        raise CommandError(f"没有期次「{batch}」：请先用 course records batch {batch} 建立，并导入花名册。")
    pins = batch_pins(records.engine, batch)
    if not pins:
        raise CommandError(f"期次「{batch}」还没有花名册：请先用 course records roster 导入。")
    return pins


def run_pins(args, records) -> str:
    from ...trainer.records.pins import write_csv

    pins = _pins(records, args.batch)
    path = write_csv(pins, args.csv)
    return f"已写出 {len(pins)} 位学员的个人码：{path}（个人码即交卷凭证，请只发给本人；培训师可在收卷页重置某位学员的个人码）。"


def run_slips(args, records) -> str:
    from ...trainer.print.latex import LatexError
    from ...trainer.print.slips import write_slips
    from ..serve import DEFAULT_PORT, lan_address
    from . import safe_name

    pins = _pins(records, args.batch)
    address = args.url or f"http://{lan_address()}:{DEFAULT_PORT}/"
    if not address.startswith(("http://", "https://")) or len(address) > 200:
        raise CommandError("网址应以 http:// 或 https:// 开头，不超过 200 个字符。")
    out = args.out or Path(f"个人码条-{safe_name(args.batch)}.pdf")
    try:
        pdf = write_slips(args.batch, address, pins, out.with_suffix(".pdf"))
    except LatexError as exc:
        raise CommandError(str(exc).splitlines()[0]) from None
    return f"已生成 {len(pins)} 张个人码条：{pdf}（二维码打开 {address}，学号和个人码自动填好）。"
