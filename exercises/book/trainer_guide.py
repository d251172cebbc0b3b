"""Blocks of the trainer guide appendix: the discussion questions of every chapter with their guides."""
from __future__ import annotations

from html import escape

from ..questions.bank import load_all
from ..text.article import load_article
from ..text.numbers import chinese_number
from .chapter import Rich


def discussion_guides() -> Rich:
    """Every 研讨题 with its 引导要点 and the article's sentence it rests on, chapter by chapter."""
    article = load_article()
    html, markdown = [], []
    for bank in load_all():
        title = f"第{chinese_number(bank.pillar)}单元　{article.pillar(bank.pillar).title}"
        items = "".join(
            f'<li><p class="sige-prompt">{escape(d.prompt)}</p><p><strong>引导要点：</strong>{escape(d.guide)}</p>'
            f'<blockquote class="sige-source"><strong>原文依据：</strong>{escape(d.source)}</blockquote></li>'
            for d in bank.discussion
        )
        html.append(f'<h3 class="sige-guide-part">{escape(title)}</h3><ol class="sige-guides">{items}</ol>')
        markdown.append(f"### {title}\n\n" + "\n".join(
            f"{i}. {d.prompt}\n   引导要点：{d.guide}\n   原文依据：{d.source}"
            for i, d in enumerate(bank.discussion, start=1)))
    return Rich("".join(html), "\n\n".join(markdown), "\n\n".join(markdown))
