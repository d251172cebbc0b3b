"""jieba segmentation with the course dictionary, literal term counts, and charts with a real CJK font."""
import re
import warnings

import pytest

from conftest import PILLARS
from exercises.text.analysis import (
    COUNTING_RULE,
    chart_words,
    literal_count,
    segment,
    stop_words,
    term_counts,
    term_matrix,
    user_terms,
)
from exercises.text.article import DAMAGE_MARK

#: Pieces jieba used to cut out of the article's own terms (以学为先, 一体推进, “家家到、个个谈”, “一园、一巷、两湾区”)
#: or generic words that are not what a paragraph is about.
DEBRIS = {"为先", "以学", "一体", "举措", "家家到", "个个谈", "一园", "一巷", "两湾区", "好人"}


def test_user_dictionary_keeps_terms_whole():
    words = segment("全面深化改革要破解小马拉大车难题，认真落实三个区分开来，发展新质生产力")
    for term in ("全面深化改革", "小马拉大车", "三个区分开来", "新质生产力"):
        assert term in words


def test_every_user_term_is_segmented_whole():
    for term in user_terms():
        assert segment(term) == [term], term


def test_chart_words_skip_stop_words_and_debris(article):
    for pillar in article.pillars:
        words = chart_words(pillar.paragraph)
        assert not set(words) & stop_words()
        assert not set(words) & DEBRIS, set(words) & DEBRIS
        assert all(len(w) >= 2 for w in words)


def test_damage_mark_is_never_counted(article):
    paragraph = article.pillar(2).paragraph
    assert DAMAGE_MARK in paragraph
    mark_words = set(segment(DAMAGE_MARK))
    assert not mark_words & set(chart_words(paragraph))
    assert literal_count(paragraph, "内容") == paragraph.replace(DAMAGE_MARK, "").count("内容")


@pytest.mark.parametrize("pillar", PILLARS)
def test_term_counts_are_what_a_reader_counts(article, pillar):
    paragraph = article.pillar(pillar).paragraph
    readable = paragraph.replace(DAMAGE_MARK, "")
    counts = term_counts(paragraph, top=50)
    assert counts, pillar
    for word, n in counts:
        # a reader's search for the word finds exactly this many, in any longer word too
        assert n == len(re.findall(re.escape(word), readable)) >= 2, word
    values = [n for _, n in counts]
    assert values == sorted(values, reverse=True)
    # equal counts keep the order in which the words first occur
    for (w1, n1), (w2, n2) in zip(counts, counts[1:]):
        if n1 == n2:
            assert readable.index(w1) < readable.index(w2)


def test_named_terms_counted_literally_per_pillar(article):
    """The counts the issue found wrong, from the article's own text."""
    texts = [p.paragraph for p in article.pillars]
    terms, matrix = term_matrix(texts, top=14)
    rows = dict(zip(terms, matrix))
    for term in ("改革", "全面深化改革"):
        assert rows[term] == [t.count(term) for t in texts]
    assert rows["全面深化改革"] == [2, 1, 1, 2]
    assert rows["改革"][1] == 4  # 全面深化改革、锐意改革、改革生力军、改革攻坚能力
    p3 = dict(term_counts(texts[2], top=50))
    assert p3["人才"] == texts[2].count("人才") == 14
    p4 = dict(term_counts(texts[3], top=50))
    assert (p4["党建"], p4["党员"], p4["制度"], p4["基层治理"]) == (5, 4, 3, 3)


def test_term_matrix_rows_sum_to_the_whole(article):
    texts = [p.paragraph for p in article.pillars]
    terms, matrix = term_matrix(texts, top=14)
    assert len(terms) == 14
    totals = dict(term_counts("\n".join(texts), top=14))
    for term, row in zip(terms, matrix):
        assert sum(row) == totals[term]


def test_counting_rule_states_literal_counting_and_overlaps():
    assert "逐字出现的次数" in COUNTING_RULE
    assert "较长的词语里也计入" in COUNTING_RULE and "不能相加" in COUNTING_RULE


def test_chart_renders_chinese_without_missing_glyphs(article, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from exercises.text.charts import bar_chart, setup_cjk_font

    assert "CJK" in setup_cjk_font()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        counts = term_counts(article.pillar(1).paragraph)
        fig = bar_chart(counts, "突出政治引领：至少出现 2 次的词")
        fig.savefig(tmp_path / "chart.png")
    axes = fig.axes[0]
    assert [label.get_text() for label in axes.get_yticklabels()] == [word for word, _ in reversed(counts)]  # top down
    assert sorted(round(bar.get_width()) for bar in axes.patches) == sorted(n for _, n in counts)


DAMAGED_CACHE = """
import marshal, sys, tempfile
from pathlib import Path
kind, value = sys.argv[1:]
cache = bytes.fromhex(value) if kind == "raw" else marshal.dumps(eval(value))
Path(tempfile.gettempdir(), "jieba.cache").write_bytes(cache)
from exercises.questions.bank import load_all
from exercises.questions.grading import grade
from exercises.questions.types import type_of
q = next(q for b in load_all() for q in b.questions if type_of(q).page_check is False)
print(grade(q, q.answer).verdict)
"""


@pytest.mark.process
@pytest.mark.parametrize("content", [("marshal", "([1, 2], 5)"), ("marshal", "({'的': '1'}, 3)"),
                                     ("marshal", "(7, 8)"), ("marshal", "({}, 0)"), ("raw", "00ff7b5b")], ids=str)
def test_a_damaged_segmentation_cache_in_the_temp_folder_is_rebuilt(tmp_path, content):
    """jieba loads its prefix dictionary from any file of its name in the temp folder; 简答 grading still works."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TMPDIR": str(tmp_path), "SIGE_COURSE_PROGRESS": str(tmp_path / "progress.json")}
    done = subprocess.run([sys.executable, "-c", DAMAGED_CACHE, *content], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["correct"]

