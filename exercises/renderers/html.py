"""The static HTML form of questions for the online book: readable, honest, no dead controls."""
from __future__ import annotations

from html import escape

from ..questions.bank import BLANK, OPTION_KEYS, Question
from ..questions.grading import RULES
from ..questions.presentation import answer_text, match_choices, measure_label, option_lines, order_choices
from .pagescript import data_script, page_settings, question_payload

CHOOSE = "（请选择）"


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


def _field(control_id: str, label: str, control: str) -> str:
    return f'<div class="sige-field"><label for="{escape(control_id)}">{escape(label)}</label>{control}</div>'


def _select(control_id: str, label: str, choices: list[str]) -> str:
    options = "".join(f'<option value="{escape(c)}">{escape(c)}</option>' for c in choices)
    select = f'<select id="{escape(control_id)}" disabled><option value="">{CHOOSE}</option>{options}</select>'
    return _field(control_id, label, select)


def _choices(q: Question, kind: str, legend: str, choices: list[tuple[str, str]]) -> str:
    name = escape(f"{q.id}-answer")
    inputs = "".join(
        f'<label class="sige-choice"><input type="{kind}" name="{name}" value="{escape(value)}" disabled> '
        f"{escape(text)}</label>"
        for value, text in choices
    )
    return f"<fieldset><legend>{escape(legend)}</legend>{inputs}</fieldset>"


def _controls_html(q: Question) -> str:
    """The answer controls of the self-check form (enabled by selfcheck.js)."""
    if q.type in ("single", "multiple"):
        choices = [(OPTION_KEYS[i], line) for i, line in enumerate(option_lines(q))]
        if q.type == "single":
            return _choices(q, "radio", "请选择一项", choices)
        return _choices(q, "checkbox", "请选择所有正确的选项", choices)
    if q.type == "truefalse":
        return _choices(q, "radio", "请判断", [("true", "正确"), ("false", "错误")])
    if q.type == "fill":
        return "".join(
            _field(f"{q.id}-{i}", f"第 {i} 空",
                   f'<input type="text" id="{escape(q.id)}-{i}" autocomplete="off" spellcheck="false" disabled>')
            for i in range(1, len(q.blanks) + 1)
        )
    if q.type == "order":
        return "".join(_select(f"{q.id}-{i}", f"第 {i} 位", order_choices(q)) for i in range(1, len(q.items) + 1))
    return "".join(_select(f"{q.id}-{i}", left, match_choices(q)) for i, (left, _) in enumerate(q.pairs, start=1))


def _form_html(q: Question) -> str:
    """A hidden, disabled form the page script reveals: no control shows unless it works."""
    if q.type == "short":
        return ""
    return (
        f'<form class="sige-check" hidden>{data_script(question_payload(q), "sige-data")}'
        f'<div class="sige-controls">{_controls_html(q)}</div>'
        '<p class="sige-actions"><button type="submit" class="sige-submit" disabled>提交</button>'
        '<button type="button" class="sige-retry" disabled>重做</button></p>'
        '<div class="sige-feedback" role="status" aria-live="polite"></div></form>'
    )


def question_html(q: Question, number: str) -> str:
    """One question: static text, a self-check form for the page script, the key in <details>."""
    return (
        f'<section class="sige-question" id="{escape(q.id)}" data-qid="{escape(q.id)}" data-type="{q.type}"'
        f' aria-label="练习 {escape(number)}">'
        f'<p class="sige-qhead"><strong>练习 {escape(number)}</strong>'
        f'<span class="sige-badge">{q.type_name}</span>'
        f'<span class="sige-points">{q.points:g} 分</span>'
        f'<span class="sige-measure">{escape(measure_label(q))}</span></p>'
        f'{_stem_html(q)}<div class="sige-static">{_body_html(q)}</div>{_form_html(q)}'
        '<details class="sige-key"><summary>查看答案与解析</summary>'
        f"<p><strong>答案：</strong>{escape(answer_text(q))}</p>"
        f"<p><strong>解析：</strong>{escape(q.explanation)}</p>"
        f'<blockquote class="sige-source"><strong>原文依据：</strong>{escape(q.source)}</blockquote>'
        f'<p class="sige-rule">计分规则：{escape(RULES[q.type])}</p>'
        "</details></section>"
    )


def _progress_html(prefix: str) -> str:
    """Score, export and reset of one question list, revealed by the page script."""
    return (
        '<div class="sige-progress" hidden>'
        '<p class="sige-intro">本页可以直接作答：选好或填好答案后按“提交”，即时判分并给出解析和原文依据'
        '（简答题请展开参考答案自查）。答题记录只保存在本浏览器中。</p>'
        '<p class="sige-total" role="status" aria-live="polite"></p>'
        '<table class="sige-breakdown" hidden><caption>各部分得分</caption><thead><tr><th scope="col">部分</th>'
        '<th scope="col">得分 / 满分</th><th scope="col">得分率</th></tr></thead><tbody></tbody></table>'
        + _field(f"sige-learner-{prefix}", "姓名（可不填）", f'<input type="text" id="sige-learner-{escape(prefix)}" class="sige-learner" '
                 'maxlength="60" autocomplete="name" disabled>')
        + _field(f"sige-learner-id-{prefix}", "学号（可不填）", f'<input type="text" id="sige-learner-id-{escape(prefix)}" class="sige-learner-id" '
                 'maxlength="60" autocomplete="off" disabled>') +
        '<p class="sige-actions"><button type="button" class="sige-export" disabled>导出答题结果（JSON 文件）</button>'
        '<button type="button" class="sige-reset-all" disabled>清除本组练习的进度</button></p>'
        '<p class="sige-notice" role="alert"></p></div>'
    )


def questions_html(questions, prefix: str) -> str:
    """A numbered list of questions, e.g. numbers 1-1, 1-2 … for prefix "1"."""
    blocks = [question_html(q, f"{prefix}-{i}") for i, q in enumerate(questions, start=1)]
    return (f'<div class="sige-questions" data-prefix="{escape(prefix)}">'
            f"{data_script(page_settings(), 'sige-settings')}" + "".join(blocks) + _progress_html(prefix) + "</div>")
