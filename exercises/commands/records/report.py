"""``course records report``: a batch's report (HTML), workbook, tables, score sheets and certificates."""
from __future__ import annotations

import time
from pathlib import Path

from ..base import CommandError, add_command


def add_parser(subparsers) -> None:
    parser = add_command(subparsers, "report", "生成成绩报告（HTML）、Excel 工作簿、成绩单和结业证书（PDF）")
    parser.add_argument("batch", metavar="期次")
    parser.add_argument("out_dir", type=Path, nargs="?", metavar="输出文件夹", help="默认为 ./records-期次")
    parser.add_argument("--no-pdf", action="store_true", help="不生成成绩单和结业证书的 PDF")
    parser.set_defaults(act=run)


def run(args, records) -> str:
    from ...safeio import clean_text
    from ...trainer.print.certificates import write_certificates
    from ...trainer.records.rules import rules_for_report
    from ...trainer.records.scoring import score_batch
    from ...trainer.records.summary import write_html
    from ...trainer.records.tables import write_tables
    from ...trainer.records.workbook import write_workbook
    from . import safe_name

    start = time.perf_counter()
    scores = score_batch(records.batch_data(args.batch))
    if not scores.learners:
        raise CommandError(f"期次「{args.batch}」还没有学员：请先导入花名册或成绩文件。")
    out = args.out_dir or Path(f"records-{safe_name(args.batch)}")
    rules = rules_for_report(records, scores)
    written = [write_html(scores, out / "report.html", rules=rules), write_workbook(scores, out / "成绩.xlsx", rules),
               *write_tables(scores, out)]
    if not args.no_pdf:
        written += write_certificates(scores, out, rules)
    passed = sum(rules.passed(learner) for learner in scores.learners)
    lacks = rules.missing()
    note = (f"未发结业证书：期次尚未设定{'和'.join(lacks)}。" if lacks else
            f"结业证书 {len(rules.certificates)} 份（及格且学时不少于 {rules.min_hours:g}）。")
    return "\n".join([f"学员 {len(scores.learners)} 人，及格 {passed} 人；未计入的文件 {len(scores.data.notes)} 个"
                      f"（用时 {time.perf_counter() - start:.1f} 秒）。{note}已生成：",
                      *(f"  {clean_text(str(p))}" for p in written)])
