"""``course records``: keep a rotation's records and produce its reports, from the command line.

Every user error is one Chinese line on stderr and exit code 1 (usage errors: 2).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .schema import DEFAULT_PATH, ENV_DB

DESCRIPTION = f"""轮训记录：期次、花名册、成绩文件、学时，以及成绩报告、Excel 工作簿、成绩单和结业证书。
记录保存在数据库中：默认是 SQLite 文件 {DEFAULT_PATH}（可用 --db 或环境变量 {ENV_DB} 指定文件路径，
或用 postgresql://用户@主机/库名 让几位培训师共用一个 PostgreSQL 数据库）。

常用步骤：
  course records batch 2026年第1期 --pass-mark 60
  course records roster 2026年第1期 花名册.xlsx
  course records import 2026年第1期 成绩文件夹 [更多文件夹、文件或 .zip]
  course records report 2026年第1期 输出文件夹"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="course records", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", metavar="数据库", help=f"SQLite 文件路径或 postgresql:// 地址（默认 {DEFAULT_PATH}）")
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

    def command(name: str, summary: str):
        return commands.add_parser(name, help=summary, description=summary)

    p = command("batch", "建立期次，或修改它的及格线")
    p.add_argument("batch", metavar="期次")
    p.add_argument("--pass-mark", type=float, metavar="百分数", help="及格线（得分率，默认 60）")
    command("list", "列出所有期次")
    p = command("roster", "导入花名册（CSV 或 XLSX：学号/工号、姓名、单位、期次、学时）")
    p.add_argument("batch", metavar="期次")
    p.add_argument("roster", type=Path, metavar="花名册")
    p = command("import", "导入成绩文件（文件、文件夹或 .zip；文件夹逐层读取）")
    p.add_argument("batch", metavar="期次")
    p.add_argument("paths", type=Path, nargs="+", metavar="路径")
    p = command("hours", "登记某学员某单元的学时（单元 0 表示整个轮训）")
    p.add_argument("batch", metavar="期次")
    p.add_argument("number", metavar="学号")
    p.add_argument("session", type=int, metavar="单元")
    p.add_argument("hours", type=float, metavar="学时")
    p = command("assign", "把一个未匹配、无法区分或信息冲突的文件指定给学员")
    p.add_argument("batch", metavar="期次")
    p.add_argument("file_id", type=int, metavar="文件编号", help="报告“未计入的文件”中的文件编号")
    p.add_argument("number", metavar="学号")
    p = command("grade", "读入纸质试卷的答题录入表（course paper 生成），作为综合测评计入记录")
    p.add_argument("batch", metavar="期次")
    p.add_argument("sheet", type=Path, metavar="答题录入表")
    p = command("report", "生成成绩报告（HTML）、Excel 工作簿、成绩单和结业证书（PDF）")
    p.add_argument("batch", metavar="期次")
    p.add_argument("out_dir", type=Path, nargs="?", metavar="输出文件夹", help="默认为 ./records-期次")
    p.add_argument("--no-pdf", action="store_true", help="不生成成绩单和结业证书的 PDF")
    p = command("compare", "比较两个期次各“突出”、各举措的得分率")
    p.add_argument("first", metavar="期次甲")
    p.add_argument("second", metavar="期次乙")
    p.add_argument("out", type=Path, nargs="?", metavar="输出文件", help="XLSX，默认为 ./对比-甲-乙.xlsx")
    return parser


def _safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:60] or "batch"


def _run(args, records) -> str:
    """Do the command; return what to print."""
    from .store import STATUS_TEXT

    if args.command == "batch":
        created = records.create_batch(args.batch, args.pass_mark)
        return f"{'已建立' if created else '已更新'}期次「{args.batch}」。"
    if args.command == "list":
        codes = records.batch_codes()
        return "\n".join(codes) if codes else "还没有任何期次。"
    if args.command == "roster":
        count, problems = records.import_roster(args.batch, args.roster)
        return "\n".join([f"已导入花名册：{count} 名学员。", *(f"  {p}" for p in problems)])
    if args.command == "import":
        report = records.import_files(args.batch, args.paths)
        lines = [f"已读取 {report.read} 个成绩文件（计入学员 {report.matched} 个），记录答案 {report.answers} 条；"
                 f"未计入的文件 {len(report.notes)} 个："]
        lines += [f"  [{STATUS_TEXT.get(n.status, '未读取')}] {n.source}：{n.reason}"
                  + (f"（文件编号 {n.submission_id}）" if n.submission_id else "") for n in report.notes]
        return "\n".join(lines if report.notes else lines[:1])
    if args.command == "hours":
        name = records.set_hours(args.batch, args.number, args.session, args.hours)
        return f"已登记：{name or args.number} 第 {args.session} 单元 {args.hours:g} 学时。"
    if args.command == "assign":
        name = records.assign(args.batch, args.file_id, args.number)
        return f"文件 {args.file_id} 已计入学号 {args.number}（{name}）。"
    if args.command == "grade":
        return _grade(args, records)
    if args.command == "report":
        return _report(args, records)
    return _compare(args, records)


def _grade(args, records) -> str:
    from datetime import datetime, timezone

    from .answer_sheet import read_answer_sheet

    paper, rows, problems = read_answer_sheet(args.sheet)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    import json

    attempt = f"纸质试卷（种子 {paper.seed}，{len(paper.questions)} 题）"
    results = records.add_paper_rows(args.batch, args.sheet.name, [
        (row.digest, row.number, row.name, attempt,
         {q: json.dumps(r, ensure_ascii=False, sort_keys=True) for q, r in row.responses.items()}, now)
        for row in rows])
    counted = sum(status in ("matched", "assigned") for status, _ in results)
    lines = [f"已录入 {counted} 名学员的纸质试卷答案（共 {len(rows)} 行）。"]
    lines += [f"  第 {row.line} 行：{reason}" for row, (status, reason) in zip(rows, results)
              if status not in ("matched", "assigned")]
    lines += [f"  {p}" for p in problems]
    return "\n".join(lines)


def _report(args, records) -> str:
    from ..print.certificates import write_certificates
    from .scoring import score_batch
    from .store import RecordsError
    from .summary import write_html
    from .tables import write_tables
    from .workbook import write_workbook

    from ...safeio import clean_text

    start = time.perf_counter()
    scores = score_batch(records.batch_data(args.batch))
    if not scores.learners:
        raise RecordsError(f"期次「{args.batch}」还没有学员：请先导入花名册或成绩文件。")
    out = args.out_dir or Path(f"records-{_safe_name(args.batch)}")
    written = [write_html(scores, out / "report.html"), write_workbook(scores, out / "成绩.xlsx"),
               *write_tables(scores, out)]
    if not args.no_pdf:
        written += write_certificates(scores, out)
    passed = sum(l.passed for l in scores.learners)
    return "\n".join([f"学员 {len(scores.learners)} 人，及格 {passed} 人；未计入的文件 {len(scores.data.notes)} 个"
                      f"（用时 {time.perf_counter() - start:.1f} 秒）。已生成：", *(f"  {clean_text(str(p))}" for p in written)])


def _compare(args, records) -> str:
    from .compare import Change, write_comparison
    from .scoring import score_batch

    first, second = (score_batch(records.batch_data(code)) for code in (args.first, args.second))
    out = args.out or Path(f"对比-{_safe_name(args.first)}-{_safe_name(args.second)}.xlsx")
    changes = write_comparison(first, second, out)
    lines = [f"{'“突出”或举措':<16}{args.first:>12}{args.second:>12}{'变化（百分点）':>12}"]
    lines += [f"{c.label:<16}{Change.pct(c.before):>12}{Change.pct(c.after):>12}{Change.pct(c.delta, True):>12}"
              for c in changes]
    return "\n".join([*lines, f"已写出 {out}"])


def main(argv: list[str] | None = None) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from ...safeio import clean_text, describe_os_error
    from ..print.latex import LatexError
    from .answer_sheet import SheetError
    from .roster import RosterError
    from .schema import SchemaError
    from .store import Records, RecordsError, records_error_from

    args = build_parser().parse_args(argv)
    try:
        records = Records(args.db)
        try:
            print(_run(args, records))
        finally:
            records.close()
    except (RecordsError, RosterError, SchemaError, SheetError, LatexError) as exc:
        print(str(exc).splitlines()[0], file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(records_error_from(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"：{clean_text(str(exc.filename))}" if exc.filename else ""
        print(f"无法读写文件（{describe_os_error(exc)}）{where}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
