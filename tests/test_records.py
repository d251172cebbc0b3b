"""The trainer's records, against SQLite and a real PostgreSQL: a generated batch counted and kept whole."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from exercises.questions.bank import load_all
from exercises.questions.grading import correct_response
from exercises.trainer.records import store as store_module
from exercises.trainer.records.identity import normalize_name, normalize_number
from exercises.trainer.records.intake import collect
from exercises.trainer.records.roster import RosterError, read_roster
from exercises.trainer.records.schema import SCHEMA_VERSION, SchemaError, database_url, open_engine
from exercises.trainer.records.scoring import score_batch
from exercises.trainer.records.store import Records, RecordsError
from records_batch import make_batch

PG_BIN = Path("/usr/lib/postgresql/15/bin")
BATCH = "2026年第1期"


def _unavailable(reason: str):
    if os.environ.get("SIGE_REQUIRE_ALL_TIERS") == "1":
        pytest.fail(f"PostgreSQL 测试必须运行，但无法启动：{reason}")
    pytest.skip(f"PostgreSQL 无法启动：{reason}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster on a unix socket (as ``nobody`` when the tests run as root)."""
    if not (PG_BIN / "initdb").exists():
        _unavailable(f"没有 {PG_BIN / 'initdb'}（Debian 软件包 postgresql）")
    base = Path(tempfile.mkdtemp(prefix="sige-pg-"))
    prefix = []
    if os.geteuid() == 0:
        shutil.chown(base, "nobody", "nogroup")
        prefix = ["runuser", "-u", "nobody", "--"]
    data, port = base / "data", _free_port()
    try:
        subprocess.run([*prefix, str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--no-locale"], check=True, capture_output=True, timeout=120)
        subprocess.run([*prefix, str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w",
                        "-o", f"-k {base} -p {port} -c listen_addresses=''", "start"],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        log = (base / "log").read_text(errors="replace")[-500:] if (base / "log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        _unavailable(f"{exc}；{getattr(exc, 'stderr', b'')!r:.300}{log}")
    admin = create_engine(f"postgresql+psycopg://postgres@/postgres?host={base}&port={port}",
                          isolation_level="AUTOCOMMIT")
    yield admin, f"postgresql://postgres@/{{db}}?host={base}&port={port}"
    admin.dispose()
    subprocess.run([*prefix, str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                   capture_output=True, timeout=120)
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def records_url(request, tmp_path):
    """A fresh, empty records database on each backend."""
    if request.param == "sqlite":
        return str(tmp_path / "records.sqlite")
    admin, template = request.getfixturevalue("postgres")
    name = f"t{abs(hash(request.node.nodeid)) % 10**12}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return template.format(db=name)


@pytest.fixture
def records(records_url):
    r = Records(records_url)
    r.create_batch(BATCH)
    yield r
    r.close()


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _everything(root: Path) -> set[str]:
    """Every file under root as the records name it (archive members as archive!member)."""
    names = set()
    for path in root.rglob("*"):
        if path.is_file():
            rel = f"{root.name}/{path.relative_to(root).as_posix()}"
            if path.suffix == ".zip" and zipfile.is_zipfile(path):
                names |= {f"{rel}!{m.filename}" for m in zipfile.ZipFile(path).infolist() if not m.is_dir()}
            else:
                names.add(rel)
    return names


def test_generated_batch_every_learner_once_every_answer_kept_every_file_accounted(records, tmp_path):
    batch = make_batch(tmp_path / "batch", learners=30)
    count, problems = records.import_roster(BATCH, batch.roster)
    assert (count, problems) == (30, [])
    report = records.import_files(BATCH, [batch.root / "收集"])
    data = records.batch_data(BATCH)

    # every roster learner exactly once, and nobody else
    assert sorted(l.number for l in data.learners) == sorted(batch.numbers)
    assert all(l.on_roster for l in data.learners)
    assert len({l.id for l in data.learners}) == len(batch.numbers)

    # every distinct answer kept (with its kind and attempt), no copy counted twice
    stored = [(n, k, a, q, json.dumps(r, ensure_ascii=False, sort_keys=True), _moment(t))
              for n, k, a, q, t, r in records.all_answers(BATCH) if n]
    expected = {(*item[:5], _moment(item[5])) for item in batch.answers}
    assert len(expected) == len(batch.answers)
    assert set(stored) >= expected
    assert len([s for s in stored if s in expected]) == len(expected)
    assert report.answers == data.stored_answers

    # the latest practice answer wins, per question, across a learner's files
    by_number = {l.number: l for l in data.learners}
    for (number, question_id), response in batch.latest.items():
        kept = by_number[number].practice[question_id]
        assert json.dumps(kept.response, ensure_ascii=False, sort_keys=True) == response, (number, question_id)
        assert kept.source.startswith("收集/")

    # 综合测评 attempts kept apart from practice
    tested = [l for l in data.learners if l.assessment]
    assert tested and all(set(l.assessment) == {"seed-20241/attempt-1"} for l in tested)

    # every file is either counted for a learner or listed with its reason
    used = {s for l in data.learners for s in l.sources}
    noted = {n.source: n for n in data.notes}
    assert used.isdisjoint(noted)
    assert used | set(noted) == _everything(batch.root / "收集")
    for source, word in batch.unused.items():
        assert word in noted[source].reason, (source, noted[source].reason)
    assert all(n.reason for n in data.notes)

    # who has not submitted which unit
    scores = score_batch(data)
    missing = {(l.number, unit) for unit, people in scores.not_submitted.items() for l in people}
    assert missing == set(batch.missing_unit.items())


def test_reimport_adds_nothing_and_an_empty_folder_is_an_error(records, tmp_path):
    batch = make_batch(tmp_path / "batch", learners=12)
    records.import_roster(BATCH, batch.roster)
    first = records.import_files(BATCH, [batch.root / "收集"])
    before = records.batch_data(BATCH).stored_answers
    with pytest.raises(RecordsError, match="没有读到任何可用的成绩文件"):
        records.import_files(BATCH, [batch.root / "收集"])
    assert records.batch_data(BATCH).stored_answers == before == first.answers
    empty = tmp_path / "空"
    empty.mkdir()
    with pytest.raises(RecordsError, match="没有读到任何可用的成绩文件（0 个文件未能使用）"):
        records.import_files(BATCH, [empty])


def test_a_failed_import_changes_nothing(records, tmp_path, monkeypatch):
    batch = make_batch(tmp_path / "batch", learners=12)
    records.import_roster(BATCH, batch.roster)
    calls = []
    real = store_module.parse_results

    def failing(data):
        calls.append(1)
        if len(calls) == 20:
            raise OSError("disk gone")
        return real(data)

    monkeypatch.setattr(store_module, "parse_results", failing)
    with pytest.raises(OSError):
        records.import_files(BATCH, [batch.root / "收集"])
    data = records.batch_data(BATCH)
    assert data.stored_answers == 0 and data.notes == [] and all(not l.sources for l in data.learners)
    monkeypatch.setattr(store_module, "parse_results", real)
    assert records.import_files(BATCH, [batch.root / "收集"]).answers > 0


def test_files_before_the_roster_then_rematched_and_assigned_by_hand(records, tmp_path):
    batch = make_batch(tmp_path / "batch", learners=12)
    records.import_files(BATCH, [batch.root / "收集"])
    data = records.batch_data(BATCH)
    assert not any(l.on_roster for l in data.learners)  # without a roster, the 学号 in files is the identity
    assert any("没有花名册" in n.reason for n in data.notes)
    records.import_roster(BATCH, batch.roster)
    data = records.batch_data(BATCH)
    assert sorted(l.number for l in data.learners) == sorted(batch.numbers)
    ambiguous = next(n for n in data.notes if n.status == "ambiguous")
    twin = batch.numbers[1]
    before = len(next(l for l in data.learners if l.number == twin).sources)
    assert records.assign(BATCH, ambiguous.submission_id, twin) == "张伟"
    data = records.batch_data(BATCH)
    assert len(next(l for l in data.learners if l.number == twin).sources) == before + 1
    assert ambiguous.submission_id not in {n.submission_id for n in data.notes}
    records.import_roster(BATCH, batch.roster)  # a later roster import leaves the trainer's decision alone
    assert ambiguous.submission_id not in {n.submission_id for n in records.batch_data(BATCH).notes}


def test_hours_from_roster_and_by_command(records, tmp_path):
    batch = make_batch(tmp_path / "batch", learners=6)
    records.import_roster(BATCH, batch.roster)
    assert records.set_hours(BATCH, batch.numbers[0].translate(str.maketrans("0123456789", "０１２３４５６７８９")),
                             3, 2.5) == batch.names[batch.numbers[0]]
    learner = next(l for l in records.batch_data(BATCH).learners if l.number == batch.numbers[0])
    assert learner.hours == {1: 3.0, 3: 2.5} and learner.total_hours == 5.5  # the roster left session 2 blank
    with pytest.raises(RecordsError, match="没有学号 9999"):
        records.set_hours(BATCH, "9999", 1, 2)
    with pytest.raises(RecordsError, match="没有期次"):
        records.set_hours("不存在", "1", 1, 2)


def test_scores_over_assigned_questions_with_short_answers_apart(records, tmp_path):
    questions = [q for b in load_all() for q in b.questions]
    single = next(q for q in questions if q.type == "single")
    multiple = next(q for q in questions if q.type == "multiple" and len(q.options) > len(q.answer))
    short = next(q for q in questions if q.type == "short")
    roster = tmp_path / "r.csv"
    roster.write_text("学号,姓名,单位\n1,甲,一处\n2,乙,二处\n3,丙,二处\n", encoding="utf-8")
    records.import_roster(BATCH, roster)
    records.create_batch(BATCH, pass_mark=1.0)
    wrong_option = next(k for k in "ABCDEF"[: len(multiple.options)] if k not in multiple.answer)
    files = tmp_path / "files"
    files.mkdir()
    docs = {"1": {single.id: correct_response(single), multiple.id: correct_response(multiple),
                  short.id: "".join(t[0] for _, t in short.keypoints)},
            "2": {multiple.id: [multiple.answer[0], wrong_option]}}
    for number, given in docs.items():
        doc = {"format": "sige-course-results", "version": 1, "learner_id": number, "learner": "",
               "updated": "2026-11-27T10:00:00+00:00",
               "answers": {q: {"answer": a, "verdict": "correct", "score": 100, "points": 100} for q, a in given.items()}}
        (files / f"{number}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    records.import_files(BATCH, [files])
    scores = score_batch(records.batch_data(BATCH))
    by = {l.record.number: l for l in scores.learners}
    total = sum(q.points for q in questions if q.type != "short")
    assert {l.points for l in scores.learners} == {total}  # everybody over the same assigned questions
    one, two, three = by["1"], by["2"], by["3"]
    assert one.score == single.points + multiple.points and one.answered == 2
    assert one.short_score == short.points and one.short_points == sum(q.points for q in questions if q.type == "short")
    assert one.completion == pytest.approx(2 / len([q for q in questions if q.type != "short"]))
    assert one.passed and not two.passed and (three.score, three.answered) == (0, 0)
    assert two.score == 0 and two.answered == 1
    stat = scores.by_question[multiple.id]
    assert stat.rate.answered == 2 and stat.rate.value == pytest.approx(0.5)
    assert stat.choices[multiple.answer[0]] == 2 and stat.choices[wrong_option] == 1
    assert scores.by_question[single.id].choices == {single.answer: 1}
    assert multiple.id in [s.question.id for s in scores.reteach[multiple.pillar]]  # 50 % answered right
    assert {l.number for l in scores.not_submitted[4]} >= {"2", "3"}


def test_roster_xlsx_identity_and_errors(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "姓 名", "工号", "单位", "期次", "学时"])
    sheet.append([1, "张 三", 1024, "一处", BATCH, 8])
    sheet.append([2, "李四", "Ａ１０２５", "二处", "其他期", None])
    sheet.append([3, "王五", None, "三处", BATCH, "八"])
    sheet.append([4, "张三", " 1 0 2 4 ", "一处", BATCH, 8])
    path = tmp_path / "花名册.xlsx"
    book.save(path)
    roster = read_roster(path)
    assert [(r.number, r.name, r.hours) for r in roster.rows] == [("1024", "张 三", {0: 8.0}), ("A1025", "李四", {})]
    assert any("没有学号" in p for p in roster.problems) and any("重复" in p for p in roster.problems)
    sheet.append([5, "赵六", "1024", "四处", BATCH, 8])
    book.save(path)
    with pytest.raises(RosterError, match="学号 1024 出现两次且姓名不同"):
        read_roster(path)
    bad = tmp_path / "bad.csv"
    bad.write_text("名字,电话\n张三,1\n", encoding="utf-8")
    with pytest.raises(RosterError, match="学号"):
        read_roster(bad)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("学号,姓名\n１００１,王芳\n".encode("gb18030"))
    assert [(r.number, r.name) for r in read_roster(gbk).rows] == [("1001", "王芳")]


def test_roster_of_another_batch_only_is_an_error(records, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("学号,姓名,期次\n1,甲,别的期次\n", encoding="utf-8")
    with pytest.raises(RecordsError, match="没有属于期次"):
        records.import_roster(BATCH, path)


def test_identity_normalisation():
    assert normalize_number("１０２４") == normalize_number(" 10 24 ") == normalize_number(1024.0) == "1024"
    assert normalize_number("ａｂ-1") == "AB-1"
    assert normalize_name("张　三") == normalize_name("张 三") == "张三"


def test_intake_refuses_links_escapes_and_oversize(tmp_path):
    folder = tmp_path / "in"
    (folder / "a" / "b").mkdir(parents=True)
    (folder / "a" / "b" / "deep.Json").write_text("{}", encoding="utf-8")
    (folder / "link.json").symlink_to(folder / "a" / "b" / "deep.Json")
    (folder / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    (folder / "big.json").write_bytes(b" " * 5_000_001)
    with zipfile.ZipFile(folder / "x.zip", "w") as archive:
        archive.writestr("/etc/abs.json", "{}")
        archive.writestr("ok/a.json", "{}")
    intake = collect([folder])
    assert [b.source for b in intake.blobs] == ["in/x.zip!ok/a.json"]  # a folder's own files come first
    reasons = {u.source: u.reason for u in intake.unread}
    assert "链接" in reasons["in/link.json"] and "链接" in reasons["in/dirlink"]
    assert "过大" in reasons["in/big.json"] and "包外" in reasons["in/x.zip!/etc/abs.json"]
    assert "与 in/x.zip!ok/a.json 内容完全相同" in reasons["in/a/b/deep.Json"]


def test_schema_version_wal_and_default_location(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGE_COURSE_RECORDS", str(tmp_path / "sub" / "r.sqlite"))
    assert database_url() == f"sqlite:///{tmp_path / 'sub' / 'r.sqlite'}"
    engine = open_engine()
    engine.dispose()
    with sqlite3.connect(tmp_path / "sub" / "r.sqlite") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
        connection.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(SchemaError, match="比本工具"):
        open_engine()
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def _page_file(attempts, answers=None) -> bytes:
    """A results file as the page writes it after 交卷 (exercises/schema/results.schema.json)."""
    doc = {"format": "sige-course-results", "version": 1, "learner": "测评学员", "learner_id": "77",
           "updated": "2026-11-27T10:00:00+00:00", "answers": answers or {}, "assessment": {"attempts": attempts}}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def test_the_pages_assessment_attempts_are_read_as_written():
    import jsonschema

    from exercises.trainer.records.results import parse_results

    q = next(q for b in load_all() for q in b.questions if q.type == "single")
    graded = {"answer": q.answer, "verdict": "correct", "score": q.points, "points": q.points,
              "time": "2026-11-27T09:30:00+00:00"}
    blank = {"answer": None, "verdict": "unanswered", "score": 0, "points": 1, "time": "2026-11-27T09:31:00+08:00"}
    attempts = [{"id": "attempt-1", "paper": "seed-20241", "started": "2026-11-27T09:00:00+00:00",
                 "submitted": "2026-11-27T09:30:00+00:00", "answers": {q.id: graded}},
                {"id": "attempt-2", "paper": "seed-20241", "started": "2026-11-27T09:40:00+00:00",
                 "submitted": "2026-11-27T10:00:00+00:00", "answers": {q.id: blank}}]
    data = _page_file(attempts, {q.id: graded})
    schema = json.loads((Path(__file__).resolve().parents[1] / "exercises" / "schema" / "results.schema.json")
                        .read_text("utf-8"))
    jsonschema.validate(json.loads(data), schema)  # the shape under test is the published one
    parsed = parse_results(data)
    assert parsed.number == "77" and set(parsed.practice) == {q.id}
    assert set(parsed.assessment) == {"seed-20241/attempt-1", "seed-20241/attempt-2"}
    version = parsed.practice[q.id][2]  # a version-1 file: the question's version in the bank it was answered on
    assert re.fullmatch("[0-9a-f]{12}", version)
    assert parsed.assessment["seed-20241/attempt-1"][q.id] == (json.dumps(q.answer), "2026-11-27T09:30:00.000000Z", version)
    assert parsed.assessment["seed-20241/attempt-2"][q.id] == ("null", "2026-11-27T01:31:00.000000Z", version)
    assert parsed.notes == []
    # an attempt without the page's id or paper is still kept, by its position
    no_id = parse_results(_page_file([{"answers": {q.id: graded}}, "not an attempt"]))
    assert set(no_id.assessment) == {"attempt-1"} and "第 2 次作答不是对象" in no_id.notes[0]


def test_attempts_are_apart_from_practice_and_the_latest_counts(records, tmp_path):
    q = next(q for b in load_all() for q in b.questions if q.type == "single")
    wrong = next(k for k in "ABCDEF"[: len(q.options)] if k != q.answer)

    def entry(answer, t):
        return {"answer": answer, "verdict": "incorrect", "score": 0, "points": 1, "time": t}

    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "early.json").write_bytes(_page_file(
        [{"id": "attempt-1", "paper": "seed-20241", "submitted": "2026-11-27T09:30:00+00:00",
          "answers": {q.id: entry(wrong, "2026-11-27T09:30:00+00:00")}}], {q.id: entry(q.answer, "2026-11-20T09:00:00+00:00")}))
    (folder / "late.json").write_bytes(_page_file(
        [{"id": "attempt-1", "paper": "seed-20241", "submitted": "2026-11-27T09:30:00+00:00",
          "answers": {q.id: entry(wrong, "2026-11-27T09:30:00+00:00")}},
         {"id": "attempt-2", "paper": "seed-20241", "submitted": "2026-11-28T09:30:00+00:00",
          "answers": {q.id: entry(q.answer, "2026-11-28T09:30:00+00:00")}}]))
    report = records.import_files(BATCH, [folder])
    assert report.matched == 2
    learner = records.batch_data(BATCH).learners[0]
    assert learner.practice[q.id].response == q.answer  # practice is never overwritten by a test answer
    assert set(learner.assessment) == {"seed-20241/attempt-1", "seed-20241/attempt-2"}
    scored = score_batch(records.batch_data(BATCH)).learners[0]
    assert scored.assessment.attempt == "seed-20241/attempt-2" and scored.assessment.score == q.points


@pytest.mark.parametrize("text, words", [
    ('{"format": "sige-course-results", "version": 1, "answers": {}, "answers": {}}', "重复出现"),
    ('{"format": "sige-course-results", "version": 1, "answers": {"x": ' + "[" * 40 + "]" * 40 + "}}", "嵌套层数超过"),
    ('{"format": "sige-course-results", "version": 3, "answers": {}}', "版本 3 不受支持"),
])
def test_results_are_parsed_with_the_safe_reader(text, words):
    from exercises.trainer.records.results import NotResults, parse_results

    with pytest.raises(NotResults, match=words):
        parse_results(text.encode("utf-8"))


@pytest.mark.parametrize("bad, words", [
    ('{"answer": NaN}', "非有限数值"), ('{"answer": 1e999}', "非有限数值"), ('{"answer": "\\udc80"}', "孤立的代理项"),
    ('{"answer": "A", "verdict": 5}', "不符合格式"), ('{"answer": "A", "question_version": "XYZ"}', "不符合格式"),
    ('[1]', "不符合格式"),
])
def test_one_bad_answer_is_set_aside_and_named_the_others_kept(bad, words):
    from exercises.trainer.records.results import parse_results

    text = ('{"format": "sige-course-results", "version": 2, "learner": "\\udc80甲", "answers": '
            '{"p1-01": ' + bad + ', "p1-02": {"answer": "B", "verdict": "incorrect"}}}')
    parsed = parse_results(text.encode("utf-8"))
    assert set(parsed.practice) == {"p1-02"} and parsed.name == "\ufffd甲"
    assert any("p1-01" in n and words in n for n in parsed.notes), parsed.notes
    assert any("learner" in n and "孤立的代理项" in n for n in parsed.notes)


def test_files_without_a_number_merge_by_name_only_when_asked_and_only_without_a_roster(records_url, tmp_path):
    q = next(q for b in load_all() for q in b.questions if q.type == "single")
    folder = tmp_path / "files"
    folder.mkdir()
    for unit, name in ((1, "张 三"), (2, "张三"), (3, "李四")):
        doc = {"format": "sige-course-results", "version": 1, "learner": name, "updated": f"2026-11-2{unit}T10:00:00+00:00",
               "answers": {q.id: {"answer": q.answer, "time": f"2026-11-2{unit}T10:00:00+00:00"}}}
        (folder / f"{unit}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    strict, merged = Records(records_url), None
    try:
        strict.create_batch("严格")
        strict.import_files("严格", [folder])
        data = strict.batch_data("严格")
        assert data.learners == [] and {n.status for n in data.notes} == {"unmatched"}
        strict.create_batch("按姓名")
        strict.import_files("按姓名", [folder], by_name=True)
        merged = strict.batch_data("按姓名")
        assert sorted((l.number, len(l.sources)) for l in merged.learners) == [
            (f"{store_module.NAME_KEY}张三", 2), (f"{store_module.NAME_KEY}李四", 1)]
        strict.create_batch("有花名册")
        roster = tmp_path / "r.csv"
        roster.write_text("学号,姓名\n1,张三\n", encoding="utf-8")
        strict.import_roster("有花名册", roster)
        strict.import_files("有花名册", [folder], by_name=True)  # a roster decides: no merging by name
        data = strict.batch_data("有花名册")
        assert [(l.number, len(l.sources)) for l in data.learners] == [("1", 2)]
        assert [n.status for n in data.notes] == ["unmatched"] and "李四" in data.notes[0].reason
    finally:
        strict.close()


def test_intake_shows_names_that_are_not_utf8(tmp_path):
    import os

    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.path.join(os.fsencode(folder), b"\xb3\xc9\xbc\xa8.json")  # 成绩 in GBK: not UTF-8
    with open(raw, "wb") as handle:
        handle.write(b"{}")
    (folder / "sub\udcff").mkdir()
    (folder / "sub\udcff" / "b.json").write_text("[]", encoding="utf-8")
    intake = collect([folder])
    assert [b.source for b in intake.blobs] == ["in/\ufffd\u027c\ufffd.json", "in/sub\ufffd/b.json"]
    sources = " ".join(b.source for b in intake.blobs)
    sources.encode("utf-8")  # storable and printable
