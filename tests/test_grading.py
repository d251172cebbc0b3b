"""Every grader: right, wrong, partial, and hostile input never raises."""
import pytest

from exercises.questions.bank import Question, load_all
from exercises.questions.grading import MAX_TEXT, correct_response, grade, normalize

HOSTILE = [
    None, 0, -1, 3.5, True, False, "", " ", "\u3000", [], {}, (), set(), object(),
    "x" * 100_000, "<script>alert(1)</script>", '<img src=x onerror="alert(1)">',
    "\x00\x01\x1b[31m\u202e", ["<script>"] * 50, {"<b>": "<i>"}, [None, 3, {}], b"bytes",
    float("nan"), 10**100, "Ａ", "ｂ", "對", "錯誤",
]


def all_questions():
    return [q for bank in load_all() for q in bank.questions]


def by_type(kind: str) -> Question:
    return next(q for q in all_questions() if q.type == kind)


@pytest.mark.parametrize("question", all_questions(), ids=lambda q: q.id)
def test_correct_response_earns_full_marks(question):
    result = grade(question, correct_response(question))
    assert result.verdict == "correct" and result.score == question.points


@pytest.mark.parametrize("question", all_questions(), ids=lambda q: q.id)
def test_hostile_input_never_raises(question):
    for response in HOSTILE:
        result = grade(question, response)
        assert result.verdict in ("correct", "partial", "incorrect", "unanswered")
        assert 0 <= result.score <= question.points
        assert all(isinstance(d, str) for d in result.details)
        assert all(len(d) < MAX_TEXT + 500 for d in result.details)
        assert "\x00" not in "".join(result.details) and "\x1b" not in "".join(result.details)


def test_single_choice_variants():
    q = by_type("single")
    wrong = next(k for k in "ABCD" if k != q.answer)
    assert grade(q, q.answer.lower()).verdict == "correct"
    assert grade(q, chr(ord(q.answer) + 0xFEE0)).verdict == "correct"  # full-width letter
    assert grade(q, "ABCD".index(q.answer)).verdict == "correct"
    assert grade(q, wrong).verdict == "incorrect"
    assert grade(q, None).verdict == "unanswered"
    assert grade(q, True).verdict == "unanswered"


def test_multiple_choice_partial_credit_rule():
    q = next(q for q in all_questions() if q.type == "multiple" and len(q.answer) >= 2)
    extra = next(k for k in "ABCDEF"[: len(q.options)] if k not in q.answer)
    assert grade(q, list(q.answer)[:1]).verdict == "partial"
    assert grade(q, list(q.answer)[:1]).score == pytest.approx(q.points / len(q.answer), abs=0.01)
    assert grade(q, [*q.answer, extra]).score == 0
    assert grade(q, [*q.answer, *q.answer]).verdict == "correct"


def test_truefalse_accepts_words():
    q = by_type("truefalse")
    word = "正确" if q.answer else "错误"
    traditional = "正確" if q.answer else "錯誤"
    assert grade(q, word).verdict == "correct"
    assert grade(q, traditional).verdict == "correct"
    assert grade(q, not q.answer).verdict == "incorrect"
    assert grade(q, "也许").verdict == "unanswered"


def test_fill_normalises_width_space_and_traditional():
    q = next(q for q in all_questions() if q.type == "fill" and len(q.blanks) == 2)
    a, b = q.blanks[0][0], q.blanks[1][0]
    import opencc

    traditional = opencc.OpenCC("s2t").convert(a)
    assert grade(q, [f"  {traditional} ", f"“{b}”"]).verdict == "correct"
    assert grade(q, [a, "错的"]).verdict == "partial"
    assert grade(q, [a, "错的"]).score == q.points / 2
    assert grade(q, a).verdict == "partial"  # a bare string fills the first blank
    assert grade(q, ["", ""]).verdict == "unanswered"


def test_order_scores_positions():
    q = by_type("order")
    reversed_items = list(reversed(q.items))
    result = grade(q, reversed_items)
    expected = sum(a == b for a, b in zip(reversed_items, q.items)) / len(q.items)
    assert result.score == pytest.approx(q.points * expected, abs=0.01)
    assert grade(q, q.items[:1]).verdict == "partial"


def test_match_scores_pairs():
    q = by_type("match")
    pairs = dict(q.pairs)
    lefts = list(pairs)
    swapped = {**pairs, lefts[0]: pairs[lefts[1]], lefts[1]: pairs[lefts[0]]}
    result = grade(q, swapped)
    assert result.verdict == "partial"
    assert result.score == pytest.approx(q.points * (len(lefts) - 2) / len(lefts), abs=0.01)


def test_short_answer_keypoint_coverage():
    q = by_type("short")
    first_point, first_terms = q.keypoints[0]
    result = grade(q, f"我认为{first_terms[0]}很重要。")
    assert result.verdict == "partial"
    assert any(first_point in d for d in result.details if d.startswith("已答到"))
    assert any("参考分" in d for d in result.details)
    assert grade(q, "完全无关的回答").verdict == "incorrect"


def test_short_answer_words_in_any_order():
    q = by_type("short")
    import opencc

    traditional = opencc.OpenCC("s2t").convert(q.answer)
    assert grade(q, traditional).verdict == "correct"


def test_normalize():
    assert normalize("  ＡＢ　c ") == "abc"
    assert normalize("學習，「習近平」") == "学习习近平"
    assert normalize(None) == "" and normalize(123) == ""
