"""PDF handouts: a real Sphinx LaTeX build and real xelatex, read back page by page with poppler."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PINYIN_RESIDUE, REPR_LEAKS, ROOT
from exercises.questions.bank import BLANK
from exercises.questions.form import Choice, Select
from exercises.questions.types import type_of
from exercises.renderers.print_form import keypoint_marks
from exercises.text.article import load_article
from exercises.text.numbers import chinese_number
from exercises.trainer.print import handouts

EDITIONS = ("learner", "trainer")
# What a learner handout must not say: web, Binder, tool and source-path wording.
WEB_WORDS = ("本网站", "火箭", "Binder", "jieba", "OpenCC", "exercises/", ".py")

# Noto CJK draws … and · with the glyphs of ⋯ and ・, which is what pdftotext reads back.
SAME_GLYPH = str.maketrans({"⋯": "…", "・": "·"})
# Points at the top and bottom of a page taken by the running head and foot.
RUNNING_HEAD = 60
RUNNING_FOOT = 60


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(SAME_GLYPH)


def _stem(q) -> str:
    return _squash(BLANK.sub("＿＿＿＿", q.stem))


def _pages(pdf, crop: bool) -> list[str]:
    """pdftotext of each page (running heads and feet cropped when ``crop``), whitespace removed."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    body = ["-x", "0", "-y", str(RUNNING_HEAD), "-W", str(int(width) + 1),
            "-H", str(int(height - RUNNING_HEAD - RUNNING_FOOT))] if crop else []
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", *body, str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    result = [_squash(page) for page in raw.split("\f")][:pages]
    assert len(result) == pages, pdf.name
    return result


def _front_matter(docname: str) -> dict:
    text = (ROOT / f"{docname}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1]) if text.startswith("---") else {}


# A trainer's own folder, typed relative to where ``course pdf`` runs: Chinese, a space, a byte that is not UTF-8.
OUT_FOLDER = "讲义 第一期".encode() + b"-\xff"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """``course pdf`` run as a trainer runs it, in a folder outside the repository, into a relative folder."""
    here = tmp_path_factory.mktemp("trainer")
    done = subprocess.run([Path(sys.executable).with_name("course"), "pdf", OUT_FOLDER], cwd=here,
                          capture_output=True, timeout=1200)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-3000:]
    return Path(os.fsdecode(bytes(here) + b"/" + OUT_FOLDER)), done.stdout.decode("utf-8", "replace")  # names the folder


@pytest.fixture(scope="module")
def built(run):
    out, stdout = run
    listed = re.findall(r"^  (\S+\.pdf)$", stdout, re.M)
    return out, [out / name for name in listed]


@pytest.fixture(scope="module")
def chapters():
    return handouts.toc_chapters()


@pytest.fixture(scope="module")
def pages(built):
    """Every handout's page bodies (running heads and feet cropped)."""
    return {pdf.name: _pages(pdf, crop=True) for pdf in built[1]}


@pytest.fixture(scope="module")
def text(pages):
    return {name: "".join(body) for name, body in pages.items()}


def _chapter_pdf(chapter, edition):
    return f"{chapter.stem}-{edition}.pdf"


def _trainer_only(chapter) -> bool:
    return _front_matter(chapter.docname).get("handout") == "trainer"


def _never_printed(chapter) -> bool:
    return _front_matter(chapter.docname).get("handout") == "never"


def test_every_chapter_has_a_handout_in_both_editions(built, chapters):
    out, pdfs = built
    names = {p.name for p in pdfs}
    assert names == {p.name for p in out.glob("*.pdf")} and len(names) == len(pdfs)
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert [c.docname for c in chapters] == listed
    printed = [c for c in chapters if not _never_printed(c)]
    expected = {f"course-{e}.pdf" for e in EDITIONS} | {_chapter_pdf(c, "trainer") for c in printed}
    expected |= {_chapter_pdf(c, "learner") for c in printed if not _trainer_only(c)}
    assert names == expected
    assert any(_trainer_only(c) for c in chapters)  # the trainer guide is printed for trainers only
    assert {c.stem for c in chapters if _never_printed(c)} == {"practice", "challenge"}  # used on screens only
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF")


def test_progress_one_line_per_handout_when_not_a_terminal(run, built):
    out, stdout = run
    done = re.findall(r"^已排版 (\S+\.pdf)（\d+ 秒）$", stdout, re.M)
    assert sorted(done) == sorted(p.name for p in built[1])
    assert stdout.index("读取并执行课程页面") < stdout.index("学员版排版") < stdout.index("讲义已生成")


def test_every_pdf_has_title_author_and_subject(built):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for pdf in built[1]:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        fields = dict(re.findall(r"^(Title|Author|Subject):\s+(.+)$", info, re.M))
        edition = "教师版" if pdf.name.endswith("-trainer.pdf") else "学员版"
        assert fields.get("Title", "").endswith(f"（{edition}）"), (pdf.name, info)
        assert fields.get("Author") == config["author"], pdf.name
        assert config["title"] in fields.get("Subject", ""), pdf.name


def test_title_page_and_header_blocks(built, chapters):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    out, _ = built
    for edition, label in (("learner", "学员版"), ("trainer", "教师版")):
        first = _pages(out / f"course-{edition}.pdf", crop=False)[0]
        assert _squash(config["title"]) in first and _squash(config["author"]) in first
        assert f"轮训讲义（{label}）" in first
        assert all(f"{field}：" in first for field in ("期次", "日期", "姓名", "单位"))
        assert first.count(_squash(config["title"])) == 1  # not repeated at the foot
        for chapter in chapters:
            if (edition == "learner" and _trainer_only(chapter)) or _never_printed(chapter):
                continue
            page_one = _pages(out / _chapter_pdf(chapter, edition), crop=False)[0]
            header = page_one[:200]
            assert _squash(chapter.label) in header and f"轮训讲义（{label}）" in header, chapter
            assert all(f"{field}：" in header for field in ("姓名", "单位", "期次", "日期")), chapter


def test_no_contents_page_in_chapter_handouts_and_no_blank_pages(built, pages):
    counts = {}
    for name, bodies in pages.items():
        counts[name] = len(bodies)
        contents = [number for number, body in enumerate(bodies, start=1) if body.startswith("目录")]
        assert contents == ([2] if name.startswith("course-") else []), name  # the book's page 2 only
        for number, body in enumerate(bodies, start=1):
            assert body, f"{name} 第 {number} 页只有页眉页脚（或全空）"
    print("pages:", counts)


def test_chapter_titles_in_chinese_with_chinese_labels(text, pages, chapters):
    for edition in EDITIONS:
        whole = text[f"course-{edition}.pdf"]
        assert "Contents" not in whole and "CHAPTER" not in whole.upper()
        for chapter in chapters:
            if _never_printed(chapter):  # not a chapter of either edition (the contents are on page 2)
                assert _squash(chapter.title) not in pages[f"course-{edition}.pdf"][1], chapter
                continue
            if edition == "learner" and _trainer_only(chapter):
                name = chapter.title.split("　")[-1]  # without its 附录 label: not even mentioned
                assert _squash(name) not in whole, chapter
                continue
            assert _squash(chapter.label) in whole, chapter
            assert _squash(chapter.title) in text[_chapter_pdf(chapter, edition)]
    numbered = [c for c in chapters if c.number]
    assert numbered and all(f"第{chinese_number(c.number)}章" in text["course-learner.pdf"] for c in numbered)


def _last_text(q, edition: str) -> str:
    """The last words a printed question shows: its 原文依据 in the trainer edition, else its last answer line."""
    if edition == "trainer":
        return "原文依据：" + _squash(q.source)
    control = type_of(q).form(q).controls[-1]
    if isinstance(control, Choice):
        return "答（" if all(len(t) <= 4 for _, t in control.choices) else "答："
    if isinstance(control, Select):
        return _squash(control.label) + "："
    return "答：" if control.multiline else _squash(control.label) + "："


def test_no_question_is_split_across_pages(pages, chapters, banks):
    by_pillar = {c.number: c for c in chapters if c.number}
    checked = 0
    for edition in EDITIONS:
        for bank in banks:
            for name in (f"course-{edition}.pdf", _chapter_pdf(by_pillar[bank.pillar], edition)):
                bodies = pages[name]
                for q in bank.questions:
                    stem = _stem(q)
                    found = [i for i, body in enumerate(bodies) if stem in body]
                    assert found, (name, q.id)
                    for i in found:
                        body = bodies[i]
                        start = body.index(stem) + len(stem)
                        end = body.find("练习", start)  # the next question's heading, if on this page
                        own = body[start:] if end < 0 else body[start:end]
                        assert _last_text(q, edition) in own, (name, q.id, i + 1)
                        checked += 1
    assert checked >= 4 * sum(len(b.questions) for b in banks)


def test_every_question_stem_is_printed(text, chapters, banks):
    by_pillar = {c.number: c for c in chapters if c.number}
    for edition in EDITIONS:
        whole = text[f"course-{edition}.pdf"]
        for bank in banks:
            own = text[_chapter_pdf(by_pillar[bank.pillar], edition)]
            for q in bank.questions:
                assert _stem(q) in whole, (edition, q.id)
                assert _stem(q) in own, (edition, q.id)


def test_learner_papers_hold_no_answer_key_and_no_web_wording(text, banks):
    learner = {name: page for name, page in text.items() if name.endswith("-learner.pdf")}
    assert learner
    for name, page in learner.items():
        for label in ("答案：", "解析：", "原文依据：", "研讨提示：", "引导要点：", "参考答案：", "评分要点（"):
            assert label not in page, (name, label)
        for word in (*WEB_WORDS, "培训师可以", "培训师指南"):  # no web wording, nothing addressed to trainers
            assert word not in page, (name, word)
        for bank in banks:
            for q in bank.questions:
                assert _squash(q.explanation) not in page, (name, q.id)
            for d in bank.discussion:
                assert _squash(d.guide) not in page, (name, d.id)
    assert "研讨记录：" in learner["course-learner.pdf"]  # a notes box for every 研讨题


def test_trainer_editions_hold_the_whole_key_with_marks_per_point(text, chapters, banks):
    by_pillar = {c.number: c for c in chapters if c.number}
    for bank in banks:
        for name in ("course-trainer.pdf", _chapter_pdf(by_pillar[bank.pillar], "trainer")):
            page = text[name]
            assert "答案：参考答案" not in page, name
            for q in bank.questions:
                assert "解析：" + _squash(q.explanation) in page, (name, q.id)
                assert "原文依据：" + _squash(q.source) in page, (name, q.id)
                if q.keypoints:
                    marks = keypoint_marks(q.points, len(q.keypoints))
                    assert sum(marks) == pytest.approx(q.points)
                    assert f"评分要点（共{q.points:g}分）" in page, (name, q.id)
                    for (point, _), mark in zip(q.keypoints, marks):
                        assert f"{_squash(point)}（{mark:g}分）" in page, (name, q.id, point)
            for d in bank.discussion:
                assert "研讨提示：" + _squash(d.guide) in page, (name, d.id)


def test_trainer_chapters_end_with_a_one_page_quick_key(pages, chapters, banks):
    by_pillar = {c.number: c for c in chapters if c.number}
    for bank in banks:
        bodies = pages[_chapter_pdf(by_pillar[bank.pillar], "trainer")]
        quick = [body for body in bodies if f"答案速查（{len(bank.questions)}题）" in body]
        assert len(quick) == 1, bank.pillar
        labels = [f"{bank.pillar}-{i}（" for i in range(1, len(bank.questions) + 1)]
        assert all(label in quick[0] for label in labels), bank.pillar
        learner = "".join(pages[_chapter_pdf(by_pillar[bank.pillar], "learner")])
        assert "答案速查" not in learner


def test_no_blank_is_broken_across_lines(built):
    for pdf in built[1]:
        lines = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                               capture_output=True, text=True, check=True).stdout.splitlines()
        for line, following in zip(lines, lines[1:]):
            assert not (line.rstrip().endswith("＿") and following.lstrip().startswith("＿")), (pdf.name, line)


def test_no_residue_repr_markup_or_code(text):
    for name, page in text.items():
        assert not PINYIN_RESIDUE.search(page), name
        assert not REPR_LEAKS.search(page), name
        for leak in ("**", "\\", "$", "fromexercises", "chapter.", "�", "sigelines", "{raw}", "{only}", "{div}",
                     ":only:"):
            assert leak not in page, (name, leak)
        assert not re.search(r"import[a-z_]", page), name  # Python code (the command course records import is not)


def test_fonts_are_embedded_and_chinese_is_noto_cjk(built):
    out, pdfs = built
    for pdf in pdfs:
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows, pdf.name
        for row in rows:
            # columns: name type encoding emb sub uni object ID; "CID Type 0C" has spaces, so read from the right
            emb = row.split()[-5]
            assert emb == "yes", (pdf.name, row)
        assert "NotoSerifCJK" in listing and "NotoSansCJK" in listing, pdf.name


def test_charts_are_embedded_images(built, chapters):
    out, _ = built
    listing = subprocess.run(["pdfimages", "-list", str(out / "course-learner.pdf")],
                             capture_output=True, text=True, check=True).stdout
    images = listing.splitlines()[2:]
    assert len(images) >= len([c for c in chapters if c.number])
    for chapter in chapters:
        if chapter.number:
            own = subprocess.run(["pdfimages", "-list", str(out / _chapter_pdf(chapter, "learner"))],
                                 capture_output=True, text=True, check=True).stdout
            assert len(own.splitlines()) > 2, chapter


def test_bad_edition_gets_a_clear_message(tmp_path):
    with pytest.raises(handouts.HandoutError, match="没有“teacher”这一版本"):
        handouts.build(tmp_path, editions=("teacher",))


def test_learner_article_prints_the_article_not_the_cleaning_notes(text, pages):
    """The 原文 learner handout: the article and its structure; the cleaning notes are a maintainer's (web only)."""
    article = text["article-learner.pdf"]
    assert _squash(load_article().damaged_sentences()[0]) in article  # the damaged clause marked in the text
    for edition in EDITIONS:
        assert "原文整理说明" not in text[f"article-{edition}.pdf"] + pages[f"course-{edition}.pdf"][1]  # nor in 目录
        for name in (f"article-{edition}.pdf", f"course-{edition}.pdf"):
            for words in ("从网页上采集", "拼音", "课程仓库", "校正表"):
                assert words not in text[name], (name, words)
    assert "出处" not in article and "出处" in text["article-trainer.pdf"]  # 出处 unknown: for the trainer only


def test_each_discussion_ends_in_a_checklist_to_fill_in(text, chapters):
    for chapter in chapters:
        if chapter.number:
            for edition in EDITIONS:
                page = text[_chapter_pdf(chapter, edition)]
                assert page.count("本单位落实清单（研讨后填写，一项任务一行）") == 1, (chapter, edition)
                form = page[page.index("本单位落实清单（研讨后填写"):][:120]
                assert all(word in form for word in ("单位：", "填表人：", "日期：", "任务", "责任人", "时限", "检验标准"))


def test_wrong_book_prints_as_a_form(text):
    for edition in EDITIONS:
        page = text[f"wrongbook-{edition}.pdf"]
        assert "错题本（手写）" in page and "题目（章、题号）我的答案正确答案原文依据与错因重做答对" in page
        assert "本页的练习" not in page and "重练" not in page


def test_progress_bar_on_a_terminal(capsys):
    report = handouts.Progress(terminal=True)
    report.step("学员版排版", 2)
    for name in ("ch1-learner.pdf", "ch2-learner.pdf"):
        report.done(Path(name))
    report.close()
    shown = capsys.readouterr()
    assert "学员版排版" in shown.err and "2/2" in shown.err and "ch2-learner.pdf" in shown.err
    assert shown.out == ""  # the bar, not the lines of a log
