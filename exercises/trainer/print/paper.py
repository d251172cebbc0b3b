"""Printed batch papers: the paper of a seed (``questions/papers.py``) as the learner's paper, the trainer's
key and the answer-entry sheet. The paper is printed through the handouts' pipeline
(``handouts.document_pdfs``): one Markdown page, Sphinx LaTeX per edition (``-t trainer`` for the key), xelatex.

Run by ``course paper`` (``exercises/commands/paper.py``).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from ...questions.form import TextField
from ...questions.grading import correct_response
from ...questions.model import Question
from ...questions.papers import TOTAL, Paper, sections
from ...questions.presentation import answer_text, measure_label, type_label
from ...questions.types import type_of
from ...renderers.print_form import TRAINER_TAG, escape_markdown, letter_key, only, question_markdown, raw_latex
from ...safeio import atomic_write
from ...text.numbers import chinese_number

MINUTES, MINUTES_WRITTEN = 2, 8  # suggested time per question, per written answer
WRITTEN_RULE = "由阅卷人按答到的要点给分。"  # a written answer on paper (the page's reference score is self-check only)
HEADER_FIELDS = ("姓名", "学号", "单位", "期次", "得分")
CARD_FIELDS = (("姓名", 6), ("学号", 8), ("单位", 10), ("期次", 6), ("得分", 5))  # field, blank width in em


def _written(q: Question) -> bool:
    """Whether the question is answered in writing (lines on the paper, not a cell of the 答题卡)."""
    return any(isinstance(c, TextField) and c.multiline for c in type_of(q).form(q).controls)


def paper_number(paper: Paper) -> str:
    """The paper's number as printed (试卷编号): its seed and question count, which rebuild it."""
    return f"{paper.seed}-{len(paper.questions)}"


def paper_title(paper: Paper) -> str:
    return f"轮训测试卷　试卷编号 {paper_number(paper)}"


def _instructions(paper: Paper) -> list[str]:
    written = sum(_written(q) for q in paper.questions)
    count = len(paper.questions)
    minutes = math.ceil((MINUTES * (count - written) + MINUTES_WRITTEN * written) / 5) * 5
    lines = ["## 考试说明", "",
             f"1. 本卷共 {count} 题，满分 {TOTAL} 分，建议用时 {minutes} 分钟。每题分值按题库分值等比例折算为整数。",
             "2. 答案写在题目下方的横线上，并填入最后一页的答题卡（阅卷以答题卡为准）；标有“答在试卷上”的题只答在试卷上。",
             "3. 答题卡上的学号和期次必须填写：成绩按学号录入。",
             "4. 计分规则："]
    rules = {type_label(q): WRITTEN_RULE if _written(q) else type_of(q).rule for q in paper.questions}
    lines += [f"   - {label}：{escape_markdown(rule)}" for label, rule in rules.items()]
    return lines + [""]


def _answer_sheet(paper: Paper) -> list[str]:
    """The 答题卡: 学号 and 期次 (entry is keyed by 学号), the paper's number, one cell per printed number
    with its marks, written answers marked as answered on the paper."""
    cells = []
    for number, q in enumerate(paper.marked(), start=1):
        cells.append(f"第 {number} 题（{q.points:g} 分） & {'（答在试卷上）' if _written(q) else ''}")
    rows = math.ceil(len(cells) / 2)
    left, right = cells[:rows], cells[rows:] + [" & "] * (2 * rows - len(cells))
    body = "".join(f"{a} & {b}\\\\\\hline\n" for a, b in zip(left, right))
    table = ("\\begin{center}\\renewcommand{\\arraystretch}{2.1}\n"
             "\\begin{tabular}{|c|p{0.22\\linewidth}|c|p{0.22\\linewidth}|}\\hline\n"
             "\\textbf{题号} & \\textbf{答案} & \\textbf{题号} & \\textbf{答案}\\\\\\hline\n" + body +
             "\\end{tabular}\\end{center}")
    blank = [f"{field}：\\sigeblank{{{width}em}}" for field, width in CARD_FIELDS]
    fields = ("\\noindent " + "\\hfill ".join(blank[:3]) + "\\par\\vspace{0.8em}\\noindent "
              + "\\hfill ".join(blank[3:]) + "\\hfill\\par")
    return [raw_latex("\\clearpage"), f"**答题卡**（试卷编号 {paper_number(paper)}）", "", raw_latex(fields), "",
            raw_latex(table)]


def _quick_key(paper: Paper) -> list[str]:
    lines = [raw_latex("\\clearpage"), "**答案速查**", ""]
    for number, q in enumerate(paper.marked(), start=1):
        lines.append(f"- 第 {number} 题：{letter_key(q) or escape_markdown(answer_text(q))}（{q.points:g} 分；"
                     f"{escape_markdown(measure_label(q))}；题库编号 {q.id}）")
    return lines + [""]


def paper_markdown(paper: Paper) -> str:
    """The paper as one Markdown page for both editions: the trainer's keys and 答案速查 in ``{only} trainer``
    blocks, the 答题卡 in the learner edition."""
    lines = [f"# {paper_title(paper)}", "", *_instructions(paper)]
    for i, (label, numbered) in enumerate(sections(paper)):
        marks = sum(q.points for _, q in numbered)
        lines += [f"## {chinese_number(i + 1)}、{label}（共 {len(numbered)} 题，{marks:g} 分）", ""]
        lines += [question_markdown(q, str(number), heading="第 {number} 题") for number, q in numbered]
    lines += [only(f"not {TRAINER_TAG}", "\n".join(_answer_sheet(paper))),
              only(TRAINER_TAG, "\n".join(_quick_key(paper)))]
    return "\n".join(lines)


def paper_key(paper: Paper) -> dict:
    """The key as data: for each printed number, the bank id, the marks and a full-mark response (keys remapped)."""
    return {"paper": paper_number(paper), "seed": paper.seed, "count": len(paper.questions), "total": TOTAL,
            "questions": [{"number": i, "id": q.id, "type": q.type, "points": q.points, "options": list(q.options),
                           "answer": correct_response(q), "key": answer_text(q)}
                          for i, q in enumerate(paper.marked(), start=1)]}


def write_paper(paper: Paper, out_dir: Path, pdf: bool = True) -> list[Path]:
    """Write the paper's Markdown, both editions' LaTeX (and PDF), the key as JSON and the answer-entry sheet."""
    from .handouts import document_pdfs

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"paper-seed{paper.seed}-{len(paper.questions)}q"
    markdown = paper_markdown(paper)
    md_path = out_dir / f"{stem}.md"
    atomic_write(md_path, markdown.encode("utf-8"))
    written = [md_path, *document_pdfs(markdown, stem, paper_title(paper), out_dir,
                                      kind="测试卷", fields=HEADER_FIELDS, pdf=pdf)]
    key_path = out_dir / f"{stem}-key.json"
    atomic_write(key_path, json.dumps(paper_key(paper), ensure_ascii=False, indent=1).encode("utf-8"))
    from ..records.answer_sheet import write_answer_sheet

    sheet = write_answer_sheet(paper, out_dir / f"{stem}-答题录入表.xlsx")  # read back by course records grade
    return written + [key_path, sheet]
