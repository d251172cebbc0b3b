"""What the trainer's entry commands do to the records: a paper's answer-entry sheet, 学时 one by one, from a
学时表 or from a 签到表. Each returns the lines to print; when some rows were refused, those lines go to
stdout and :class:`PartlyRecorded` (a user error, exit 1) says how many.
"""
from __future__ import annotations

from pathlib import Path

from .store import RecordsError


class PartlyRecorded(RecordsError):
    """Some rows were refused (each already listed on stdout); the message is one Chinese line."""


def _finish(lines: list[str], bad: list[str], what: str) -> str:
    if not bad:
        return "\n".join(lines)
    print("\n".join([*lines, f"有 {len(bad)} 处问题，相关的行未{what}：", *(f"  {p}" for p in bad)]))
    raise PartlyRecorded(f"有 {len(bad)} 处问题（见上），相关的行未{what}；改正后重新运行本命令即可，已{what}的不受影响。")


def grade_sheet(records, code: str, path: Path) -> str:
    """Enter a paper's answer-entry sheet: every sound row replaces that learner's result on the paper."""
    from .answer_sheet import read_answer_sheet
    from .rules import store_papers

    paper, rows, problems = read_answer_sheet(path)
    stored, refused = store_papers(records, code, Path(path).name, f"{paper.seed}/{len(paper.questions)}", rows)
    replaced = sum(again for _, _, again in stored)
    lines = [f"已录入 {len(stored)} 名学员的纸质试卷（种子 {paper.seed}，{len(paper.questions)} 题，满分 {sum(paper.marks)} 分）"
             + (f"，其中 {replaced} 名替换了此前录入的成绩" if replaced else "") + "。"]
    lines += [f"  学号 {row.number}（{name}）：{row.score:g} / {row.total:g} 分" + ("（替换此前录入）" if again else "")
              for row, name, again in stored]
    return _finish(lines, [*problems, *refused], "录入")


def hours_one(records, code: str, number: str, session: int, amount: float) -> str:
    from .hours import HoursEntry
    from .rules import record_hours

    _, refused = record_hours(records, code, [HoursEntry(0, number, session, amount)])
    if refused:
        raise RecordsError(refused[0])
    return f"已登记：学号 {number} 第 {session} 单元 {amount:g} 学时。"


def hours_from(records, code: str, path: Path, per_unit: float | None = None) -> str:
    """学时 from a 学时表 (学号, 单元, 学时), or, with ``per_unit``, from a 签到表."""
    from .hours import HoursError, read_hours_table, read_signin
    from .rules import record_hours
    from .xlsx import XlsxError

    try:
        entries, problems = read_hours_table(path) if per_unit is None else read_signin(path, per_unit)
    except (HoursError, XlsxError) as exc:
        raise RecordsError(str(exc)) from None
    done, refused = record_hours(records, code, entries)
    return _finish([f"已登记学时 {done} 项。"], [*problems, *refused], "登记")
