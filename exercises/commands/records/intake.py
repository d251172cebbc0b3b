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
    lines = [f"已读取 {report.read} 个成绩文件（计入学员 {report.matched} 个），记录答案 {report.answers} 条；"
             f"未计入的文件 {len(report.notes)} 个："]
    lines += [f"  [{STATUS_TEXT.get(n.status, '未读取')}] {n.source}：{n.reason}"
              + (f"（文件编号 {n.submission_id}）" if n.submission_id else "") for n in report.notes]
    return "\n".join(lines if report.notes else lines[:1])
