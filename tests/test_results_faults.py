"""Hostile results data, at the level a learner and a trainer meet it: times outside the calendar, one bad answer
in a file, practice-mode records the widgets did not write, challenge scores and seeds out of range."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from exercises import __version__
from exercises.cli import main as course
from exercises.questions.bank import load_all
from exercises.questions.challenge import draw, score
from exercises.questions.grading import correct_response, grade
from exercises.questions.progress import ProgressStore
from exercises.questions.results import EARLIEST, LATEST, parse_time, utc_text
from exercises.questions.versions import fingerprint
from exercises.renderers.practice_widget import ChallengeWidget, WrongBookWidget

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE = ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "1969-12-31T23:59:59+00:00",
           "2200-01-01T00:00:00+00:00", "9999-12-31T23:59:59", "0001-01-01", "", "昨天", "x" * 5000]


def _questions():
    return [q for bank in load_all() for q in bank.questions if q.options][:4]


def _entry(q, response, time="2026-11-27T09:00:00+00:00") -> dict:
    g = grade(q, response)
    return {"answer": g.response, "verdict": g.verdict, "score": g.score, "points": g.points, "time": time,
            "question_version": fingerprint(q)}


def _document(name: str, number: str, answers: dict, updated="2026-11-27T10:00:00+00:00", **extra) -> dict:
    return {"format": "sige-course-results", "version": 2, "course_version": __version__, "learner": name,
            "learner_id": number, "updated": updated, "answers": answers, **extra}


@pytest.mark.parametrize("text", OUTSIDE)
def test_times_outside_the_calendar_are_no_times(text):
    assert parse_time(text) is None and utc_text(text) is None
    assert parse_time("2026-11-27T09:00:00+08:00") == parse_time("2026-11-27T01:00:00Z")
    assert EARLIEST <= parse_time("1970-01-01T00:00:00Z") < LATEST


@pytest.mark.process
def test_a_file_with_times_outside_the_calendar_neither_stops_the_report_nor_the_import(tmp_path, monkeypatch):
    q1, q2, *_ = _questions()
    folder = tmp_path / "交来的"
    folder.mkdir()
    for number, (updated, answered) in enumerate([(OUTSIDE[0], OUTSIDE[1]), (OUTSIDE[1], OUTSIDE[0]),
                                                  ("2026-11-27T10:00:00+00:00", "2026-11-27T09:00:00+00:00")], start=1):
        doc = _document(f"学员{number}", str(number), {q1.id: _entry(q1, correct_response(q1), answered)},
                        updated, assessment={"attempts": [{"id": "attempt-1", "paper": "p", "submitted": answered,
                                                           "answers": {q2.id: _entry(q2, correct_response(q2), answered)}}]})
        (folder / f"{number}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "报告"
    assert course(["report", str(folder), str(out)]) == 0
    rows = (out / "learners.csv").read_text("utf-8-sig")
    assert all(f"学员{n}" in rows for n in (1, 2, 3))
    html = (out / "report.html").read_text("utf-8")
    assert "updated 不是有效的时间" in html
    monkeypatch.setenv("SIGE_COURSE_RECORDS", str(tmp_path / "records.sqlite"))
    assert course(["records", "batch", "一期"]) == 0
    assert course(["records", "import", "一期", str(folder)]) == 0


def test_the_progress_store_reads_times_outside_the_calendar(tmp_path):
    q = _questions()[0]
    path = tmp_path / "progress.json"
    path.write_text(json.dumps(_document("甲", "1", {q.id: _entry(q, correct_response(q), OUTSIDE[1])}, OUTSIDE[0])),
                    encoding="utf-8")
    store = ProgressStore(path)
    assert q.id in store.data["answers"] and "updated" in store.message
    store.record(grade(q, correct_response(q)))  # a real time beats the impossible one
    assert ProgressStore(path).data["answers"][q.id]["time"] != OUTSIDE[1]


BAD_ANSWERS = ['{"answer": NaN, "verdict": "correct"}', '{"answer": "\\ud800", "verdict": "correct"}',
               '{"answer": "A", "verdict": "完全正确"}', '{"answer": "A", "verdict": "correct", "time": 5}',
               '{"answer": "A", "verdict": "correct", "question_version": 12}', '"A"', '{"verdict": "correct"}']


@pytest.mark.parametrize("bad", BAD_ANSWERS)
def test_one_bad_answer_in_a_progress_file_costs_only_that_answer(tmp_path, bad):
    q1, q2, *_ = _questions()
    good = json.dumps(_entry(q2, correct_response(q2)), ensure_ascii=False)
    path = tmp_path / "progress.json"
    path.write_text('{"format": "sige-course-results", "version": 2, "learner": "甲", "answers": {'
                    f'"{q1.id}": {bad}, "{q2.id}": {good}}}}}', encoding="utf-8")
    store = ProgressStore(path)
    assert set(store.data["answers"]) == {q2.id}
    assert f"题目 {q1.id} 的记录" in store.message and "已略去" in store.message and "\n" not in store.message
    backups = list(tmp_path.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and bad in backups[0].read_text("utf-8")  # the file as it was, kept once
    store.record(grade(q1, correct_response(q1)))
    assert set(json.loads(path.read_text("utf-8"))["answers"]) == {q1.id, q2.id}
    assert len(list(tmp_path.glob("progress.json.corrupt-*"))) == 1


@pytest.mark.process
def test_the_report_keeps_the_good_answers_of_a_file_and_names_the_bad_one(tmp_path):
    q1, q2, *_ = _questions()
    folder = tmp_path / "in"
    folder.mkdir()
    good = json.dumps(_entry(q2, correct_response(q2)), ensure_ascii=False)
    (folder / "a.json").write_text('{"format": "sige-course-results", "version": 2, "learner": "甲", "learner_id": "7", '
                                   f'"answers": {{"{q1.id}": {{"answer": NaN}}, "{q2.id}": {good}}}}}', encoding="utf-8")
    out = tmp_path / "out"
    assert course(["report", str(folder), str(out)]) == 0
    html = (out / "report.html").read_text("utf-8")
    assert f"题目 {q1.id} 的记录含有非有限数值" in html
    row = next(r for r in (out / "learners.csv").read_text("utf-8-sig").splitlines() if r.startswith("7,"))
    assert row.split(",")[3] == f"{q2.points:g}"  # the good answer counted


STORED_MODES = [
    ("wrong_book", {"p1-01": {"verdict": "incorrect", "time": "2026-11-27T09:00:00+00:00", "right": "2"}}, "错题本中题目 p1-01"),
    ("wrong_book", {"p1-01": {"verdict": "incorrect", "time": "2026-11-27T09:00:00+00:00", "right": None}}, "错题本中题目 p1-01"),
    ("wrong_book", {"p1-01": {"verdict": "incorrect", "time": "t", "right": 0, "source": ["answers"]}}, "错题本中题目 p1-01"),
    ("rounds", [{"id": "r", "kind": "challenge", "seed": 1, "questions": ["p1-01"], "answers": 5}], "挑战答题第 2 轮"),
    ("rounds", [{"id": "r", "kind": "challenge", "seed": 1, "questions": ["p1-01"], "answers": None}], "挑战答题第 2 轮"),
    ("rounds", [{"id": "r", "kind": "challenge", "seed": 1, "questions": [],
                 "answers": [{"question": ["p1-01"], "answer": "A", "verdict": "correct"}]}], "挑战答题第 2 轮"),
    ("rounds", [{"id": "r", "kind": "challenge", "seed": 1, "questions": [],
                 "answers": [{"question": {"id": "p1-01"}, "answer": "A", "verdict": "correct"}]}], "挑战答题第 2 轮"),
    ("rounds", [{"id": "r", "kind": "challenge", "seed": 1, "questions": [], "answers": [], "asked": 12}], "挑战答题第 2 轮"),
]


@pytest.mark.parametrize("key, bad, named", STORED_MODES)
def test_the_practice_widgets_set_aside_only_the_bad_stored_entry(tmp_path, key, bad, named):
    good_wrong = {"p2-01": {"answer": "A", "verdict": "incorrect", "source": "answers", "time": "2026-11-27T09:00:00+00:00",
                            "right": 0}}
    good_round = [{"id": "ok", "kind": "challenge", "seed": 2, "questions": ["p2-01"], "answers": [],
                   "finished": "2026-11-27T09:10:00+00:00", "points": 10}]
    modes = {"points": 10, "wrong_book": {**good_wrong, **(bad if key == "wrong_book" else {})},
             "rounds": good_round + (bad if key == "rounds" else [])}
    path = tmp_path / "progress.json"
    path.write_text(json.dumps(_document("甲", "1", {}, practice_modes=modes), ensure_ascii=False), encoding="utf-8")
    book = WrongBookWidget(ProgressStore(path))
    notice = book.children[0].value
    assert named in notice and "已略去" in notice
    assert "p2-01" in book.open_ids() and "p1-01" not in book.open_ids()
    assert "已完成挑战 1 轮" in book.record.value
    ChallengeWidget(seed=3, store=ProgressStore(path))  # a round starts over the repaired section
    rounds = json.loads(path.read_text("utf-8"))["practice_modes"]["rounds"]
    assert [r["id"] for r in rounds][0] == "ok" and len(rounds) == 2


@pytest.mark.parametrize("answers", [None, 5, "x", {"verdict": "correct"}, [None, 3, "x"],
                                     [{"verdict": "correct", "seconds": 10**400}, {"verdict": "correct"}],
                                     [{"verdict": "correct", "seconds": float("nan")}],
                                     [{"verdict": "correct", "seconds": -1}]])
def test_challenge_score_never_raises(answers):
    points = score(answers)
    assert isinstance(points, list) and all(p == 0 for p in points)


@pytest.mark.parametrize("seed", ["huge", "-huge", 2**53, -1, 1.5, "1", None, True])
def test_a_round_seed_out_of_range_is_refused_in_chinese(seed):
    seed = {"huge": 10**5000, "-huge": -10**5000}.get(seed, seed) if isinstance(seed, str) else seed
    with pytest.raises(ValueError) as caught:
        draw(seed)
    message = str(caught.value)
    assert "随机种子应为 0 到 9007199254740991 之间的整数" in message and len(message) < 120

