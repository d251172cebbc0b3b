"""The phone-first modes in Python: the seeded challenge draw, its scoring, the page data, and the notebook
widgets played through their API against a real results file."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from exercises.questions.challenge import RULE, draw, eligible, readable_answer, score, seed_problem
from exercises.questions.grading import correct_response, grade
from exercises.questions.progress import ProgressStore
from exercises.questions.results import schema_problems
from exercises.questions.types import type_of
from exercises.renderers.practice_html import ROUNDS, mode_html, page_data
from exercises.renderers.practice_widget import ChallengeWidget, PracticeWidget, WrongBookWidget


def test_a_round_is_reproducible_balanced_and_shuffled(banks):
    first, again = draw(7), draw(7)
    assert [q.id for q in first] == [q.id for q in again] and len(first) == RULE.count
    assert [type_of(q).form(q).to_json() for q in first] == [type_of(q).form(q).to_json() for q in again]
    assert [q.id for q in draw(8)] != [q.id for q in first]
    assert len({q.id for q in first}) == RULE.count and all(eligible(q) for q in first)
    pillars = Counter(q.pillar for q in first)
    assert set(pillars) == {1, 2, 3, 4} and max(pillars.values()) - min(pillars.values()) <= 1
    types = Counter(q.type for q in first)
    assert max(types.values()) - min(types.values()) <= 1, types
    original = {q.id: q for b in banks for q in b.questions}
    moved = 0
    for q in (q for seed in range(1, 6) for q in draw(seed)):
        assert grade(q, correct_response(q)).verdict == "correct"  # the key follows the shuffled choices
        moved += type_of(q).form(q).to_json() != type_of(original[q.id]).form(original[q.id]).to_json()
    assert moved > 10


@pytest.mark.parametrize("seed, count", [(-1, 10), ("1", 10), (True, 10), (1, 0), (1, 10_000), (1, 2.5)])
def test_bad_seeds_and_counts_are_refused_in_chinese(seed, count):
    problem = seed_problem(seed, count)
    assert problem and ("随机种子" in problem or "每轮题数" in problem)
    with pytest.raises(ValueError):
        draw(seed, count)


def test_scoring_rewards_streaks_and_time():
    assert score([{"verdict": "correct", "seconds": 1}] * 6) == [10, 15, 20, 25, 30, 30]
    assert score([{"verdict": "correct", "seconds": RULE.seconds}, {"verdict": "correct", "seconds": 0.5}]) == [0, 10]
    assert "限时 30 秒" in RULE.text() and "连续答对" in RULE.text()


def test_readable_answer_shows_texts_not_keys(banks):
    q = next(q for q in draw(3) if type_of(q).form(q).controls[0].__class__.__name__ == "Choice")
    form = type_of(q).form(q)
    shown = readable_answer(form, correct_response(q))
    texts = [t for _, t in form.controls[0].choices]
    assert shown and any(part in texts for part in shown.split("、"))
    assert readable_answer(form, None) == "（未作答）"


def test_challenge_page_ships_the_rounds_python_draws():
    data = page_data("challenge")
    assert [r["seed"] for r in data["rounds"]] == list(range(1, ROUNDS + 1))
    by_id = {q["id"]: q for q in data["questions"]}
    for shipped in data["rounds"][:5]:
        drawn = draw(shipped["seed"])
        assert [c["id"] for c in shipped["questions"]] == [q.id for q in drawn]
        for change, q in zip(shipped["questions"], drawn):
            merged = {**by_id[q.id], **change}
            assert merged["form"] == type_of(q).form(q).to_json()
            assert merged["answer_text"] and merged["stem"]
    assert data["rule"] == RULE.to_json()
    for mode in ("practice", "challenge", "wrongbook"):
        html = mode_html(mode)
        assert f'data-mode="{mode}"' in html and "</script>" in html and "JavaScript" in html
        ids = re.findall(r'\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)) and all(f'"{i}"' in html for i in re.findall(r'aria-labelledby="([^"]+)"', html))
    with pytest.raises(ValueError):
        mode_html("nope")


def _answer(widget, right: bool):
    q = widget.item.question
    widget.item.set_response(correct_response(q) if right else type_of(q).wrong_response(q))
    widget.item.submit()


def test_challenge_widget_plays_scores_and_records_a_round(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    ticks = iter(range(0, 10_000, 4))  # each question answered 4 s after it is shown
    widget = ChallengeWidget(seed=5, store=store, clock=lambda: next(ticks))
    plan = [True, True, False, True, True, True, True, False, True, True]
    for right in plan:
        _answer(widget, right)
        assert not widget.next_button.disabled
        widget.next_button.click()
    expected = score([{"verdict": "correct" if r else "incorrect", "seconds": 4} for r in plan])
    assert widget.points == sum(expected) == 10 + 15 + 0 + 10 + 15 + 20 + 25 + 0 + 10 + 15
    saved = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert schema_problems(saved) == []
    part = saved["practice_modes"]
    (round_,) = part["rounds"]
    assert round_["seed"] == 5 and round_["finished"] and round_["points"] == sum(expected) == part["points"]
    assert round_["questions"] == [q.id for q in draw(5)]
    assert [a["points"] for a in round_["answers"]] == expected
    # A trainer re-grades the recorded answers against the same draw.
    assert [grade(q, a["answer"]).verdict for q, a in zip(draw(5), round_["answers"])] == [a["verdict"] for a in round_["answers"]]
    wrong = {draw(5)[i].id for i, r in enumerate(plan) if not r}
    assert wrong <= set(part["wrong_book"]) and all(part["wrong_book"][i]["source"] == "challenge" for i in wrong)
    assert "本轮结果" in widget.holder.children[0].value


def test_wrong_book_widget_takes_chapter_misses_and_clears_after_two_right(tmp_path, banks, article):
    store = ProgressStore(tmp_path / "progress.json")
    q = next(q for q in banks[0].questions if eligible(q))
    store.record(grade(q, type_of(q).wrong_response(q)))
    book = WrongBookWidget(store=store)
    assert book.open_ids() == [q.id] and "错题本中有 1 道题" in book.book.value
    book.retry_button.click()
    book.item.set_response(type_of(q).wrong_response(q))
    book.item.submit()  # wrong again: the count starts over
    for _ in range(2):
        assert book.item.question.id == q.id
        book.item.set_response(correct_response(q))
        book.item.submit()
    assert book.open_ids() == [] and "错题本是空的" in book.book.value
    saved = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert saved["practice_modes"]["wrong_book"][q.id]["right"] == 2 and schema_problems(saved) == []
    assert saved["answers"][q.id]["verdict"] == "incorrect"  # the chapter's record is the learner's, untouched
    again = WrongBookWidget(store=ProgressStore(tmp_path / "progress.json"))
    assert again.open_ids() == [] and again.accuracy() == [(article.pillar(q.pillar).title, 0, 1)]
    assert "0 / 1" in again.record.value


def test_practice_widget_filters_and_records_like_the_chapters(tmp_path):
    store = ProgressStore(tmp_path / "progress.json")
    widget = PracticeWidget(store=store)
    widget.chapter.value = 2
    assert {q.pillar for q in widget.chosen()} == {2} and widget.index == 0
    first = widget.item.question
    _answer(widget, False)
    widget.next()
    assert widget.item.question is not first and "第 2 / " in widget.position.value
    saved = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert saved["answers"][first.id]["verdict"] == "incorrect" and first.id in saved["practice_modes"]["wrong_book"]
    widget.chapter.value = 0
    widget.measure.value = widget.measure.options[-1][1]
    assert widget.chosen() and all(q.measure == widget.measure.value for q in widget.chosen())


def test_results_schema_takes_the_section_and_still_takes_older_files(tmp_path):
    from exercises.questions.progress import empty_results

    assert schema_problems(empty_results("张三")) == []  # a file from before the section
    bad = {**empty_results(), "practice_modes": {"rounds": [{"id": "r", "kind": "challenge", "seed": -1,
                                                             "questions": [], "answers": []}]}}
    assert schema_problems(bad)
    wrong = {**empty_results(), "practice_modes": {"wrong_book": {"p1-01": {"verdict": "maybe", "time": "", "right": 0}}}}
    assert schema_problems(wrong)


def test_book_blocks_are_static_in_the_build_and_widgets_in_a_kernel(tmp_path, monkeypatch):
    from exercises.book import practice
    from exercises.book.chapter import STATIC_ENV

    monkeypatch.setenv("SIGE_COURSE_PROGRESS", str(tmp_path / "progress.json"))
    monkeypatch.setenv(STATIC_ENV, "1")
    bundle = practice.mode("wrongbook")._repr_mimebundle_()
    assert 'data-mode="wrongbook"' in bundle["text/html"]
    assert "**错题本**" in bundle["text/markdown"] and "重做答对" in bundle["text/markdown"]  # a form to fill in
    assert "计分规则" in practice.printed("challenge")
    monkeypatch.delenv(STATIC_ENV)
    assert isinstance(practice.mode("practice"), PracticeWidget)
    assert isinstance(practice.mode("wrongbook"), WrongBookWidget)
    challenge = practice.mode("challenge")
    assert isinstance(challenge, ChallengeWidget) and [q.id for q in challenge.questions] == [q.id for q in draw(challenge.seed)]
    saved = json.loads((tmp_path / "progress.json").read_text("utf-8"))
    assert saved["practice_modes"]["rounds"][0]["seed"] == challenge.seed and schema_problems(saved) == []


def test_challenge_widget_counts_down_and_a_late_answer_earns_nothing(tmp_path):
    now = [0.0]
    widget = ChallengeWidget(seed=2, store=ProgressStore(tmp_path / "progress.json"), clock=lambda: now[0])
    assert f"剩余 {RULE.seconds} 秒" in widget.timer.value and 'role="timer"' in widget.timer.value
    q = widget.item.question
    widget.item.set_response(correct_response(q))
    now[0] = RULE.seconds - 9.5
    widget.tick()
    assert "剩余 10 秒" in widget.timer.value and widget.answers == []
    now[0] = RULE.seconds + 0.2
    widget.tick()  # time is up: the right answer entered counts as late
    (late,) = widget.answers
    assert (late["verdict"], late["seconds"], late["points"]) == ("correct", RULE.seconds, 0)
    assert "时间到" in widget.item.feedback.value and not widget.next_button.disabled
    widget.item.submit()  # no second record for the same question
    assert len(widget.answers) == 1
    widget.next_button.click()
    now[0] += RULE.seconds + 1
    widget.tick()  # nothing entered: recorded unanswered
    assert widget.answers[1]["verdict"] == "unanswered" and widget.answers[1]["points"] == 0
