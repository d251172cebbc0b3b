"""The whole course: banks cover every measure, the pillar pages, assessment, glossary and trainer guide."""
import re
from collections import Counter
from html import escape
from pathlib import Path

import pytest
import yaml

from conftest import PILLARS, PINYIN_RESIDUE, REPR_LEAKS, ROOT
from exercises.book import assessment, glossary, trainer_guide
from exercises.questions.bank import load_all
from exercises.questions.types import type_names
from exercises.text.analysis import literal_count, term_counts, term_matrix
from exercises.text.article import DAMAGE_MARK
from exercises.text.quoting import quoted
from test_book import _text, h2_headings

CHAPTERS = {b.pillar: f"ch{b.path.stem[1:]}" for b in load_all()}  # banks/p1-political.yml: book/ch1-political.md
PROGRAMMES = {
    2: ["家家到、个个谈", "墩苗赋能", "青苗培优", "三个区分开来"],
    3: ["双招双引", "延链补链强链", "人才导师机制", "一园、一巷、两湾区", "校、地、企", "一站式", "人才服务平台",
        "秦聚英才"],
    4: ["双结对、双促进", "小马拉大车", "物联网产业链党建联盟", "三张清单", "党员下沉、社区报到、志愿服务"],
}
NEW_PAGES = ["ch2-cadres", "ch3-talent", "ch4-foundation", "assessment", "glossary", "trainer-guide", "article"]


def _question_text(q) -> str:
    parts = [q.stem, q.explanation, *q.options, *q.items, *(a + b for a, b in q.pairs),
             *(v for variants in q.blanks for v in variants), str(q.answer or "")]
    return "\n".join(parts)


def test_all_four_banks_validate(banks):
    assert tuple(b.pillar for b in banks) == PILLARS
    assert [b.path.name for b in banks] == ["p1-political.yml", "p2-cadres.yml", "p3-talent.yml", "p4-foundation.yml"]


def test_every_measure_has_at_least_two_questions(banks, article):
    counts = Counter(q.measure for b in banks for q in b.questions)
    for measure in article.measures:
        assert counts[measure.id] >= 2, measure.id


@pytest.mark.parametrize("pillar", PILLARS)
def test_each_pillar_has_twelve_questions_of_five_types(banks, pillar):
    bank = banks[pillar - 1]
    assert len(bank.questions) >= 12
    assert len({q.type for q in bank.questions}) >= 5
    assert bank.discussion and bank.terms


def test_the_banks_use_registered_types_only(banks):
    """Every type is exercised by the shared fixture questions (test_grading_vectors.py), not by the banks."""
    assert {q.type for b in banks for q in b.questions} <= set(type_names())


@pytest.mark.parametrize("pillar", [2, 3, 4])
def test_named_programmes_are_taught(banks, pillar):
    bank = banks[pillar - 1]
    taught = "\n".join([*(_question_text(q) for q in bank.questions), *(t.term + t.source for t in bank.terms)])
    for name in PROGRAMMES[pillar]:
        assert name in taught, name


def _structure_prose(page: str) -> str:
    """The prose of a chapter's 结构解读 section (code cells dropped)."""
    source = (ROOT / "book" / f"{page}.md").read_text(encoding="utf-8")
    section = source.split("## 结构解读", 1)[1].split("## 关键词语", 1)[0]
    return re.sub(r"```.*?```", "", section, flags=re.S)


@pytest.mark.parametrize("pillar", [2, 3, 4])
def test_structure_sections_explain_each_measure_and_programme(article, pillar):
    prose = _structure_prose(CHAPTERS[pillar])
    headings = re.findall(r"^### 举措 \d\.\d\u3000(.+)$", prose, flags=re.M)
    assert headings == [m.name for m in article.pillar(pillar).measures]
    for name in PROGRAMMES[pillar]:
        assert name in prose, name


def test_damaged_clause_is_presented_as_damaged_not_guessed():
    measure_three = _structure_prose("ch2-cadres").split("### 举措 2.3", 1)[1]
    assert "推动干部在监督约束下" in measure_three and "已经损坏" in measure_three and "不作猜测" in measure_three


def test_keyword_chart_captions_match_the_counts(article):
    top = {n: term_counts(article.pillar(n).paragraph)[0][0] for n in (1, 2, 3)}
    assert top == {1: "学习", 2: "干部", 3: "人才"}
    counts = term_counts(article.pillar(4).paragraph)
    assert {w for w, c in counts if c == counts[0][1]} == {"基层", "党建"}


def test_term_matrix_counts_each_pillar(article):
    texts = [p.paragraph for p in article.pillars]
    terms, matrix = term_matrix(texts, top=14)
    assert terms == [w for w, _ in term_counts("\n".join(texts), top=14)]
    for term, row in zip(terms, matrix):
        assert row == [literal_count(t, term) for t in texts]
    # the claims the 原文 page makes about this chart
    columns = list(zip(*matrix))
    for number, word in ((1, "学习"), (2, "干部"), (3, "人才")):
        assert terms[max(range(len(terms)), key=lambda i: columns[number - 1][i])] == word
    fourth_max = max(columns[3])
    assert {terms[i] for i, v in enumerate(columns[3]) if v == fourth_max} == {"基层", "党建"}
    assert all(matrix[terms.index("全面深化改革")])


def test_heatmap_writes_every_value_on_its_cell():
    from exercises.text.charts import heatmap

    fig = heatmap([[0, 3], [12, 1]], ["甲", "乙"], ["一", "二"], "测试")
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["0", "1", "12", "3"]


def test_glossary_has_every_term_with_its_sentence(banks, article):
    entries = glossary.entries()
    assert len(entries) == sum(len(b.terms) for b in banks)
    assert [e.pillar for e in entries] == sorted(e.pillar for e in entries)
    for e in entries:
        assert e.source in article.text
        assert e.editorial is None or e.editorial.startswith("编者注")
    html = glossary.glossary().html
    for b in banks:
        for t in b.terms:
            assert f'<th scope="row">{escape(t.term)}</th>' in html, t.term


def test_trainer_guide_commands_exist():
    guide = (ROOT / "book" / "trainer-guide.md").read_text(encoding="utf-8")
    course = (ROOT / "course").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cases = {name for case in re.findall(r"^\s+([\w|]+)\)$", course, flags=re.M) for name in case.split("|")}
    commands = set(re.findall(r"\./course (\w+)", guide))
    assert commands >= {"book", "report", "paper"}
    for sub in commands:
        assert sub in cases and f"./course {sub}" in readme, sub


def test_toc_lists_the_pillars_in_order_then_assessment_and_appendices():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = {p["caption"]: [c["file"] for c in p["chapters"]] for p in toc["parts"]}
    pillars = next(p for p in toc["parts"] if p["caption"] == "四个突出")
    assert pillars.get("numbered") == 1  # chapter numbers only; measures carry their own (举措 1.1)
    assert parts["四个突出"] == [f"book/{CHAPTERS[n]}" for n in PILLARS]
    assert parts["综合测评"] == ["book/assessment"]
    assert parts["附录"] == ["book/glossary", "book/trainer-guide"]


def _page(built_book: Path, name: str) -> str:
    return (built_book / "book" / f"{name}.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NEW_PAGES)
def test_new_pages_are_clean(built_book, name):
    text = _text(_page(built_book, name))
    assert not PINYIN_RESIDUE.search(text)
    assert not REPR_LEAKS.search(text)
    assert "\ufffd" not in text


@pytest.mark.parametrize("pillar", [2, 3, 4])
def test_chapter_pages_have_every_part_question_and_prompt(built_book, banks, article, pillar):
    html = _page(built_book, CHAPTERS[pillar])
    text = _text(html)
    parts = ["学习目标", "原文", "结构解读", "关键词语", "高频词图", "练习", "研讨题", "小结"]
    assert [h for h in h2_headings(html) if h in parts] == parts  # each an <h2> of its own, in this order
    for measure in article.pillar(pillar).measures:
        assert measure.name in text
    bank = banks[pillar - 1]
    for q in bank.questions:
        assert f'data-qid="{q.id}"' in html, q.id
    for d in bank.discussion:
        assert d.prompt in text
    for t in bank.terms:
        assert t.term in text
    assert re.search(rf'<img[^>]+alt="{article.pillar(pillar).title}一段的高频词', html)


def test_chapter_two_page_marks_the_damage(built_book):
    html = _page(built_book, "ch2-cadres")
    assert '<mark class="sige-damage"' in html and DAMAGE_MARK in _text(html)


def test_assessment_page_shows_the_seeded_paper(built_book):
    """The first shipped paper shows (the others' questions hidden until 再测一次 lays them out), without a seed."""
    html = _page(built_book, "assessment")
    assert "随机种子" not in _text(html) and "每份试卷共 20 题" in _text(html)
    sections = re.findall(r'<section class="sige-question"[^>]*data-qid="(p\d-\d\d)"([^>]*)>', html)
    ids = [qid for qid, rest in sections if " hidden" not in rest]
    assert ids == [q.id for q in assessment.draw_paper(assessment.DEFAULT_SEED)]
    assert Counter(i[1] for i in ids) == {"1": 5, "2": 5, "3": 5, "4": 5}


def test_article_page_has_the_pillar_comparison(built_book, article):
    html = _page(built_book, "article")
    assert re.search(r'<img[^>]+alt="全文高频词在四个“突出”中的分布热力图', html)
    terms, matrix = term_matrix([p.paragraph for p in article.pillars], top=14)
    assert f"图表数据（{len(terms)} 个词 × 4 个“突出”）" in _text(html)


def test_appendix_pages_carry_every_term_and_guide(built_book, banks):
    glossary_text = _text(_page(built_book, "glossary"))
    guide_text = _text(_page(built_book, "trainer-guide"))
    for b in banks:
        for t in b.terms:
            assert t.term in glossary_text and quoted(t.source) in glossary_text  # inner quotes as ‘’
        for d in b.discussion:
            assert d.guide in guide_text and d.prompt in guide_text
    assert "编者注" in glossary_text
    assert trainer_guide.discussion_guides().html.count("<li>") == sum(len(b.discussion) for b in banks)
