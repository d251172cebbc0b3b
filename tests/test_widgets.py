"""Widgets driven through their own API, without a browser."""
import json

import pytest

from exercises.questions.bank import bank_for_pillar
from exercises.questions.grading import correct_response, grade
from exercises.questions.progress import ProgressStore
from exercises.questions.types import type_of
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


def test_the_app_page_gets_the_widgets_without_fallbacks(monkeypatch, tmp_path):
    """In Voilà's app (its kernel has VOILA_KERNEL_ID) the widgets are always shown: no page-sized fallbacks."""
    from exercises.book import chapter

    monkeypatch.delenv(chapter.STATIC_ENV, raising=False)
    monkeypatch.setenv("SIGE_COURSE_PROGRESS", str(tmp_path / "p.json"))
    monkeypatch.setenv(chapter.APP_ENV, "a-kernel-id")
    bundle = chapter.exercises(1)._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.jupyter.widget-view+json", "text/plain"}
    assert bundle["text/plain"].startswith("第一章练习")


def test_a_rerun_shows_the_saved_answers_and_exports_exactly_them(tmp_path, monkeypatch):
    """Run a chapter, answer, then run it again (a new kernel): the answers are shown and the export holds them."""
    questions = bank_for_pillar(1).questions
    first = ChapterQuiz(questions, "1", store=ProgressStore(tmp_path / "progress.json"))
    answered = [i for i in first.items if i.question.type != "short"][:4]
    for item in answered:
        item.set_response(correct_response(item.question))
        item.submit_button.click()
    wrong = first.items[-1]
    wrong.set_response(type_of(wrong.question).wrong_response(wrong.question))
    wrong.submit_button.click()

    monkeypatch.chdir(tmp_path)  # the export is written beside the notebook
    again = ChapterQuiz(questions, "1", store=ProgressStore(tmp_path / "progress.json"))
    shown = {i.question.id: i for i in again.items if i.grade is not None}
    assert set(shown) == {i.question.id for i in answered} | {wrong.question.id}
    for item in answered:
        assert shown[item.question.id].response() == grade(item.question, correct_response(item.question)).response
        assert "回答正确" in shown[item.question.id].feedback.value
    assert shown[wrong.question.id].grade.verdict in ("incorrect", "partial")
    assert again.totals() == first.totals()

    again.results.name.value = "张三"
    path = again.results.export()
    exported = json.loads(path.read_text(encoding="utf-8"))["answers"]
    assert {qid: e["verdict"] for qid, e in exported.items()} == {qid: i.grade.verdict for qid, i in shown.items()}
