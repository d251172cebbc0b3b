"""ipywidgets front end: collects answers, shows verdicts. All grading is in ``grading``."""
from __future__ import annotations

import secrets
from html import escape

import ipywidgets as w

from ..questions.form import Choice, Control, Select, TextField
from ..questions.grading import Grade, grade, rule
from ..questions.model import BLANK, OPTION_KEYS, Question
from ..questions.presentation import answer_text, measure_label, shown_label
from ..questions.progress import ProgressStore
from ..questions.shuffle import SeededOrder
from ..questions.types import type_of
from .results_panel import ResultsPanel

SYMBOLS = {"correct": "✔", "partial": "◐", "incorrect": "✘", "unanswered": "？"}
COLOURS = {"correct": "#1b5e20", "partial": "#8d6e00", "incorrect": "#b71c1c", "unanswered": "#37474f"}
FULL_WIDTH = w.Layout(width="100%")
WIDE_LABEL = {"description_width": "initial"}
CHOOSE = "（请选择）"


def _control_widget(control: Control) -> w.Widget:
    """One ipywidget for one control of a question's form."""
    if isinstance(control, Choice) and control.multiple:
        return w.VBox([w.Checkbox(value=False, description=text, indent=False, layout=FULL_WIDTH)
                       for _, text in control.choices])
    if isinstance(control, Choice):
        return w.RadioButtons(options=[(text, value) for value, text in control.choices], value=None,
                              description=control.legend, style=WIDE_LABEL, layout=FULL_WIDTH)
    if isinstance(control, TextField) and control.multiline:
        return w.Textarea(value="", description=control.label, placeholder="请用自己的话作答",
                          layout=w.Layout(width="100%", height="6em"))
    if isinstance(control, TextField):
        return w.Text(value="", description=control.label, placeholder="在此填写")
    return w.Dropdown(options=[(CHOOSE, "")] + [(c, c) for c in control.choices], value="",
                      description=control.label, style=WIDE_LABEL, layout=w.Layout(width="auto"))


def _get(control: Control, widget: w.Widget):
    if isinstance(control, Choice) and control.multiple:
        return [value for (value, _), box in zip(control.choices, widget.children) if box.value]
    return widget.value


def _set(control: Control, widget: w.Widget, value) -> None:
    """Show ``value`` in the widget; a value the control cannot show leaves it empty."""
    if isinstance(control, Choice) and control.multiple:
        wanted = value if isinstance(value, (list, tuple)) else []
        for (choice, _), box in zip(control.choices, widget.children):
            box.value = choice in wanted
    elif isinstance(control, Choice):
        widget.value = value if any(value == c and type(value) is type(c) for c, _ in control.choices) else None
    elif isinstance(control, Select):
        widget.value = value if isinstance(value, str) and value in control.choices else ""
    else:
        widget.value = value if isinstance(value, str) else ""


class QuestionWidget(w.VBox):
    """One question: input controls, 提交 and 重做 buttons, and the feedback area."""

    def __init__(self, question: Question, number: str, on_graded=None, seed: str | None = None):
        self.question = question
        self.number = number
        self.on_graded = on_graded
        self.grade: Grade | None = None
        # the options as this learner sees them (``seed``); answers are recorded by canonical key
        self.shown = type_of(question).shuffled(question, SeededOrder(seed, question.id)) if seed else question
        self._to_shown = {k: OPTION_KEYS[self.shown.options.index(t)] for k, t in zip(OPTION_KEYS, question.options)}
        self._to_key = {v: k for k, v in self._to_shown.items()}
        self.form = type_of(question).form(self.shown)
        header = w.HTML(
            f"<p><strong>练习 {escape(number)}</strong>（{shown_label(question)}，{question.points:g} 分；"
            f"{escape(measure_label(question))}）</p><p>{escape(BLANK.sub('＿＿＿＿', question.stem))}</p>"
        )
        self.controls = [_control_widget(c) for c in self.form.controls]
        self.submit_button = w.Button(description="提交", button_style="primary", tooltip="提交本题答案",
                                      icon="check")
        self.retry_button = w.Button(description="重做", tooltip="清空本题，重新作答", icon="refresh")
        self.submit_button.on_click(lambda _: self.submit())
        self.retry_button.on_click(lambda _: self.reset())
        self.feedback = w.HTML(value="", layout=FULL_WIDTH)
        super().__init__([header, w.VBox(self.controls), w.HBox([self.submit_button, self.retry_button]),
                          self.feedback],
                         layout=w.Layout(border="1px solid #ccc", padding="8px", margin="8px 0"))

    def _shown_response(self):
        return self.form.response([_get(c, wd) for c, wd in zip(self.form.controls, self.controls)])

    def response(self):
        """The learner's current answer by canonical key, in the shape ``grading.grade`` expects."""
        return _mapped(self._shown_response(), self._to_key)

    def set_response(self, response) -> None:
        """Fill the controls with ``response`` (canonical keys, as a learner would), without grading it."""
        shown = _mapped(response, self._to_shown)
        for control, widget, value in zip(self.form.controls, self.controls, self.form.values(shown)):
            _set(control, widget, value)

    def _feedback(self) -> str:
        """The verdict in the letters the learner sees."""
        return feedback_html(self.shown, grade(self.shown, self._shown_response()))

    def show_saved(self, response) -> None:
        """Show a saved answer as the learner left it: filled in and graded, without saving it again."""
        self.set_response(response)
        result = grade(self.question, self.response())
        self.grade = result if result.answered else None
        self.feedback.value = self._feedback() if result.answered else ""

    # ---- actions ----------------------------------------------------------------------------------
    def submit(self) -> Grade:
        self.grade = grade(self.question, self.response())
        self.feedback.value = self._feedback()
        if self.on_graded and self.grade.answered:
            self.on_graded(self)
        return self.grade

    def reset(self) -> None:
        self.set_response(None)
        self.grade = None
        self.feedback.value = ""
        if self.on_graded:
            self.on_graded(self)


def _mapped(response, keys: dict):
    """``response`` with option keys translated by ``keys`` (other values unchanged)."""
    if isinstance(response, str):
        return keys.get(response, response)
    if isinstance(response, list):
        return [keys.get(v, v) if isinstance(v, str) else v for v in response]
    return response


def feedback_html(q: Question, result: Grade) -> str:
    """Verdict, score, details, 解析 and 原文依据; every text is escaped."""
    colour = COLOURS[result.verdict]
    head = (f'<p style="color:{colour}"><strong>{SYMBOLS[result.verdict]} {result.verdict_text}</strong>'
            f"　得分 {result.score:g} / {result.points:g}</p>")
    details = "".join(f"<li>{escape(d)}</li>" for d in result.details)
    if not result.answered:
        return head + f"<ul>{details}</ul>"
    return (head + f"<ul>{details}</ul>"
            f"<p><strong>答案：</strong>{escape(answer_text(q))}</p>"
            f"<p><strong>解析：</strong>{escape(q.explanation)}</p>"
            f"<blockquote><strong>原文依据：</strong>{escape(q.source)}</blockquote>"
            f"<p><small>计分规则：{escape(rule(q))}</small></p>")


class ChapterQuiz(w.VBox):
    """All questions of a chapter with the running score, a review of misses and a full reset."""

    def __init__(self, questions, prefix: str, title: str = "本章练习", store: ProgressStore | None = None,
                 restore: bool = True):
        self.store = store if store is not None else ProgressStore()
        self.listeners: list = []  # callables taking the quiz, called whenever its results change
        saved_seed = self.store.data.get("seed")
        self.seed = saved_seed if isinstance(saved_seed, str) and saved_seed else secrets.token_hex(8)
        self.items = [QuestionWidget(q, f"{prefix}-{i}", on_graded=self._changed, seed=self.seed)
                      for i, q in enumerate(questions, start=1)]
        self.notice = w.HTML(value=self._notice_html())
        self.score = w.HTML()
        self.review = w.HTML()
        self.reset_button = w.Button(description="全部重做", tooltip="清空本章所有答案", icon="undo")
        self.reset_button.on_click(lambda _: self.reset_all())
        self.results = ResultsPanel(self.store)
        super().__init__([w.HTML(f"<h3>{escape(title)}</h3>"), self.notice, *self.items,
                          self.score, self.review, self.reset_button, self.results])
        if restore:
            self._restore()
        self._refresh()

    def _restore(self) -> None:
        """Show the answers the results file holds (a re-run shows what the export would send)."""
        saved = self.store.data.get("answers", {})
        for item in self.items:
            entry = saved.get(item.question.id)
            if isinstance(entry, dict):
                item.show_saved(entry.get("answer"))

    def _notice_html(self) -> str:
        return f"<p>{escape(self.store.message)}</p>" if self.store.message else ""

    def _changed(self, item: QuestionWidget) -> None:
        if item.grade is not None:
            self.store.record(item.grade)
        else:
            self.store.forget([item.question.id])
        if not isinstance(self.store.data.get("seed"), str) and not self.store.message:
            self.store.change(lambda document: document.setdefault("seed", self.seed))
        self.notice.value = self._notice_html()
        self._refresh()

    def totals(self) -> tuple[float, float, int]:
        """Score so far, maximum score, number of questions answered."""
        graded = [i.grade for i in self.items if i.grade is not None and i.grade.answered]
        return sum(g.score for g in graded), sum(i.question.points for i in self.items), len(graded)

    def on_change(self, callback) -> None:
        """Call ``callback(quiz)`` now and whenever an answer is graded or cleared."""
        self.listeners.append(callback)
        callback(self)

    def _refresh(self) -> None:
        for callback in self.listeners:
            callback(self)
        score, points, answered = self.totals()
        self.score.value = (f"<p><strong>本章得分：{score:g} / {points:g}</strong>"
                            f"（已答 {answered} / {len(self.items)} 题）</p>")
        missed = [i for i in self.items if i.grade is not None and i.grade.verdict in ("incorrect", "partial")]
        if not missed:
            self.review.value = ""
            return
        rows = "".join(
            f"<li>练习 {escape(i.number)}（{escape(i.grade.verdict_text)}）：{escape(i.question.stem)}<br>"
            f"<small>解析：{escape(i.question.explanation)}</small></li>"
            for i in missed
        )
        self.review.value = f"<details open><summary>错题回顾（{len(missed)} 题）</summary><ul>{rows}</ul></details>"

    def reset_all(self) -> None:
        for item in self.items:
            item.on_graded = None
            item.reset()
            item.on_graded = self._changed
        self.store.forget([i.question.id for i in self.items])
        self._refresh()
