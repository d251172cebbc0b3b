"""Safe readers and atomic writes: special files, caps, hostile JSON and YAML, failed writes."""
from __future__ import annotations

import json
import os
import signal
import time
import tracemalloc
from contextlib import contextmanager

import pytest

from exercises.safeio import (
    YAML_MAX_NODES,
    SafeReadError,
    atomic_write,
    json_safe,
    parse_json,
    parse_yaml,
    read_bytes,
    read_json,
    read_yaml,
    remove_stale_temps,
)


@contextmanager
def deadline(seconds: float):
    """Fail (instead of hanging the suite) if the block takes longer than ``seconds``."""
    def expire(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def refused(call, *args, **kwargs) -> SafeReadError:
    with pytest.raises(SafeReadError) as info:
        call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message and any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    return info.value


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "results.json"
    os.mkfifo(fifo)
    with deadline(5):
        error = refused(read_json, fifo)
    assert error.kind == "not_regular" and "管道" in str(error)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_behind_a_symlink_is_refused(tmp_path, device):
    link = tmp_path / "progress.json"
    link.symlink_to(device)
    with deadline(5):
        assert refused(read_json, link).kind == "not_regular"
        assert "符号链接" in str(refused(read_bytes, link, 100, follow_symlinks=False))


def test_symlink_to_a_regular_file_is_followed_only_when_allowed(tmp_path):
    target = tmp_path / "real.json"
    target.write_text('{"a": 1}', encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert read_json(link) == {"a": 1}
    assert refused(read_json, link, follow_symlinks=False).kind == "not_regular"


def test_folder_and_missing_file(tmp_path):
    assert refused(read_json, tmp_path).kind == "not_regular"
    assert refused(read_json, tmp_path / "missing.json").kind == "missing"
    assert refused(read_json, tmp_path / "missing" / "deeper.json").kind == "missing"
    assert refused(read_json, str(tmp_path / "nul\0.json")).kind == "missing"


def test_size_cap_is_checked_before_reading(tmp_path):
    sparse = tmp_path / "huge.json"
    with sparse.open("wb") as handle:
        handle.truncate(50 * 1024**3)  # 50 GB of holes: reading it would take minutes and all memory
    started = time.process_time()
    error = refused(read_json, sparse, max_bytes=1000)
    assert error.kind == "too_large" and "文件过大" in str(error)
    assert time.process_time() - started < 0.5


def test_bom_and_surrogate_pairs_are_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"learner": "张三", "emoji": "\U0001f600"}).encode())
    assert read_json(path) == {"learner": "张三", "emoji": "\U0001f600"}


@pytest.mark.parametrize("text, words", [
    ("[" * 200_000 + "]" * 200_000, "嵌套层数超过"),
    ('{"a": "\\ud800"}', "孤立的代理项"),
    ('["\\udfff x"]', "孤立的代理项"),
    ('{"a": 1, "a": 2}', "键 'a' 重复出现"),
    ('{"score": NaN}', "非有限数值 NaN"),
    ('{"score": -Infinity}', "非有限数值 -Infinity"),
    ('{"score": 1e999}', "超出范围"),
    ('{"n": ' + "9" * 5000 + "}", "数字过长"),
    ('{"format": "sige', "JSON 格式错误（第 1 行）"),
    ("  \n", "文件为空"),
])
def test_hostile_json_is_refused_quickly(text, words):
    started = time.process_time()
    assert words in str(refused(parse_json, text))
    assert time.process_time() - started < 1


def test_depth_counts_only_brackets_outside_strings():
    assert parse_json(json.dumps({"a": "[[[[[[[[[[{{{{{{{{{" * 10, "b": [[["x"]]]})) is not None
    assert parse_json("[" * 32 + "]" * 32, max_depth=32)
    with pytest.raises(SafeReadError):
        parse_json("[" * 33 + "]" * 33, max_depth=32)


def test_non_utf8_is_refused_with_the_offset(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"learner": "é"}'.encode("latin-1"))
    assert "不是 UTF-8 编码（第 13 字节）" in str(refused(read_json, path))


def test_json_safe_cleans_what_json_cannot_store():
    value = json_safe({"answer": ["a\ud800b", float("nan"), (1, 2)], 3: {1, 2}})
    assert value == {"answer": ["a\ufffdb", None, [1, 2]], "3": "{1, 2}"}
    json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")


ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(8)]
) + "\n"


def test_yaml_alias_bomb_is_refused_fast_and_small():
    tracemalloc.start()
    started = time.process_time()
    try:
        error = refused(parse_yaml, ALIAS_BOMB)
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert "锚点" in str(error) and "第 1 行" in str(error)
    assert time.process_time() - started < 1 and peak < 200 * 1024 * 1024


@pytest.mark.parametrize("text, words", [
    ("a: 1\nb: *x\n", "第 2 行使用了别名"),
    ("a: &x 1\n", "第 1 行定义了锚点（&x）"),
    ("a: 1\nb: 2\na: 3\n", "第 3 行的键 a 重复出现"),
    ("q:\n  1: x\n", "第 2 行的键 1 不是文字"),
    ("q:\n  true: x\n", "第 2 行的键 true 不是文字"),
    ("q:\n  null: x\n", "第 2 行的键 null 不是文字"),
    ("q:\n  ? [a, b]\n  : x\n", "不是文字"),
    ("q:\n  <<: {a: 1}\n", "第 2 行的键 << 不是文字"),
    ("points: .nan\n", "第 1 行的数值 .nan 不是有限数"),
    ("points: -.inf\n", "不是有限数"),
    ("points: 1.0e+999\n", "不是有限数"),
    ("[" * 100_000, "嵌套层数超过"),
    ('a: "\\ud800"\n', "孤立的代理项"),
    ("a: 1\n---\nb: 2\n", "YAML 格式错误（第 2 行）"),
    ("a: !!python/object/apply:os.system [ls]\n", "YAML 格式错误（第 1 行）"),
    ("a: " + "9" * 5000 + "\n", "无法转换的值"),
    ("[" + "a, " * (YAML_MAX_NODES + 10) + "]", f"超过 {YAML_MAX_NODES} 个节点"),
])
def test_hostile_yaml_is_refused_with_line(text, words):
    started = time.process_time()
    assert words in str(refused(parse_yaml, text))
    assert time.process_time() - started < 2


def test_plain_yaml_still_loads(tmp_path):
    path = tmp_path / "bank.yml"
    path.write_bytes("\ufeffpillar: 1\nquestions:\n  - id: p1-01\n    points: 1.5\n    stem: 题干\n".encode())
    assert read_yaml(path) == {"pillar": 1, "questions": [{"id": "p1-01", "points": 1.5, "stem": "题干"}]}
    assert parse_yaml("") is None


def test_yaml_size_cap(tmp_path):
    path = tmp_path / "big.yml"
    path.write_text("a: " + "x" * 300_000, encoding="utf-8")
    assert refused(read_yaml, path).kind == "too_large"


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    path = tmp_path / "out.json"
    atomic_write(path, b"old")
    atomic_write(path, b"new")
    assert path.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_atomic_write_replaces_a_planted_symlink_instead_of_following_it(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "report.html").symlink_to(outside)
    atomic_write(folder / "report.html", b"<p>report</p>")
    assert outside.read_bytes() == b"precious"
    assert not (folder / "report.html").is_symlink() and (folder / "report.html").read_bytes() == b"<p>report</p>"


def test_failed_atomic_write_keeps_the_old_file_and_removes_its_temp(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_bytes(b"keep")
    with pytest.raises(OSError):
        atomic_write(target, b"data")  # a folder is in the way: the rename fails after the temp was written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"] and (target / "inside").read_bytes() == b"keep"


def test_stale_temps_of_one_file_only_are_removed(tmp_path):
    for name in (".progress.json.abc123.tmp", ".progress.json.zz.tmp", ".other.json.abc.tmp", "progress.json"):
        (tmp_path / name).write_bytes(b"x")
    assert remove_stale_temps(tmp_path / "progress.json") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.json.abc.tmp", "progress.json"]
