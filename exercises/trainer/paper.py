"""Seeded batch papers: K questions balanced across pillars and types, options shuffled, key remapped.

The same seed and count always give the same paper. Shuffled questions are ordinary
:class:`~exercises.bank.Question` objects (options reordered, answer keys remapped), so every
renderer and ``exercises.grading`` work on them unchanged.

Usage: ``python -m exercises.paper --seed N --count K [OUT_DIR]`` (or ``./course paper``).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..text.article import load_article
from ..questions.bank import Question, load_all
from ..questions.sampling import select, shuffle_choices
from ..questions.grading import Grade, correct_response, grade
from ..questions.presentation import answer_text, measure_label
from ..renderers.print_form import escape_markdown, question_markdown


@dataclass(frozen=True)
class Paper:
    seed: int
    questions: tuple[Question, ...]


def make_paper(seed: int, count: int, banks=None) -> Paper:
    """The paper for ``seed``: ``count`` questions (at most all of them), in pillar order."""
    banks = load_all() if banks is None else banks
    pool = {b.pillar: list(b.questions) for b in banks if b.questions}
    total = sum(len(v) for v in pool.values())
    if count < 1 or total == 0:
        raise ValueError(f"题数应为 1 到 {total} 之间的整数，现在是 {count}。")
    rng = random.Random(f"sige-paper/{seed}")
    picked = select(pool, min(count, total), rng)
    return Paper(seed, tuple(shuffle_choices(q, rng) for q in picked))


def grade_paper(paper: Paper, responses: dict) -> list[Grade]:
    """Grade a learner's answers to the shuffled paper (keys as printed) with the course's graders."""
    responses = responses if isinstance(responses, dict) else {}
    return [grade(q, responses.get(q.id)) for q in paper.questions]


def paper_markdown(paper: Paper, edition: str) -> str:
    """The learner paper or the trainer key edition as Markdown (the source of the PDF)."""
    title = "轮训测试卷" if edition == "learner" else "轮训测试卷（教师版：答案与解析）"
    points = sum(q.points for q in paper.questions)
    lines = [f"# {title}", "",
             f"试卷编号：种子 {paper.seed}，共 {len(paper.questions)} 题，满分 {points:g} 分。", ""]
    if edition == "learner":
        lines += ["姓名：＿＿＿＿＿＿＿＿　单位：＿＿＿＿＿＿＿＿　得分：＿＿＿＿", ""]
    else:
        lines += ["## 答案速查", ""]
        lines += [f"{i}. （{q.id}）{escape_markdown(answer_text(q))}" for i, q in enumerate(paper.questions, start=1)]
        lines += ["", "## 逐题答案、解析与原文依据", ""]
    for i, q in enumerate(paper.questions, start=1):
        lines.append(question_markdown(q, str(i), edition))
        if edition == "trainer":
            lines += [f"所考内容：{escape_markdown(measure_label(q))}（题库编号 {q.id}）", ""]
    return "\n".join(lines)


def paper_key(paper: Paper) -> dict:
    """The key as data: for each printed number, the bank id and a full-mark response (keys remapped)."""
    return {"seed": paper.seed, "count": len(paper.questions),
            "questions": [{"number": i, "id": q.id, "type": q.type, "options": list(q.options),
                           "answer": correct_response(q), "key": answer_text(q)}
                          for i, q in enumerate(paper.questions, start=1)]}


def write_paper(paper: Paper, out_dir: Path, pdf: bool = True) -> list[Path]:
    """Write learner and trainer editions (Markdown, LaTeX, PDF) and the key as JSON."""
    from .latex import compile_pdf, markdown_to_latex

    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"paper-seed{paper.seed}-{len(paper.questions)}q"
    written = []
    for edition, name in (("learner", "学员卷"), ("trainer", "教师版")):
        markdown = paper_markdown(paper, edition)
        md_path = out_dir / f"{stem}-{edition}.md"
        md_path.write_text(markdown, encoding="utf-8")
        tex_path = md_path.with_suffix(".tex")
        tex_path.write_text(markdown_to_latex(markdown, f"{name} · 种子 {paper.seed}"), encoding="utf-8")
        written += [md_path, tex_path]
        if pdf:
            written.append(compile_pdf(tex_path))
    key_path = out_dir / f"{stem}-key.json"
    key_path.write_text(json.dumps(paper_key(paper), ensure_ascii=False, indent=1), encoding="utf-8")
    from .records.answer_sheet import write_answer_sheet

    sheet = write_answer_sheet(paper, out_dir / f"{stem}-答题录入表.xlsx")  # read back by course records grade
    return written + [key_path, sheet]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./course paper", description="按种子生成一份轮训测试卷及教师版答案。")
    parser.add_argument("--seed", type=int, required=True, help="种子（整数）：同一种子得到同一份试卷")
    parser.add_argument("--count", type=int, required=True, help="题数")
    parser.add_argument("out_dir", nargs="?", default=None, help="输出文件夹（默认 ./paper-seed种子）")
    parser.add_argument("--no-pdf", action="store_true", help="只写 Markdown 和 LaTeX，不生成 PDF")
    args = parser.parse_args(argv)
    try:
        paper = make_paper(args.seed, args.count)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if len(paper.questions) < args.count:
        print(f"注意：题库只有 {len(paper.questions)} 题，少于要求的 {args.count} 题，试卷按全部 {len(paper.questions)} 题生成。")
    out_dir = Path(args.out_dir or f"paper-seed{args.seed}")
    from ..safeio import clean_text, describe_os_error
    from .latex import LatexError

    try:
        written = write_paper(paper, out_dir, pdf=not args.no_pdf)
    except LatexError as exc:
        print(f"试卷未能生成：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        where = f"：{clean_text(str(exc.filename))}" if exc.filename else ""
        print(f"试卷未能生成（{describe_os_error(exc)}）{where}", file=sys.stderr)
        return 1
    kinds = Counter(load_article().pillar(q.pillar).title for q in paper.questions)
    print(f"已生成 {len(paper.questions)} 题的试卷（" + "，".join(f"{t} {n} 题" for t, n in kinds.items()) + "）：")
    for path in written:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
