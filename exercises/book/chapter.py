"""Building blocks the chapter pages call: article text, structure, terms, chart, exercises.

Each block is a display object with an HTML form (online book), a Markdown form (PDF) and a
plain-text form, so no builder ever shows a raw repr. Exercises are live ipywidgets in a
kernel, and the static form when the book build runs the page (``STATIC_ENV`` set).
"""
from __future__ import annotations

import os
from collections.abc import Callable
from html import escape

from ..questions.bank import bank_for_pillar
from ..text.article import DAMAGE_MARK, Article, load_article
from ..text.numbers import chinese_number
from ..text.quoting import quoted

STATIC_ENV = "SIGE_COURSE_STATIC"
APP_ENV = "VOILA_KERNEL_ID"  # Voilà sets it in the kernel of each app page
PRINT_FOLD = 3  # (word, count) pairs side by side in a printed chart table


class Rich:
    """A display object with HTML, Markdown and plain-text forms."""

    def __init__(self, html: str, markdown: str, plain: str):
        self.html, self.markdown, self.plain = html, markdown, plain

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html, "text/markdown": self.markdown, "text/plain": self.plain}


def mark_damage_html(text: str) -> str:
    return escape(text).replace(
        escape(DAMAGE_MARK), f'<mark class="sige-damage" title="收到的原文在此处损坏">{escape(DAMAGE_MARK)}</mark>'
    )


def pillar_text(number: int, article: Article | None = None) -> Rich:
    """The pillar's paragraph of the article, measure headings in bold."""
    pillar = (article or load_article()).pillar(number)
    html_parts = [f"<strong>{escape(pillar.title)}</strong>，{escape(pillar.aim)}", escape("".join(pillar.lead))]
    md_parts = [f"**{pillar.title}**，{pillar.aim}", "".join(pillar.lead)]
    for m in pillar.measures:
        html_parts.append(f"<strong>{escape(m.heading)}</strong>{mark_damage_html(m.body)}")
        md_parts.append(f"**{m.name}**。{m.body}")
    html = '<blockquote class="sige-article">' + "".join(html_parts) + "</blockquote>"
    markdown = "> " + "".join(md_parts)
    return Rich(html, markdown, pillar.paragraph)


def structure(number: int, article: Article | None = None) -> Rich:
    """The pillar's structure: aim, lead, and each measure with what it asks."""
    pillar = (article or load_article()).pillar(number)
    rows = [("目标", pillar.title + "，" + pillar.aim), ("总体要求", "".join(pillar.lead))]
    rows += [(f"举措 {m.id}　{m.name}", m.body) for m in pillar.measures]
    html = ('<table class="sige-structure"><thead><tr><th scope="col">层次</th><th scope="col">原文</th></tr></thead><tbody>'
            + "".join(f'<tr><th scope="row">{escape(a)}</th><td>{mark_damage_html(b)}</td></tr>' for a, b in rows)
            + "</tbody></table>")
    markdown = "| 层次 | 原文 |\n| --- | --- |\n" + "\n".join(f"| {a} | {b} |" for a, b in rows)
    plain = "\n".join(f"{a}：{b}" for a, b in rows)
    return Rich(html, markdown, plain)


def key_terms(number: int) -> Rich:
    """The chapter's key terms with the article's sentence on each (editorial notes marked)."""
    bank = bank_for_pillar(number)
    html_items, md_items, plain = [], [], []
    for t in bank.terms:
        note = f"<br><small>{escape(t.editorial)}</small>" if t.editorial else ""
        html_items.append(f"<dt>{escape(t.term)}</dt><dd>原文：{escape(quoted(t.source))}{note}</dd>")
        md_items.append(f"- **{t.term}**：原文{quoted(t.source)}" + (f"（{t.editorial}）" if t.editorial else ""))
        plain.append(f"{t.term}：{t.source}")
    return Rich('<dl class="sige-terms">' + "".join(html_items) + "</dl>", "\n".join(md_items), "\n".join(plain))


def chart_data(columns: list[str], rows: list[tuple], caption: str) -> Rich:
    """The numbers behind a chart as a folded table (HTML), a compact table (print) or a sentence (plain)."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    body = "".join(
        f'<tr><th scope="row">{escape(str(row[0]))}</th>' + "".join(f"<td>{v}</td>" for v in row[1:]) + "</tr>"
        for row in rows
    )
    html = (f'<details class="sige-chart-data"><summary>{escape(caption)}</summary>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details>")
    plain = f"{caption}：" + "；".join(
        f"{row[0]}：" + "，".join(f"{c} {v}" for c, v in zip(columns[1:], row[1:])) for row in rows) + "。"
    return Rich(html, f"{caption}：\n\n" + _markdown_table(columns, rows), plain)


def _markdown_table(columns: list[str], rows: list[tuple]) -> str:
    """A compact print table; a two-column table is folded into three pairs of columns side by side."""
    fold = PRINT_FOLD if len(columns) == 2 else 1
    cells = [[str(v) for v in row] for row in rows]
    lines = [cells[i:i + fold] for i in range(0, len(cells), fold)]
    width = len(columns) * fold
    table = ["| " + " | ".join(columns * fold) + " |", "|" + " --- |" * width]
    for group in lines:
        flat = [v for row in group for v in row] + [" "] * (width - sum(len(row) for row in group))
        table.append("| " + " | ".join(flat) + " |")
    return "\n".join(table)


def _keyword_counts(number: int, top: int) -> list[tuple[str, int]]:
    from ..text.analysis import term_counts

    return term_counts(load_article().pillar(number).paragraph, top=top)


def show_chart(fig, title: str) -> None:
    """Display a chart as a PNG cropped to what is drawn, with its title as the plain-text form."""
    import base64

    from IPython.display import display

    from ..text.charts import png

    data = base64.b64encode(png(fig, tight=True)).decode("ascii")
    display({"image/png": data, "text/plain": f"图：{title}"}, raw=True)


def keyword_chart(number: int, top: int = 12) -> None:
    """Show the bar chart of the pillar's most frequent words, counted literally (numbers: ``keyword_data``)."""
    from ..text.charts import bar_chart

    counts = _keyword_counts(number, top)
    title = f"{load_article().pillar(number).title}：至少出现 2 次的词（前 {len(counts)} 个）"
    show_chart(bar_chart(counts, title, xlabel="在本段原文中逐字出现的次数"), title)


def counting_note(table: Rich) -> Rich:
    """A chart's numbers preceded by the rule they were counted by."""
    from ..text.analysis import COUNTING_RULE, TIE_RULE

    rule = f"{COUNTING_RULE}{TIE_RULE}。"
    return Rich(f'<p class="sige-chart-rule">{escape(rule)}</p>' + table.html,
                f"{rule}\n\n{table.markdown}", f"{rule}\n{table.plain}")


def keyword_data(number: int, top: int = 12) -> Rich:
    """The counts behind ``keyword_chart`` and how they were counted, for every reader."""
    counts = _keyword_counts(number, top)
    table = chart_data(["词语", "次数"], [(word, n) for word, n in counts], f"图表数据（{len(counts)} 个词）")
    return counting_note(table)


def discussion(number: int) -> Rich:
    """The chapter's discussion questions (研讨题) for the group session."""
    bank = bank_for_pillar(number)
    html = '<ol class="sige-discussion">' + "".join(f"<li>{escape(d.prompt)}</li>" for d in bank.discussion) + "</ol>"
    from ..renderers.print_form import discussion_markdown

    plain = "\n".join(f"{i}. {d.prompt}" for i, d in enumerate(bank.discussion, start=1))
    return Rich(html, discussion_markdown(bank.discussion), plain)


class LiveExercises:
    """Live ipywidgets in a kernel; static HTML and Markdown alongside for other front ends.

    Voilà's app page (``APP_ENV`` set in its kernel) always shows the widgets, so there the bundle carries them
    alone: the fallbacks would only cost time to build and make the page heavier.
    """

    def __init__(self, static: Callable[[], Rich], plain: str, questions, prefix: str, title: str, store=None):
        from ..renderers.widget import ChapterQuiz

        self.static, self.plain = static, plain
        # A test (store given) starts empty; practice shows the answers the results file holds.
        self.quiz = ChapterQuiz(questions, prefix, title=title, store=store, restore=store is None)

    def _repr_mimebundle_(self, include=None, exclude=None):
        widget_bundle = {k: v for k, v in self.quiz._repr_mimebundle_().items() if k != "text/plain"}
        if os.environ.get(APP_ENV):
            return {"text/plain": self.plain, **widget_bundle}
        return {**self.static()._repr_mimebundle_(), **widget_bundle}


def questions_block(questions, prefix: str, title: str, paper: str = ""):
    """Exercises for a list of questions: static in the book build, live widgets otherwise.

    With ``paper`` (the 综合测评) they are a test: the page grades on 交卷, and the notebook keeps the
    answers in a file of their own, apart from practice.
    """
    mode = "test" if paper else "practice"
    plain = f"{title}：共 {len(questions)} 题"

    def static() -> Rich:
        from ..renderers.html import questions_html
        from ..renderers.print_form import questions_markdown

        return Rich(questions_html(questions, prefix, mode, paper), questions_markdown(questions, prefix), plain)

    if os.environ.get(STATIC_ENV):
        return static()
    if not paper:
        return LiveExercises(static, plain, questions, prefix, title)
    from ..questions.progress import ProgressStore

    practice = ProgressStore()
    store = ProgressStore(practice.path.with_name(f"测评-{paper}.json"))
    return LiveExercises(static, plain, questions, prefix, title, store)


def exercises(number: int):
    """The chapter's exercises."""
    return questions_block(bank_for_pillar(number).questions, str(number), f"第{chinese_number(number)}章练习")
