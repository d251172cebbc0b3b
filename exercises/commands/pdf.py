"""``course pdf``: the printed handouts (learner's and trainer's editions) through LaTeX and xelatex."""
from __future__ import annotations

from pathlib import Path

from .base import OK, add_command, repository


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "pdf", "生成打印讲义（学员版和教师版）",
                         "用 Jupyter Book 的 LaTeX 输出和 xelatex 生成学员版、教师版讲义：全书一份，每章一份。")
    parser.add_argument("out_dir", nargs="?", metavar="输出文件夹", help="默认为仓库的 _build/handouts")
    parser.set_defaults(run=run, failure="讲义生成失败")


def run(args) -> int:
    repository()
    from ..trainer.print.handouts import DEFAULT_OUT, build

    out = Path(args.out_dir).resolve() if args.out_dir else DEFAULT_OUT
    pdfs = build(out)
    print(f"讲义已生成（{len(pdfs)} 份），在 {out}：")
    for pdf in pdfs:
        print(f"  {pdf.name}")
    return OK
