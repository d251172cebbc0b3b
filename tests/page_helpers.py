"""Answering a question on a built page as a learner would, shared by the browser tests."""
from __future__ import annotations


def fill_in(page, q, response):
    """Set the controls of ``q`` by mouse and keyboard, without submitting."""
    section = page.locator(f"section[data-qid='{q.id}']")
    if q.type in ("single", "multiple"):
        for key in ([response] if q.type == "single" else response):
            section.locator(f"input[value='{key}']").check()
    elif q.type == "truefalse":
        section.get_by_label("正确" if response else "错误", exact=True).check()
    elif q.type == "fill":
        for box, text in zip(section.locator("input[type=text]").all(), response):
            box.fill(text)
    elif q.type == "order":
        for select, item in zip(section.locator("select").all(), response):
            select.select_option(label=item)
    else:
        for left, right in response.items():
            section.get_by_label(left, exact=True).select_option(label=right)
    return section
