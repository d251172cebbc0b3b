"""The progress file: atomic writes, corrupt or hostile files set aside, never a crash."""
import json

from exercises.questions.bank import bank_for_pillar
from exercises.questions.grading import grade
from exercises.questions.progress import FORMAT, ProgressStore


def _grade():
    q = bank_for_pillar(1).questions[0]
    return grade(q, q.answer)


def test_round_trip(tmp_path):
    path = tmp_path / "sub" / "progress.json"
    store = ProgressStore(path)
    store.record(_grade())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == 1
    assert data["answers"]["p1-01"]["verdict"] == "correct"
    assert ProgressStore(path).data["answers"]["p1-01"]["score"] == 1.0
    assert [p.name for p in path.parent.iterdir()] == ["progress.json"]  # no temporary file left


def _set_aside(tmp_path, content: bytes, reason: str):
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    store = ProgressStore(path)
    assert reason in store.message
    assert store.data["answers"] == {}
    backups = list(tmp_path.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == content  # nothing the learner had is lost
    store.record(_grade())
    assert json.loads(path.read_text(encoding="utf-8"))["answers"]["p1-01"]


def test_truncated_file(tmp_path):
    _set_aside(tmp_path, b'{"format": "sige-course-results", "answ', "内容损坏")


def test_binary_garbage(tmp_path):
    _set_aside(tmp_path, b"\xff\xfe\x00\x81", "内容损坏")


def test_foreign_json(tmp_path):
    _set_aside(tmp_path, b'["<script>alert(1)</script>"]', "不是本课程的进度文件")


def test_wrong_version(tmp_path):
    _set_aside(tmp_path, json.dumps({"format": FORMAT, "version": 99, "answers": {}}).encode(), "版本 99 不受支持")


def test_huge_file(tmp_path):
    path = tmp_path / "progress.json"
    with path.open("wb") as handle:
        handle.truncate(6_000_000)
    store = ProgressStore(path)
    assert "文件过大" in store.message


def test_unwritable_location_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = ProgressStore(blocker / "progress.json")
    store.record(_grade())
    assert "进度未能保存" in store.message
