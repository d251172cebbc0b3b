"""The final assessment (综合测评): a paper drawn from every pillar, and its per-pillar score report.

``draw_paper(seed)`` is reproducible: the same seed always gives the same questions in the same
order. Questions are chosen as batch papers are (``paper.select``: even shares per pillar, types
balanced), then mixed; options keep the bank's order so results files stay comparable.

In the online book the 综合测评 is an exam: the page ships ``PAPERS`` papers (seeds ``DEFAULT_SEED`` on)
without their key, which the book build writes to a file of its own (``write_key``) that the page fetches
only after 交卷. The static book is a self-check (the key file is public beside the pages); where
``course serve`` serves the book it withholds that file and hands out the key only for a handed-in paper.
"""
from __future__ import annotations

import base64
import json
import os
import random
from dataclasses import dataclass
from html import escape

import ipywidgets as w

from ..questions.bank import Question, load_all
from ..questions.sampling import select
from ..renderers.html import KEY_FILE, exam_html
from ..renderers.pagescript import question_payload
from ..renderers.print_form import questions_markdown
from ..text.article import load_article
from .chapter import STATIC_ENV, LiveExercises, Rich, questions_block

DEFAULT_SEED = 20241
PAPERS = 12  # papers shipped with the online 综合测评 (seeds DEFAULT_SEED …); 再测一次 draws another
PER_PILLAR = 5
PREFIX = "测评"
TITLE = "综合测评"


def seed_problem(seed, per_pillar) -> str:
    """Why ``seed``/``per_pillar`` cannot make a paper, in Chinese; empty when they can."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        return f"随机种子应为非负整数，例如 {DEFAULT_SEED}；收到的是：{seed!r}。"
    most = min(len(bank.questions) for bank in load_all())
    if isinstance(per_pillar, bool) or not isinstance(per_pillar, int) or not 1 <= per_pillar <= most:
        return f"每部分题数应为 1 到 {most} 之间的整数；收到的是：{per_pillar!r}。"
    return ""


def draw_paper(seed: int = DEFAULT_SEED, per_pillar: int = PER_PILLAR) -> list[Question]:
    """The questions of the paper for ``seed``: ``per_pillar`` from each pillar, in shuffled order."""
    problem = seed_problem(seed, per_pillar)
    if problem:
        raise ValueError(problem)
    rng = random.Random(f"sige-assessment/{seed}")
    banks = load_all()
    paper = select({b.pillar: list(b.questions) for b in banks}, per_pillar * len(banks), rng)
    rng.shuffle(paper)
    return paper


@dataclass(frozen=True)
class PillarResult:
    """The score of one pillar on the paper."""

    pillar: int
    title: str
    score: float
    points: float
    answered: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.score / self.points if self.points else 0.0


def breakdown(questions, grades) -> list[PillarResult]:
    """Per-pillar results; ``grades`` maps question id to its Grade (unanswered ones may be missing)."""
    results = []
    for pillar in load_article().pillars:
        mine = [q for q in questions if q.pillar == pillar.number]
        if not mine:
            continue
        done = [grades[q.id] for q in mine if q.id in grades and grades[q.id].answered]
        results.append(PillarResult(pillar.number, pillar.title, sum(g.score for g in done),
                                    sum(q.points for q in mine), len(done), len(mine)))
    return results


def report_html(results: list[PillarResult]) -> str:
    """The total and a table of per-pillar scores (the same numbers as the chart)."""
    score = sum(r.score for r in results)
    points = sum(r.points for r in results)
    answered = sum(r.answered for r in results)
    total = sum(r.total for r in results)
    rows = "".join(
        f'<tr><th scope="row">{escape(r.title)}</th><td>{r.score:g} / {r.points:g}</td>'
        f"<td>{r.percent:.0f}%</td><td>{r.answered} / {r.total}</td></tr>"
        for r in results
    )
    return (f"<p><strong>测评总分：{score:g} / {points:g}</strong>（已答 {answered} / {total} 题）</p>"
            '<table class="sige-breakdown"><thead><tr><th scope="col">部分</th><th scope="col">得分</th>'
            f'<th scope="col">得分率</th><th scope="col">已答</th></tr></thead><tbody>{rows}</tbody></table>')


def chart_png(results: list[PillarResult]) -> bytes:
    """The per-pillar breakdown as a PNG bar chart, each bar labelled with its score."""
    from ..text.charts import percentage_bars, png

    rows = [(r.title, r.percent, f"{r.score:g} / {r.points:g} 分（{r.percent:.0f}%）") for r in results]
    return png(percentage_bars(rows, "综合测评：各部分得分率"))


def alt_text(results: list[PillarResult]) -> str:
    return "各部分得分率横向柱状图：" + "；".join(f"{r.title} {r.score:g} / {r.points:g} 分" for r in results)


class AssessmentReport(w.VBox):
    """Listens to the paper's quiz and shows the total and the per-pillar chart once answered."""

    def __init__(self, quiz, questions):
        self.questions = list(questions)
        self.results: list[PillarResult] = []
        self.summary = w.HTML()
        self.chart = w.HTML()
        super().__init__([w.HTML("<h3>测评结果</h3>"), self.summary, self.chart])
        quiz.on_change(self.update)

    def update(self, quiz) -> None:
        grades = {i.question.id: i.grade for i in quiz.items if i.grade is not None}
        self.results = breakdown(self.questions, grades)
        if not any(r.answered for r in self.results):
            self.summary.value = "<p>作答并提交后，这里显示测评总分和各部分得分。</p>"
            self.chart.value = ""
            return
        self.summary.value = report_html(self.results)
        png = base64.b64encode(chart_png(self.results)).decode("ascii")
        self.chart.value = f'<img src="data:image/png;base64,{png}" alt="{escape(alt_text(self.results))}">'


def shipped_papers(count: int = PAPERS) -> list[tuple[str, list[Question]]]:
    """The papers of the online 综合测评: name ("seed-20241") and questions, the default one first."""
    return [(f"seed-{seed}", draw_paper(seed)) for seed in range(DEFAULT_SEED, DEFAULT_SEED + count)]


def exam_key(papers) -> dict:
    """The key of every question on ``papers``: its full page-script payload, by id."""
    return {q.id: question_payload(q) for _, questions in papers for q in questions}


def write_key(folder) -> None:
    """Write the online 综合测评's key file into ``folder`` (the built book's _static)."""
    text = json.dumps(exam_key(shipped_papers()), ensure_ascii=False, separators=(",", ":"))
    (folder / KEY_FILE).write_text(text, encoding="utf-8")


def exam_intro(questions) -> Rich:
    """The composition of every paper of the online 综合测评 (no seed: the page draws the papers)."""
    counts = "，".join(f"{p.title} {sum(q.pillar == p.number for q in questions)} 题" for p in load_article().pillars)
    text = f"每份试卷共 {len(questions)} 题：{counts}。"
    return Rich(f'<p class="sige-paper-info">{escape(text)}</p>', text, text)


def paper_intro(seed: int, questions) -> Rich:
    """The seed and the composition of the paper, shown above the questions."""
    counts = "，".join(f"{p.title} {sum(q.pillar == p.number for q in questions)} 题" for p in load_article().pillars)
    points = sum(q.points for q in questions)
    text = (f"本试卷随机种子：{seed}。共 {len(questions)} 题，满分 {points:g} 分：{counts}。"
            "同一种子总是得到同一份试卷。")
    return Rich(f'<p class="sige-paper-info">{escape(text)}</p>', text, text)


def paper(seed: int = DEFAULT_SEED, per_pillar: int = PER_PILLAR):
    """Show the paper for ``seed``: its composition, the questions, and (live) the score report."""
    from IPython.display import display

    problem = seed_problem(seed, per_pillar)
    if problem:
        display(Rich(f"<p>{escape(problem)}</p>", problem, problem))
        return
    questions = draw_paper(seed, per_pillar)
    if os.environ.get(STATIC_ENV) and (seed, per_pillar) == (DEFAULT_SEED, PER_PILLAR):
        display(exam_intro(questions))
        display(Rich(exam_html(shipped_papers(), PREFIX, KEY_FILE), questions_markdown(questions, PREFIX),
                     f"{TITLE}：共 {len(questions)} 题"))
        return
    display(paper_intro(seed, questions))
    block = questions_block(questions, PREFIX, TITLE, paper=f"seed-{seed}")
    display(block)
    if isinstance(block, LiveExercises):
        display(AssessmentReport(block.quiz, questions))
