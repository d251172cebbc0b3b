"""The print form of questions (Markdown) for PDF handouts: learner paper or trainer edition."""
from __future__ import annotations

import os

from ..questions.form import Choice, Form, Select
from ..questions.model import BLANK, OPTION_KEYS, Question
from ..questions.presentation import answer_text, type_label
from ..questions.types import type_of

EDITIONS = ("learner", "trainer")
SHORT_CHOICE = 4  # choices this short (正确 / 错误) go on the answer line
EDITION_ENV = "SIGE_COURSE_EDITION"  # set by exercises/trainer/handouts.py for the PDF build


def current_edition() -> str:
    """The print edition the PDF build asked for (learner paper unless told otherwise)."""
    edition = os.environ.get(EDITION_ENV) or "learner"
    if edition not in EDITIONS:
        raise ValueError(f"环境变量 {EDITION_ENV} 只能是 learner（学员版）或 trainer（教师版），现在是 {edition!r}")
    return edition


def escape_markdown(text: str) -> str:
    """Keep Markdown and LaTeX from reading course text as markup."""
    for ch in "\\`*_[]<>#|$":
        text = text.replace(ch, "\\" + ch)
    return text


def _answer_space(form: Form) -> list[str]:
    """Printed answer space for the form's controls: choices to read, lines to write on."""
    lines, listed = [], set()
    for control in form.controls:
        if isinstance(control, Choice):
            texts = [text for _, text in control.choices]
            if all(len(text) <= SHORT_CHOICE for text in texts):
                lines.append(f"答（{'／'.join(texts)}）：＿＿＿＿")
            else:
                lines += [f"- {escape_markdown(text)}" for text in texts] + ["", "答：＿＿＿＿"]
        elif isinstance(control, Select):
            if control.choices not in listed:
                listed.add(control.choices)
                lines += ["可选内容（填写字母）：", "",
                          *[f"- {OPTION_KEYS[i]}. {escape_markdown(c)}" for i, c in enumerate(control.choices)], ""]
            lines.append(f"{escape_markdown(control.label)}：＿＿＿＿")
        elif control.multiline:
            lines += ["答：", "", "＿" * 30, "", "＿" * 30, "", "＿" * 30]
        else:
            lines.append(f"{escape_markdown(control.label)}：＿＿＿＿＿＿＿＿")
        lines.append("")
    return [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]


def question_markdown(q: Question, number: str, edition: str = "learner") -> str:
    """One question as Markdown; the trainer edition adds answer, 解析 and 原文依据."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}")
    stem = BLANK.sub("＿＿＿＿", escape_markdown(q.stem).replace("\\_", "_"))
    lines = [f"**练习 {number}**（{type_label(q)}，{q.points:g} 分）{stem}", "", *_answer_space(type_of(q).form(q)), ""]
    if edition == "trainer":
        lines += [
            f"> 答案：{escape_markdown(answer_text(q))}",
            ">",
            f"> 解析：{escape_markdown(q.explanation)}",
            ">",
            f"> 原文依据：{escape_markdown(q.source)}",
            "",
        ]
    return "\n".join(lines)


def questions_markdown(questions, prefix: str, edition: str = "learner") -> str:
    return "\n".join(
        question_markdown(q, f"{prefix}-{i}", edition) for i, q in enumerate(questions, start=1)
    )


def discussion_markdown(items, edition: str = "learner") -> str:
    """Discussion questions (研讨题); the trainer edition adds each one's guide and 原文依据."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}")
    lines = []
    for i, d in enumerate(items, start=1):
        lines += [f"{i}. {escape_markdown(d.prompt)}", ""]
        if edition == "trainer":
            lines += [f"   > 研讨提示：{escape_markdown(d.guide)}", "   >", f"   > 原文依据：{escape_markdown(d.source)}", ""]
    return "\n".join(lines)
