"""The results-file format (``sige-course-results``, version 1): its schema and its naming rules.

The notebooks' progress store, the page's export and the trainer's tools all read and write this one
format; ``schema/results.schema.json`` is its definition (README.md, 成绩文件格式, explains the fields).
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

from .normalize import clip

FORMAT = "sige-course-results"
VERSION = 1
MAX_NAME = 60        # characters kept of a typed name or number
MAX_FILE_PART = 40   # characters of each part of an export's file name
EXPORT_PREFIX = "成绩-"
UNNAMED = "未署名"


def results_schema() -> dict:
    return json.loads(resources.files("exercises").joinpath("schema/results.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(results_schema())


def schema_problems(data) -> list[str]:
    """What makes ``data`` not a results document, each as a short Chinese phrase (empty when valid)."""
    problems = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))[:5]:
        where = ".".join(str(p) for p in error.absolute_path) or "（根）"
        problems.append(f"字段 {where} 不符合成绩文件格式（{error.validator}）")
    return problems


def clean_name(value) -> str:
    """A typed name on one line, without control characters, of bounded length."""
    return " ".join(clip(value).split())[:MAX_NAME]


def safe_filename(value) -> str:
    """A file-name part from anything typed: letters (any script), digits, - and _ only."""
    text = unicodedata.normalize("NFKC", clean_name(value))
    kept = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)
    return re.sub("_+", "_", kept).strip("_")[:MAX_FILE_PART]


def export_name(learner: str, learner_id: str = "") -> str:
    """E.g. ``成绩-张三-1024.json``; unnamed learners get ``成绩-未署名.json``."""
    parts = [p for p in (safe_filename(learner), safe_filename(learner_id)) if p]
    return EXPORT_PREFIX + ("-".join(parts) or UNNAMED) + ".json"


def naming_rules() -> dict:
    """The naming constants, for the page script's copy of ``clean_name`` and ``export_name``."""
    return {"max_name": MAX_NAME, "max_file_part": MAX_FILE_PART, "prefix": EXPORT_PREFIX, "unnamed": UNNAMED}
