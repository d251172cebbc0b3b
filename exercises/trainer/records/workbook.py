"""The batch as an Excel workbook for reporting upward: 学员成绩, 题目分析, 举措, 未交名单, 学时, 未用文件, 单位汇总,
结业证书.

学号 is written as text (never a number that loses its leading zeros), and every text cell is stored as
a string, so nothing a learner typed can become a formula.
"""
from __future__ import annotations

from pathlib import Path

from ...questions.presentation import type_label
from .output import save_workbook
from .rollup import by_unit
from .rules import BatchRules
from .scoring import BatchScores
from .store import STATUS_TEXT
from .versions import version_rows


def _put(sheet, row: int, column: int, value) -> None:
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # a string cell: "=1+1" stays text
        cell.number_format = "@"
    else:
        cell.value = value


def _sheet(book, title: str, head: list[str], rows: list[list], widths: dict[int, int] | None = None):
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    for column, text in enumerate(head, start=1):
        _put(sheet, 1, column, text)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _put(sheet, r, column, value)
    sheet.freeze_panes = "A2"
    for column, width in (widths or {}).items():
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = width
    return sheet


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def write_workbook(scores: BatchScores, path: Path, rules: BatchRules | None = None) -> Path:
    """Write the workbook to ``path`` atomically; ``rules`` (from the records) add papers and certificates."""
    from openpyxl import Workbook

    titles = scores.unit_titles
    sessions = tuple(titles)  # one session per pillar of the article
    rules = rules or BatchRules(scores.data.pass_mark)
    book = Workbook()
    book.remove(book.active)
    learners = sorted(scores.learners, key=lambda l: (l.record.unit, l.record.number))
    _sheet(book, "学员成绩",
           ["学号", "姓名", "单位", "得分", "满分", "得分率（%）", "已答题数", "应答题数", "完成度（%）",
            f"是否及格（及格线 {scores.data.pass_mark:g}%）", "简答参考分", "简答满分",
            *[f"{titles.get(p, p)}得分率（%）" for p in sessions], "综合测评得分", "综合测评满分", "学时合计",
            "成绩文件数", "在花名册中", "纸质试卷得分", "纸质试卷满分", "证书编号"],
           [[l.record.number, l.record.name, l.record.unit, l.score, l.points, round(l.percent, 1), l.answered,
             l.assigned, round(100 * l.completion, 1), "及格" if rules.passed(l) else "未及格", l.short_score,
             l.short_points, *[_pct(l.pillars[p].value) if p in l.pillars else None for p in sessions],
             l.assessment.score if l.assessment else None, l.assessment.points if l.assessment else None,
             l.record.total_hours, len(l.record.sources), "是" if l.record.on_roster else "否",
             *_paper(rules, l), rules.certificates.get(l.record.id, ("",))[0] or None]
            for l in learners], {1: 14, 2: 10, 3: 18})
    _sheet(book, "题目分析",
           ["编号", "单元", "举措", "题型", "作答人数", "作答率（%）", "全对人数", "得分率（%）", "选项分布", "需要重讲",
            "题干"],
           [[s.question.id, titles.get(s.question.pillar, ""), s.question.measure or "", type_label(s.question),
             s.rate.answered, round(100 * s.reach(len(scores.learners)), 1), s.rate.correct, _pct(s.rate.value),
             "，".join(f"{k}：{n} 人" for k, n in sorted(s.choices.items())),
             "是" if any(s in v for v in scores.reteach.values()) else "", s.question.stem]
            for s in scores.by_question.values()], {9: 24, 11: 60})
    _sheet(book, "举措", ["举措或“突出”", "作答人次", "全对人次", "得分率（%）"],
           [[r.label, r.answered, r.correct, _pct(r.value)] for r in [*scores.pillars, *scores.measures]], {1: 28})
    _sheet(book, "未交名单", ["单元", "学号", "姓名", "单位"],
           [[titles.get(p, str(p)), l.number, l.name, l.unit] for p, people in scores.not_submitted.items()
            for l in people], {1: 14, 2: 14, 4: 18})
    _sheet(book, "学时", ["学号", "姓名", "单位", *[f"第 {p} 单元" for p in sessions], "整期（花名册）", "合计"],
           [[l.record.number, l.record.name, l.record.unit, *[l.record.hours.get(p) for p in sessions],
             l.record.hours.get(0), l.record.total_hours] for l in learners], {1: 14, 3: 18})
    _sheet(book, "未用文件", ["文件", "处理", "原因", "文件编号"],
           [[n.source, STATUS_TEXT.get(n.status, "未读取"), n.reason, n.submission_id] for n in scores.data.notes],
           {1: 50, 3: 60})
    _sheet(book, "单位汇总", ["单位", "花名册人数", "已交人数", "参学率（%）", "平均得分率（%）", "及格人数",
                          "及格率（%，及格人数 ÷ 花名册人数）"],
           [[u.unit, u.roster, u.handed_in, _pct(u.participation), None if u.mean is None else round(u.mean, 1),
             u.passed, _pct(u.pass_rate)] for u in by_unit(scores, rules)], {1: 24})
    sentence, earlier, changed = version_rows(scores)
    _sheet(book, "题目版本", ["编号或文件", "答案数或题号", "说明"],
           [["说明", "", sentence], *earlier, *[[source, ids, "题目已变：所答版本本工具不认识，未计入"] for source, ids in changed]],
           {1: 40, 3: 80})
    issued = [l for l in learners if l.record.id in rules.certificates]
    _sheet(book, "结业证书", ["证书编号", "学号", "姓名", "单位", "学时", "发证单位", "发证日期"],
           [[*rules.certificates[l.record.id][:1], l.record.number, l.record.name, l.record.unit, l.record.total_hours,
             rules.issuer, rules.certificates[l.record.id][1]] for l in issued], {1: 16, 4: 18, 6: 24})
    return save_workbook(book, path)


def _paper(rules: BatchRules, learner) -> list:
    paper = rules.papers.get(learner.record.id)
    return [paper.score, paper.total] if paper else [None, None]
