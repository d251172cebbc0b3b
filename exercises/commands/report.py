"""``course report``: a folder (or zip archive) of results files to the batch report in one step."""
from __future__ import annotations

from pathlib import Path

from .base import OK, CommandError, add_command

DEFAULT_OUT = "cohort-report"


def add_parser(subparsers) -> None:
    parser = add_command(
        subparsers, "report", "由成绩文件生成成绩报告",
        "逐层读取文件夹中的成绩文件（.json，任意大小写，也读 .zip 压缩包），每个答案按学员作答时的题目版本重新判分，"
        "写出 report.html、成绩.xlsx、questions.csv 和 learners.csv；未用的文件都在报告中列出原因。\n"
        "同一学员的多个文件逐题合并（每题以最晚的答案为准）；没有学号的文件按姓名合并。\n"
        "要长期保存一期的记录、导入花名册或生成结业证书，请用 course records。")
    parser.add_argument("results_dir", type=Path, metavar="成绩文件夹", help="学员交来的成绩文件所在的文件夹，或收到的 .zip 压缩包")
    parser.add_argument("out_dir", type=Path, nargs="?", default=Path(DEFAULT_OUT), metavar="输出文件夹",
                        help=f"默认为 ./{DEFAULT_OUT}")
    parser.set_defaults(run=run, io_failure="无法写入报告")


def run(args) -> int:
    from ..safeio import clean_text

    results = args.results_dir
    if not (results.is_dir() or results.is_file() and results.suffix.lower() == ".zip"):
        raise CommandError(f"找不到成绩文件夹（或 .zip 压缩包）：{clean_text(str(results))}")
    from ..trainer.records.report import make_report

    report = make_report(results, args.out_dir)
    scores = report.scores
    named = f"，其中 {report.by_name} 人没有学号、按姓名归并" if report.by_name else ""
    print(f"学员 {len(scores.learners)} 人{named}；未计入的文件 {len(scores.data.notes)} 个（原因见报告文末）。已生成：")
    for path in report.written:
        print(f"  {clean_text(str(path))}")
    return OK
