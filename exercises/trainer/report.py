"""Cohort report for trainers: accuracy per question, measure and pillar, as one self-contained HTML file.

Usage: ``python -m exercises.report RESULTS_DIR [OUT_DIR]`` (or ``./course report``). Writes
``report.html`` (charts embedded as PNG, no network needed), ``questions.csv`` and ``learners.csv``
(UTF-8 with BOM, so spreadsheet programs read the Chinese). Every learner text is escaped.
"""
from __future__ import annotations

import base64
import csv
import io
import sys
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

from ..text.article import load_article
from ..questions.bank import Question, load_all
from .cohort import Cohort, Learner, load_cohort
from ..questions.presentation import answer_text, measure_label, type_label

WEAKEST = 10
CSV_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Rate:
    """Scores of one group of answers: how many answered, fully correct, and the score share."""

    label: str
    answered: int
    correct: int
    score: float
    points: float

    @property
    def accuracy(self) -> float | None:
        """Share of the points earned, or None when nobody answered."""
        return self.score / self.points if self.points else None

    @property
    def accuracy_text(self) -> str:
        return "—" if self.accuracy is None else f"{self.accuracy:.1%}"


def _rate(label: str, grades) -> Rate:
    grades = list(grades)
    return Rate(label, len(grades), sum(g.verdict == "correct" for g in grades),
                sum(g.score for g in grades), sum(g.points for g in grades))


def question_rates(questions: list[Question], learners: list[Learner]) -> dict[str, Rate]:
    return {q.id: _rate(q.id, (l.grades[q.id] for l in learners if q.id in l.grades)) for q in questions}


def measure_rates(questions: list[Question], learners: list[Learner]) -> list[Rate]:
    """The twelve measures of the article, each over the questions that test it."""
    rates = []
    for m in load_article().measures:
        ids = {q.id for q in questions if q.measure == m.id}
        rates.append(_rate(f"{m.id} {m.name}", (g for l in learners for i, g in l.grades.items() if i in ids)))
    return rates


def pillar_rates(questions: list[Question], learners: list[Learner]) -> list[Rate]:
    rates = []
    for p in load_article().pillars:
        ids = {q.id for q in questions if q.pillar == p.number}
        rates.append(_rate(p.title, (g for l in learners for i, g in l.grades.items() if i in ids)))
    return rates


def learner_rate(learner: Learner) -> Rate:
    return _rate(learner.label, learner.grades.values())


# ---- charts --------------------------------------------------------------------------------------
def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def accuracy_chart(rates: list[Rate], title: str) -> str:
    """Horizontal bars of accuracy with the percentage written on each bar; base64 PNG."""
    from ..text.charts import setup_cjk_font

    setup_cjk_font()
    import matplotlib.pyplot as plt

    shown = [r for r in rates][::-1]
    values = [100 * (r.accuracy or 0) for r in shown]
    fig, ax = plt.subplots(figsize=(7.2, 0.28 * len(shown) + 1.3), dpi=96)
    bars = ax.barh([r.label for r in shown], values, color="#b71c1c")
    ax.bar_label(bars, labels=[r.accuracy_text for r in shown], padding=3, fontsize=8)
    ax.set_xlim(0, 110)
    ax.set_xlabel("得分率（%）")
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig)


def distribution_chart(learner_rates: list[Rate]) -> str:
    """Histogram of the learners' score shares in ten-point bins, the count on each bar."""
    from ..text.charts import setup_cjk_font

    setup_cjk_font()
    import matplotlib.pyplot as plt

    bins = [0] * 10
    for r in learner_rates:
        if r.accuracy is not None:
            bins[min(int(r.accuracy * 10), 9)] += 1
    labels = [f"{10 * i}–{10 * i + 10}" for i in range(10)]
    fig, ax = plt.subplots(figsize=(7.2, 3.4), dpi=96)
    bars = ax.bar(labels, bins, color="#37474f")
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_xlabel("得分率区间（%）")
    ax.set_ylabel("人数")
    ax.set_title("学员得分率分布")
    ax.tick_params(axis="x", labelsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _png(fig)


# ---- HTML ----------------------------------------------------------------------------------------
STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.6}
table{border-collapse:collapse;margin:1rem 0;width:100%}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;white-space:nowrap}img{max-width:100%}blockquote{margin:.3rem 0;color:#333}
"""


def _table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """A table from plain texts; every cell is escaped here."""
    cells = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{escape(c)}</td>' for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _rate_rows(rates: list[Rate]) -> list[list[str]]:
    return [[r.label, str(r.answered), str(r.correct), r.accuracy_text] for r in rates]


def _figure(png: str, alt: str) -> str:
    return f'<figure><img src="data:image/png;base64,{png}" alt="{escape(alt)}"></figure>'


def build_html(questions: list[Question], cohort: Cohort, source: str) -> str:
    """The whole report as one HTML page."""
    learners = cohort.learners
    by_question = question_rates(questions, learners)
    q_rates = [Rate(f"{q.id}", *[getattr(by_question[q.id], f) for f in ("answered", "correct", "score", "points")])
               for q in questions]
    measures, pillars = measure_rates(questions, learners), pillar_rates(questions, learners)
    per_learner = [learner_rate(l) for l in learners]
    answered = sorted((r for r in q_rates if r.answered), key=lambda r: (r.accuracy, r.label))
    weakest = {r.label for r in answered[:WEAKEST]}
    skipped = [p for p in cohort.problems if p.skipped]
    parts = [
        f"<h1>轮训成绩报告</h1><p>成绩文件夹：{escape(source)}；生成时间：{datetime.now():%Y-%m-%d %H:%M}。"
        f"有效学员 {len(learners)} 人；跳过文件 {len(skipped)} 个，修正 {len(cohort.problems) - len(skipped)} 处。</p>",
        "<p>得分率 = 得分 ÷ 已作答题目的满分；正确 = 该题得满分。答案由本工具按现行题库重新判分。</p>",
        "<h2>各“突出”得分率</h2>", _table(["突出", "作答次数", "全对次数", "得分率"], _rate_rows(pillars), {1, 2, 3}),
        _figure(accuracy_chart(pillars, "各“突出”得分率"), "各“突出”得分率条形图；数据见上表"),
        "<h2>各举措得分率</h2>", _table(["举措", "作答次数", "全对次数", "得分率"], _rate_rows(measures), {1, 2, 3}),
        _figure(accuracy_chart(measures, "十二项举措得分率"), "十二项举措得分率条形图；数据见上表"),
        "<h2>得分分布</h2>", _figure(distribution_chart(per_learner), "学员得分率分布直方图；数据见学员成绩表"),
        "<h2>最需要重讲的题目</h2>",
        "".join(
            f"<h3>{escape(r.label)}（得分率 {r.accuracy_text}，{r.answered} 人作答）</h3>"
            f"<p>{escape(type_label(q))}；{escape(measure_label(q))}</p><p>{escape(q.stem)}</p>"
            f"<p><strong>答案：</strong>{escape(answer_text(q))}</p>"
            f"<blockquote><strong>原文依据：</strong>{escape(q.source)}</blockquote>"
            for r in answered[:WEAKEST] for q in questions if q.id == r.label
        ) or "<p>还没有任何作答。</p>",
        "<h2>各题得分率</h2>",
        _table(["编号", "题型", "所考内容", "作答人数", "全对人数", "得分率", "重讲"],
               [[q.id, type_label(q), measure_label(q), str(by_question[q.id].answered), str(by_question[q.id].correct),
                 by_question[q.id].accuracy_text, "是" if q.id in weakest else ""] for q in questions], {3, 4, 5}),
        _figure(accuracy_chart(q_rates, "各题得分率"), "各题得分率条形图；数据见上表"),
        "<h2>学员成绩</h2>",
        _table(["学员", "编号", "成绩文件", "已答题数", "得分", "满分", "得分率"],
               [[l.name or "（未署名）", l.learner_id, l.file, str(r.answered), f"{r.score:g}", f"{r.points:g}",
                 r.accuracy_text] for l, r in zip(learners, per_learner)], {3, 4, 5, 6}),
        "<h2>跳过或修正的文件</h2>",
        _table(["文件", "处理", "原因"], [[p.file, "跳过" if p.skipped else "已修正", p.reason] for p in cohort.problems])
        if cohort.problems else "<p>所有文件都已读取，没有问题。</p>",
    ]
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>轮训成绩报告</title><style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


# ---- CSV -----------------------------------------------------------------------------------------
def _cell(value) -> str:
    """Keep spreadsheet programs from reading a learner's text as a formula."""
    text = str(value)
    return "'" + text if text.startswith(CSV_RISKY_START) else text


def _write_csv(path: Path, head: list[str], rows: list[list]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(head)
        writer.writerows([[_cell(v) for v in row] for row in rows])


def write_csv(questions: list[Question], cohort: Cohort, out: Path) -> None:
    by_question = question_rates(questions, cohort.learners)
    _write_csv(out / "questions.csv", ["编号", "章", "举措", "题型", "作答人数", "全对人数", "得分", "满分", "得分率"],
               [[q.id, q.pillar, q.measure or "", type_label(q), r.answered, r.correct, f"{r.score:g}", f"{r.points:g}",
                 "" if r.accuracy is None else f"{r.accuracy:.4f}"]
                for q in questions for r in [by_question[q.id]]])
    _write_csv(out / "learners.csv", ["学员", "编号", "成绩文件", "得分", "满分", "得分率", *[q.id for q in questions]],
               [[l.name, l.learner_id, l.file, f"{r.score:g}", f"{r.points:g}",
                 "" if r.accuracy is None else f"{r.accuracy:.4f}",
                 *[f"{l.grades[q.id].score:g}" if q.id in l.grades else "" for q in questions]]
                for l in cohort.learners for r in [learner_rate(l)]])


def make_report(results_dir: Path, out_dir: Path) -> Cohort:
    """Read the results folder and write report.html, questions.csv and learners.csv into ``out_dir``."""
    questions = [q for bank in load_all() for q in bank.questions]
    cohort = load_cohort(results_dir, {q.id: q for q in questions})
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.html").write_text(build_html(questions, cohort, results_dir.name), encoding="utf-8")
    write_csv(questions, cohort, out_dir)
    return cohort


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2 or args[0] in ("-h", "--help"):
        print("用法：./course report 成绩文件夹 [输出文件夹]（默认输出到 ./cohort-report）", file=sys.stderr)
        return 2
    results_dir = Path(args[0])
    out_dir = Path(args[1]) if len(args) == 2 else Path("cohort-report")
    if not results_dir.is_dir():
        print(f"找不到成绩文件夹：{results_dir}", file=sys.stderr)
        return 1
    try:
        cohort = make_report(results_dir, out_dir)
    except OSError as exc:
        print(f"无法写入报告（{exc.strerror or exc}）：{out_dir}", file=sys.stderr)
        return 1
    skipped = sum(p.skipped for p in cohort.problems)
    print(f"已生成 {out_dir / 'report.html'}（有效学员 {len(cohort.learners)} 人，跳过文件 {skipped} 个）"
          f"及 questions.csv、learners.csv。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
