"""The app view of a chapter (Voilà) shows web notes and never print or trainer notes."""
import re
from pathlib import Path

import jupytext
import pytest

from exercises.book.voila_app import app_notebook, for_screen, local_mathjax

ROOT = Path(__file__).resolve().parents[1]


def test_only_blocks_are_resolved_for_the_screen():
    text = ("前言\n\n```{div}\n:only: html\n在网页上作答。\n```\n\n```{raw:latex}\n:only: latex\n请在讲义上作答。\n```\n\n"
            "````{raw:latex}\n:only: trainer\n答案：A\n````\n\n:::{div}\n:only: html or trainer\n两者\n:::\n\n"
            "```{raw:latex}\n只印在讲义上。\n```\n\n```{only} latex and not trainer\n旧写法\n```\n\n结尾")
    shown = for_screen(text)
    assert shown == "前言\n\n在网页上作答。\n\n两者\n\n结尾"


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "book").glob("*.md")))
def test_no_page_shows_a_directive_or_a_print_note_in_the_app(page):
    notebook = app_notebook(None, jupytext.read(ROOT / "book" / page), str(ROOT))
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    assert not re.search(r"\{(only|div|raw:latex)\}|:only:", markdown)
    assert "请在讲义上作答" not in markdown


def test_the_server_config_sets_the_hook():
    config = (ROOT / ".jupyter" / "jupyter_server_config.py").read_text(encoding="utf-8")
    assert "c.VoilaConfiguration.prelaunch_hook = app_notebook" in config
    assert "c.VoilaConfiguration.page_config_hook = local_mathjax" in config


def test_mathjax_comes_from_the_page_not_a_cdn():
    config = local_mathjax({"fullMathjaxUrl": "https://cdnjs.example/mathjax.js", "mathjaxConfig": "TeX"}, base_url="/")
    assert config["fullMathjaxUrl"] == "null" and config["mathjaxConfig"] == "null"
