"""The search index's terms: jieba's words plus every two-character piece of Chinese text, so that any phrase of
two or more characters of the article is found (the browser side is tested in tests/test_phone.py)."""
from __future__ import annotations

from exercises.book.search_index import CourseSearch, two_character_pieces


def test_two_character_pieces_cover_every_run_of_chinese():
    assert two_character_pieces("思想自觉") == ["思想", "想自", "自觉"]
    assert two_character_pieces("家家到、个个谈") == ["家家", "家到", "个个", "个谈"]
    assert two_character_pieces("党 A 学") == []


def test_every_phrase_of_the_article_is_in_the_terms(article):
    search = CourseSearch({})
    text = article.text
    terms = set(search.split(text))
    for phrase in ("思想自觉", "驾驭复杂局面", "凝聚改革共识"):
        assert phrase in text
        assert set(two_character_pieces(phrase)) <= terms
    assert {"Binder", "2026"} <= set(search.split("Binder 2026 全会"))
