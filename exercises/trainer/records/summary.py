"""The batch report as one self-contained HTML page, read from the records (every text escaped)."""
from __future__ import annotations

import base64
from datetime import datetime
from html import escape
from pathlib import Path

from ...questions.presentation import type_label
from ...text.charts import png
from .output import write_text
from .rollup import by_unit
from .rules import BatchRules
from .scoring import BatchScores, Rate
from .store import STATUS_TEXT
from .versions import version_rows

STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;line-height:1.6}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;white-space:nowrap}img{max-width:100%}
"""


def _table(head: list[str], rows: list[list], numeric: frozenset[int] = frozenset()) -> str:
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{escape(str(c))}</td>'
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _figure(fig, alt: str) -> str:
    """A matplotlib figure as an embedded PNG (no file, no network)."""
    data = base64.b64encode(png(fig)).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{escape(alt)}"></figure>'


def _chart(rates: list[Rate], title: str) -> str:
    from ...text.charts import percentage_bars

    return _figure(percentage_bars([(r.label, 100 * (r.value or 0), r.text) for r in rates], title),
                   f"{title}条形图；数据见上表")


def _distribution(scores: BatchScores) -> str:
    """How many learners scored in each ten-point band of 得分率."""
    from ...text.charts import bar_chart

    bands = [0] * 10
    for l in scores.learners:
        bands[min(int(l.percent // 10), 9)] += 1
    counts = [(f"{10 * i}–{10 * i + 10}%", n) for i, n in enumerate(bands)][::-1]
    return _figure(bar_chart(counts, "学员得分率分布", "人数"), "学员得分率分布条形图；数据见学员成绩表")


def _rate_rows(rates: list[Rate]) -> list[list]:
    return [[r.label, r.answered, r.correct, r.text] for r in rates]


def _explained(scores: BatchScores) -> list[str]:
    """Files counted with something repaired or ignored (unknown question ids), or matched by a unique name."""
    rows = [[n.source, n.reason] for n in scores.data.repairs]
    for source, ids in scores.unknown.items():
        shown = "、".join(i[:20] for i in ids[:5]) + ("等" if len(ids) > 5 else "")
        rows.append([source, f"有 {len(ids)} 个未知题号（{shown}），已忽略这些答案。"])
    return ["<h2>已计入文件的说明</h2>", _table(["文件", "说明"], rows)] if rows else []


def _unused(data, kept: bool) -> list[str]:
    """The files not counted; with ``kept`` records, their numbers for ``course records assign``."""
    if not data.notes:
        return ["<p>所有文件都已计入。</p>"]
    if not kept:
        return [_table(["文件", "处理", "原因"],
                       [[n.source, STATUS_TEXT.get(n.status, "未读取"), n.reason] for n in data.notes])]
    return [_table(["文件", "处理", "原因", "文件编号"],
                   [[n.source, STATUS_TEXT.get(n.status, "未读取"), n.reason, n.submission_id or ""] for n in data.notes]),
            "<p>未匹配、无法区分或信息冲突的文件可用 <code>course records assign 期次 文件编号 学号</code> 指定给学员。</p>"]


def _versions(scores: BatchScores) -> list[str]:
    """How many answers were graded on an earlier question version, which questions changed, and 题目已变."""
    sentence, earlier, changed = version_rows(scores)
    parts = ["<h2>题目版本</h2>", f"<p>{escape(sentence)}</p>"]
    if earlier:
        parts.append(_table(["编号", "按早先版本评分的答案数", "早先版本与现行题目相比"], earlier, frozenset({1})))
    if changed:
        parts += ["<h3>题目已变（未计入）</h3>", _table(["文件", "题号"], changed)]
    return parts


def _units(scores: BatchScores, rules: BatchRules) -> list[str]:
    rows = [[u.unit, u.roster, u.handed_in, "—" if u.participation is None else f"{u.participation:.1%}",
             "—" if u.mean is None else f"{u.mean:.1f}%", u.passed, "—" if u.pass_rate is None else f"{u.pass_rate:.1%}"]
            for u in by_unit(scores, rules)]
    return ["<h2>各单位汇总</h2>",
            "<p>参学率 = 已交人数 ÷ 花名册人数；平均得分率按已交的学员计算（有纸质试卷的以试卷为准）；"
            "及格率 = 及格人数 ÷ 花名册人数。</p>",
            _table(["单位", "花名册人数", "已交人数", "参学率", "平均得分率", "及格人数", "及格率"], rows,
                   frozenset({1, 2, 3, 4, 5, 6}))]


def build_html(scores: BatchScores, notices: list[str] | tuple[str, ...] = (), kept: bool = True,
               rules: BatchRules | None = None) -> str:
    """The page; ``notices`` (plain texts, escaped here) follow the summary line; ``kept``: the records stay
    (a one-step report's temporary records do not, so no file numbers to assign); ``rules`` (from the
    records) add paper results."""
    data = scores.data
    rules = rules or BatchRules(data.pass_mark)
    titles = scores.unit_titles
    passed = sum(rules.passed(l) for l in scores.learners)
    parts = [
        f"<h1>轮训成绩报告：{escape(data.code)}</h1>",
        f"<p>生成时间：{datetime.now():%Y-%m-%d %H:%M}。学员 {len(scores.learners)} 人，及格 {passed} 人"
        f"（及格线 {data.pass_mark:g}%）；记录中的答案 {data.stored_answers} 条；未计入的文件 {len(data.notes)} 个（见文末）。</p>",
        *(f"<p>{escape(n)}</p>" for n in notices),
        "<p>得分 = 全部应答题（简答题除外）的得分之和，未答计 0 分；完成度 = 已答题数 ÷ 应答题数；"
        "简答题按要点给出参考分，单列，不计入得分。各题、各举措的得分率按已作答的答案计算。"
        "答案由本工具重新判分，每个答案按学员作答时的题目版本（见“题目版本”一节）；同一题有多次作答时，以时间最晚的一次为准。</p>",
        "<h2>各“突出”得分率</h2>", _table(["突出", "作答人次", "全对人次", "得分率"], _rate_rows(scores.pillars),
                                           frozenset({1, 2, 3})),
        _chart(scores.pillars, "各“突出”得分率"),
        "<h2>各举措得分率</h2>", _table(["举措", "作答人次", "全对人次", "得分率"], _rate_rows(scores.measures),
                                       frozenset({1, 2, 3})),
        _chart(scores.measures, "十二项举措得分率"),
        "<h2>各单元需要重讲的题目</h2>",
        "".join(f"<h3>{escape(titles.get(p, str(p)))}</h3>" + (
            _table(["编号", "题型", "得分率", "作答人数", "选项分布", "题干", "原文依据"],
                   [[s.question.id, type_label(s.question), s.rate.text, s.rate.answered,
                     "，".join(f"{k}：{n}" for k, n in sorted(s.choices.items())), s.question.stem, s.question.source]
                    for s in stats])
            if stats else "<p>本单元没有得分率低于 70% 的题目。</p>") for p, stats in scores.reteach.items()),
        "<h2>各单元未交名单</h2>",
        "".join(f"<h3>{escape(titles.get(p, str(p)))}（{len(people)} 人）</h3>" + (
            _table(["学号", "姓名", "单位"], [[l.number, l.name, l.unit] for l in people]) if people else "<p>全部已交。</p>")
            for p, people in scores.not_submitted.items()),
        *_units(scores, rules),
        *_versions(scores),
        "<h2>学员成绩</h2>", _distribution(scores),
        _table(["学号", "姓名", "单位", "得分", "满分", "得分率", "完成度", "是否及格", "简答参考分", "综合测评", "学时",
                "纸质试卷"],
               [[l.record.number, l.record.name, l.record.unit, f"{l.score:g}", f"{l.points:g}", f"{l.percent:.1f}%",
                 f"{l.answered}/{l.assigned}", "及格" if rules.passed(l) else "未及格", f"{l.short_score:g}/{l.short_points:g}",
                 f"{l.assessment.score:g}/{l.assessment.points:g}" if l.assessment else "—",
                 "—" if l.record.total_hours is None else f"{l.record.total_hours:g}",
                 f"{rules.papers[l.record.id].score:g}/{rules.papers[l.record.id].total:g}"
                 if l.record.id in rules.papers else "—"]
                for l in sorted(scores.learners, key=lambda l: (l.record.unit, l.record.number))],
               frozenset({3, 4, 5, 6})),
        "<h2>未计入的文件</h2>",
        *_unused(data, kept),
        *_explained(scores),
    ]
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>轮训成绩报告：{escape(data.code)}</title><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


def write_html(scores: BatchScores, path: Path, notices: list[str] | tuple[str, ...] = (), kept: bool = True,
               rules: BatchRules | None = None) -> Path:
    return write_text(path, build_html(scores, notices, kept, rules))
