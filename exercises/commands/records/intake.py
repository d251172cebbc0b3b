"""``course records import``: import results files (files, folders read recursively, .zip archives)."""
from __future__ import annotations

from pathlib import Path

from ..base import add_command


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "import", "导入成绩文件（文件、文件夹或 .zip；文件夹逐层读取）")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("paths", type=Path, nargs="+", metavar="路径")
    parser.set_defaults(act=run)


def run(args, records) -> str:
    from ...trainer.records.store import STATUS_TEXT

    report = records.import_files(args.batch, args.paths)
    lines = [f"已读取 {report.read} 个成绩文件，计入学员 {len(report.learners)} 人（{report.matched} 个文件），"
             f"记录答案 {report.answers} 条。"]
    if report.other_versions:
        lines.append(f"其中 {len(report.other_versions)} 个文件来自其他课程版本，已按学员作答时的题目版本评分："
                     + "、".join(report.other_versions[:10]) + ("等。" if len(report.other_versions) > 10 else "。"))
    if report.notes:
        lines.append(f"未计入的文件 {len(report.notes)} 个：")
        lines += [f"  [{STATUS_TEXT.get(n.status, '未读取')}] {n.source}：{n.reason}"
                  + (f"（文件编号 {n.submission_id}）" if n.submission_id else "") for n in report.notes]
    else:
        lines.append("所有文件都已计入。")
    return "\n".join(lines)
