"""jieba is imported only by code that segments, and its dictionary is cached once per machine; the article's
charts are drawn from the words kept in data/chart-words.json, which match what jieba gives.

Each check runs in a fresh Python process, since the test session itself has imported everything.
"""
import json
import os
import subprocess
import sys

import pytest

from exercises.book.chapter import STATIC_ENV

LIVE_WIDGETS = """
import json, sys
from exercises.book import chapter
quiz = chapter.exercises(1)
quiz._repr_mimebundle_()
seen = {"after_widgets": "jieba" in sys.modules}
item = next(i for i in quiz.quiz.items if i.question.type == "single")
item.set_response(item.question.answer)
seen["objective_verdict"] = item.submit().verdict
seen["after_objective"] = "jieba" in sys.modules
short = next(i for i in quiz.quiz.items if i.question.type == "short")
short.set_response(short.question.answer)
seen["short_verdict"] = short.submit().verdict
seen["after_short"] = "jieba" in sys.modules
print(json.dumps(seen))
"""
CHART = """
import json, sys
import matplotlib
matplotlib.use("Agg")
from exercises.book import chapter
chapter.exercises(1)
assert "jieba" not in sys.modules
chapter.keyword_chart(1)
seen = {"article": "jieba" in sys.modules}
from exercises.text.analysis import term_counts
term_counts("不在文章中的一段话：学习学习，改革改革。")
seen["other_text"] = "jieba" in sys.modules
print(json.dumps(seen))
"""
SEGMENT = "from exercises.text.analysis import segment; print(segment('关键少数带头学'))"


def python(code: str, tmp_path, static: bool = False) -> str:
    env = {k: v for k, v in os.environ.items() if k != STATIC_ENV}
    env.update(TMPDIR=str(tmp_path), SIGE_COURSE_PROGRESS=str(tmp_path / "progress.json"))
    if static:
        env[STATIC_ENV] = "1"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def test_widgets_and_objective_grading_do_not_import_jieba(tmp_path):
    seen = json.loads(python(LIVE_WIDGETS, tmp_path))
    assert seen["after_widgets"] is False
    assert seen["objective_verdict"] == "correct" and seen["after_objective"] is False
    assert seen["short_verdict"] == "correct" and seen["after_short"] is True


@pytest.mark.parametrize("static", [True, False], ids=["static", "live"])
def test_article_charts_are_drawn_without_jieba_and_other_texts_segmented(tmp_path, static):
    assert json.loads(python(CHART, tmp_path, static=static)) == {"article": False, "other_text": True}


def test_kept_chart_words_are_what_jieba_gives():
    """data/chart-words.json holds exactly the words jieba picks from each text the article's charts count."""
    from exercises.text.analysis import CHART_WORDS_FILE, chart_words_table

    kept = json.loads(CHART_WORDS_FILE.read_text("utf-8"))
    assert kept == chart_words_table(), "run .venv/bin/python -m exercises.text.analysis to rewrite the file"


def test_jieba_dictionary_is_cached_once_per_machine(tmp_path):
    cache = tmp_path / "jieba.cache"
    assert not cache.exists()
    first = python(SEGMENT, tmp_path)
    assert cache.is_file() and cache.stat().st_size > 1_000_000
    written = cache.stat().st_mtime_ns
    assert python(SEGMENT, tmp_path) == first
    assert cache.stat().st_mtime_ns == written  # the second process loaded the cache instead of rebuilding it
