"""Sphinx extension: answer keys, explanations and self-check controls stay out of the search index.

The search index is fed from each page's doctree, where exercises are raw HTML outputs. Before a page
is indexed, a copy of its doctree loses the parts of those outputs that ``renderers/html.py`` marks
``<!--sige:noindex-->`` (keys, self-check forms, progress panels); the page itself is written unchanged.
The page script removes the same parts from search snippets.
"""
from __future__ import annotations

import re

from docutils import nodes

from ..renderers.html import NOINDEX_END, NOINDEX_START

NOINDEX = re.compile(re.escape(NOINDEX_START) + ".*?" + re.escape(NOINDEX_END), re.DOTALL)


def strip_keys(html: str) -> str:
    """The HTML of an exercise output without the parts marked ``sige:noindex`` (keys, forms, panels)."""
    return NOINDEX.sub("", html)


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
    app.connect("builder-inited", _wrap_index_page)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
