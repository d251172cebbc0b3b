"""Per-learner score sheets and 结业证书 as PDF (xelatex, Noto CJK fonts embedded, PDF Title set), one file
each per batch.

``成绩单.pdf`` has a page per learner; ``结业证书.pdf`` a page per learner who meets the batch's rules
(``records.rules.BatchRules``: pass mark and 学时), with the issuing body, the certificate number, 学时 and date.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..records.output import write_text
from ..records.rules import BatchRules
from ..records.scoring import BatchScores, LearnerScore
from .latex import compile_pdf, escape_latex

PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\usepackage[margin=2.2cm]{geometry}
\usepackage{xeCJK}
\setmainfont{Noto Serif CJK SC}
\setsansfont{Noto Sans CJK SC}
\setCJKmainfont{Noto Serif CJK SC}[BoldFont=Noto Sans CJK SC Bold]
\setCJKsansfont{Noto Sans CJK SC}
\usepackage{array}
\pagestyle{empty}
\setlength{\parindent}{0pt}
\usepackage{hyperref}
\hypersetup{pdftitle={%s},pdfcreator={sige-course},hidelinks}
\begin{document}
"""


def _sheet(scores: BatchScores, l: LearnerScore, rules: BatchRules) -> str:
    e = escape_latex
    titles = scores.unit_titles
    rows = "".join(
        f"{e(titles.get(p, str(p)))} & {rate.answered} & {rate.score:g} / {rate.points:g} & {e(rate.text)} \\\\\n"
        for p, rate in sorted(l.pillars.items()))
    hours = "—" if l.record.total_hours is None else f"{l.record.total_hours:g}"
    test = f"{l.assessment.score:g} / {l.assessment.points:g}" if l.assessment else "—"
    paper = rules.papers.get(l.record.id)
    printed = f"{paper.score:g} / {paper.total:g}" if paper else "—"
    return (
        "\\begin{center}{\\sffamily\\LARGE 轮训成绩单}\\\\[0.6em]"
        f"{{\\large {e(scores.data.code)}}}\\end{{center}}\n\\vspace{{1em}}\n"
        "\\begin{tabular}{@{}ll@{}}\n"
        f"学号： & {e(l.record.number)} \\\\\n姓名： & {e(l.record.name)} \\\\\n单位： & {e(l.record.unit)} \\\\\n"
        "\\end{tabular}\n\n\\vspace{1.5em}\n"
        "\\begin{tabular}{|l|r|r|r|}\\hline\n单元 & 已答题数 & 得分 / 满分 & 得分率 \\\\\\hline\n"
        f"{rows}\\hline\n"
        f"合计 & {l.answered} / {l.assigned} & {l.score:g} / {l.points:g} & {l.percent:.1f}\\% \\\\\\hline\n"
        "\\end{tabular}\n\n\\vspace{1.5em}\n"
        f"完成度：{100 * l.completion:.1f}\\%（已答 {l.answered} 题，应答 {l.assigned} 题，未答计 0 分）\n\n"
        f"简答题参考分：{l.short_score:g} / {l.short_points:g}（按要点自动比对，仅供参考，不计入得分）\n\n"
        f"综合测评：{e(test)}\n\n纸质试卷：{e(printed)}\n\n学时：{e(hours)}\n\n"
        f"及格线：{scores.data.pass_mark:g}\\%（有纸质试卷的以试卷为准）；"
        f"结果：\\textbf{{{'及格' if rules.passed(l) else '未及格'}}}\n\n"
        "\\newpage\n")


def _certificate(scores: BatchScores, l: LearnerScore, rules: BatchRules) -> str:
    e = escape_latex
    number, issued = rules.certificates[l.record.id]
    return (
        "\\vspace*{4cm}\\begin{center}{\\sffamily\\fontsize{40}{48}\\selectfont 结业证书}\\end{center}\n"
        f"\\begin{{flushright}}证书编号：{e(number)}\\end{{flushright}}\n"
        "\\vspace{1.5cm}{\\Large\\linespread{1.8}\\selectfont\n"
        f"\\hspace*{{2em}}{e(l.record.name)}同志（学号 {e(l.record.number)}，{e(l.record.unit)}）"
        f"参加“四个突出”专题轮训（{e(scores.data.code)}），完成规定学习内容 {l.record.total_hours:g} 学时，"
        "成绩合格，准予结业。\\par}\n"
        f"\\vfill\\begin{{flushright}}{{\\Large {e(rules.issuer)}\\\\[0.5em]{e(issued)}}}\\end{{flushright}}\n\\newpage\n")


def write_certificates(scores: BatchScores, out_dir: Path, rules: BatchRules | None = None) -> list[Path]:
    """Write 成绩单.pdf and (when anyone has a certificate number in ``rules``) 结业证书.pdf into ``out_dir``;
    keep the .tex sources. Without ``rules`` (no records to keep numbers in) there are no certificates."""
    rules = rules or BatchRules(scores.data.pass_mark)
    learners = sorted(scores.learners, key=lambda l: (l.record.unit, l.record.number))
    code = escape_latex(scores.data.code)
    documents = {"成绩单": (f"轮训成绩单：{code}", "".join(_sheet(scores, l, rules) for l in learners)),
                 "结业证书": (f"结业证书：{code}", "".join(_certificate(scores, l, rules) for l in learners
                                                       if l.record.id in rules.certificates))}
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = []
    for stem, (title, body) in documents.items():
        if body:
            tex = out_dir / f"{stem}.tex"
            write_text(tex, PREAMBLE % title + body + "\\end{document}\n")
            sources.append(tex)
    with ThreadPoolExecutor(max_workers=len(sources) or 1) as pool:  # xelatex runs are separate processes
        return list(pool.map(compile_pdf, sources))
