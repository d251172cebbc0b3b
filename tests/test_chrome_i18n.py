"""Page chrome in Simplified Chinese (issue 11): the theme's strings come from the project's catalogues
(locale/zh_CN/LC_MESSAGES) and template overrides (_templates/), checked on every page of a real build."""
from __future__ import annotations

import json
import re
from pathlib import Path

import opencc
import pydata_sphinx_theme
import sphinx_book_theme
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup, Comment, Doctype

from conftest import ROOT

ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-bs-title", "data-tooltip")
#: Latin words the chrome may show: the launch service, the print format, file suffixes, the shortcut key,
#: the technology the search page asks for.
ALLOWED_WORDS = {"Binder", "PDF", "pdf", "md", "ipynb", "Ctrl", "JavaScript"}
#: Taiwanese usage written in characters that are also simplified (a character conversion does not catch it).
TAIWAN_USAGE = ("列印", "程式", "檔案", "预设", "网路", "软体", "登入", "储存", "资料夹", "视窗", "搜寻")
SEARCH_SCRIPT_MESSAGES = (
    "Search Results", "Searching", "Preparing search...", ", in ", "Hide Search Matches",
    "Search finished, found ${resultCount} page(s) matching the search query.",
    "Your search did not match any documents. Please make sure that all words are spelled correctly and that "
    "you've selected enough categories.",
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
TO_SIMPLIFIED = opencc.OpenCC("t2s")


def _msgids(po: Path) -> set[str]:
    with po.open("rb") as f:
        return {m.id for m in read_po(f) if m.id and isinstance(m.id, str)}


def english_ui_strings() -> set[str]:
    """Every English string the themes and the project's templates may show: the catalogues' message ids."""
    pydata = Path(pydata_sphinx_theme.__file__).parent / "locale" / "sphinx.pot"
    book = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static" / "locales"
    ids = _msgids(pydata) | _msgids(book / "zh_CN" / "LC_MESSAGES" / "booktheme.po")
    for po in (ROOT / "locale" / "zh_CN" / "LC_MESSAGES").glob("*.po"):
        ids |= _msgids(po)
    # Plain words of our own catalogue (Main, Page, Search) are message ids too; keep those of two words or more
    # and the single words a theme shows on its own.
    return {i for i in ids if " " in i.strip() or i in {"Search", "Contents", "Main", "Page", "Home", "Light", "Dark"}}


def _pages(html_dir: Path) -> list[Path]:
    return sorted(p for p in html_dir.rglob("*.html") if not {"_static", "_sources", "_images"} & set(p.parts))


def _texts_and_attributes(soup: BeautifulSoup):
    """(where, text) for every visible text node and every label-like attribute of a page."""
    for node in soup.find_all(string=True):
        if not isinstance(node, (Comment, Doctype)) and node.strip():
            yield "text", node.strip(), node.find_parent(["article", "pre", "code"]) is not None
    for tag in soup.find_all(True):
        for name in ATTRIBUTES:
            value = tag.get(name)
            if isinstance(value, str) and value.strip():
                yield name, value.strip(), tag.find_parent(["pre", "code"]) is not None
        if tag.name == "input" and tag.get("type") in ("submit", "button") and tag.get("value"):
            yield "value", tag["value"].strip(), False


def chrome_problems(html_dir: Path) -> list[tuple[str, str, str]]:
    """(page, where, text) for each English UI string, Latin word in the chrome, or Traditional/Taiwanese form."""
    english = english_ui_strings()
    problems = []
    for page in _pages(html_dir):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup(["script", "style", "template"]):
            tag.decompose()
        name = str(page.relative_to(html_dir))
        for where, text, in_content in _texts_and_attributes(soup):
            if text in english or text.startswith(("Launch on", "© Copyright", "Link to this", "Toggle ")):
                problems.append((name, where, text))
            elif any(word in text for word in TAIWAN_USAGE):
                problems.append((name, where, text))
            elif not in_content:  # theme chrome and every label attribute outside code
                if {w for w in LATIN_WORD.findall(text)} - ALLOWED_WORDS or TO_SIMPLIFIED.convert(text) != text:
                    problems.append((name, where, text))
    return problems


def test_every_page_shows_its_chrome_in_simplified_chinese(built_book):
    pages = _pages(built_book)
    assert len(pages) >= 10 and any(p.name == "search.html" for p in pages)
    problems = chrome_problems(built_book)
    assert not problems, problems[:10]


def test_the_project_catalogues_are_the_ones_used(built_book):
    """The strings the issue found are there in the project's wording (so the catalogues, not luck, did it)."""
    page = BeautifulSoup((built_book / "book" / "ch1-political.html").read_text(encoding="utf-8"), "html.parser")
    titles = {tag.get("title") for tag in page.find_all(title=True)}
    labels = {tag.get("aria-label") for tag in page.find_all(attrs={"aria-label": True})}
    assert {"链接到本标题", "全屏模式", "显示或隐藏课程目录", "显示或隐藏本页目录", "跟随系统设置"} <= titles
    assert {"配色模式", "课程目录", "在本课程中搜索……", "下载本页", "打开可运行的版本"} <= labels
    assert {i.get("placeholder") for i in page.find_all("input", placeholder=True)} == {"在本课程中搜索……"}
    assert "版权所有 © 2026" in page.find(class_="copyright").get_text()
    # The menu items themselves speak of learning (exercises/book/sphinx_ext.py BUTTON_WORDS), not of Binder or .pdf.
    items = {t.get_text(strip=True) for t in page.select(".dropdown-item .btn__text-container")}
    assert {"在线运行练习", "打印本页"} <= items and not {"Binder", ".pdf"} & items


def test_search_page_messages_are_simplified_chinese(built_book):
    """The search page script's messages (translations.js) come from the project's catalogue."""
    script = (built_book / "_static" / "translations.js").read_text(encoding="utf-8")
    data = json.loads(script.strip()[len("Documentation.addTranslations("):-len(");")])
    for message in SEARCH_SCRIPT_MESSAGES:
        translated = data["messages"].get(message, "")
        assert translated and not LATIN_WORD.search(translated.replace("${resultCount}", "")), message
        assert TO_SIMPLIFIED.convert(translated) == translated, translated
    assert "分类" not in json.dumps(data, ensure_ascii=False)  # the book has no categories
