"""PDF handouts: a real Sphinx LaTeX build and real xelatex, checked with poppler's pdftotext and pdffonts."""
from __future__ import annotations

import re
import subprocess

import pytest
import yaml
from conftest import PINYIN_RESIDUE, REPR_LEAKS, ROOT

from exercises.trainer import handouts
from exercises.questions.bank import BLANK

EDITIONS = ("learner", "trainer")


# Noto CJK draws … and · with the glyphs of ⋯ and ・, which is what pdftotext reads back.
SAME_GLYPH = str.maketrans({"⋯": "…", "・": "·"})
# Points at the top and bottom of a page taken by the running head and foot, which would
# otherwise split a paragraph that runs over a page break.
RUNNING_HEAD = 60
RUNNING_FOOT = 60


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(SAME_GLYPH)


def _stem(q) -> str:
    return _squash(BLANK.sub("＿＿＿＿", q.stem))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    pdfs = handouts.build(out)
    return out, pdfs


@pytest.fixture(scope="module")
def chapters():
    return handouts.toc_chapters()


@pytest.fixture(scope="module")
def text(built):
    """pdftotext of every handout's page bodies (running heads and feet cropped), whitespace removed."""
    out, pdfs = built
    result = {}
    for pdf in pdfs:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        body = ["-x", "0", "-y", str(int(RUNNING_HEAD)), "-W", str(int(width) + 1),
                "-H", str(int(height - RUNNING_HEAD - RUNNING_FOOT))]
        raw = subprocess.run(["pdftotext", "-enc", "UTF-8", *body, str(pdf), "-"],
                             capture_output=True, text=True, check=True)
        result[pdf.name] = _squash(raw.stdout)
    return result


def _chapter_pdf(chapter, edition):
    return f"{chapter.stem}-{edition}.pdf"


def test_every_chapter_has_a_handout_in_both_editions(built, chapters):
    out, pdfs = built
    names = {p.name for p in pdfs}
    assert {f"course-{e}.pdf" for e in EDITIONS} <= names
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    listed = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert [c.docname for c in chapters] == listed
    for chapter in chapters:
        assert _chapter_pdf(chapter, "trainer") in names
        if chapter.docname not in handouts.TRAINER_ONLY_PAGES:
            assert _chapter_pdf(chapter, "learner") in names
    for pdf in pdfs:
        assert pdf.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")


def test_title_page_shows_book_title_author_and_edition(text):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for edition, label in (("learner", "学员版"), ("trainer", "教师版")):
        page = text[f"course-{edition}.pdf"]
        assert _squash(config["title"]) in page[:400]
        assert _squash(config["author"]) in page[:400]
        assert f"轮训讲义（{label}）" in page[:400]


def test_chapter_titles_in_chinese_with_chinese_labels(text, chapters):
    for edition in EDITIONS:
        whole = text[f"course-{edition}.pdf"]
        assert "目录" in whole and "Contents" not in whole and "CHAPTER" not in whole.upper()
        for chapter in handouts.edition_chapters(chapters, edition):
            assert _squash(chapter.label) in whole, chapter
            assert _squash(chapter.title) in text[_chapter_pdf(chapter, edition)]
    numbered = [c for c in chapters if c.number]
    assert numbered and all(f"第{handouts.zh_number(c.number)}章" in text["course-learner.pdf"] for c in numbered)


def test_every_question_stem_is_printed(text, chapters, banks):
    by_pillar = {c.number: c for c in chapters if c.number}
    for edition in EDITIONS:
        whole = text[f"course-{edition}.pdf"]
        for bank in banks:
            own = text[_chapter_pdf(by_pillar[bank.pillar], edition)]
            for q in bank.questions:
                assert _stem(q) in whole, (edition, q.id)
                assert _stem(q) in own, (edition, q.id)


def test_learner_papers_hold_no_answer_key(text, banks):
    for name, page in text.items():
        if not name.endswith("-learner.pdf"):
            continue
        for label in ("答案：", "解析：", "原文依据：", "研讨提示：", "引导要点："):
            assert label not in page, (name, label)
        for bank in banks:
            for q in bank.questions:
                assert _squash(q.explanation) not in page, (name, q.id)
            for d in bank.discussion:
                assert _squash(d.guide) not in page, (name, d.id)


def test_trainer_editions_hold_the_whole_key(text, chapters, banks):
    by_pillar = {c.number: c for c in chapters if c.number}
    for bank in banks:
        for name in ("course-trainer.pdf", _chapter_pdf(by_pillar[bank.pillar], "trainer")):
            page = text[name]
            for q in bank.questions:
                assert "解析：" + _squash(q.explanation) in page, (name, q.id)
                assert "原文依据：" + _squash(q.source) in page, (name, q.id)
            for d in bank.discussion:
                assert "研讨提示：" + _squash(d.guide) in page, (name, d.id)


def test_no_residue_repr_markup_or_code(text):
    for name, page in text.items():
        assert not PINYIN_RESIDUE.search(page), name
        assert not REPR_LEAKS.search(page), name
        for leak in ("**", "\\", "$", "fromexercises", "chapter.", "import", "�"):
            assert leak not in page, (name, leak)


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


def test_bad_edition_gets_a_clear_message(monkeypatch, tmp_path):
    from exercises.renderers.print_form import EDITION_ENV, current_edition

    monkeypatch.setenv(EDITION_ENV, "teacher")
    with pytest.raises(ValueError, match="learner（学员版）或 trainer（教师版）"):
        current_edition()
    with pytest.raises(handouts.HandoutError, match="没有“teacher”这一版本"):
        handouts.build(tmp_path, editions=("teacher",))
