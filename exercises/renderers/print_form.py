"""The print form of questions (Markdown) for PDF handouts: learner paper or trainer edition."""
from __future__ import annotations

import os

from ..questions.bank import BLANK, Question
from ..questions.presentation import answer_text, match_choices, option_lines, order_choices

EDITIONS = ("learner", "trainer")
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


def _answer_space(q: Question) -> list[str]:
    if q.type in ("single", "multiple"):
        return [f"- {escape_markdown(line)}" for line in option_lines(q)] + ["", "答：＿＿＿＿"]
    if q.type == "truefalse":
        return ["答（正确／错误）：＿＿＿＿"]
    if q.type == "fill":
        return [f"第 {i} 空：＿＿＿＿＿＿＿＿" for i in range(1, len(q.blanks) + 1)]
    if q.type == "order":
        items = [f"- {escape_markdown(item)}" for item in order_choices(q)]
        return ["待排序的各项：", "", *items, "", "正确顺序：＿＿＿＿＿＿＿＿＿＿＿＿"]
    if q.type == "match":
        lefts = [f"{i}. {escape_markdown(left)} → ＿＿＿＿" for i, (left, _) in enumerate(q.pairs, start=1)]
        rights = [f"- {escape_markdown(right)}" for right in match_choices(q)]
        return ["可选内容：", "", *rights, "", *lefts]
    return ["答：", "", "＿" * 30, "", "＿" * 30, "", "＿" * 30]


def question_markdown(q: Question, number: str, edition: str = "learner") -> str:
    """One question as Markdown; the trainer edition adds answer, 解析 and 原文依据."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {EDITIONS}")
    stem = BLANK.sub("＿＿＿＿", escape_markdown(q.stem).replace("\\_", "_"))
    lines = [f"**练习 {number}**（{q.type_name}，{q.points:g} 分）{stem}", "", *_answer_space(q), ""]
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
