"""Seeded batch papers: reproducible, balanced, grouped by type, out of 100, keys remapped, graded by printed
number with exercises.questions.grading, real PDFs through the handouts' Sphinx pipeline read page by page."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from exercises.cli import main as course
from exercises.questions.form import Choice, TextField
from exercises.questions.grading import correct_response, grade
from exercises.questions.model import BLANK
from exercises.questions.papers import TOTAL, grade_paper, make_paper, scaled_marks, sections
from exercises.questions.types import type_names, type_of
from exercises.trainer.print.latex import escape_latex
from exercises.trainer.print.paper import paper_markdown


def main(argv: list[str]) -> int:
    """``course paper …``"""
    return course(["paper", *argv])


TYPE_NAMES = type_names()


def snapshot(paper):
    return [(q.id, q.options, q.answer) for q in paper.questions]


def test_same_seed_same_paper_and_other_seeds_differ():
    assert snapshot(make_paper(11, 16)) == snapshot(make_paper(11, 16))
    assert paper_markdown(make_paper(11, 16)) == paper_markdown(make_paper(11, 16))
    assert len({tuple(snapshot(make_paper(seed, 16))) for seed in range(6)}) == 6


def test_balanced_across_pillars_and_types(banks):
    pool = [q for b in banks for q in b.questions]
    per_type = Counter(q.type for q in pool)
    fully_balanced = len(TYPE_NAMES) * min(per_type[t] for t in TYPE_NAMES)
    for seed in range(10):
        for count in range(len(banks), fully_balanced + 1, 3):
            paper = make_paper(seed, count)
            assert len(paper.questions) == count == len({q.id for q in paper.questions})
            pillars = Counter(q.pillar for q in paper.questions)
            assert max(pillars.values()) - min(pillars.values()) <= 1, (seed, count, pillars)
            types = Counter(q.type for q in paper.questions)
            assert max(types.values()) - min(types.get(t, 0) for t in TYPE_NAMES) <= 1, (seed, count, types)
            groups = sections(paper)
            assert len(groups) == len({label for label, _ in groups})  # each type in one section
            for _, numbered in groups:
                assert [q.pillar for _, q in numbered] == sorted(q.pillar for _, q in numbered)
            assert sum(paper.marks) == TOTAL and all(m >= 1 for m in paper.marks)
            assert [q.points for q in paper.marked()] == list(paper.marks)


def test_options_shuffled_and_keys_follow_them(banks):
    originals = {q.id: q for b in banks for q in b.questions}
    moved = 0
    for seed in range(5):
        paper = make_paper(seed, 40)
        for q in paper.questions:
            original = originals[q.id]
            assert sorted(q.options) == sorted(original.options)
            if q.type == "single":
                assert q.option_text(q.answer) == original.option_text(original.answer)
                moved += q.answer != original.answer
            if q.type == "multiple":
                assert {q.option_text(k) for k in q.answer} == {original.option_text(k) for k in original.answer}
                assert list(q.answer) == sorted(q.answer)
            assert grade(q, correct_response(q)).verdict == "correct"
    assert moved > 0


def test_grading_a_shuffled_paper_uses_the_printed_keys(banks):
    originals = {q.id: q for b in banks for q in b.questions}
    paper = make_paper(3, 30)
    moved = next(q for q in paper.questions if q.type == "single" and q.answer != originals[q.id].answer)
    printed = {q.id: str(n) for n, q in enumerate(paper.questions, start=1)}
    responses = {printed[q.id]: correct_response(q) for q in paper.questions}
    responses[printed[moved.id]] = originals[moved.id].answer  # the unshuffled bank's key is wrong on this paper
    grades = grade_paper(paper, responses)
    assert sum(g.score for g in grades) == pytest.approx(TOTAL - paper.marks[paper.questions.index(moved)])
    assert [g.question_id for g in grades] == [q.id for q in paper.questions]
    by_id = {g.question_id: g for g in grades}
    assert by_id[moved.id].verdict == "incorrect"
    assert all(g.verdict == "correct" for i, g in by_id.items() if i != moved.id)
    assert [g.verdict for g in grade_paper(paper, "garbage")] == ["unanswered"] * len(paper.questions)


def test_any_banks_and_bad_counts(banks):
    only_first = make_paper(5, 100, banks=banks[:1])
    assert len(only_first.questions) == len(banks[0].questions)
    assert make_paper(5, 9999).questions and len(make_paper(5, 9999).questions) == sum(len(b.questions) for b in banks)
    with pytest.raises(ValueError, match="题数应为"):
        make_paper(1, 0)


def test_command_line_errors(tmp_path, capsys):
    assert main(["--seed", "1", "--count", "0", str(tmp_path)]) == 2
    assert "参数 --count：应为正整数，现在是 0" in capsys.readouterr().err
    assert main(["--seed", "abc", "--count", "3"]) == 2


def test_marks_scale_to_a_round_total():
    assert scaled_marks([1, 1, 2, 4]) == [13, 12, 25, 50]
    assert sum(scaled_marks([1.0] * 7)) == 100 and set(scaled_marks([1.0] * 7)) == {14, 15}
    assert scaled_marks([1] * 100) == [1] * 100
    with pytest.raises(ValueError, match="题数应为"):
        scaled_marks([1] * 101)


def test_one_tex_escaper():
    assert escape_latex("100% & $5 #1 {x} ~ ^ _") == r"100\% \& \$5 \#1 \{x\} \textasciitilde{} \^{} \_"
    assert escape_latex("a\\b") == r"a\textbackslash{}b"


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Text without white space; the CJK font's hyphen glyph extracts as U+2011."""
    return "".join(text.replace("\u2011", "-").split())


def pdf_pages(path: Path) -> list[str]:
    """pdftotext of each page, white space removed."""
    pages = [squeeze(page) for page in pdf_text(path).split("\f")]
    return pages[:-1] if pages and not pages[-1] else pages  # pdftotext ends every page with a form feed


def _last_line(q) -> str:
    """The last words of a question's printed answer space (learner paper)."""
    control = type_of(q).form(q).controls[-1]
    if isinstance(control, Choice):
        return "答（" if all(len(t) <= 4 for _, t in control.choices) else "答："
    if isinstance(control, TextField) and control.multiline:
        return "答："
    return squeeze(control.label) + "："


def test_printed_paper_and_key_pdf(tmp_path, capsys):
    assert main(["--seed", "42", "--count", "12", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "已生成 12 题的试卷" in out
    paper = make_paper(42, 12)
    stem = "paper-seed42-12q"
    names = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert names == sorted([f"{stem}-{e}.{x}" for e in ("learner", "trainer") for x in ("tex", "pdf")]
                           + [f"{stem}.md", f"{stem}-key.json", f"{stem}-答题录入表.xlsx"])

    learner_pages = pdf_pages(tmp_path / f"{stem}-learner.pdf")
    trainer_pages = pdf_pages(tmp_path / f"{stem}-trainer.pdf")
    learner, trainer = "".join(learner_pages), "".join(trainer_pages)
    assert all(learner_pages) and all(trainer_pages)  # no blank page
    assert "轮训测试卷" in learner and "试卷编号42-12" in learner_pages[0][:200]
    assert "种子" not in learner + trainer and "练习" not in learner + trainer
    assert all(f"{field}：" in learner_pages[0][:300] for field in ("姓名", "学号", "单位", "期次", "得分"))
    assert "考试说明" in learner and f"满分{TOTAL}分" in learner
    for word in ("答案：", "解析", "原文依据", "答案速查"):
        assert word not in learner
    assert "答案速查" in trainer and "原文依据" in trainer
    assert "答题卡" not in trainer_pages[-1] and "答案速查" in trainer_pages[-1][:40]
    sheet = learner_pages[-1]
    assert sheet.startswith("答题卡（试卷编号42-12）")
    assert all(f"{field}：" in sheet[:80] for field in ("姓名", "学号", "单位", "期次", "得分"))
    assert all(f"第{n}题（{q.points:g}分）" in sheet for n, q in enumerate(paper.marked(), start=1))
    for i, (label, numbered) in enumerate(sections(paper)):
        heading = f"{'一二三四五六七'[i]}、{label}（共{len(numbered)}题，{sum(q.points for _, q in numbered):g}分）"
        assert heading in learner and heading in trainer
    quick = trainer[trainer.rindex("答案速查"):]
    for number, q in enumerate(paper.marked(), start=1):
        head = f"第{number}题（{TYPE_NAMES[q.type]}，{q.points:g}分）"
        assert head in learner
        for pages, last in ((learner_pages, _last_line(q)), (trainer_pages, "原文依据：" + squeeze(q.source))):
            on = [page for page in pages if head in page]
            assert len(on) == 1, (number, q.id)
            start = on[0].index(head)
            end = on[0].find(f"第{number + 1}题", start + len(head))  # the next question, if on this page
            own = on[0][start:] if end < 0 else on[0][start:end]
            assert squeeze(BLANK.sub("＿＿＿＿", q.stem))[:12] in own and last in own, (number, q.id)
        assert q.id in quick and squeeze(q.explanation)[:20] in trainer
        if q.options:
            for i, option in enumerate(q.options):  # printed in the shuffled order
                assert squeeze(f"{'ABCDEF'[i]}. {option}") in learner
    key = json.loads((tmp_path / f"{stem}-key.json").read_text("utf-8"))
    assert key["paper"] == "42-12" and key["seed"] == 42 and [k["id"] for k in key["questions"]] == [q.id for q in paper.questions]
    assert sum(k["points"] for k in key["questions"]) == TOTAL
    for entry, q in zip(key["questions"], paper.questions):
        assert grade(q, entry["answer"]).verdict == "correct"
    for edition in ("learner", "trainer"):
        pdf = tmp_path / f"{stem}-{edition}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        label = "教师版" if edition == "trainer" else "学员版"
        assert f"Title:           轮训测试卷　试卷编号 42-12（{label}）\n" in info, info
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "NotoSerifCJK" in fonts or "NotoSansCJK" in fonts


def test_written_answers_get_space_by_their_points_not_a_page(tmp_path):
    """A 简答 of many marks gets the lines its 要点 need (at most 8, a sixth of a page), not its scaled marks."""
    assert main(["--seed", "42", "--count", "12", "--no-pdf", str(tmp_path)]) == 0
    paper = make_paper(42, 12)
    written = [q for q in paper.marked() if q.keypoints]
    assert written and max(q.points for q in written) >= 10
    tex = (tmp_path / "paper-seed42-12q-learner.tex").read_text("utf-8")
    lines = [int(n) for n in re.findall(r"\\sigelines\{(\d+)\}", tex)]
    assert lines == [min(8, max(3, round(1.5 * len(q.keypoints)))) for q in written]


COURSE = Path(sys.executable).with_name("course")


@pytest.mark.process
@pytest.mark.parametrize("folder", [None, "out/卷", "绝对", "试卷 第一期", b"\xff\xfe-\xe5\x8d"],
                         ids=["default", "relative", "absolute", "non-ascii-space", "non-utf8"])
def test_course_paper_writes_to_any_folder_from_any_directory(tmp_path, folder):
    """``course paper`` run where a trainer types it (a folder outside the repository), to its documented
    default ./paper-seed种子 or a relative, absolute, non-ASCII or non-UTF-8 folder."""
    here = tmp_path / "工作目录"
    here.mkdir()
    if folder is None:
        argv, target = [], here / "paper-seed5"
    elif folder == "绝对":
        target = tmp_path / "绝对" / "卷"
        argv = [str(target)]
    else:
        raw = folder if isinstance(folder, bytes) else folder.encode()
        argv, target = [raw], Path(os.fsdecode(bytes(here) + b"/" + raw))
    done = subprocess.run([COURSE, "paper", "--seed", "5", "--count", "6", "--no-pdf", *argv], cwd=here,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"Traceback" not in done.stderr
    names = {p.name for p in target.iterdir()}
    assert {"paper-seed5-6q.md", "paper-seed5-6q-learner.tex", "paper-seed5-6q-trainer.tex",
            "paper-seed5-6q-key.json", "paper-seed5-6q-答题录入表.xlsx"} == names
    assert "试卷编号 5-6" in (target / "paper-seed5-6q-learner.tex").read_text("utf-8")
    assert not (here / "source").exists() and not (target / "work").exists()  # the Sphinx project is temporary
