"""The real book build: warnings are errors; pages carry their content and nothing broken."""
import json
import re

from conftest import PINYIN_RESIDUE, REPR_LEAKS
from exercises.questions.bank import bank_for_pillar
from exercises.text.article import DAMAGE_MARK


def _text(html: str) -> str:
    html = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", "", html)


def h2_headings(html: str) -> list[str]:
    """The page's <h2> headings as read (without the theme's "#" permalink)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for link in soup.select("h2 a.headerlink"):
        link.decompose()
    return [h.get_text(" ", strip=True) for h in soup.find_all("h2")]


def test_chapter_one_page_has_every_part_and_question(built_book, article):
    html = (built_book / "book" / "ch1-political.html").read_text(encoding="utf-8")
    text = _text(html)
    parts = ["学习目标", "原文", "结构解读", "关键词语", "高频词图", "练习", "研讨题", "小结"]
    assert [h for h in h2_headings(html) if h in parts] == parts  # each an <h2> of its own, in this order
    for measure in article.pillar(1).measures:
        assert measure.name in text
    bank = bank_for_pillar(1)
    for q in bank.questions:
        assert f'data-qid="{q.id}"' in html
    for d in bank.discussion:
        assert d.prompt in text
    assert re.search(r'<img[^>]+alt="突出政治引领一段的高频词', html)


def test_pages_have_no_residue_repr_or_mojibake(built_book):
    pages = list(built_book.rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        text = _text(page.read_text(encoding="utf-8"))
        assert not PINYIN_RESIDUE.search(text), page
        assert not REPR_LEAKS.search(text), page
        assert "\ufffd" not in text, page


def test_article_page_shows_damage_and_provenance(built_book):
    text = _text((built_book / "book" / "article.html").read_text(encoding="utf-8"))
    assert DAMAGE_MARK in text and "原文整理说明" in text and "110 处括注拼音" in text


def test_zh_search_index_uses_the_course_dictionary(built_book):
    raw = (built_book / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(raw[raw.index("(") + 1 : raw.rindex(")")])["terms"]
    for word in ("全面深化改革", "关键少数", "先学一步"):
        assert word in terms, word


def test_pages_load_nothing_from_a_cdn(built_book):
    for page in built_book.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]+)"', html)
        assert external == [], (page, external)


def test_binder_launch_button_opens_the_chapter_as_an_app(built_book):
    html = (built_book / "book" / "ch1-political.html").read_text(encoding="utf-8")
    assert "mybinder.org/v2/gh/sige-course/sige-course/main?urlpath=voila/render/book/ch1-political.md" in html


def test_each_chart_caption_appears_once(built_book):
    for page, caption in (("ch1-political", "突出政治引领：至少出现 2 次的全部 7 个词"),
                          ("article", "全文出现 5 次及以上的 13 个词和出现 4 次的“力量”在四个“突出”中的分布")):
        html = (built_book / "book" / f"{page}.html").read_text(encoding="utf-8")
        assert len(re.findall(r"<figcaption>.*?</figcaption>", html, flags=re.S)) == 1, page
        assert caption in html
