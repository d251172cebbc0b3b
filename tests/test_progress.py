"""The progress file: concurrent writers lose nothing, hostile or corrupt files are set aside, never a crash."""
from __future__ import annotations

import json
import multiprocessing
import os
import random
import resource
import signal
import subprocess
import time

import pytest

from exercises.questions import progress
from exercises.questions.bank import bank_for_pillar
from exercises.questions.grading import Grade, grade
from exercises.questions.progress import MAX_BYTES, ProgressStore, empty_results
from exercises.questions.results import FORMAT, VERSION
from exercises.questions.versions import fingerprint
from exercises.safeio import read_json

FORK = multiprocessing.get_context("fork")


def _grade():
    q = bank_for_pillar(1).questions[0]
    return grade(q, q.answer)


def answer(question_id: str, response="A") -> Grade:
    return Grade(question_id, "correct", 1.0, 1.0, response)


def on_disk(path) -> dict:
    data = read_json(path)
    assert data["format"] == FORMAT and data["version"] == VERSION
    return data["answers"]


def leftovers(folder) -> list[str]:
    """Anything in the folder besides the results file and its lock."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("progress.json", ".progress.json.lock"))


def test_round_trip(tmp_path):
    path = tmp_path / "sub" / "progress.json"
    store = ProgressStore(path)
    store.record(_grade())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["version"] == VERSION == 2
    assert data["answers"]["p1-01"]["verdict"] == "correct"
    assert data["answers"]["p1-01"]["question_version"] == fingerprint(bank_for_pillar(1).questions[0])
    assert ProgressStore(path).data["answers"]["p1-01"]["score"] == 1.0
    assert leftovers(path.parent) == []  # no temporary file left
    assert store.message == ""


def _set_aside(tmp_path, content: bytes, reason: str):
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    store = ProgressStore(path)
    assert reason in store.message and "\n" not in store.message
    assert store.data["answers"] == {}
    backups = list(tmp_path.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == content  # nothing the learner had is lost
    store.record(_grade())
    assert json.loads(path.read_text(encoding="utf-8"))["answers"]["p1-01"]


def test_truncated_file(tmp_path):
    _set_aside(tmp_path, b'{"format": "sige-course-results", "answ', "JSON 格式错误（第 1 行）")


def test_binary_garbage(tmp_path):
    _set_aside(tmp_path, b"\xff\xfe\x00\x81", "不是 UTF-8 编码")


def test_foreign_json(tmp_path):
    _set_aside(tmp_path, b'["<script>alert(1)</script>"]', "不是本课程的进度文件")


def test_wrong_version(tmp_path):
    _set_aside(tmp_path, json.dumps({"format": FORMAT, "version": 99, "answers": {}}).encode(), "版本 99 不受支持")


def test_deeply_nested_file(tmp_path):
    _set_aside(tmp_path, b'{"format": "sige-course-results", "version": 1, "answers": {"x": '
               + b"[" * 100_000 + b"]" * 100_000 + b"}}", "嵌套层数超过")


def test_lone_surrogate_in_name_is_replaced_and_the_answers_kept(tmp_path):
    path = tmp_path / "progress.json"
    entry = {"answer": "A", "verdict": "correct", "time": "2026-11-27T09:59:58+00:00"}
    path.write_text(json.dumps({"format": FORMAT, "version": 2, "answers": {"p1-01": entry}, "learner": "张\ud800"}))
    store = ProgressStore(path)
    assert "learner" in store.message and store.data["learner"] == "张\ufffd"
    assert store.data["answers"]["p1-01"]["answer"] == "A"


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
    assert store.message == "" and store.data["answers"] == {}
    store.record(_grade())
    assert "进度未能保存" in store.message
    assert store.data["answers"]["p1-01"]["verdict"] == "correct"  # still shown on the page


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "progress.json"
    data = empty_results("张三")
    data["answers"]["p1-01"] = {"answer": "A", "verdict": "correct", "score": 1.0, "points": 1.0,
                                "time": "2026-11-27T09:59:58+00:00"}
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False).encode())
    store = ProgressStore(path)
    assert store.message == "" and store.data["learner"] == "张三" and "p1-01" in store.data["answers"]


def test_lone_surrogates_in_name_and_answer_never_raise(tmp_path):
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    store.set_learner("张\udc80三", "\ud800")
    store.record(answer("p1-02", ["甲\ud83d", {"乙": "\udfff"}]))
    store.record(answer("p1-03", float("nan")))
    assert store.message == ""
    assert leftovers(tmp_path) == []
    data = read_json(path)  # valid UTF-8 JSON, no surrogates, no NaN
    assert data["learner"] == "张\ufffd三" and data["learner_id"] == "\ufffd"
    assert data["answers"]["p1-02"]["answer"] == ["甲\ufffd", {"乙": "\ufffd"}]
    assert data["answers"]["p1-03"]["answer"] is None
    json.dumps(store.data, ensure_ascii=False).encode("utf-8")  # what the export writes


def _open_and_record(path, queue) -> None:
    store = ProgressStore(path)
    opened = store.message
    store.record(_grade())
    queue.put((opened, store.message))


def guarded(target, path, seconds: float = 20, memory: int = 500_000_000):
    """Run ``target(path, queue)`` in a child process that may neither hang nor use more than ``memory`` bytes."""
    queue = FORK.SimpleQueue()

    def limited():
        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (size + memory, size + memory))
        target(path, queue)

    process = FORK.Process(target=limited)
    process.start()
    process.join(seconds)
    if process.is_alive():
        process.kill()
        process.join()
        pytest.fail(f"did not finish within {seconds} s")
    assert process.exitcode == 0, "the child failed (MemoryError or an exception): see the captured output"
    return queue.get()


def test_fifo_at_the_path_neither_hangs_nor_blocks_saving(tmp_path):
    path = tmp_path / "progress.json"
    os.mkfifo(path)
    opened, saved = guarded(_open_and_record, path)
    assert "管道" in opened and "已另存为" in opened and saved == ""
    assert path.is_file() and "p1-01" in on_disk(path)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_symlink_to_a_device_is_set_aside(tmp_path, device):
    path = tmp_path / "progress.json"
    path.symlink_to(device)
    opened, saved = guarded(_open_and_record, path)
    assert "不是普通文件" in opened and saved == ""
    backups = list(tmp_path.glob("progress.json.corrupt-*"))
    assert len(backups) == 1 and os.readlink(backups[0]) == device
    assert not path.is_symlink() and "p1-01" in on_disk(path)


def test_backups_set_aside_in_the_same_second_are_all_kept(tmp_path):
    path = tmp_path / "progress.json"
    contents = [b"{broken one", b"{broken two", b"{broken three"]
    for content in contents:
        path.write_bytes(content)
        ProgressStore(path)
    backups = sorted(tmp_path.glob("progress.json.corrupt-*"))
    assert sorted(b.read_bytes() for b in backups) == sorted(contents)


def test_stale_temps_are_removed_on_open(tmp_path):
    path = tmp_path / "progress.json"
    ProgressStore(path).record(_grade())
    for name in (".progress.json.k1ll3d.tmp", ".progress.json.x.tmp"):
        (tmp_path / name).write_bytes(b'{"half')
    (tmp_path / ".other.json.abc.tmp").write_bytes(b"not ours")
    store = ProgressStore(path)
    assert "p1-01" in store.data["answers"]
    assert leftovers(tmp_path) == [".other.json.abc.tmp"]


def test_an_older_store_never_overwrites_a_newer_answer(tmp_path):
    path = tmp_path / "progress.json"
    first, second = ProgressStore(path), ProgressStore(path)
    first.record(answer("p1-01", "A"))
    second.record(answer("p1-01", "B"))
    first.record(answer("p1-02", "C"))  # first's earlier answer to p1-01 is not written again
    second.forget(["p1-02"])
    first.set_learner("张三")
    answers = on_disk(path)
    assert answers["p1-01"]["answer"] == "B" and "p1-02" not in answers
    assert read_json(path)["learner"] == "张三"
    assert first.data["answers"] == answers


def test_a_busy_lock_keeps_the_answer_for_the_next_save(tmp_path, monkeypatch):
    from filelock import FileLock

    monkeypatch.setattr(progress, "LOCK_TIMEOUT", 0.2)
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    with FileLock(tmp_path / ".progress.json.lock"):
        store.record(answer("p1-01"))
        assert "占用" in store.message and "p1-01" in store.data["answers"]
    store.record(answer("p1-02"))
    assert store.message == "" and set(on_disk(path)) == {"p1-01", "p1-02"}


def _near_cap(path) -> dict:
    """A valid results file a few dozen bytes under MAX_BYTES, as the store would write it."""
    data = empty_results("张三")
    data["answers"]["p1-01"] = {"answer": "", "verdict": "correct", "score": 1.0, "points": 1.0,
                                "time": "2026-11-27T09:59:58+00:00"}
    size = len(json.dumps(data, ensure_ascii=False, indent=1).encode())
    data["answers"]["p1-01"]["answer"] = "x" * (MAX_BYTES - 60 - size)
    path.write_bytes(json.dumps(data, ensure_ascii=False, indent=1).encode())
    return data


def test_a_save_never_pushes_the_file_past_the_cap(tmp_path):
    path = tmp_path / "progress.json"
    _near_cap(path)
    before = path.read_bytes()
    store = ProgressStore(path)
    assert "接近上限" not in store.message
    store.record(answer("p1-02", "一个正常长度的答案" * 5))
    assert "将超过上限" in store.message and "未保存" in store.message
    assert path.read_bytes() == before and "p1-02" not in store.data["answers"]
    again = ProgressStore(path)  # the learner's record is still there, not set aside
    assert again.message == "" and "p1-01" in again.data["answers"]
    assert not list(tmp_path.glob("*.corrupt-*")) and leftovers(tmp_path) == []
    store.forget(["p1-01"])  # a save that shrinks the file still works
    assert store.message == "" and on_disk(path) == {}


def _record_many(path, worker: int, count: int, acked_file) -> None:
    store = ProgressStore(path)
    with open(acked_file, "w", encoding="utf-8") as acked:
        for i in range(count):
            for question_id in (f"w{worker}-{i:03d}", "shared")[: 1 + (i % 4 == 0)]:
                store.record(answer(question_id, f"{worker}-{i}"))
                if not store.message:
                    acked.write(json.dumps([question_id, f"{worker}-{i}",
                                            store.data["answers"][question_id]["time"]]) + "\n")


@pytest.mark.parametrize("workers, count, round", [(2, 60, 1), (2, 60, 2), (2, 60, 3), (4, 100, 1)])
def test_concurrent_processes_lose_no_acknowledged_answer(tmp_path, workers, count, round):
    path = tmp_path / "progress.json"
    files = [tmp_path / f"acked-{w}.jsonl" for w in range(workers)]
    processes = [FORK.Process(target=_record_many, args=(path, w, count, files[w])) for w in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0
    acked = [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()]
    answers = on_disk(path)
    own = [a for a in acked if a[0] != "shared"]
    assert len(own) == workers * count  # every save succeeded
    lost = [a for a in own if answers.get(a[0], {}).get("answer") != a[1]]
    assert lost == []
    latest = max(a[2] for a in acked if a[0] == "shared")
    assert answers["shared"]["time"] == latest  # per question, the latest answer wins
    assert [p.name for p in tmp_path.glob(".progress.json.*.tmp")] == []


def _record_forever(path, acked_file) -> None:
    store = ProgressStore(path)
    fd = os.open(acked_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    i = 0
    while True:
        question_id = f"k{os.getpid()}-{i}"
        store.record(answer(question_id, "x" * 200))
        if not store.message:
            os.write(fd, f"{question_id}\n".encode())
        i += 1


def test_kill_9_mid_write_never_corrupts_or_loses_and_leaves_no_temp(tmp_path):
    path = tmp_path / "data" / "progress.json"
    path.parent.mkdir()
    acked_file = tmp_path / "acked.txt"
    rng = random.Random(12)
    temps_seen = 0
    acked_file.touch()
    for _ in range(200):
        size = acked_file.stat().st_size
        process = FORK.Process(target=_record_forever, args=(path, acked_file))
        process.start()
        waited = time.monotonic()
        while acked_file.stat().st_size == size and time.monotonic() - waited < 10:
            time.sleep(0.001)  # let it save at least once, then kill it at a random moment
        time.sleep(rng.uniform(0, 0.01))
        os.kill(process.pid, signal.SIGKILL)
        process.join(10)
        temps_seen += len(list(path.parent.glob(".progress.json.*.tmp")))
        if path.exists():
            on_disk(path)  # always a complete, valid file
    acked = [line for line in acked_file.read_text("utf-8").split("\n")[:-1]]
    store = ProgressStore(path)
    assert store.message == ""
    assert leftovers(path.parent) == []
    assert [q for q in acked if q not in store.data["answers"]] == []
    assert len(acked) >= 200 and temps_seen > 0  # answers were saved, and kills did land mid-write
    print(f"{len(acked)} answers acknowledged; temp files found after a kill: {temps_seen}")


@pytest.fixture
def small_disk(tmp_path):
    """A 256 KB tmpfs, so that saves really fail with a full disk."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root outside a restricted container): {done.stderr!r}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def test_full_disk_keeps_the_saved_file_and_leaves_no_temp(small_disk):
    path = small_disk / "progress.json"
    store = ProgressStore(path)
    acked, failures = [], 0
    for i in range(200):
        store.record(answer(f"p-{i}", "长" * 2000))
        if "磁盘空间不足" in store.message:
            failures += 1
            assert leftovers(small_disk) == []
            if failures == 5:
                break
        else:
            assert store.message == ""
            acked.append(f"p-{i}")
    assert failures == 5 and len(acked) > 5
    answers = on_disk(path)
    assert all(q in answers for q in acked)
    assert ProgressStore(path).message == ""


def test_a_version_1_file_is_read_with_the_versions_it_was_answered_on(tmp_path):
    """A notebook file written by release 0.1.0 keeps every answer, each with the version of the question then."""
    from pathlib import Path

    from exercises.questions.versions import release

    golden = next((Path(__file__).parent / "golden" / "release-0.1.0").glob("*.json"))
    path = tmp_path / "progress.json"
    path.write_bytes(golden.read_bytes())
    before = json.loads(golden.read_text("utf-8"))["answers"]
    store = ProgressStore(path)
    assert store.message == "" and store.data["version"] == VERSION and store.data["answered_release"] == "0.1.0"
    old = release("0.1.0").by_id
    for question_id, entry in store.data["answers"].items():
        assert entry["question_version"] == fingerprint(old[question_id])
        assert entry["answer"] == before[question_id]["answer"]
    store.record(_grade())  # the next save writes version 2, the old answers with their versions
    saved = read_json(path)
    assert saved["version"] == 2 and set(saved["answers"]) == set(before) | {"p1-01"}
    assert saved["answers"]["p1-01"]["question_version"] == fingerprint(bank_for_pillar(1).questions[0])
