"""简答题: free text, given a reference score by key-point coverage (jieba); for self-checking only."""
from __future__ import annotations

from typing import Any

from ..form import Form, TextField
from ..model import Question
from ..normalize import clip, normalize, simplify
from ..outcome import Grade, scored, unanswered
from .base import QuestionType

KEYPOINT_SCHEMA = {"type": "object", "additionalProperties": False, "required": ["point", "terms"],
                   "properties": {"point": {"$ref": "#/$defs/text"}, "terms": {"$ref": "#/$defs/variants"}}}


class ShortAnswer(QuestionType):
    name = "short"
    label = "简答题"
    position = 7
    default_points = 4.0
    rule = "按要点覆盖计“参考分”：找到几个要点得几份分，供自查，不作正式评分。"
    properties = {"answer": {"$ref": "#/$defs/text"},
                  "keypoints": {"type": "array", "minItems": 1, "maxItems": 8, "items": KEYPOINT_SCHEMA}}
    required = ("keypoints", "answer")
    texts = {"unanswered": "请写下你的回答。",
             "coverage": "参考分：覆盖了 {found} / {total} 个要点（按关键词自动比对，仅供自查）。",
             "found": "已答到：{points}。", "missed": "未答到：{points}。", "label": "回答",
             "key": "参考答案：{answer}（要点：{points}）"}
    page_check = False
    reference_score = True

    def build(self, raw):
        return {"answer": raw["answer"], "keypoints": tuple((k["point"], tuple(k["terms"])) for k in raw["keypoints"])}

    def grade(self, q: Question, response: Any) -> Grade:
        from ...text.analysis import clauses, covers, segment

        text = clip(response)
        answer = normalize(text)
        if not answer:
            return unanswered(q, text, self.say("unanswered"))
        words = [set(segment(clause)) for clause in clauses(simplify(text))]
        found: list[str] = []
        missed: list[str] = []
        for point, terms in q.keypoints:
            (found if any(covers(answer, words, normalize(t)) for t in terms) else missed).append(point)
        details = [self.say("coverage", found=len(found), total=len(q.keypoints))]
        if found:
            details.append(self.say("found", points="；".join(found)))
        if missed:
            details.append(self.say("missed", points="；".join(missed)))
        return scored(q, len(found) / len(q.keypoints), text, details)

    def answer_text(self, q):
        return self.say("key", answer=q.answer, points="；".join(point for point, _ in q.keypoints))

    def correct_response(self, q):
        return q.answer

    def wrong_response(self, q):
        return "这道题我还没有想好。"

    def form(self, q):
        return Form((TextField(self.say("label"), multiline=True),))


TYPE = ShortAnswer()
