"""判断题: the statement is right or wrong."""
from __future__ import annotations

from typing import Any

from ..form import Choice, Form
from ..model import Question
from ..normalize import normalize
from ..outcome import Grade, scored, unanswered
from .base import EntryError, QuestionType

TRUE_WORDS = ("对", "正确", "是", "true", "√", "t")
FALSE_WORDS = ("错", "错误", "否", "false", "×", "f")


class TrueFalse(QuestionType):
    name = "truefalse"
    label = "判断题"
    position = 3
    default_points = 1.0
    rule = "判断正确得满分，判断错误不得分。"
    properties = {"answer": {"type": "boolean"}}
    required = ("answer",)
    texts = {"unanswered": "请判断“正确”或“错误”。", "right": "你判断为“{said}”。",
             "wrong": "你判断为“{said}”，这句话其实是“{truth}”的。", "true": "正确", "false": "错误"}
    entry_hint = "填 对 或 错"

    def build(self, raw):
        return {"answer": raw["answer"]}

    def _as_bool(self, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and len(value) <= 64:
            text = normalize(value)
            if text in TRUE_WORDS:
                return True
            if text in FALSE_WORDS:
                return False
        return None

    def grade(self, q: Question, response: Any) -> Grade:
        value = self._as_bool(response)
        if value is None:
            return unanswered(q, None, self.say("unanswered"))
        right = value == q.answer
        detail = self.say("right" if right else "wrong", said=self._word(value), truth=self._word(q.answer))
        return scored(q, 1.0 if right else 0.0, value, [detail])

    def read_entry(self, q, text):
        value = self._as_bool(text)
        if value is None:
            raise EntryError("判断题应填 对 或 错（也可填 √、×）")
        return value

    def _word(self, value: bool) -> str:
        return self.say("true" if value else "false")

    def answer_text(self, q):
        return self._word(q.answer)

    def correct_response(self, q):
        return q.answer

    def wrong_response(self, q):
        return not q.answer

    def form(self, q):
        return Form((Choice("请判断", ((True, self._word(True)), (False, self._word(False)))),))

    def grading_data(self, q):
        return {"answer": q.answer, "true_words": list(TRUE_WORDS), "false_words": list(FALSE_WORDS)}

    def accepted_texts(self, q):
        return list(TRUE_WORDS + FALSE_WORDS)


TYPE = TrueFalse()
