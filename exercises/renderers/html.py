"""The static HTML form of questions for the online book: readable, honest, no dead controls."""
from __future__ import annotations

import json
from html import escape

from ..questions.form import Choice, Control, Form, Select, TextField
from ..questions.grading import rule
from ..questions.model import BLANK, Question
from ..questions.presentation import answer_text, measure_label, shown_label
from ..questions.types import type_of
from .pagescript import data_script, exam_payload, page_settings, question_payload

CHOOSE = "（请选择）"
SHORT_HINTS = {False: "请在笔记本或讲义上写下你的回答，再展开下方参考答案自查。",
               True: "请在讲义上写下你的回答，交卷后对照参考答案自查。"}  # by exam or not
KEY_FILE = "sige-assessment-key.json"  # the 综合测评's key, beside the page scripts in _static (book build)
# Parts of an exercise that the search index and search snippets leave out (keys, forms, panels).
NOINDEX_START = "<!--sige:noindex-->"
NOINDEX_END = "<!--/sige:noindex-->"


def _stem_html(q: Question) -> str:
    stem = BLANK.sub(f'<span class="sige-blank" role="img" aria-label="填空">{"＿＿＿＿"}</span>', escape(q.stem))
    return f'<p class="sige-stem">{stem}</p>'


def _static_html(q: Question, form: Form, exam: bool = False) -> str:
    """What a page without scripts shows of the form: the choices to read, nothing to click."""
    parts, listed = [], set()
    for control in form.controls:
        if isinstance(control, Choice):
            texts = [text for _, text in control.choices]
            if control.one_line:
                parts.append(f'<p class="sige-hint">{escape(control.legend)}：{escape(" / ".join(texts))}</p>')
            else:
                parts.append('<ul class="sige-options">' + "".join(f"<li>{escape(x)}</li>" for x in texts) + "</ul>")
        elif isinstance(control, Select) and control.choices not in listed:
            listed.add(control.choices)
            items = "".join(f"<li>{escape(choice)}</li>" for choice in control.choices)
            labels = [c.label for c in form.controls if isinstance(c, Select) and c.choices == control.choices]
            parts.append('<div class="sige-match"><div><p class="sige-hint">待填的各项</p><ol>'
                         + "".join(f"<li>{escape(label)}</li>" for label in labels)
                         + f'</ol></div><div><p class="sige-hint">可选内容（已打乱）</p><ul>{items}</ul></div></div>')
        elif isinstance(control, TextField) and control.multiline:
            parts.append(f'<p class="sige-hint">{SHORT_HINTS[exam]}</p>')
    return "".join(parts)


def _field(control_id: str, label: str, control: str) -> str:
    return f'<div class="sige-field"><label for="{escape(control_id)}">{escape(label)}</label>{control}</div>'


def _choice_value(value) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _control_html(q: Question, index: int, control: Control) -> str:
    """One control of the self-check form, disabled until the page script enables it."""
    control_id = escape(f"{q.id}-{index}")
    if isinstance(control, Choice):
        kind = "checkbox" if control.multiple else "radio"
        inputs = "".join(
            f'<label class="sige-choice"><input type="{kind}" name="{control_id}-answer" '
            f'value="{escape(_choice_value(value))}" disabled> {escape(text)}</label>'
            for value, text in control.choices
        )
        body = f"<fieldset><legend>{escape(control.legend)}</legend>{inputs}</fieldset>"
    elif isinstance(control, TextField):
        tag = (f'<textarea id="{control_id}" rows="4" disabled></textarea>' if control.multiline else
               f'<input type="text" id="{control_id}" autocomplete="off" spellcheck="false" disabled>')
        body = _field(control_id, control.label, tag)
    else:
        options = "".join(f'<option value="{escape(c)}">{escape(c)}</option>' for c in control.choices)
        body = _field(control_id, control.label,
                      f'<select id="{control_id}" disabled><option value="">{CHOOSE}</option>{options}</select>')
    return f'<div class="sige-control">{body}</div>'


def _form_html(q: Question, form: Form, exam: bool = False) -> str:
    """A hidden, disabled form the page script reveals: no control shows unless it works.

    On an exam (``exam``) its data holds nothing of the key: the page fetches that after 交卷."""
    if not type_of(q).page_check:
        return ""
    controls = "".join(_control_html(q, i, c) for i, c in enumerate(form.controls, start=1))
    payload = exam_payload(q) if exam else question_payload(q)
    return (
        f'{NOINDEX_START}<form class="sige-check" hidden>{data_script(payload, "sige-data")}'
        f'<div class="sige-controls">{controls}</div>'
        '<p class="sige-actions"><button type="submit" class="sige-submit" disabled>提交</button>'
        '<button type="button" class="sige-retry" disabled>重做</button></p>'
        f'<div class="sige-feedback" role="status" aria-live="polite"></div></form>{NOINDEX_END}'
    )


def _key_html(q: Question) -> str:
    return (
        f'{NOINDEX_START}<details class="sige-key"><summary>查看答案与解析</summary>'
        f"<p><strong>答案：</strong>{escape(answer_text(q))}</p>"
        f"<p><strong>解析：</strong>{escape(q.explanation)}</p>"
        f'<blockquote class="sige-source"><strong>原文依据：</strong>{escape(q.source)}</blockquote>'
        f'<p class="sige-rule">计分规则：{escape(rule(q))}</p>'
        f"</details>{NOINDEX_END}"
    )


def question_html(q: Question, number: str, exam: bool = False, hidden: bool = False) -> str:
    """One question: static text, a self-check form for the page script, the key in <details>.

    On an exam (``exam``) the page holds no key at all; ``hidden`` questions belong to other papers."""
    form = type_of(q).form(q)
    return (
        f'<section class="sige-question" id="{escape(q.id)}" data-qid="{escape(q.id)}" data-type="{q.type}"'
        f' aria-label="练习 {escape(number)}"{" hidden" if hidden else ""}>'
        f'<p class="sige-qhead"><strong>练习 {escape(number)}</strong>'
        f'<span class="sige-badge">{shown_label(q)}</span>'
        f'<span class="sige-points">{q.points:g} 分</span>'
        f'<span class="sige-measure">{escape(measure_label(q))}</span></p>'
        f'{_stem_html(q)}<div class="sige-static">{_static_html(q, form, exam)}</div>{_form_html(q, form, exam)}'
        f'{"" if exam else _key_html(q)}</section>'
    )


MODES = ("practice", "test")
PANEL_INTRO = {
    "practice": "本页可以直接作答：选好或填好答案后按“提交”，即时判分并给出解析和原文依据"
                "（简答题请展开参考答案自查）。答题记录只保存在本浏览器中。",
    "test": "这是一次测评：各题作答后不会立即判分，答案与解析在交卷前不会出现；作答过程随时保存在本浏览器中。"
            "全部答完后按“交卷”，统一判分并显示答案、解析和原文依据。测评记录与各章练习分开保存，"
            "可以按“再测一次”换一份试卷再测。",
}
PANEL_BUTTONS = {
    "practice": '<button type="button" class="sige-export" disabled>导出成绩文件</button>'
                '<button type="button" class="sige-reset-all" disabled>清除本页练习的记录</button>',
    "test": '<button type="button" class="sige-hand-in" disabled>交卷</button>'
            '<button type="button" class="sige-new-attempt" hidden disabled>再测一次</button>'
            '<button type="button" class="sige-export" disabled>导出成绩文件</button>',
}


def _progress_html(prefix: str, mode: str) -> str:
    """Score, export and reset (practice) or hand-in and new attempt (test), revealed by the page script."""
    return (
        f'{NOINDEX_START}<div class="sige-progress" hidden>'
        f'<p class="sige-intro">{PANEL_INTRO[mode]}</p>'
        '<p class="sige-total" role="status" aria-live="polite"></p>'
        '<table class="sige-breakdown" hidden><caption>各部分得分</caption><thead><tr><th scope="col">部分</th>'
        '<th scope="col">得分 / 满分</th><th scope="col">得分率</th></tr></thead><tbody></tbody></table>'
        + _field(f"sige-learner-{prefix}", "姓名（可不填）", f'<input type="text" id="sige-learner-{escape(prefix)}" class="sige-learner" '
                 'maxlength="60" autocomplete="name" disabled>')
        + _field(f"sige-learner-id-{prefix}", "学号（交卷必填）", f'<input type="text" id="sige-learner-id-{escape(prefix)}" class="sige-learner-id" '
                 'maxlength="60" autocomplete="off" disabled>')
        + f'<p class="sige-actions">{PANEL_BUTTONS[mode]}</p>'
        f'<p class="sige-notice" role="alert"></p></div>{NOINDEX_END}'
    )


def exam_html(papers: list[tuple[str, list[Question]]], prefix: str, key_file: str) -> str:
    """The 综合测评: every question of ``papers`` (name, questions), the first paper's shown in its order,
    the others hidden until the page script lays out another paper; no key (the page fetches ``key_file``,
    relative to its own script, after 交卷)."""
    first = papers[0][1]
    shown = {q.id for q in first}
    rest = list({q.id: q for _, questions in papers[1:] for q in questions if q.id not in shown}.values())
    blocks = [question_html(q, f"{prefix}-{i}", exam=True) for i, q in enumerate(first, start=1)]
    blocks += [question_html(q, prefix, exam=True, hidden=True) for q in rest]
    exam = {"papers": [{"paper": name, "questions": [q.id for q in questions]} for name, questions in papers],
            "key_file": key_file, "number": f"练习 {prefix}-{{n}}"}
    return (f'<div class="sige-questions" data-prefix="{escape(prefix)}" data-mode="test" data-paper="{escape(papers[0][0])}">'
            f"{data_script(page_settings(), 'sige-settings')}{data_script(exam, 'sige-exam')}"
            + "".join(blocks) + _progress_html(prefix, "test") + "</div>")


def questions_html(questions, prefix: str, mode: str = "practice", paper: str = "") -> str:
    """A numbered list of questions, e.g. numbers 1-1, 1-2 … for prefix "1".

    ``mode`` "test" (the 综合测评, ``paper`` naming the paper) grades on 交卷 and keeps attempts apart
    from practice; "practice" grades each question on 提交.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    if mode == "test":
        return exam_html([(paper, list(questions))], prefix, KEY_FILE)
    blocks = [question_html(q, f"{prefix}-{i}") for i, q in enumerate(questions, start=1)]
    return (f'<div class="sige-questions" data-prefix="{escape(prefix)}" data-mode="{mode}" data-paper="{escape(paper)}">'
            f"{data_script(page_settings(), 'sige-settings')}" + "".join(blocks) + _progress_html(prefix, mode) + "</div>")
