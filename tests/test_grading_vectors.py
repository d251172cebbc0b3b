"""One source of truth for grading: shared vectors run through grading.py and the page's grading core
(static/sige-grading.js, an ES module) in Node and in Chromium; the same for challenge scoring and the
option shuffle."""
from __future__ import annotations

import dataclasses
import functools
import json
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from exercises.questions.bank import build_bank
from exercises.questions.grading import grade
from exercises.questions.results import clean_name, export_name
from exercises.questions.types import REGISTRY
from exercises.renderers.pagescript import page_settings, question_payload, script_json, t2s_map

ROOT = Path(__file__).resolve().parents[1]
VECTORS = json.loads((ROOT / "exercises" / "data" / "grading-vectors.json").read_text(encoding="utf-8"))
STATIC = ROOT / "exercises" / "static"
MODULES = {"SigeGrading": "sige-grading.js", "SigeNaming": "sige-naming.js", "SigeChallenge": "sige-challenge.js",
           "SigeShuffle": "sige-shuffle.js"}


def run_in_node(function: str, argument, tmp_path) -> object:
    """``function`` (a JavaScript arrow function of one argument) run in Node with the page modules imported."""
    data = tmp_path / "input.json"
    data.write_text(json.dumps(argument, ensure_ascii=False), encoding="utf-8")
    imports = "".join(f"import * as {name} from {json.dumps((STATIC / file).as_uri())};\n" for name, file in MODULES.items())
    program = (f"{imports}import {{ readFileSync }} from 'node:fs';\n"
               f"const input = JSON.parse(readFileSync({json.dumps(str(data))}, 'utf8'));\n"
               f"process.stdout.write(JSON.stringify(({function})(input)));")
    result = subprocess.run(["node", "--input-type=module", "-e", program], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def static_site():
    """exercises/static over HTTP (modules do not load from file: addresses)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(STATIC)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def run_in_chromium(chromium, site: str, function: str, argument) -> object:
    """``function`` run in Chromium with the page modules imported from the served static folder."""
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{site}/favicon.svg")
    names = json.dumps(MODULES)
    result = page.evaluate(f"""async (argument) => {{
      const files = {names};
      const modules = {{}};
      for (const [name, file] of Object.entries(files)) modules[name] = await import("{site}/" + file);
      const {{ {", ".join(MODULES)} }} = modules;
      return ({function})(argument);
    }}""", argument)
    page.close()
    assert errors == []
    return result


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
    assert types == set(REGISTRY)  # the shared questions hold one of each registered type
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
  grades: cases.map(c => JSON.parse(JSON.stringify(SigeGrading.grade(c.q, c.response, settings)))),
  names: names.map(n => [SigeNaming.cleanName(n.learner, settings), SigeNaming.cleanName(n.learner_id, settings),
                         SigeNaming.exportName(n.learner, n.learner_id, settings)]),
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


def test_page_script_agrees_with_python_in_node(tmp_path):
    """The grading core in Node: the same verdicts, scores, details and names as Python, without a browser."""
    vectors, cases = _script_cases()
    _check_script_results(vectors, run_in_node(RUN_CASES, [cases, VECTORS["names"], page_settings()], tmp_path))


def test_page_script_agrees_with_python(chromium, static_site):
    """The grading core in real Chromium, loaded as the pages load it (ES modules over HTTP)."""
    vectors, cases = _script_cases()
    _check_script_results(vectors, run_in_chromium(chromium, static_site, RUN_CASES,
                                                   [cases, VECTORS["names"], page_settings()]))


def test_every_page_gradable_type_has_a_grader_and_vectors(tmp_path):
    """A question type the page grades (page_check) without a registered grader or shared vectors fails here."""
    from exercises.questions.types import REGISTRY

    page_types = sorted(name for name, kind in REGISTRY.items() if kind.page_check)
    assert run_in_node("() => SigeGrading.gradedTypes()", None, tmp_path) == page_types
    with_vectors = {QUESTIONS[v["question"]].type for v in VECTORS["vectors"]}
    assert set(page_types) <= with_vectors


def test_a_single_choice_of_one_point_zero_is_graded_alike(tmp_path):
    """JSON cannot tell 1.0 from 1 in the page: Python must read a whole-number float as that index."""
    q = next(q for q in QUESTIONS.values() if q.type == "single")
    python = grade(q, 1.0)
    page = run_in_node("([q, settings]) => SigeGrading.grade(q, 1.0, settings)", [question_payload(q), page_settings()],
                       tmp_path)
    assert (page["verdict"], page["response"]) == (python.verdict, python.response)


def test_traditional_map_comes_from_opencc():
    mapping = t2s_map(["区域发展", "学"])
    assert mapping["區"] == "区" and mapping["發"] == "发" and mapping["學"] == "学"
    assert "髮" in mapping  # both Traditional forms of 发
    assert all(set(s) & set("区域发展学") for s in mapping.values())


def test_embedded_json_cannot_end_its_script_element():
    value = {"x": "</script><img src=x onerror=alert(1)>&", "space": "\u0085\u2028\u009f"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert not [ch for ch in text if 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029"]  # HTML forbids C1 controls
    assert json.loads(text) == value


# ---- challenge scoring (exercises/questions/challenge.py and static/practice.js) ---------------------------

CHALLENGE = VECTORS["challenge"]
RUN_CHALLENGE = """([cases, rule]) => cases.map(c => SigeChallenge.score(c.answers, rule))"""


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


def test_challenge_scoring_in_node_agrees(tmp_path):
    _check_challenge(run_in_node(RUN_CHALLENGE, [CHALLENGE["cases"], CHALLENGE["rule"]], tmp_path))


def test_challenge_scoring_in_chromium_agrees(chromium, static_site):
    _check_challenge(run_in_chromium(chromium, static_site, RUN_CHALLENGE, [CHALLENGE["cases"], CHALLENGE["rule"]]))


# ---- option shuffle (exercises/questions/shuffle.py and static/sige-shuffle.js, contract 2) -----------------

SHUFFLE = json.loads((ROOT / "exercises" / "data" / "shuffle-vectors.json").read_text(encoding="utf-8"))
RUN_SHUFFLE = """([shuffles, generators]) => ({
  hashes: shuffles.map(s => SigeShuffle.fnv1a(`${s.seed}/${s.question_id}`)),
  orders: shuffles.map(s => SigeShuffle.shuffledKeys(s.keys, s.seed, s.question_id)),
  floats: generators.map(g => { const next = SigeShuffle.mulberry32(g.state); return g.first.map(() => next()); }),
})"""


def _check_shuffle(results):
    assert results["hashes"] == [s["hash"] for s in SHUFFLE["shuffles"]]
    assert results["orders"] == [s["shuffled"] for s in SHUFFLE["shuffles"]]
    assert results["floats"] == [g["first"] for g in SHUFFLE["mulberry32"]]


def test_shuffle_vectors_move_options():
    assert any(s["shuffled"] != s["keys"] for s in SHUFFLE["shuffles"]) and len(SHUFFLE["mulberry32"]) >= 2


def test_option_shuffle_in_node_agrees(tmp_path):
    _check_shuffle(run_in_node(RUN_SHUFFLE, [SHUFFLE["shuffles"], SHUFFLE["mulberry32"]], tmp_path))


def test_option_shuffle_in_chromium_agrees(chromium, static_site):
    _check_shuffle(run_in_chromium(chromium, static_site, RUN_SHUFFLE, [SHUFFLE["shuffles"], SHUFFLE["mulberry32"]]))
