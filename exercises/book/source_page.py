"""The 原文 page: the whole cleaned article and the provenance note of its cleaning."""
from __future__ import annotations

from html import escape

from ..text.article import CORRECTIONS, DAMAGE_MARK, load_article
from ..text.numbers import chinese_number
from .chapter import Rich, chart_data, counting_note, mark_damage_html, show_chart


def full_text() -> Rich:
    """The cleaned article, paragraph by paragraph, the damaged clause marked."""
    article = load_article()
    paragraphs = [article.opening, *(p.paragraph for p in article.pillars), article.author_line]
    html = "".join(f'<p class="sige-article-paragraph">{mark_damage_html(p)}</p>' for p in paragraphs)
    markdown = "\n\n".join(paragraphs)
    return Rich(f'<div class="sige-article-full">{html}</div>', markdown, markdown)


def provenance() -> Rich:
    """What was wrong with the received text and how each problem was repaired."""
    article = load_article()
    report = article.report
    import opencc

    chars = "、".join(opencc.OpenCC("t2s").convert(c) for c in report.pinyin_characters)
    fixes = "；".join(f"“{wrong}”改为“{right}”（{report.corrections.get(wrong, 0)} 处）" for wrong, right in CORRECTIONS.items())
    damaged = article.damaged_sentences()[0]
    rows = [
        ("繁体字", "原文被网站从简体转换成繁体，而且转换不一致（如“干部”“筑牢”“于”未转换）。",
         "用程序转换为简体，并逐句人工核对。"),
        ("拼音残留", f"有 {report.pinyin_removed} 处括注拼音，跟在 {len(report.pinyin_characters)} 个不同的字后面（按简体列出：{chars}）。",
         "全部删除：它们是转换残留，不是正文内容。"),
        ("用字校正", "个别词在繁简转换后仍需按简体规范书写。", f"经核对的校正：{fixes}。"),
        ("标点", f"中文句中夹有 {report.punctuation_fixed} 个半角标点（, ; : ( )）。", "改为全角标点（，；：（））。"),
        ("损坏片段", "“严管厚爱激励人”一项中，“约束下”之后的文字在采集时损坏，原文已无法辨认。",
         f"不作猜测：正文中以“{DAMAGE_MARK}”标出，练习题均不引用这一句。"),
    ]
    html_rows = "".join(f'<tr><th scope="row">{escape(a)}</th><td>{escape(b)}</td><td>{escape(c)}</td></tr>' for a, b, c in rows)
    spans = "、".join(report.damaged_spans)
    html = (
        '<table class="sige-provenance"><thead><tr><th scope="col">问题</th><th scope="col">收到的文本</th>'
        f'<th scope="col">整理方法</th></tr></thead><tbody>{html_rows}</tbody></table>'
        f"<p>损坏处在收到的文本中是这样的：<code>{escape(spans)}</code>。整理后这一句为：</p>"
        f'<blockquote class="sige-source">{mark_damage_html(damaged)}</blockquote>'
    )
    markdown = "\n".join(f"- **{a}**：{b}{c}" for a, b, c in rows) + f"\n\n整理后的损坏句：{damaged}"
    return Rich(html, markdown, markdown)


def _comparison(top: int):
    from ..text.analysis import term_matrix

    pillars = load_article().pillars
    return [p.title for p in pillars], *term_matrix([p.paragraph for p in pillars], top=top)


def pillar_comparison(top: int = 14) -> None:
    """Show the heat map of the article's most frequent words across the pillars (numbers: ``comparison_data``)."""
    from ..text.charts import heatmap

    titles, terms, matrix = _comparison(top)
    title = f"全文高频词在{chinese_number(len(titles))}个“突出”中的分布（前 {len(terms)} 个）"
    show_chart(heatmap(matrix, terms, titles, title, value_label="逐字出现的次数"), title)


def comparison_data(top: int = 14) -> Rich:
    """The counts behind ``pillar_comparison`` and how they were counted."""
    titles, terms, matrix = _comparison(top)
    rows = [(term, *row) for term, row in zip(terms, matrix)]
    return counting_note(chart_data(["词语", *titles], rows, f"图表数据（{len(terms)} 个词 × 4 个“突出”）"))
