"""Widgets driven through their own API, without a browser."""
import json

import pytest

from exercises.questions.bank import bank_for_pillar
from exercises.questions.grading import correct_response
from exercises.questions.progress import ProgressStore
from exercises.renderers.widget import ChapterQuiz, QuestionWidget


@pytest.fixture
def quiz(tmp_path):
    return ChapterQuiz(bank_for_pillar(1).questions, "1", store=ProgressStore(tmp_path / "progress.json"))


def _answer(item: QuestionWidget, response) -> None:
    """Set the controls the way a learner would."""
    item.set_response(response)


def test_every_control_has_a_chinese_label(quiz):
    for item in quiz.items:
        assert item.submit_button.description == "提交" and item.retry_button.description == "重做"
        controls = [box for c in item.controls for box in getattr(c, "children", ())] or item.controls
        assert all(c.description for c in controls), item.question.id


def test_correct_answers_through_the_ui_score_full_marks(quiz, tmp_path):
    for item in quiz.items:
        _answer(item, correct_response(item.question))
        item.submit_button.click()
        assert "回答正确" in item.feedback.value, item.question.id
        assert "解析" in item.feedback.value and "原文依据" in item.feedback.value
    score, points, answered = quiz.totals()
    assert score == points and answered == len(quiz.items)
    assert f"本章得分：{points:g} / {points:g}" in quiz.score.value
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert set(saved["answers"]) == {q.id for q in bank_for_pillar(1).questions}


def test_wrong_answer_shows_review_and_retry_clears(quiz, tmp_path):
    item = next(i for i in quiz.items if i.question.type == "single")
    wrong = next(k for k in "ABCD" if k != item.question.answer)
    _answer(item, wrong)
    item.submit_button.click()
    assert "回答错误" in item.feedback.value
    assert "错题回顾（1 题）" in quiz.review.value
    item.retry_button.click()
    assert item.response() is None and item.feedback.value == "" and quiz.review.value == ""
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert item.question.id not in saved["answers"]


def test_unanswered_submit_asks_for_an_answer(quiz):
    item = quiz.items[0]
    item.submit_button.click()
    assert "尚未作答" in item.feedback.value
    assert quiz.totals()[2] == 0


def test_typed_html_is_escaped(quiz):
    item = next(i for i in quiz.items if i.question.type == "fill")
    item.controls[0].value = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    item.submit_button.click()
    assert "<script>" not in item.feedback.value and "<img" not in item.feedback.value
    assert "&lt;script&gt;" in item.feedback.value


def test_short_answer_widget_reports_keypoints(quiz):
    item = next(i for i in quiz.items if i.question.type == "short")
    item.set_response("领导干部要先学一步")
    item.submit_button.click()
    assert "部分正确" in item.feedback.value and "参考分" in item.feedback.value and "未答到" in item.feedback.value


def test_reset_all(quiz, tmp_path):
    for item in quiz.items:
        _answer(item, correct_response(item.question))
        item.submit_button.click()
    quiz.reset_button.click()
    assert quiz.totals() == (0, sum(i.question.points for i in quiz.items), 0)
    saved = json.loads((tmp_path / "progress.json").read_text(encoding="utf-8"))
    assert saved["answers"] == {}


def test_live_block_offers_widget_and_readable_fallbacks(monkeypatch, tmp_path):
    from exercises.book import chapter

    monkeypatch.delenv(chapter.STATIC_ENV, raising=False)
    monkeypatch.setenv("SIGE_COURSE_PROGRESS", str(tmp_path / "p.json"))
    bundle = chapter.exercises(1)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "VBox" not in bundle["text/plain"] and bundle["text/plain"].startswith("第一章练习")
    assert 'class="sige-question"' in bundle["text/html"] and "练习 1-1" in bundle["text/markdown"]
    monkeypatch.setenv(chapter.STATIC_ENV, "1")
    static = chapter.exercises(1)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in static
