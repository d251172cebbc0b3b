"""多选题: several options are right; partial credit for what is chosen right when nothing wrong is chosen."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..form import Choice, Form
from ..model import OPTION_KEYS, Question
from ..normalize import as_list
from ..outcome import Grade, scored, unanswered
from .base import EntryError, QuestionType, option_key
from .single import OPTIONS_SCHEMA, option_errors, shuffle_keys

MAX_PICKS = 64  # more entries than this cannot be a real answer; the rest is ignored


class MultipleChoice(QuestionType):
    name = "multiple"
    label = "多选题"
    position = 2
    default_points = 2.0
    rule = "选项全对得满分；只要选了错误选项不得分；未选错但漏选的，按选对的比例得分。"
    properties = {"options": OPTIONS_SCHEMA,
                  "answer": {"type": "array", "minItems": 2, "uniqueItems": True,
                             "items": {"type": "string", "pattern": "^[A-F]$"}}}
    required = ("options", "answer")
    texts = {"unanswered": "请至少选择一个选项。", "chosen": "你选了 {chosen}；正确答案是 {answer}。",
             "extra": "多选了 {keys}。", "missed": "漏选了 {keys}。"}
    entry_hint = "填选项字母，如 ACD"

    def check(self, raw):
        return option_errors(raw, raw["answer"])

    def build(self, raw):
        return {"options": tuple(raw["options"]), "answer": tuple(sorted(raw["answer"]))}

    def grade(self, q: Question, response: Any) -> Grade:
        keys = (option_key(v, len(q.options)) for v in as_list(response, MAX_PICKS))
        chosen = sorted({k for k in keys if k})
        if not chosen:
            return unanswered(q, [], self.say("unanswered"))
        wrong = [k for k in chosen if k not in q.answer]
        missed = [k for k in q.answer if k not in chosen]
        details = [self.say("chosen", chosen="、".join(chosen), answer="、".join(q.answer))]
        if wrong:
            details.append(self.say("extra", keys="、".join(wrong)))
        if missed:
            details.append(self.say("missed", keys="、".join(missed)))
        fraction = 0.0 if wrong else (len(q.answer) - len(missed)) / len(q.answer)
        return scored(q, fraction, chosen, details)

    def read_entry(self, q, text):
        keys = OPTION_KEYS[: len(q.options)]
        letters = [ch for ch in text.upper() if not ch.isspace() and ch not in ",，、"]
        strange = [ch for ch in letters if ch not in keys]
        if not letters or strange:
            raise EntryError(f"多选题应填 {keys[0]}–{keys[-1]} 中的字母，“{''.join(strange)}”不是选项")
        if len(set(letters)) != len(letters):
            raise EntryError("多选题的选项字母有重复")
        return sorted(letters)

    def answer_text(self, q):
        return "；".join(f"{k}. {q.option_text(k)}" for k in q.answer)

    def correct_response(self, q):
        return list(q.answer)

    def wrong_response(self, q):
        return [k for k in OPTION_KEYS[: len(q.options)] if k not in q.answer][:1]

    def form(self, q):
        return Form((Choice("请选择所有正确的选项", tuple(zip(OPTION_KEYS, q.option_lines())), multiple=True),))

    def grading_data(self, q):
        return {"options": len(q.options), "answer": list(q.answer), "max_picks": MAX_PICKS}

    def shuffled(self, q, rng):
        options, new_key = shuffle_keys(q, rng)
        return replace(q, options=options, answer=tuple(sorted(new_key[k] for k in q.answer)))


TYPE = MultipleChoice()
