"""填空题: one or more blanks (``___`` in the stem), each with accepted variants; credit per blank."""
from __future__ import annotations

import re
from typing import Any

from ..form import Form, TextField
from ..model import BLANK, Question
from ..normalize import as_list, clip, normalize
from ..outcome import Grade, scored, unanswered
from .base import EntryError, QuestionType

ENTRY_SEPARATOR = re.compile(r"[；;]")


class FillIn(QuestionType):
    name = "fill"
    label = "填空题"
    position = 4
    default_points = 2.0
    rule = "每个空按比例计分；答案会忽略空格、全角半角和繁简差异。"
    properties = {"blanks": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/variants"}}}
    required = ("blanks",)
    texts = {"unanswered": "请填写答案。", "right": "第 {number} 空：你填“{given}”，正确。",
             "wrong": "第 {number} 空：你填“{given}”，应为“{expected}”。", "empty": "（空）",
             "label": "第 {number} 空"}
    entry_hint = "各空之间用 ；分隔"

    def check(self, raw):
        found = len(BLANK.findall(raw["stem"]))
        if found != len(raw["blanks"]):
            return [("blanks", f"题干有 {found} 个空（___），答案给了 {len(raw['blanks'])} 个")]
        return []

    def build(self, raw):
        return {"blanks": tuple(tuple(b) for b in raw["blanks"])}

    def grade(self, q: Question, response: Any) -> Grade:
        n = len(q.blanks)
        given = [response] if isinstance(response, str) else as_list(response, n)
        typed = [clip(v) for v in given] + [""] * (n - len(given))
        if not any(normalize(t) for t in typed):
            return unanswered(q, typed, self.say("unanswered"))
        right = 0
        details = []
        for number, (text, variants) in enumerate(zip(typed, q.blanks), start=1):
            ok = normalize(text) in {normalize(v) for v in variants}
            right += ok
            shown = text.strip() or self.say("empty")
            details.append(self.say("right" if ok else "wrong", number=number, given=shown, expected=variants[0]))
        return scored(q, right / n, typed, details)

    def read_entry(self, q, text):
        n = len(q.blanks)
        parts = [text] if n == 1 else ENTRY_SEPARATOR.split(text)
        if len(parts) != n:
            raise EntryError(f"这道填空题有 {n} 个空，应填 {n} 项并用 ；分隔，现在是 {len(parts)} 项")
        return [part.strip() for part in parts]

    def answer_text(self, q):
        return "；".join(f"第 {i} 空：" + " / ".join(variants) for i, variants in enumerate(q.blanks, start=1))

    def correct_response(self, q):
        return [variants[0] for variants in q.blanks]

    def wrong_response(self, q):
        return ["不知道"] * len(q.blanks)

    def form(self, q):
        return Form(tuple(TextField(self.say("label", number=i)) for i in range(1, len(q.blanks) + 1)), "list")

    def grading_data(self, q):
        return {"blanks": [list(v) for v in q.blanks]}

    def accepted_texts(self, q):
        return [v for variants in q.blanks for v in variants]


TYPE = FillIn()
