"""Question types are one module each: a toy type registered here, and nowhere else, is taken by the bank
loader, the grader, the widget, the static HTML and the print form; golden files pin each built-in type's
HTML and print form."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from exercises.questions.bank import BankError, build_bank, load_bank
from exercises.questions.form import Form, TextField
from exercises.questions.grading import correct_response, grade
from exercises.questions.normalize import normalize
from exercises.questions.outcome import scored, unanswered
from exercises.questions.types import REGISTRY, QuestionType, register, type_of, unregister
from exercises.renderers.html import question_html
from exercises.renderers.print_form import question_markdown
from exercises.renderers.widget import QuestionWidget

GOLDEN = Path(__file__).parent / "golden"


class YearType(QuestionType):
    """A toy type: type the year a sentence names, e.g. 2035."""

    name = "year"
    label = "年份题"
    default_points = 1.0
    rule = "写对年份得满分。"
    properties = {"answer": {"type": "integer", "minimum": 1900, "maximum": 2100}}
    required = ("answer",)
    texts = {"unanswered": "请写一个年份。", "right": "你写了 {year}，正确。", "wrong": "你写了 {year}，应为 {answer}。",
             "label": "年份"}
    page_check = False

    def check(self, raw):
        return [("answer", "年份不能早于 2000 年")] if raw["answer"] < 2000 else []

    def build(self, raw):
        return {"answer": raw["answer"]}

    def grade(self, q, response):
        text = normalize(response)
        if not text.isdigit():
            return unanswered(q, None, self.say("unanswered"))
        right = int(text) == q.answer
        return scored(q, float(right), int(text), [self.say("right" if right else "wrong", year=text, answer=q.answer)])

    def answer_text(self, q):
        return f"{q.answer} 年"

    def correct_response(self, q):
        return str(q.answer)

    def wrong_response(self, q):
        return str(q.answer + 1)

    def form(self, q):
        return Form((TextField(self.say("label")),))


@pytest.fixture
def year_type():
    register(YearType())
    yield REGISTRY["year"]
    unregister("year")


def _bank(tmp_path, banks, entry) -> Path:
    data = yaml.safe_load(banks[0].path.read_text(encoding="utf-8"))
    data["questions"].append(entry)
    path = tmp_path / "p1-toy.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _year_question(article, **changes):
    entry = {"id": "p1-99", "type": "year", "stem": "文章要求到哪一年完成改革任务？",
             "explanation": "原文这样写。", "source": article.pillars[0].title, "answer": 2029}
    return {**entry, **changes}


def test_a_toy_type_registered_in_the_test_works_everywhere(year_type, tmp_path, banks, article):
    bank = load_bank(_bank(tmp_path, banks, _year_question(article)))
    q = bank.question("p1-99")
    assert type_of(q) is year_type and q.points == 1.0
    assert grade(q, "２０２９").verdict == "correct"
    assert grade(q, "2030").details == ("你写了 2030，应为 2029。",)
    assert grade(q, "<b>").verdict == "unanswered"
    assert grade(q, correct_response(q)).score == 1.0

    widget = QuestionWidget(q, "1-99")
    widget.set_response("2029")
    assert widget.submit().verdict == "correct" and "2029 年" in widget.feedback.value
    assert widget.controls[0].description == "年份"

    html = question_html(q, "1-99")
    assert "年份题" in html and "2029 年" in html and 'class="sige-check"' not in html  # no page grader: key only
    printed = question_markdown(q, "1-99", "trainer")
    assert "（年份题，1 分）" in printed and "年份：＿＿＿＿＿＿＿＿" in printed and "**答案**：2029 年" in printed
    assert "2029" not in question_markdown(q, "1-99", "learner")


def test_the_toy_types_own_rules_are_enforced_by_the_loader(year_type, tmp_path, banks, article):
    with pytest.raises(BankError) as caught:
        load_bank(_bank(tmp_path, banks, _year_question(article, answer=1999, options=["A", "B"])))
    message = str(caught.value)
    assert "题目 p1-99，字段 answer：年份不能早于 2000 年" not in message  # schema errors come first
    assert "题目 p1-99，字段 options：不认识的字段（拼写错误？年份题不用这个字段）" in message
    with pytest.raises(BankError, match="题目 p1-99，字段 answer：年份不能早于 2000 年"):
        load_bank(_bank(tmp_path, banks, _year_question(article, answer=1999)))


def test_an_unregistered_type_is_refused(tmp_path, banks, article):
    with pytest.raises(BankError, match="题目 p1-99，字段 type：取值 'year' 不在允许的取值中"):
        load_bank(_bank(tmp_path, banks, _year_question(article)))


def test_every_builtin_type_supplies_its_samples(banks):
    for q in (q for b in banks for q in b.questions):
        kind = type_of(q)
        assert grade(q, kind.correct_response(q)).verdict == "correct", q.id
        assert grade(q, kind.wrong_response(q)).verdict == "incorrect", q.id
        assert grade(q, None).verdict == "unanswered", q.id
        form = kind.form(q)
        assert form.response(form.values(kind.correct_response(q))) == kind.correct_response(q), q.id


def _fixture_questions() -> dict:
    """One fixed question of each type (the shared grading vectors' questions), independent of the banks."""
    vectors = json.loads((Path(__file__).resolve().parents[1] / "exercises/data/grading-vectors.json").read_text("utf-8"))
    data = {"pillar": 1, "discussion": [], "terms": [], "questions": list(vectors["questions"].values())}
    bank = build_bank(Path("grading-vectors.json"), data)
    return {q.type: q for q in reversed(bank.questions)}


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_html_and_print_forms_match_the_golden_files(kind):
    """Snapshots of one question of each type; refresh with SIGE_UPDATE_GOLDEN=1 after a deliberate change."""
    q = _fixture_questions()[kind]
    forms = {"html": question_html(q, "0-1"), "learner.md": question_markdown(q, "0-1", "learner"),
             "trainer.md": question_markdown(q, "0-1", "trainer")}
    for suffix, text in forms.items():
        path = GOLDEN / f"{kind}.{suffix}"
        if os.environ.get("SIGE_UPDATE_GOLDEN"):
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.read_text(encoding="utf-8") == text, f"{path.name} differs (SIGE_UPDATE_GOLDEN=1 to refresh)"


def test_golden_html_holds_the_payload_the_page_script_needs():
    text = (GOLDEN / "match.html").read_text(encoding="utf-8")
    payload = json.loads(text.split('class="sige-data">')[1].split("</script>")[0])
    assert payload["form"]["shape"] == "by_label" and payload["texts"]["none"] == "（未选）"


# ---- an eighth type added as one module ----------------------------------------------------------
TOY_MODULE = '''"""A toy type: the year a sentence names, within a tolerance of its own."""
from __future__ import annotations

from ..form import Form, TextField
from ..normalize import normalize
from ..outcome import scored, unanswered
from .base import QuestionType


class YearType(QuestionType):
    name = "year"
    label = "年份题"
    position = 8
    rule = "写对年份得满分。"
    properties = {"answer": {"type": "integer"}, "tolerance": {"type": "integer", "minimum": 0}}
    required = ("answer", "tolerance")
    texts = {"unanswered": "请写一个年份。", "right": "正确。", "wrong": "应为 {answer}。", "label": "年份"}
    page_check = False

    def build(self, raw):
        return {"answer": raw["answer"], "tolerance": raw["tolerance"]}

    def grade(self, q, response):
        text = normalize(response)
        if not text.isdigit():
            return unanswered(q, None, self.say("unanswered"))
        right = abs(int(text) - q.answer) <= q.tolerance
        return scored(q, float(right), int(text), [self.say("right" if right else "wrong", answer=q.answer)])

    def answer_text(self, q):
        return f"{q.answer} 年（前后 {q.tolerance} 年内都对）"

    def correct_response(self, q):
        return str(q.answer + q.tolerance)

    def wrong_response(self, q):
        return str(q.answer + q.tolerance + 1)

    def form(self, q):
        return Form((TextField(self.say("label")),))


TYPE = YearType()
'''
TOY_FILES = {"questions/types/year.py": TOY_MODULE}  # every file the new type adds to the package
USE_THE_TOY = '''
import json, sys
from pathlib import Path
from exercises.questions.bank import load_bank
from exercises.questions.grading import grade
from exercises.questions.types import REGISTRY
from exercises.renderers.html import question_html
from exercises.renderers.pagescript import question_payload
from exercises.renderers.print_form import question_markdown
from exercises.renderers.widget import QuestionWidget

q = load_bank(Path(sys.argv[1])).question("p1-99")
widget = QuestionWidget(q, "1-99")
widget.set_response("2030")
print(json.dumps({"types": list(REGISTRY), "tolerance": q.tolerance, "options": q.options,
                  "verdicts": [grade(q, r).verdict for r in ("2030", "2031", "２０２８", "<b>")],
                  "widget": widget.submit().verdict, "html": "年份题" in question_html(q, "1-99"),
                  "payload": question_payload(q)["type"], "print": question_markdown(q, "1-99", "trainer")},
                 ensure_ascii=False))
'''


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.process
def test_an_eighth_type_is_one_new_module(tmp_path, banks, article):
    """A copy of the package with one module added to questions/types (and nothing else changed) loads, grades,
    draws and prints a question of the new type, with a field of its own."""
    import shutil
    import subprocess
    import sys

    package = Path(__file__).resolve().parents[1] / "exercises"
    copy = tmp_path / "copy" / "exercises"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for name, source in TOY_FILES.items():
        (copy / name).write_text(source, encoding="utf-8")
    assert set(_files(copy)) - set(_files(package)) == set(TOY_FILES)
    assert all(_files(package)[name] == data for name, data in _files(copy).items() if name in _files(package))
    entry = {"id": "p1-99", "type": "year", "stem": "文章要求到哪一年完成改革任务？", "explanation": "原文这样写。",
             "source": article.pillars[0].title, "answer": 2029, "tolerance": 1}
    env = {**os.environ, "PYTHONPATH": str(copy.parent), "TMPDIR": str(tmp_path),
           "SIGE_COURSE_PROGRESS": str(tmp_path / "progress.json")}
    done = subprocess.run([sys.executable, "-c", USE_THE_TOY, str(_bank(tmp_path, banks, entry))], env=env,
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout)
    assert seen["types"][-1] == "year" and seen["tolerance"] == 1 and seen["options"] == []
    assert seen["verdicts"] == ["correct", "incorrect", "correct", "unanswered"] and seen["widget"] == "correct"
    assert seen["html"] and seen["payload"] == "year"
    assert "（年份题，1 分）" in seen["print"] and "2029 年（前后 1 年内都对）" in seen["print"]


def test_architecture_states_the_files_a_new_type_touches():
    """ARCHITECTURE.md's count for a new type is the count the toy type above needed (one new module)."""
    import re

    text = (Path(__file__).resolve().parents[1] / "ARCHITECTURE.md").read_text(encoding="utf-8")
    stated = re.search(r"\*\*A new question type: (\d+) files?\*\*", text)
    assert stated and int(stated.group(1)) == len(TOY_FILES)
