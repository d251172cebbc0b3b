"""Blocks of the phone-first pages (逐题练习, 挑战答题, 错题本与学习记录): the static page in the book build,
the same mode as ipywidgets in a kernel."""
from __future__ import annotations

import os

from ..questions.challenge import RULE
from ..renderers.practice_html import mode_html
from .chapter import STATIC_ENV, Rich

PRINTED = "本页的练习在网页或笔记本中使用。"


def printed(name: str) -> str:
    """What the printed page says of mode ``name``: the 错题本 as a form to fill in by hand; for the others
    (not printed in the handouts) where they are used, and the challenge rule."""
    if name == "wrongbook":
        from ..renderers.print_form import wrongbook_markdown

        return wrongbook_markdown()
    return PRINTED + (f"计分规则：{RULE.text()}" if name == "challenge" else "")


def mode(name: str):
    """The page of mode ``name`` ("practice", "challenge" or "wrongbook")."""
    if os.environ.get(STATIC_ENV):
        return Rich(mode_html(name), printed(name), printed(name))
    from ..renderers.practice_widget import mode_widget

    return mode_widget(name)
