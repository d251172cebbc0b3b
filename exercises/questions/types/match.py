"""匹配题: match each left-hand item with its right-hand item; credit per pair."""
from __future__ import annotations

import itertools
from typing import Any

from ..form import Form, Select
from ..model import Question
from ..normalize import clip, normalize
from ..outcome import Grade, scored, unanswered
from .base import QuestionType, shuffled_texts

PAIR_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["left", "right"],
               "properties": {"left": {"$ref": "#/$defs/text"}, "right": {"$ref": "#/$defs/text"}}}


class Matching(QuestionType):
    name = "match"
    label = "匹配题"
    position = 6
    default_points = 2.0
    rule = "每组配对正确即得该组的分数。"
    properties = {"pairs": {"type": "array", "minItems": 2, "maxItems": 8, "items": PAIR_SCHEMA}}
    required = ("pairs",)
    texts = {"unanswered": "请为每一项选择对应的内容。", "right": "{left} → {chosen}：正确。",
             "wrong": "{left} → {chosen}：错误，应为 {left} → {expected}。", "none": "（未选）"}

    def check(self, raw):
        errors = []
        for side in ("left", "right"):
            values = [p[side] for p in raw["pairs"]]
            if len(set(values)) != len(values):
                errors.append(("pairs", f"{side} 一侧有重复"))
        return errors

    def build(self, raw):
        return {"pairs": tuple((p["left"], p["right"]) for p in raw["pairs"])}

    def grade(self, q: Question, response: Any) -> Grade:
        given = response if isinstance(response, dict) else {}
        entries = itertools.islice(given.items(), 2 * len(q.pairs))
        cleaned = {clip(k): clip(v) for k, v in entries if isinstance(k, str)}
        if not any(cleaned.values()):
            return unanswered(q, cleaned, self.say("unanswered"))
        right = 0
        details = []
        for left, answer in q.pairs:
            chosen = cleaned.get(left, "")
            ok = normalize(chosen) == normalize(answer)
            right += ok
            details.append(self.say("right" if ok else "wrong", left=left, chosen=chosen or self.say("none"),
                                    expected=answer))
        return scored(q, right / len(q.pairs), cleaned, details)

    def answer_text(self, q):
        return "；".join(f"{left} → {right}" for left, right in q.pairs)

    def correct_response(self, q):
        return dict(q.pairs)

    def wrong_response(self, q):
        rights = [right for _, right in q.pairs]
        return {left: rights[(i + 1) % len(rights)] for i, (left, _) in enumerate(q.pairs)}

    def choices(self, q: Question) -> list[str]:
        """The right-hand side as presented to the learner: a stable shuffle."""
        return shuffled_texts(tuple(right for _, right in q.pairs), f"{q.id}/pairs")

    def form(self, q):
        choices = tuple(self.choices(q))
        return Form(tuple(Select(left, choices) for left, _ in q.pairs), "by_label")

    def grading_data(self, q):
        return {"pairs": [list(p) for p in q.pairs]}

    def accepted_texts(self, q):
        return [right for _, right in q.pairs]


TYPE = Matching()
