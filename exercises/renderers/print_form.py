"""The print form of questions (Markdown for the Sphinx LaTeX build of the handouts and papers).

One Markdown text serves both editions: the trainer's key sits in an ``{only} trainer`` block, which
Sphinx keeps when the build runs with the tag ``trainer`` (``sphinx-build -t trainer``). Each question
is wrapped in raw LaTeX (``sigequestion``, a box that never breaks across pages); the LaTeX macros
(``sigequestion``, ``sigekey``, ``\\sigelines``, ``\\sigenotes``) are in ``trainer/print/latex.py`` (``PRINT_MACROS``).
"""
from __future__ import annotations

from ..questions.form import Choice, Form, Select
from ..questions.model import BLANK, OPTION_KEYS, Question
from ..questions.presentation import answer_text, type_label
from ..questions.types import type_of

EDITIONS = ("learner", "trainer")
TRAINER_TAG = "trainer"  # the Sphinx tag of the trainer edition
LINES_PER_KEYPOINT = 1.5  # writing lines for a written answer, per 要点 (the trainer edition prints the key instead)
MIN_LINES, MAX_LINES = 3, 8  # at most about a sixth of a page: the space fits the answer, whatever its marks
NOTES_LINES = 6  # lines in the notes box of a 研讨题
CHECKLIST_ROWS = 6  # rows of the printed 本单位落实清单
WRONGBOOK_ROWS = 14  # rows of the printed 错题本


def escape_markdown(text: str) -> str:
    """Keep Markdown and LaTeX from reading course text as markup."""
    for ch in "\\`*_[]<>#|$":
        text = text.replace(ch, "\\" + ch)
    return text


def raw_latex(code: str) -> str:
    """A raw LaTeX block (dropped by every other builder)."""
    return f"```{{raw}} latex\n{code}\n```\n"


def only(expression: str, markdown: str) -> str:
    """A block Sphinx keeps only when its tags satisfy ``expression``."""
    return f"````{{only}} {expression}\n{markdown}\n````\n"


def writing_lines(q: Question) -> int:
    """Ruled lines for a written answer: by its 要点 (the marks of a paper are scaled, the answer is not)."""
    wanted = LINES_PER_KEYPOINT * len(q.keypoints) if q.keypoints else q.points
    return min(MAX_LINES, max(MIN_LINES, round(wanted)))


def _answer_space(form: Form, lines_to_write: int, edition: str | None) -> list[str]:
    """Printed answer space for the form's controls: choices to read, lines to write on (not in the trainer
    edition, which prints the key there)."""
    lines, listed = [], set()
    for control in form.controls:
        if isinstance(control, Choice):
            texts = [text for _, text in control.choices]
            if control.one_line:
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
            writing = raw_latex(f"\\sigelines{{{lines_to_write}}}")
            lines += ["答：", "", {None: only(f"not {TRAINER_TAG}", writing), "learner": writing}.get(edition, "")]
        else:
            lines.append(f"{escape_markdown(control.label)}：＿＿＿＿＿＿＿＿")
        lines.append("")
    return [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]


def letter_key(q: Question) -> str | None:
    """The key of a question answered with letters from lists (排序, 匹配) as printed: 「第 1 位：B；…」."""
    kind = type_of(q)
    form = kind.form(q)
    if not form.controls or not all(isinstance(c, Select) for c in form.controls):
        return None
    values = form.values(kind.correct_response(q))
    return "；".join(f"{escape_markdown(c.label)}：{OPTION_KEYS[c.choices.index(v)]}"
                    for c, v in zip(form.controls, values))


def keypoint_marks(points: float, count: int) -> list[float]:
    """Marks per 要点 adding up to ``points``: whole marks where they divide, the rest to the first ones."""
    if count < 1:
        return []
    if points == int(points) and points >= count:
        base, extra = divmod(int(points), count)
        return [float(base + (i < extra)) for i in range(count)]
    share = round(points / count, 2)
    return [share] * (count - 1) + [round(points - share * (count - 1), 2)]


def key_markdown(q: Question) -> str:
    """The trainer's key of one question in a shaded box: answer (or reference answer and marks per 要点),
    解析 and 原文依据."""
    if q.keypoints:
        marks = keypoint_marks(q.points, len(q.keypoints))
        lines = [f"**参考答案**：{escape_markdown(str(q.answer))}", "",
                 f"**评分要点**（共 {q.points:g} 分）：", ""]
        lines += [f"{i}. {escape_markdown(point)}（{mark:g} 分）"
                  for i, ((point, _), mark) in enumerate(zip(q.keypoints, marks), start=1)]
    else:
        letters = letter_key(q)
        text = escape_markdown(answer_text(q))
        lines = [f"**答案**：{letters}（{text}）" if letters else f"**答案**：{text}"]
    lines += ["", f"**解析**：{escape_markdown(q.explanation)}", "", f"**原文依据**：{escape_markdown(q.source)}"]
    return "\n".join([raw_latex("\\begin{sigekey}"), *lines, "", raw_latex("\\end{sigekey}")])


def question_markdown(q: Question, number: str, edition: str | None = None, heading: str = "练习 {number}") -> str:
    """One question as Markdown, kept on one page; the key is printed in the trainer edition.

    ``edition`` None: both editions, the key in an ``{only} trainer`` block; "learner" or "trainer": one
    edition's text only. ``heading``: the question's printed label (a paper prints 第 N 题)."""
    if edition is not None and edition not in EDITIONS:
        raise ValueError(f"edition must be None or one of {EDITIONS}")
    stem = BLANK.sub("＿＿＿＿", escape_markdown(q.stem).replace("\\_", "_"))
    lines = [raw_latex("\\begin{sigequestion}"),
             f"**{heading.format(number=number)}**（{type_label(q)}，{q.points:g} 分）{stem}", "",
             *_answer_space(type_of(q).form(q), writing_lines(q), edition), ""]
    if edition is None:
        lines.append(only(TRAINER_TAG, key_markdown(q)))
    elif edition == "trainer":
        lines += [key_markdown(q), ""]
    lines.append(raw_latex("\\end{sigequestion}"))
    return "\n".join(lines)


def quick_key_markdown(questions, prefix: str) -> str:
    """答案速查: every answer of a set of questions on one page, by printed number."""
    lines = [raw_latex("\\clearpage\n\\begin{sigequestion}"), f"**答案速查**（{len(questions)} 题）", ""]
    for i, q in enumerate(questions, start=1):
        key = "见该题的参考答案和评分要点" if q.keypoints else letter_key(q) or escape_markdown(answer_text(q))
        lines.append(f"- {prefix}-{i}（{q.points:g} 分）：{key}")
    return "\n".join([*lines, "", raw_latex("\\end{sigequestion}")])


def questions_markdown(questions, prefix: str, edition: str | None = None) -> str:
    """A set of questions; the trainer edition ends with their 答案速查 on a page of its own."""
    questions = list(questions)
    printed = [question_markdown(q, f"{prefix}-{i}", edition) for i, q in enumerate(questions, start=1)]
    if edition is None:
        printed.append(only(TRAINER_TAG, quick_key_markdown(questions, prefix)))
    elif edition == "trainer":
        printed.append(quick_key_markdown(questions, prefix))
    return "\n".join(printed)


def _form_table(columns: list[tuple[str, float]], rows: int) -> str:
    """A ruled table to fill in by hand: bold column heads (name, share of the line width), empty rows."""
    spec = "|".join(f"p{{{width}\\linewidth}}" for _, width in columns)
    head = " & ".join(f"\\textbf{{{name}}}" for name, _ in columns)
    empty = " & ".join([""] * len(columns)) + "\\\\\\hline\n"
    return (f"{{\\renewcommand{{\\arraystretch}}{{2.4}}\\noindent\\begin{{tabular}}{{|{spec}|}}\\hline\n"
            f"{head}\\\\\\hline\n{empty * rows}\\end{{tabular}}\\par}}")


def checklist_markdown() -> str:
    """The 本单位落实清单 a 研讨 ends in: 任务, 责任人, 时限, 检验标准, to fill in after the discussion."""
    fields = "\\noindent 单位：\\sigeblank{12em}\\hfill 填表人：\\sigeblank{6em}\\hfill 日期：\\sigeblank{6em}\\par\\medskip"
    table = _form_table([("任务", 0.34), ("责任人", 0.12), ("时限", 0.12), ("检验标准", 0.29)], CHECKLIST_ROWS)
    return "\n".join([raw_latex("\\begin{sigequestion}"), "**本单位落实清单**（研讨后填写，一项任务一行）", "",
                      raw_latex(f"{fields}\n{table}"), raw_latex("\\end{sigequestion}")])


def wrongbook_markdown() -> str:
    """The 错题本 on paper: a learner copies each question answered wrongly, looks up its 原文依据, and ticks
    a retry answered right (twice, then it is done)."""
    table = _form_table([("题目（章、题号）", 0.2), ("我的答案", 0.1), ("正确答案", 0.1), ("原文依据与错因", 0.33),
                         ("重做答对", 0.1)], WRONGBOOK_ROWS)
    return "\n".join(["**错题本**（手写）：把答错的题记在下表，对照原文找出错因；重做答对两次，这道题就可以划去。", "",
                      raw_latex(table)])


def discussion_markdown(items, edition: str | None = None) -> str:
    """研讨题, each with a notes box in the learner edition and its guide and 原文依据 in the trainer edition."""
    if edition is not None and edition not in EDITIONS:
        raise ValueError(f"edition must be None or one of {EDITIONS}")
    blocks = []
    for i, d in enumerate(items, start=1):
        notes = raw_latex(f"\\sigenotes{{{NOTES_LINES}}}")
        guide = "\n".join([raw_latex("\\begin{sigekey}"), f"**研讨提示**：{escape_markdown(d.guide)}", "",
                           f"**原文依据**：{escape_markdown(d.source)}", "", raw_latex("\\end{sigekey}")])
        if edition is None:
            tail = [only(f"not {TRAINER_TAG}", notes), only(TRAINER_TAG, guide)]
        else:
            tail = [guide if edition == "trainer" else notes]
        blocks += [raw_latex("\\begin{sigequestion}"), f"**研讨题 {i}**　{escape_markdown(d.prompt)}", "",
                   *tail, raw_latex("\\end{sigequestion}")]
    return "\n".join([*blocks, checklist_markdown()])
