"""单选题: one option is right; choosing it earns full marks."""
from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from ..form import Choice, Form
from ..model import OPTION_KEYS, Question
from ..outcome import Grade, scored, unanswered
from .base import EntryError, QuestionType, option_key

OPTIONS_SCHEMA = {"type": "array", "minItems": 2, "maxItems": 6, "items": {"$ref": "#/$defs/text"}}


def option_errors(raw: dict, keys: list) -> list[tuple[str, str]]:
    """Answer keys among the options, options without repeats (both choice types)."""
    allowed = OPTION_KEYS[: len(raw["options"])]
    errors = [("answer", f"答案 {k} 不在选项 {'、'.join(allowed)} 中") for k in keys if k not in allowed]
    if len(set(raw["options"])) != len(raw["options"]):
        errors.append(("options", "选项有重复"))
    return errors


def shuffle_keys(q: Question, rng: random.Random) -> tuple[tuple[str, ...], dict[str, str]]:
    """New option order and the map from old keys to new keys."""
    order = rng.sample(range(len(q.options)), len(q.options))
    return tuple(q.options[i] for i in order), {OPTION_KEYS[old]: OPTION_KEYS[new] for new, old in enumerate(order)}


class SingleChoice(QuestionType):
    name = "single"
    label = "单选题"
    position = 1
    default_points = 1.0
    rule = "选对得满分，选错不得分。"
    properties = {"options": OPTIONS_SCHEMA, "answer": {"type": "string", "pattern": "^[A-F]$"}}
    required = ("options", "answer")
    texts = {"unanswered": "请选择一个选项。", "right": "你选了 {key}。", "wrong": "你选了 {key}，正确答案是 {answer}。"}
    entry_hint = "填选项字母"

    def check(self, raw):
        return option_errors(raw, [raw["answer"]])

    def build(self, raw):
        return {"options": tuple(raw["options"]), "answer": raw["answer"]}

    def grade(self, q: Question, response: Any) -> Grade:
        key = option_key(response, len(q.options))
        if key is None:
            return unanswered(q, None, self.say("unanswered"))
        right = key == q.answer
        return scored(q, 1.0 if right else 0.0, key, [self.say("right" if right else "wrong", key=key, answer=q.answer)])

    def read_entry(self, q, text):
        keys = OPTION_KEYS[: len(q.options)]
        if len(text) == 1 and text.upper() in keys:
            return text.upper()
        raise EntryError(f"单选题应填 {keys[0]}–{keys[-1]} 中的一个字母")

    def answer_text(self, q):
        return f"{q.answer}. {q.option_text(q.answer)}"

    def correct_response(self, q):
        return q.answer

    def wrong_response(self, q):
        return next(k for k in OPTION_KEYS[: len(q.options)] if k != q.answer)

    def form(self, q):
        return Form((Choice("请选择一项", tuple(zip(OPTION_KEYS, q.option_lines()))),))

    def grading_data(self, q):
        return {"options": len(q.options), "answer": q.answer}

    def shuffled(self, q, rng):
        options, new_key = shuffle_keys(q, rng)
        return replace(q, options=options, answer=new_key[q.answer])


TYPE = SingleChoice()
