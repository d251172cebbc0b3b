"""Learner progress: a small JSON results file that several notebooks may write at once without losing answers.

The file is a results document (``questions.results``: format, version 2, schema), e.g.::

    {"format": "sige-course-results", "version": 2, "course_version": "0.3.0",
     "learner": "张三", "learner_id": "1024", "updated": "2026-11-27T10:00:00+00:00",
     "answers": {"p1-01": {"answer": "A", "verdict": "correct", "score": 1.0, "points": 1.0,
                           "time": "2026-11-27T09:59:58+00:00", "question_version": "3f2a9c1b7d40"}}}

Every save takes a lock beside the file, reads what is on disk, applies this store's pending changes (per
question, the later time wins) and writes atomically. A save that would push the file past ``MAX_BYTES`` is
refused, keeping what is stored; an unusable file is set aside under a name no earlier backup has, and a file
with some bad entries keeps its good ones (the file as it was is copied aside, the bad entries named).
"""
from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from .. import __version__
from ..safeio import (
    SafeReadError,
    atomic_write,
    clean_text,
    decode_text,
    describe_os_error,
    json_safe,
    read_bytes,
    remove_stale_temps,
)
from .grading import Grade
from .results import EARLIEST, empty_document, now_text, parse_time, read_document
from .versions import current_version

ENV_PATH = "SIGE_COURSE_PROGRESS"
DEFAULT_PATH = Path.home() / ".sige-course" / "progress.json"
MAX_BYTES = 5_000_000
WARN_BYTES = 4_500_000
LOCK_TIMEOUT = 10.0
LOCK_POLL = 0.002


def _moment(value) -> datetime:
    """A recorded time as an aware datetime; anything unreadable counts as the earliest time."""
    return parse_time(value) or EARLIEST


def empty_results(learner: str = "") -> dict:
    return empty_document(__version__, learner)


class ProgressStore:
    """Load and save one learner's results file; ``message`` explains anything set aside or not saved."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or os.environ.get(ENV_PATH) or DEFAULT_PATH)
        self.message = ""
        self._lock = FileLock(self.path.with_name(f".{self.path.name}.lock"), timeout=LOCK_TIMEOUT)
        self._pending: dict[str, tuple[str, dict | None]] = {}  # question id -> (time, entry or None: forgotten)
        self._identity: dict[str, str] = {}
        self._copied: bytes | None = None  # a file with bad entries already copied aside
        self.data = self._load()

    def _read(self) -> dict | None:
        """The results on disk (as version 2, bad entries set aside and named in ``message`` with the file as it
        was copied aside), None when there is no file; SafeReadError when it cannot be used at all."""
        try:
            data = read_bytes(self.path, MAX_BYTES)
            reading = read_document(decode_text(data))
        except SafeReadError as exc:
            if exc.kind == "missing":
                return None
            raise SafeReadError(str(exc).replace("成绩文件", "进度文件")) from None
        if reading.notes and self._copied != data:
            backup = self._backup_path()
            try:
                shutil.copyfile(self.path, backup)
                kept = f"原文件另存为 {backup.name}"
            except OSError:
                kept = "原文件未能另存"
            self._copied = data
            shown = "".join(reading.notes[:3]) + ("……" if len(reading.notes) > 3 else "")
            self.message = f"进度文件中有 {len(reading.notes)} 处无法使用，已略去，其余记录照常读取（{kept}）：{shown}"
        return reading.document

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
        """Store one graded answer with the version of the question shown (the bank's question of that id: the
        notebooks show the banks of this package) and save the file."""
        now = now_text()
        version = current_version(grade.question_id)
        entry = json_safe({"answer": grade.response, "verdict": grade.verdict, "score": grade.score,
                           "points": grade.points, "time": now, **({"question_version": version} if version else {})})
        self._pending[clean_text(str(grade.question_id))] = (now, entry)
        self.save()

    def forget(self, question_ids) -> None:
        """Remove the answers to ``question_ids`` (the learner starts them again) and save the file."""
        now = now_text()
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
        return {**saved, **self._identity, "answers": answers, "updated": now_text()}

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
