"""ipywidgets front end: collects answers, shows verdicts. All grading is in ``grading``."""
from __future__ import annotations

from html import escape

import ipywidgets as w

from ..questions.bank import BLANK, OPTION_KEYS, Question
from ..questions.grading import RULES, Grade, grade
from ..questions.presentation import answer_text, match_choices, measure_label, option_lines, order_choices
from ..questions.progress import ProgressStore
from .results_panel import ResultsPanel

SYMBOLS = {"correct": "✔", "partial": "◐", "incorrect": "✘", "unanswered": "？"}
COLOURS = {"correct": "#1b5e20", "partial": "#8d6e00", "incorrect": "#b71c1c", "unanswered": "#37474f"}
FULL_WIDTH = w.Layout(width="100%")


def _label(text: str) -> w.HTML:
    return w.HTML(f"<span>{escape(text)}</span>")


class QuestionWidget(w.VBox):
    """One question: input controls, 提交 and 重做 buttons, and the feedback area."""

    def __init__(self, question: Question, number: str, on_graded=None):
        self.question = question
        self.number = number
        self.on_graded = on_graded
        self.grade: Grade | None = None
        header = w.HTML(
            f"<p><strong>练习 {escape(number)}</strong>（{question.type_name}，{question.points:g} 分；"
            f"{escape(measure_label(question))}）</p><p>{escape(BLANK.sub('＿＿＿＿', question.stem))}</p>"
        )
        self.inputs = self._make_inputs()
        self.submit_button = w.Button(description="提交", button_style="primary", tooltip="提交本题答案",
                                      icon="check")
        self.retry_button = w.Button(description="重做", tooltip="清空本题，重新作答", icon="refresh")
        self.submit_button.on_click(lambda _: self.submit())
        self.retry_button.on_click(lambda _: self.reset())
        self.feedback = w.HTML(value="", layout=FULL_WIDTH)
        super().__init__([header, self.inputs, w.HBox([self.submit_button, self.retry_button]), self.feedback],
                         layout=w.Layout(border="1px solid #ccc", padding="8px", margin="8px 0"))

    # ---- inputs -----------------------------------------------------------------------------------
    def _make_inputs(self) -> w.Widget:
        q = self.question
        if q.type == "single":
            self._control = w.RadioButtons(options=[(line, OPTION_KEYS[i]) for i, line in enumerate(option_lines(q))],
                                           value=None, description="选项", layout=FULL_WIDTH)
            return self._control
        if q.type == "multiple":
            self._boxes = [w.Checkbox(value=False, description=line, indent=False, layout=FULL_WIDTH)
                           for line in option_lines(q)]
            return w.VBox(self._boxes)
        if q.type == "truefalse":
            self._control = w.RadioButtons(options=[("正确", True), ("错误", False)], value=None,
                                           description="判断")
            return self._control
        if q.type == "fill":
            self._texts = [w.Text(value="", description=f"第 {i} 空", placeholder="在此填写")
                           for i in range(1, len(q.blanks) + 1)]
            return w.VBox(self._texts)
        if q.type == "order":
            choices = [("（请选择）", "")] + [(item, item) for item in order_choices(q)]
            self._dropdowns = [w.Dropdown(options=choices, value="", description=f"第 {i} 位")
                               for i in range(1, len(q.items) + 1)]
            return w.VBox(self._dropdowns)
        if q.type == "match":
            choices = [("（请选择）", "")] + [(right, right) for right in match_choices(q)]
            self._dropdowns = [w.Dropdown(options=choices, value="", description="对应",
                                          layout=w.Layout(width="auto"))
                               for _ in q.pairs]
            return w.VBox([w.HBox([_label(left), d]) for (left, _), d in zip(q.pairs, self._dropdowns)])
        self._control = w.Textarea(value="", description="回答", placeholder="请用自己的话作答",
                                   layout=w.Layout(width="100%", height="6em"))
        return self._control

    def response(self):
        """The learner's current answer, in the shape ``grading.grade`` expects."""
        q = self.question
        if q.type in ("single", "truefalse", "short"):
            return self._control.value
        if q.type == "multiple":
            return [OPTION_KEYS[i] for i, box in enumerate(self._boxes) if box.value]
        if q.type == "fill":
            return [t.value for t in self._texts]
        if q.type == "order":
            return [d.value for d in self._dropdowns]
        return {left: d.value for (left, _), d in zip(q.pairs, self._dropdowns)}

    # ---- actions ----------------------------------------------------------------------------------
    def submit(self) -> Grade:
        self.grade = grade(self.question, self.response())
        self.feedback.value = feedback_html(self.question, self.grade)
        if self.on_graded and self.grade.answered:
            self.on_graded(self)
        return self.grade

    def reset(self) -> None:
        q = self.question
        if q.type in ("single", "truefalse"):
            self._control.value = None
        elif q.type == "short":
            self._control.value = ""
        elif q.type == "multiple":
            for box in self._boxes:
                box.value = False
        elif q.type == "fill":
            for text in self._texts:
                text.value = ""
        else:
            for dropdown in self._dropdowns:
                dropdown.value = ""
        self.grade = None
        self.feedback.value = ""
        if self.on_graded:
            self.on_graded(self)


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
            f"<p><small>计分规则：{escape(RULES[q.type])}</small></p>")


class ChapterQuiz(w.VBox):
    """All questions of a chapter with the running score, a review of misses and a full reset."""

    def __init__(self, questions, prefix: str, title: str = "本章练习", store: ProgressStore | None = None):
        self.store = store if store is not None else ProgressStore()
        self.listeners: list = []  # callables taking the quiz, called whenever its results change
        self.items = [QuestionWidget(q, f"{prefix}-{i}", on_graded=self._changed)
                      for i, q in enumerate(questions, start=1)]
        self.notice = w.HTML(value=self._notice_html())
        self.score = w.HTML()
        self.review = w.HTML()
        self.reset_button = w.Button(description="全部重做", tooltip="清空本章所有答案", icon="undo")
        self.reset_button.on_click(lambda _: self.reset_all())
        self.results = ResultsPanel(self.store)
        super().__init__([w.HTML(f"<h3>{escape(title)}</h3>"), self.notice, *self.items,
                          self.score, self.review, self.reset_button, self.results])
        self._refresh()

    def _notice_html(self) -> str:
        return f"<p>{escape(self.store.message)}</p>" if self.store.message else ""

    def _changed(self, item: QuestionWidget) -> None:
        if item.grade is not None:
            self.store.record(item.grade)
        else:
            self.store.forget([item.question.id])
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
