"""Learner progress: a small JSON results file, written atomically, never crashing on bad data.

Format (``format: sige-course-results``, ``version: 1``; documented in README.md, 成绩文件格式)::

    {"format": "sige-course-results", "version": 1, "course_version": "0.1.0",
     "learner": "张三", "learner_id": "1024", "updated": "2026-11-27T10:00:00+00:00",
     "answers": {"p1-01": {"answer": "A", "verdict": "correct", "score": 1.0,
                           "points": 1.0, "time": "2026-11-27T09:59:58+00:00"}}}
"""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__
from .grading import Grade

FORMAT = "sige-course-results"
VERSION = 1
ENV_PATH = "SIGE_COURSE_PROGRESS"
DEFAULT_PATH = Path.home() / ".sige-course" / "progress.json"
MAX_BYTES = 5_000_000


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def empty_results(learner: str = "") -> dict:
    return {"format": FORMAT, "version": VERSION, "course_version": __version__,
            "learner": learner, "learner_id": "", "updated": _now(), "answers": {}}


class ProgressStore:
    """Load and save one learner's results file; ``message`` explains anything set aside."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or os.environ.get(ENV_PATH) or DEFAULT_PATH)
        self.message = ""
        self.data = self._load()
        self._changes: dict[str, dict | None] = {}  # answers this store recorded (None: forgotten)
        self._identity: dict[str, str] = {}

    def _set_aside(self, reason: str) -> dict:
        backup = self.path.with_name(f"{self.path.name}.corrupt-{datetime.now():%Y%m%d%H%M%S}")
        try:
            self.path.replace(backup)
            self.message = f"进度文件无法读取（{reason}），已另存为 {backup.name}，本次从头记录。"
        except OSError:
            self.message = f"进度文件无法读取（{reason}），本次从头记录。"
        return empty_results()

    def _read(self) -> tuple[dict | None, str]:
        """The results file on disk, or None and why it cannot be used ("" when there is none)."""
        try:
            if not self.path.exists():
                return None, ""
            if self.path.stat().st_size > MAX_BYTES:
                return None, "文件过大"
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None, "内容损坏"
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("answers"), dict):
            return None, "不是本课程的进度文件"
        if data.get("version") != VERSION:
            return None, f"版本 {data.get('version')!r} 不受支持"
        return data, ""

    def _load(self) -> dict:
        data, problem = self._read()
        if problem:
            return self._set_aside(problem)
        return data or empty_results()

    def record(self, grade: Grade) -> None:
        """Store one graded answer and save the file."""
        entry = {"answer": grade.response, "verdict": grade.verdict, "score": grade.score,
                 "points": grade.points, "time": _now()}
        self.data["answers"][grade.question_id] = self._changes[grade.question_id] = entry
        self.save()

    def forget(self, question_ids) -> None:
        for question_id in question_ids:
            self.data["answers"].pop(question_id, None)
            self._changes[question_id] = None
        self.save()

    def set_learner(self, learner: str, learner_id: str = "") -> None:
        """Store who the learner is (name and number) and save the file."""
        self._identity = {"learner": learner, "learner_id": learner_id}
        self.data.update(self._identity)
        self.save()

    def _merge_saved(self) -> None:
        """Take in what other notebooks saved to the same file meanwhile; this store's changes win."""
        saved, _ = self._read()
        if saved is None:
            return
        answers = dict(saved["answers"])
        for question_id, entry in self._changes.items():
            if entry is None:
                answers.pop(question_id, None)
            else:
                answers[question_id] = entry
        self.data = {**saved, **self._identity, "answers": answers}

    def save(self) -> None:
        """Merge with the file on disk, then write atomically: a temporary file in the same folder, then rename."""
        self._merge_saved()
        self.data["updated"] = _now()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(self.data, handle, ensure_ascii=False, indent=1)
            os.replace(tmp, self.path)
        except OSError as exc:
            self.message = f"进度未能保存（{exc.strerror or exc}）；答题结果仍显示在本页。"
