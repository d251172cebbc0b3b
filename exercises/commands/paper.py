"""``course paper``: a seeded test paper, its trainer's key and answer-entry sheet."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from .base import OK, add_command, integer, positive


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "paper", "按种子出一份测试卷及教师版",
                         "按种子从全部题库抽题，各“突出”均衡，选项顺序打乱；同一种子和题数总得到同一份试卷。")
    parser.add_argument("--seed", type=integer, required=True, metavar="种子", help="整数；同一种子得到同一份试卷")
    parser.add_argument("--count", type=positive, required=True, metavar="题数", help="试卷的题数")
    parser.add_argument("out_dir", nargs="?", metavar="输出文件夹", help="默认为 ./paper-seed种子")
    parser.add_argument("--no-pdf", action="store_true", help="只写 Markdown 和 LaTeX 源文件，不生成 PDF")
    parser.set_defaults(run=run, failure="试卷未能生成")


def run(args) -> int:
    from ..questions.papers import make_paper
    from ..text.article import load_article
    from ..trainer.print.paper import write_paper

    paper = make_paper(args.seed, args.count)
    if len(paper.questions) < args.count:
        print(f"注意：题库只有 {len(paper.questions)} 题，少于要求的 {args.count} 题，试卷按全部 {len(paper.questions)} 题生成。")
    out_dir = Path(args.out_dir or f"paper-seed{args.seed}")
    written = write_paper(paper, out_dir, pdf=not args.no_pdf)
    kinds = Counter(load_article().pillar(q.pillar).title for q in paper.questions)
    print(f"已生成 {len(paper.questions)} 题的试卷（" + "，".join(f"{t} {n} 题" for t, n in kinds.items()) + "）：")
    for path in written:
        print(f"  {path}")
    return OK
