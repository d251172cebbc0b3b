"""Question versions: the fingerprint, the shipped releases, the guard against an unreleased bank change, the
maintainer's release step, and files answered on release 0.1.0 graded today as the learners were shown."""
from __future__ import annotations

import csv
import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

import exercises
from exercises.cli import main as course
from exercises.questions.bank import load_all
from exercises.questions.results import read_document
from exercises.questions.types import type_of
from exercises.questions.versions import (
    RELEASES_DIR,
    add_release,
    fingerprint,
    known_versions,
    read_release,
    release,
    releases,
    set_package_version,
    unreleased,
    write_release,
)

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "release-0.1.0"  # answered with the code of 4859db4 (its ProgressStore)


def _question(**changes):
    q = load_all()[0].questions[0]
    return dataclasses.replace(q, **changes)


def test_fingerprint_covers_what_decides_display_and_grading():
    q = _question()
    assert len(fingerprint(q)) == 12 and int(fingerprint(q), 16) >= 0 and fingerprint(q) == fingerprint(q).lower()
    for same in (dict(explanation="另一段解析"), dict(source="另一句原文"), dict(measure="9.9"), dict(id="p9-99")):
        assert fingerprint(_question(**same)) == fingerprint(q), same
    changed = [dict(stem=q.stem + "？"), dict(points=q.points + 1), dict(type="truefalse"),
               dict(options=q.options[::-1]), dict(answer="Z"), dict(blanks=(("学",),)), dict(items=("甲", "乙")),
               dict(pairs=(("甲", "乙"),)), dict(keypoints=(("要点", ("词",)),))]
    prints = {fingerprint(_question(**c)) for c in changed}
    assert len(prints) == len(changed) and fingerprint(q) not in prints


def test_an_empty_slot_added_to_questions_later_changes_no_fingerprint():
    q = _question()
    data = dataclasses.asdict(q)

    @dataclasses.dataclass(frozen=True)
    class Later(type(q)):
        audio: str = ""

    assert fingerprint(Later(**data)) == fingerprint(q)
    assert fingerprint(Later(**data, audio="x.mp3")) != fingerprint(q)


def test_the_releases_shipped_with_the_package():
    shipped = {r.version: r for r in releases()}
    assert {"0.1.0", "0.2.0"} <= set(shipped)
    first, second = shipped["0.1.0"].by_id, shipped["0.2.0"].by_id
    # the content review kept the ids and changed the questions under them
    assert first["p1-03"].type == "order" and second["p1-03"].type == "match"
    assert first["p4-10"].type == "order" and second["p4-10"].type == "single"
    assert len(first) == 55 and set(first) < set(second)
    assert sum(fingerprint(first[i]) != fingerprint(second[i]) for i in first) == 29
    assert "0.1.0" in shipped["0.2.0"].shipped_as  # the course still said 0.1.0 after the review
    assert all(fingerprint(q) in known_versions() for r in releases() for q in r.questions)
    assert (RELEASES_DIR / "RELEASES.md").is_file()
    assert '"releases/*.json"' in (ROOT / "pyproject.toml").read_text("utf-8")  # shipped in the wheel


def test_every_bank_question_is_released_under_this_version():
    """Fails when a bank changes without a release entry: run ``./course bank release X.Y.Z "说明"``."""
    current = [q for bank in load_all() for q in bank.questions]
    assert release(exercises.__version__) is not None, f"没有 {exercises.__version__} 版的题库发布记录"
    assert unreleased(current, exercises.__version__) == []


@pytest.mark.parametrize("change", [dict(stem="改过的题干"), dict(points=7.0), dict(answer="Z")])
def test_the_guard_sees_a_changed_question(change):
    latest = releases()[-1]
    questions = list(latest.questions)
    assert unreleased(questions, latest.version) == []
    planted = questions[:5] + [dataclasses.replace(questions[5], **change)] + questions[6:]
    assert unreleased(planted, latest.version) == [questions[5].id]
    assert unreleased(questions, "99.0.0") == [q.id for q in questions]  # no such release: nothing is released


def test_the_maintainers_release_step(tmp_path):
    root = tmp_path / "repo"
    (root / "exercises").mkdir(parents=True)
    (root / "exercises" / "__init__.py").write_text('"""x"""\n\n__version__ = "0.2.0"\n', encoding="utf-8")
    (root / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0.2.0"\n', encoding="utf-8")
    folder = tmp_path / "releases"
    shutil.copytree(RELEASES_DIR, folder)
    questions = [q for bank in load_all() for q in bank.questions]
    path = write_release(questions, "9.0.0", "测试发布", folder)
    assert read_release(path).version == "9.0.0" and len(read_release(path).questions) == len(questions)
    assert unreleased(questions, "9.0.0", folder) == []
    with pytest.raises(ValueError, match="应大于已发布的最新版本 9.0.0"):
        write_release(questions, "8.0.0", "", folder)
    with pytest.raises(ValueError, match="应形如"):
        write_release(questions, "v9", "", folder)
    set_package_version("9.0.0", root)
    assert '__version__ = "9.0.0"' in (root / "exercises" / "__init__.py").read_text("utf-8")
    assert 'version = "9.0.0"' in (root / "pyproject.toml").read_text("utf-8")
    assert callable(add_release)


# ---- files answered on release 0.1.0, graded today -----------------------------------------------------
def _shown() -> dict[str, dict[str, dict]]:
    """Learner number -> question id -> the entry the old notebook stored (answer, verdict, score, points)."""
    files = sorted(GOLDEN.glob("*.json"))
    assert len(files) == 12
    return {(d := json.loads(f.read_text("utf-8")))["learner_id"]: d["answers"] for f in files}


def test_the_golden_files_were_written_by_release_0_1_0():
    one = json.loads(next(GOLDEN.glob("*.json")).read_text("utf-8"))
    assert one["version"] == 1 and one["course_version"] == "0.1.0"
    for question_id in ("p1-03", "p4-10"):  # 排序 then (匹配 and 单选 today): answered as an order of items
        given = [a[question_id]["answer"] for a in _shown().values() if question_id in a]
        assert len(given) >= 8 and all(isinstance(g, list) and len(g) >= 3 for g in given), question_id
    for f in GOLDEN.glob("*.json"):
        assert read_document(f.read_text("utf-8")).document["answered_release"] == "0.1.0"


@pytest.mark.process
def test_files_answered_on_0_1_0_are_graded_today_as_the_learners_were_shown(tmp_path, monkeypatch):
    from exercises.trainer.records.scoring import score_batch
    from exercises.trainer.records.store import Records

    folder = tmp_path / "交来的文件"
    shutil.copytree(GOLDEN, folder, ignore=shutil.ignore_patterns(".*"))
    database = tmp_path / "records.sqlite"
    monkeypatch.setenv("SIGE_COURSE_RECORDS", str(database))
    assert course(["records", "batch", "2025春"]) == 0
    assert course(["records", "import", "2025春", str(folder)]) == 0
    records = Records(str(database))
    scores = score_batch(records.batch_data("2025春"))
    records.close()
    shown = _shown()
    current = {q.id: q for bank in load_all() for q in bank.questions}
    first = release("0.1.0").by_id
    checked = changed_type = 0
    for learner in scores.learners:
        for question_id, entry in shown[learner.record.number].items():
            if question_id not in current:  # a question the banks no longer have is not scored
                continue
            g = learner.grades.get(question_id)
            assert g is not None and g.verdict == entry["verdict"], (learner.record.number, question_id, entry, g)
            assert g.score == pytest.approx(entry["score"] / entry["points"] * current[question_id].points, abs=0.01)
            checked += 1
            changed_type += first[question_id].type != current[question_id].type
    assert checked >= 300 and changed_type >= 10  # p1-03 and p4-10 among them, answered as 排序
    assert sum(scores.earlier.values()) > 0 and not scores.changed

    out = tmp_path / "报告"
    assert course(["report", str(folder), str(out)]) == 0
    text = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser").get_text()
    assert "个答案按学员作答时的早先题目版本评分" in text and "p1-03" in text and "题型：排序题 → 匹配题" in text
    sheet = list(load_workbook(out / "成绩.xlsx")["题目版本"].iter_rows(values_only=True))
    assert "个答案按学员作答时的早先题目版本评分" in sheet[1][2]
    assert {r[0]: r[1] for r in sheet[2:]}["p4-10"] == sum("p4-10" in a for a in shown.values())
    rows = {r["学号"]: r for r in csv.DictReader((out / "learners.csv").open(encoding="utf-8-sig"))}
    for number, answers in shown.items():
        expected = sum(e["score"] / e["points"] * current[q].points for q, e in answers.items()
                       if q in current and current[q].type != "short")
        assert float(rows[number]["得分"]) == pytest.approx(expected, abs=0.05), number


# ---- course bank ---------------------------------------------------------------------------------------
def test_course_bank_diff_lists_in_chinese_what_changed(capsys):
    assert course(["bank", "diff", "0.1.0", "0.2.0"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("题库 0.1.0 版 → 0.2.0 版：0.1.0 版 55 题，0.2.0 版 72 题；新增 17 题，删去 0 题")
    lines = {line.split("：", 1)[0].strip(): line for line in out.splitlines()}
    assert "题型：排序题 → 匹配题" in lines["p1-03"] and "题型：排序题 → 单选题" in lines["p4-10"]
    assert "答案：A → C" in lines["p1-01"] and "选项顺序调整" in lines["p1-01"]
    assert "p1-21" in lines["新增"]
    assert course(["bank", "diff", "0.2.0"]) == 0  # against the current banks
    assert capsys.readouterr().out.startswith("题库 0.2.0 版 → 现行 版")
    assert course(["bank", "list"]) == 0
    assert "0.1.0：55 题" in capsys.readouterr().out


@pytest.mark.parametrize("argv, words", [
    (["bank", "diff", "0.9.9", "0.2.0"], "没有题库版本 0.9.9（已发布的版本：0.1.0、0.2.0"),
    (["bank", "release", "0.1.5"], "应大于已发布的最新版本"),
    (["bank", "release", "abc"], "应形如 0.3.0"),
])
def test_course_bank_errors_are_one_chinese_line(capsys, argv, words):
    assert course(argv) == 1
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.process
def test_an_answer_on_a_changed_question_is_graded_on_its_version_and_an_unknown_one_is_apart(tmp_path):
    old = release("0.1.0").by_id["p1-03"]  # 排序 then, 匹配 today
    current = {q.id: q for bank in load_all() for q in bank.questions}
    other = next(q for q in current.values() if q.options and q.id != "p1-03")
    assert fingerprint(old) != fingerprint(current["p1-03"])
    answers = {"p1-03": {"answer": list(old.items), "verdict": "correct", "question_version": fingerprint(old)},
               other.id: {"answer": other.answer, "verdict": "correct", "question_version": "0123456789ab"}}
    folder = tmp_path / "in"
    folder.mkdir()
    doc = {"format": "sige-course-results", "version": 2, "course_version": exercises.__version__, "learner": "甲",
           "learner_id": "9", "updated": "2026-11-27T10:00:00+00:00", "answers": answers}
    (folder / "甲.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    assert course(["report", str(folder), str(out)]) == 0
    soup = BeautifulSoup((out / "report.html").read_text("utf-8"), "html.parser")
    text = soup.get_text()
    assert "1 个答案按学员作答时的早先题目版本评分（1 道题在学员作答后改过" in text
    assert "1 个答案所答的题目版本本工具不认识，记为“题目已变”" in text
    changed = soup.find("h3", string="题目已变（未计入）").find_next("table").get_text()
    assert "in/甲.json" in changed and other.id in changed
    row = next(csv.DictReader((out / "learners.csv").open(encoding="utf-8-sig")))
    counted = [q for q in current.values() if not type_of(q).reference_score and q.id != other.id]
    assert float(row["得分"]) == current["p1-03"].points  # right on the 排序 it showed, at today's points
    assert row["已答题数"] == "1" and row["应答题数"] == str(len(counted))  # 题目已变: neither wrong nor unanswered


def test_a_batch_on_the_current_questions_says_so_in_one_line(tmp_path):
    from exercises.trainer.records.report import make_report

    q = next(q for bank in load_all() for q in bank.questions if q.options)
    folder = tmp_path / "in"
    folder.mkdir()
    doc = {"format": "sige-course-results", "version": 2, "course_version": exercises.__version__, "learner": "乙",
           "learner_id": "3", "answers": {q.id: {"answer": q.answer, "verdict": "correct",
                                                  "question_version": fingerprint(q)}}}
    (folder / "乙.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = make_report(folder, tmp_path / "out")
    assert not report.scores.earlier and not report.scores.changed
    text = BeautifulSoup((tmp_path / "out" / "report.html").read_text("utf-8"), "html.parser").get_text()
    assert "所有答案所答的都是现行题目" in text and "题目已变（未计入）" not in text
