"""One source of truth for grading: shared vectors run through grading.py and the page's selfcheck.js."""
from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from exercises.questions.bank import build_bank
from exercises.questions.grading import grade
from exercises.questions.results import clean_name, export_name
from exercises.renderers.pagescript import page_settings, question_payload, script_json, t2s_map

ROOT = Path(__file__).resolve().parents[1]
VECTORS = json.loads((ROOT / "exercises" / "data" / "grading-vectors.json").read_text(encoding="utf-8"))
SCRIPT = ROOT / "exercises" / "static" / "selfcheck.js"


def _questions():
    data = {"pillar": 1, "discussion": [], "terms": [], "questions": list(VECTORS["questions"].values())}
    bank = build_bank(Path("grading-vectors.json"), data)
    return {name: bank.question(q["id"]) for name, q in VECTORS["questions"].items()}


QUESTIONS = _questions()


def _expand(value, times):
    """Repeat every string of a response ``times`` times (keeps the vectors file small)."""
    if isinstance(value, str):
        return value * times
    if isinstance(value, list):
        return [_expand(v, times) for v in value]
    if isinstance(value, dict):
        return {k: _expand(v, times) for k, v in value.items()}
    return value


def _response(vector):
    return _expand(vector["response"], vector.get("repeat", 1))


def _plain(value):
    """A grader result as JSON data, for comparing Python with JavaScript."""
    return json.loads(json.dumps(value))


def test_vectors_cover_every_type_and_hostile_input():
    types = {QUESTIONS[v["question"]].type for v in VECTORS["vectors"]}
    assert types == {"single", "multiple", "truefalse", "fill", "order", "match", "short"}
    responses = json.dumps([v["response"] for v in VECTORS["vectors"]], ensure_ascii=False)
    for hostile in ("<script>", "onerror", "\\u0000", "錯誤", "區域發展", "Ａ", "null"):
        assert hostile in responses
    assert any(v.get("repeat") == 100000 for v in VECTORS["vectors"])
    verdicts = {v["verdict"] for v in VECTORS["vectors"]}
    assert verdicts == {"correct", "partial", "incorrect", "unanswered"}


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=[v["name"] for v in VECTORS["vectors"]])
def test_python_grader(vector):
    result = grade(QUESTIONS[vector["question"]], _response(vector))
    assert (result.verdict, result.score) == (vector["verdict"], vector["score"])
    assert all(len(d) < 5000 for d in result.details)


def _script_cases():
    vectors = [v for v in VECTORS["vectors"] if QUESTIONS[v["question"]].type != "short"]
    return vectors, [{"q": question_payload(QUESTIONS[v["question"]]), "response": _response(v)} for v in vectors]


RUN_CASES = """([cases, names, settings]) => ({
  grades: cases.map(c => SigeGrading.grade(c.q, c.response, settings)),
  names: names.map(n => [SigeGrading.cleanName(n.learner, settings), SigeGrading.cleanName(n.learner_id, settings),
                         SigeGrading.exportName(n.learner, n.learner_id, settings)]),
})"""


def _check_script_results(vectors, results):
    mismatches = []
    for vector, got in zip(vectors, results["grades"]):
        python = _plain(dataclasses.asdict(grade(QUESTIONS[vector["question"]], _response(vector))))
        expected = {"verdict": vector["verdict"], "score": vector["score"], "details": python["details"],
                    "response": python["response"], "points": python["points"]}
        seen = {k: got[k] for k in expected}
        if seen != expected:
            mismatches.append((vector["name"], str(seen)[:300], str(expected)[:300]))
    for case, got in zip(VECTORS["names"], results["names"]):
        if got != [case["clean_learner"], case["clean_learner_id"], case["file"]]:
            mismatches.append((case["learner"], got))
    assert len(results["grades"]) == len(vectors) and len(results["names"]) == len(VECTORS["names"])
    assert mismatches == []


def test_python_names_follow_the_vectors():
    for case in VECTORS["names"]:
        assert clean_name(case["learner"]) == case["clean_learner"]
        assert clean_name(case["learner_id"]) == case["clean_learner_id"]
        assert export_name(case["learner"], case["learner_id"]) == case["file"]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js（Debian 软件包 nodejs）未安装")
def test_page_script_agrees_with_python_in_node(tmp_path):
    """selfcheck.js in Node: the same verdicts, scores, details and names as Python, without a browser."""
    vectors, cases = _script_cases()
    data = tmp_path / "cases.json"
    data.write_text(json.dumps([cases, VECTORS["names"], page_settings()], ensure_ascii=False), encoding="utf-8")
    program = (f"const SigeGrading = require({json.dumps(str(SCRIPT))});\n"
               f"const input = JSON.parse(require('fs').readFileSync({json.dumps(str(data))}, 'utf8'));\n"
               f"process.stdout.write(JSON.stringify(({RUN_CASES})(input)));")
    result = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    _check_script_results(vectors, json.loads(result.stdout))


def test_page_script_agrees_with_python(chromium):
    """selfcheck.js in real Chromium: same verdict and score as the vectors, same details as Python."""
    vectors, cases = _script_cases()
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_content("<!doctype html><html lang='zh-CN'><body></body></html>")
    page.add_script_tag(path=str(SCRIPT))
    results = page.evaluate(RUN_CASES.replace("SigeGrading.", "window.SigeGrading."),
                            [cases, VECTORS["names"], page_settings()])
    page.close()
    assert errors == []
    _check_script_results(vectors, results)


def test_traditional_map_comes_from_opencc():
    mapping = t2s_map(["区域发展", "学"])
    assert mapping["區"] == "区" and mapping["發"] == "发" and mapping["學"] == "学"
    assert "髮" in mapping  # both Traditional forms of 发
    assert all(set(s) & set("区域发展学") for s in mapping.values())


def test_embedded_json_cannot_end_its_script_element():
    text = script_json({"x": "</script><img src=x onerror=alert(1)>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><img src=x onerror=alert(1)>&"}


# ---- challenge scoring (exercises/questions/challenge.py and static/practice.js) ---------------------------

PRACTICE_SCRIPT = ROOT / "exercises" / "static" / "practice.js"
CHALLENGE = VECTORS["challenge"]
RUN_CHALLENGE = """([cases, rule]) => cases.map(c => SigePractice.score(c.answers, rule))"""


def test_challenge_vectors_use_the_shipped_rule_and_cover_the_edges():
    from exercises.questions.challenge import RULE

    assert CHALLENGE["rule"] == RULE.to_json()
    seconds = [a.get("seconds") for c in CHALLENGE["cases"] for a in c["answers"] if isinstance(a, dict)]
    assert RULE.seconds in seconds and any(isinstance(s, str) for s in seconds) and None in seconds
    assert max(max(c["points"], default=0) for c in CHALLENGE["cases"]) == RULE.per_correct + RULE.streak_bonus * RULE.bonus_cap


@pytest.mark.parametrize("case", CHALLENGE["cases"], ids=[c["name"] for c in CHALLENGE["cases"]])
def test_python_challenge_scoring(case):
    from exercises.questions.challenge import Rule, score

    points = score(case["answers"], Rule(**CHALLENGE["rule"]))
    assert (points, sum(points)) == (case["points"], case["total"])


def _check_challenge(results):
    assert [(r, sum(r)) for r in results] == [(c["points"], c["total"]) for c in CHALLENGE["cases"]]


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js（Debian 软件包 nodejs）未安装")
def test_challenge_scoring_in_node_agrees(tmp_path):
    data = tmp_path / "challenge.json"
    data.write_text(json.dumps([CHALLENGE["cases"], CHALLENGE["rule"]], ensure_ascii=False), encoding="utf-8")
    program = (f"const SigePractice = require({json.dumps(str(PRACTICE_SCRIPT))});\n"
               f"const input = JSON.parse(require('fs').readFileSync({json.dumps(str(data))}, 'utf8'));\n"
               f"process.stdout.write(JSON.stringify(({RUN_CHALLENGE})(input)));")
    result = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    _check_challenge(json.loads(result.stdout))


def test_challenge_scoring_in_chromium_agrees(chromium):
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_content("<!doctype html><html lang='zh-CN'><body></body></html>")
    page.add_script_tag(path=str(PRACTICE_SCRIPT))
    results = page.evaluate(RUN_CHALLENGE.replace("SigePractice.", "window.SigePractice."),
                            [CHALLENGE["cases"], CHALLENGE["rule"]])
    page.close()
    assert errors == []
    _check_challenge(results)
