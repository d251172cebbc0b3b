"""排序题: put the items in the article's order; credit per position."""
from __future__ import annotations

from typing import Any

from ..form import Form, Select
from ..model import Question
from ..normalize import as_list, clip, normalize
from ..outcome import Grade, scored, unanswered
from .base import QuestionType, shuffled_texts


class Ordering(QuestionType):
    name = "order"
    label = "排序题"
    position = 5
    default_points = 2.0
    rule = "每个位置放对即得该位置的分数。"
    properties = {"items": {"type": "array", "minItems": 3, "maxItems": 8, "items": {"$ref": "#/$defs/text"}}}
    required = ("items",)
    texts = {"unanswered": "请为每个位置选择一项。", "placed": "放对了 {right} / {total} 个位置。",
             "order": "正确顺序：{order}", "label": "第 {number} 位"}

    def check(self, raw):
        return [("items", "排序项有重复")] if len(set(raw["items"])) != len(raw["items"]) else []

    def build(self, raw):
        return {"items": tuple(raw["items"])}

    def grade(self, q: Question, response: Any) -> Grade:
        n = len(q.items)
        given = [clip(v) for v in as_list(response, n)]
        if not any(given):
            return unanswered(q, given, self.say("unanswered"))
        right = sum(1 for a, b in zip(given, q.items) if normalize(a) == normalize(b))
        details = [self.say("placed", right=right, total=n), self.say("order", order=" → ".join(q.items))]
        return scored(q, right / n, given, details)

    def answer_text(self, q):
        return " → ".join(q.items)

    def correct_response(self, q):
        return list(q.items)

    def wrong_response(self, q):
        return list(q.items[1:]) + [q.items[0]]

    def choices(self, q: Question) -> list[str]:
        """The items as presented to the learner: a stable shuffle."""
        return shuffled_texts(q.items, f"{q.id}/items")

    def form(self, q):
        choices = tuple(self.choices(q))
        return Form(tuple(Select(self.say("label", number=i), choices) for i in range(1, len(q.items) + 1)), "list")

    def grading_data(self, q):
        return {"items": list(q.items)}

    def accepted_texts(self, q):
        return list(q.items)


TYPE = Ordering()
