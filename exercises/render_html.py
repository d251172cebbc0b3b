"""The static HTML form of questions for the online book: readable, honest, no dead controls."""
from __future__ import annotations

from html import escape

from .bank import BLANK, Question
from .grading import RULES
from .presentation import answer_text, match_choices, measure_label, option_lines, order_choices


def _stem_html(q: Question) -> str:
    stem = escape(q.stem)
    if q.type == "fill":
        stem = BLANK.sub('<span class="sige-blank" aria-label="填空">＿＿＿＿</span>', stem)
    return f'<p class="sige-stem">{stem}</p>'


def _body_html(q: Question) -> str:
    if q.type in ("single", "multiple"):
        items = "".join(f"<li>{escape(line)}</li>" for line in option_lines(q))
        return f'<ul class="sige-options">{items}</ul>'
    if q.type == "truefalse":
        return '<p class="sige-hint">请判断：正确 / 错误</p>'
    if q.type == "order":
        items = "".join(f"<li>{escape(item)}</li>" for item in order_choices(q))
        return f'<p class="sige-hint">待排序的各项（已打乱）：</p><ul class="sige-options">{items}</ul>'
    if q.type == "match":
        lefts = "".join(f"<li>{escape(left)}</li>" for left, _ in q.pairs)
        rights = "".join(f"<li>{escape(right)}</li>" for right in match_choices(q))
        return (
            '<div class="sige-match"><div><p class="sige-hint">左列</p>'
            f"<ol>{lefts}</ol></div><div><p class=\"sige-hint\">右列（已打乱）</p><ul>{rights}</ul></div></div>"
        )
    if q.type == "short":
        return '<p class="sige-hint">请在笔记本或讲义上写下你的回答，再展开下方参考答案自查。</p>'
    return ""


def question_html(q: Question, number: str) -> str:
    """One question as a static HTML block, with its key folded in a <details> element."""
    return (
        f'<section class="sige-question" id="{escape(q.id)}" data-qid="{escape(q.id)}" data-type="{q.type}">'
        f'<p class="sige-qhead"><strong>练习 {escape(number)}</strong>'
        f'<span class="sige-badge">{q.type_name}</span>'
        f'<span class="sige-points">{q.points:g} 分</span>'
        f'<span class="sige-measure">{escape(measure_label(q))}</span></p>'
        f"{_stem_html(q)}{_body_html(q)}"
        '<details class="sige-key"><summary>查看答案与解析</summary>'
        f"<p><strong>答案：</strong>{escape(answer_text(q))}</p>"
        f"<p><strong>解析：</strong>{escape(q.explanation)}</p>"
        f'<blockquote class="sige-source"><strong>原文依据：</strong>{escape(q.source)}</blockquote>'
        f'<p class="sige-rule">计分规则：{escape(RULES[q.type])}</p>'
        "</details></section>"
    )


def questions_html(questions, prefix: str) -> str:
    """A numbered list of questions, e.g. numbers 1-1, 1-2 … for prefix "1"."""
    blocks = [question_html(q, f"{prefix}-{i}") for i, q in enumerate(questions, start=1)]
    return '<div class="sige-questions">' + "".join(blocks) + "</div>"
