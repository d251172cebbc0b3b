"""Learner progress: a small JSON results file that several notebooks may write at once without losing answers.

Format (``format: sige-course-results``, ``version: 1``; documented in README.md, 成绩文件格式)::

    {"format": "sige-course-results", "version": 1, "course_version": "0.1.0",
     "learner": "张三", "learner_id": "1024", "updated": "2026-11-27T10:00:00+00:00",
     "answers": {"p1-01": {"answer": "A", "verdict": "correct", "score": 1.0,
                           "points": 1.0, "time": "2026-11-27T09:59:58+00:00"}}}

Every save takes a lock beside the file, reads what is on disk, applies this store's pending changes (per
question, the later time wins) and writes atomically. A save that would push the file past ``MAX_BYTES`` is
refused, keeping what is stored; an unusable file is set aside under a name no earlier backup has.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from .. import __version__
from ..safeio import (SafeReadError, atomic_write, clean_text, describe_os_error, json_safe, read_json,
                      remove_stale_temps)
from .grading import Grade

FORMAT = "sige-course-results"
VERSION = 1
ENV_PATH = "SIGE_COURSE_PROGRESS"
DEFAULT_PATH = Path.home() / ".sige-course" / "progress.json"
MAX_BYTES = 5_000_000
WARN_BYTES = 4_500_000
LOCK_TIMEOUT = 10.0
LOCK_POLL = 0.002
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _moment(value) -> datetime:
    """A recorded time as an aware datetime; anything unreadable counts as the earliest time."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def empty_results(learner: str = "") -> dict:
    return {"format": FORMAT, "version": VERSION, "course_version": __version__,
            "learner": learner, "learner_id": "", "updated": _now(), "answers": {}}


def _check(data) -> dict:
    """``data`` if it is a results document this version can use, else SafeReadError."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("answers"), dict):
        raise SafeReadError("不是本课程的进度文件")
    if data.get("version") != VERSION:
        shown = clean_text(json.dumps(data.get("version"), ensure_ascii=False))[:20]
        raise SafeReadError(f"版本 {shown} 不受支持")
    return data


class ProgressStore:
    """Load and save one learner's results file; ``message`` explains anything set aside or not saved."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or os.environ.get(ENV_PATH) or DEFAULT_PATH)
        self.message = ""
        self._lock = FileLock(self.path.with_name(f".{self.path.name}.lock"), timeout=LOCK_TIMEOUT)
        self._pending: dict[str, tuple[str, dict | None]] = {}  # question id -> (time, entry or None: forgotten)
        self._identity: dict[str, str] = {}
        self.data = self._load()

    def _read(self) -> dict | None:
        """The results on disk, None when there is no file; SafeReadError when it cannot be used."""
        try:
            return _check(read_json(self.path, max_bytes=MAX_BYTES))
        except SafeReadError as exc:
            if exc.kind == "missing":
                return None
            raise

    def _backup_path(self) -> Path:
        stamp = f"{self.path.name}.corrupt-{datetime.now():%Y%m%d%H%M%S}"
        backup, number = self.path.with_name(stamp), 1
        while os.path.lexists(backup):
            number += 1
            backup = self.path.with_name(f"{stamp}-{number}")
        return backup

    def _read_or_set_aside(self) -> dict:
        """What is on disk, or empty results after moving an unusable file aside (call under the lock)."""
        try:
            return self._read() or empty_results()
        except SafeReadError as exc:
            reason = str(exc)
        backup = self._backup_path()
        try:
            os.rename(self.path, backup)
            self.message = f"进度文件无法读取：{reason}。已另存为 {backup.name}，本次从头记录。"
        except OSError:
            self.message = f"进度文件无法读取：{reason}。本次从头记录。"
        return empty_results()

    def _load(self) -> dict:
        try:
            with self._lock.acquire(poll_interval=LOCK_POLL):
                remove_stale_temps(self.path)
                return self._read_or_set_aside()
        except OSError:  # no lock to be had (folder missing or read-only, or held too long): read only
            pass
        try:
            return self._read() or empty_results()
        except SafeReadError as exc:
            self.message = f"进度文件无法读取：{exc}。本次从头记录。"
            return empty_results()

    def record(self, grade: Grade) -> None:
        """Store one graded answer and save the file."""
        now = _now()
        entry = json_safe({"answer": grade.response, "verdict": grade.verdict, "score": grade.score,
                           "points": grade.points, "time": now})
        self._pending[clean_text(str(grade.question_id))] = (now, entry)
        self.save()

    def forget(self, question_ids) -> None:
        """Remove the answers to ``question_ids`` (the learner starts them again) and save the file."""
        now = _now()
        for question_id in question_ids:
            self._pending[clean_text(str(question_id))] = (now, None)
        self.save()

    def set_learner(self, learner: str, learner_id: str = "") -> None:
        """Store who the learner is (name and number) and save the file."""
        self._identity = {"learner": clean_text(learner), "learner_id": clean_text(learner_id)}
        self.save()

    def _merged(self, saved: dict) -> dict:
        """``saved`` with this store's pending changes applied; per question the later time wins."""
        answers = dict(saved["answers"])
        for question_id, (time, entry) in self._pending.items():
            current = answers.get(question_id)
            if isinstance(current, dict) and _moment(current.get("time")) > _moment(time):
                continue
            if entry is None:
                answers.pop(question_id, None)
            else:
                answers[question_id] = entry
        return {**saved, **self._identity, "answers": answers, "updated": _now()}

    def save(self) -> None:
        """Under the lock: read the file, merge this store's changes, write atomically (or refuse when too big)."""
        self.change()

    def change(self, apply=None) -> None:
        """Like ``save``; ``apply(document)`` also changes other sections of the merged document before it is
        written (e.g. the practice modes' section), so nothing another notebook wrote is lost."""
        self.message = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock.acquire(poll_interval=LOCK_POLL):
                remove_stale_temps(self.path)
                saved = self._read_or_set_aside()
                merged = self._merged(saved)
                if apply is not None:
                    apply(merged)
                payload = json.dumps(merged, ensure_ascii=False, indent=1).encode("utf-8")
                if len(payload) > MAX_BYTES:
                    self._pending.clear()
                    self._identity = {}
                    self.data = saved
                    self.message = (f"进度文件将超过上限（{MAX_BYTES / 1e6:.0f} MB），本次答案未保存，已保存的记录不变；"
                                    "请缩短过长的答案。")
                    return
                atomic_write(self.path, payload, mode=0o600)
        except Timeout:
            self.message = "进度文件正被另一个笔记本长时间占用，本次未能保存；答题结果仍显示在本页。"
        except OSError as exc:
            self.message = f"进度未能保存（{describe_os_error(exc)}）；答题结果仍显示在本页。"
        else:
            self._pending.clear()
            self._identity = {}
            self.data = merged
            if len(payload) > WARN_BYTES:
                self.message = f"进度文件已接近上限（{len(payload) / 1e6:.1f} MB / {MAX_BYTES / 1e6:.0f} MB）。"
            return
        self.data = self._merged(self.data)
