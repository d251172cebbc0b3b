"""The 综合测评 under ``course serve``: the server keeps the key. The page sends the answers it hands in and
gets them graded, with the key its review shows; the book's key file is never served."""
from __future__ import annotations

import json
from functools import lru_cache

from ...book.assessment import shipped_papers
from ...questions.grading import grade
from ...renderers.pagescript import question_payload
from .base import Base

MAX_BODY = 2_000_000


@lru_cache(maxsize=1)
def _papers() -> dict:
    return dict(shipped_papers())


def graded(paper, answers) -> dict | None:
    """The grades of ``answers`` to ``paper`` and the key of its questions; None for an unknown paper."""
    questions = _papers().get(paper) if isinstance(paper, str) else None
    if questions is None or not isinstance(answers, dict):
        return None
    grades = {q.id: grade(q, answers.get(q.id)) for q in questions}
    return {"key": {q.id: question_payload(q) for q in questions},
            "grades": {i: {"verdict": g.verdict, "score": g.score} for i, g in grades.items()}}


class KeyHandler(Base):
    def check_xsrf_cookie(self) -> None:
        """No cookie is used here; the JSON content type (preflighted cross-site) stands in for the token."""

    def post(self) -> None:
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            return self.fail(415, "提交的内容类型应为 application/json。")
        if len(self.request.body) > MAX_BODY:
            return self.fail(413, "交卷内容过大。")
        try:
            body = json.loads(self.request.body)
        except (ValueError, RecursionError):
            return self.fail(400, "交卷内容无法读取。")
        result = graded(body.get("paper"), body.get("answers")) if isinstance(body, dict) else None
        if result is None:
            return self.fail(400, "试卷或作答无法识别，请刷新页面后重新交卷。")
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(json.dumps(result, ensure_ascii=False))
        return None
