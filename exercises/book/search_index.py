"""Sphinx extension: Chinese search that finds any phrase of the article, with keys kept out of the index.

Every run of Chinese text is indexed as jieba's words plus each of its two-character pieces, and the page's
query splitter (``language_data.js``) cuts a query the same way, so a phrase of two or more characters
(思想自觉, 驾驭复杂局面) finds every page that holds it, whatever jieba made of it.

Answer keys, explanations and self-check controls stay out of the search index.

The search index is fed from each page's doctree, where exercises are raw HTML outputs. Before a page
is indexed, a copy of its doctree loses the parts of those outputs that ``renderers/html.py`` marks
``<!--sige:noindex-->`` (keys, self-check forms, progress panels); the page itself is written unchanged.
The page script removes the same parts from search snippets.
"""
from __future__ import annotations

import re

from docutils import nodes
from sphinx.search.zh import SearchChinese

from ..renderers.html import NOINDEX_END, NOINDEX_START

CHINESE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CHINESE_RUN = re.compile(f"[{CHINESE}]{{2,}}")
# The query side of CourseSearch.split: Chinese runs become their two-character pieces, other words stay whole.
QUERY_SPLITTER = """
function splitQuery(query) {
  const chinese = /[%s]+/gu;
  const terms = [];
  for (const run of query.match(chinese) || []) {
    if (run.length === 1) terms.push(run);
    for (let i = 0; i + 1 < run.length; i += 1) terms.push(run.slice(i, i + 2));
  }
  const rest = query.replace(chinese, " ").split(/[^\\p{Letter}\\p{Number}_]+/gu);
  return terms.concat(rest.filter((term) => term));
}
""" % CHINESE  # noqa: UP031 (JavaScript: its braces stay literal)
NOINDEX = re.compile(re.escape(NOINDEX_START) + ".*?" + re.escape(NOINDEX_END), re.DOTALL)


def strip_keys(html: str) -> str:
    """The HTML of an exercise output without the parts marked ``sige:noindex`` (keys, forms, panels)."""
    return NOINDEX.sub("", html)


def two_character_pieces(text: str) -> list[str]:
    """Every two-character piece of each run of Chinese characters in ``text``, in order."""
    return [run[i:i + 2] for run in CHINESE_RUN.findall(text) for i in range(len(run) - 1)]


class CourseSearch(SearchChinese):
    """zh search whose terms are jieba's words and every two-character piece of the text (see the module)."""

    js_splitter_code = QUERY_SPLITTER

    def split(self, input: str) -> list[str]:
        return super().split(input) + two_character_pieces(input)


def _searchable_copy(doctree: nodes.document) -> nodes.document:
    copy = doctree.deepcopy()
    for raw in copy.findall(nodes.raw):
        if "html" in raw.get("format", "").split() and NOINDEX_START in raw.astext():
            raw.replace_self(nodes.raw("", strip_keys(raw.astext()), format=raw["format"]))
    return copy


def _wrap_index_page(app) -> None:
    builder = app.builder
    index_page = getattr(builder, "index_page", None)
    if index_page is None:
        return

    def index_without_keys(pagename, doctree, title):
        index_page(pagename, _searchable_copy(doctree), title)

    builder.index_page = index_without_keys


def setup(app):
    app.add_search_language(CourseSearch)
    app.connect("builder-inited", _wrap_index_page)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
