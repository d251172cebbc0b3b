"""Question versions: a content fingerprint per question, and the questions of every released bank version.

``fingerprint(question)`` is 12 lowercase hex digits of SHA-256 over a canonical JSON of what decides how the
question is shown and graded (type, stem, options, key, accepted variants, items, pairs, key points, points;
not its id, explanation, source or measure). Results files record it per answer (``question_version``), so an
answer is graded against the question the learner saw.

The package ships the questions of each released bank version in ``releases/<version>.json``; RELEASES.md in
that folder lists them. ``add_release(version)`` (``course bank release``) snapshots the current banks as a new release and sets the
package version (the maintainer's step when the banks change; ``tests/test_versions.py`` fails until it is done).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path

from .model import Question
from .results import answer_entries

RELEASES_DIR = Path(str(resources.files("exercises").joinpath("releases")))
NOT_CONTENT = ("id", "pillar", "measure", "explanation", "source")  # kept in a release, outside the fingerprint
VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+$")
FINGERPRINT = re.compile(r"^[0-9a-f]{12}$")


def _plain(value):
    """Tuples as lists, recursively: the JSON shape of a question's slots."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def question_data(q: Question) -> dict:
    """Every slot of ``q`` as JSON data (a release file's entry): the common fields and the type's own."""
    common = {f.name: _plain(getattr(q, f.name)) for f in dataclasses.fields(q) if f.name != "data"}
    return {**common, **{name: _plain(value) for name, value in q.data.items()}}


@lru_cache(maxsize=50_000)
def fingerprint(q: Question) -> str:
    """The content fingerprint of ``q``: 12 lowercase hex digits. Empty slots are left out, so a slot added to
    :class:`Question` later (with an empty default) changes no fingerprint."""
    content = {k: v for k, v in question_data(q).items() if k not in NOT_CONTENT and v not in ("", None, [])}
    content["points"] = float(q.points)
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _tuples(value):
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def question_from(data: dict) -> Question:
    """The question of a release entry (the inverse of ``question_data``)."""
    common = {f.name for f in dataclasses.fields(Question)} - {"data"}
    slots = {k: v if k == "answer" and not isinstance(v, list) else _tuples(v) for k, v in data.items()}
    own = {k: v for k, v in slots.items() if k not in common and v not in ((), None, "")}  # older files: every slot
    return Question(**{k: v for k, v in slots.items() if k in common}, data=own)


@dataclass(frozen=True)
class Release:
    """The questions of one released bank version."""

    version: str
    note: str
    questions: tuple[Question, ...]
    shipped_as: tuple[str, ...] = ()  # other course_version labels files answered on this release carry

    @cached_property
    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def read_release(path: Path) -> Release:
    data = json.loads(path.read_text("utf-8"))
    return Release(data["version"], data.get("note", ""), tuple(question_from(q) for q in data["questions"]),
                   tuple(data.get("shipped_as", ())))


@cache
def releases(directory: Path = RELEASES_DIR) -> tuple[Release, ...]:
    """Every shipped release, oldest first."""
    found = [read_release(p) for p in directory.glob("*.json")]
    return tuple(sorted(found, key=lambda r: version_key(r.version)))


def release(version: str, directory: Path = RELEASES_DIR) -> Release | None:
    return next((r for r in releases(directory) if r.version == version), None)


@cache
def known_versions(directory: Path = RELEASES_DIR) -> dict[str, tuple[Question, str]]:
    """Fingerprint -> (question, the first release that has it), over every shipped release."""
    known: dict[str, tuple[Question, str]] = {}
    for r in releases(directory):
        for q in r.questions:
            known.setdefault(fingerprint(q), (q, r.version))
    return known


def unreleased(questions, version: str, directory: Path = RELEASES_DIR) -> list[str]:
    """The ids of ``questions`` whose content is not in release ``version`` (all of them when it has none)."""
    found = release(version, directory)
    shipped = {fingerprint(q) for q in found.questions} if found else set()
    return [q.id for q in questions if fingerprint(q) not in shipped]


@lru_cache(maxsize=1)
def _current() -> dict[str, str]:
    from .bank import load_all

    return {q.id: fingerprint(q) for bank in load_all() for q in bank.questions}


def current_version(question_id: str) -> str | None:
    """The fingerprint of the current bank's question ``question_id`` (None when there is none)."""
    return _current().get(question_id)


def snapshot(questions, version: str, note: str) -> dict:
    """A release file's content for ``questions``."""
    return {"version": version, "note": note, "questions": [question_data(q) for q in questions]}


def write_release(questions, version: str, note: str, directory: Path = RELEASES_DIR) -> Path:
    """Write ``releases/<version>.json`` for ``questions``; refuse a version that is not new and greater."""
    if not VERSION_PATTERN.match(version):
        raise ValueError(f"版本号 {version!r} 应形如 0.3.0")
    existing = [r.version for r in releases(directory)]
    if existing and version_key(version) <= version_key(existing[-1]):
        raise ValueError(f"版本号 {version} 应大于已发布的最新版本 {existing[-1]}")
    path = directory / f"{version}.json"
    text = json.dumps(snapshot(questions, version, note), ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")
    releases.cache_clear()
    known_versions.cache_clear()
    return path


def set_package_version(version: str, root: Path) -> list[Path]:
    """Write ``version`` into ``exercises/__init__.py`` and ``pyproject.toml`` under ``root``."""
    changed = []
    for path, pattern, line in ((root / "exercises" / "__init__.py", r'^__version__ = ".*"$', f'__version__ = "{version}"'),
                                (root / "pyproject.toml", r'^version = ".*"$', f'version = "{version}"')):
        text = path.read_text("utf-8")
        new, count = re.subn(pattern, line, text, count=1, flags=re.M)
        if count != 1:
            raise ValueError(f"{path} 中找不到版本号")
        path.write_text(new, encoding="utf-8")
        changed.append(path)
    return changed


def add_release(version: str, note: str = "") -> list[Path]:
    """The maintainer's step after a bank change (``course bank release 0.3.0 "说明"``): snapshot the current banks
    as release ``version`` and make it the package version."""
    from .bank import load_all

    questions = [q for bank in load_all() for q in bank.questions]
    path = write_release(questions, version, note or f"题库 {version}")
    return [path, *set_package_version(version, RELEASES_DIR.parent.parent)]


# ---- the version-1 reader: which release a file without question versions was answered on --------------
def version_one_release(document: dict) -> tuple[str, dict]:
    """The bank a version-1 document was answered on, as (release version or "" for the current banks,
    question id -> question). Candidates: the release its ``course_version`` names and any release shipped
    under that label (the course kept the label 0.1.0 through the content rework), then the current banks,
    then (for a label no release has) every release, newest first. The candidate that reproduces most of
    the verdicts the learner was shown wins; among equals, the first."""
    from .bank import load_all

    named = document.get("course_version") or ""
    shipped = [r for r in releases() if r.version == named or named in r.shipped_as]
    current = ("", {q.id: q for bank in load_all() for q in bank.questions})  # load_all is cached
    candidates = [(r.version, r.by_id) for r in shipped] + [current]
    if not shipped:
        candidates += [(r.version, r.by_id) for r in reversed(releases())]
    shown = [(question_id, entry["verdict"], json.dumps(entry.get("answer"), sort_keys=True))
             for question_id, entry in answer_entries(document) if entry.get("verdict") in ("correct", "incorrect", "partial")]
    return max(candidates, key=lambda c: _agreement(c[1], shown))  # max keeps the first of equals


def _agreement(questions: dict, shown: list[tuple[str, str, str]]) -> int:
    """How many of the (question id, verdict shown, response JSON) ``questions`` reproduce (简答 left out)."""
    from .types import type_of

    agreed = 0
    for question_id, verdict, response in shown:
        q = questions.get(question_id)
        if q is not None and not type_of(q).reference_score:
            agreed += _verdict(q, response) == verdict
    return agreed


@lru_cache(maxsize=20_000)
def _verdict(q, response: str) -> str:
    """The verdict on a response (JSON) to ``q``; many files give the same answers."""
    from .grading import grade

    return grade(q, json.loads(response)).verdict


def upgrade(document: dict) -> None:
    """The answers of a version-1 document, in place: each gets the fingerprint of its question in the bank it
    was answered on (none when that bank has no such question); the document names that release."""
    label, questions = version_one_release(document)
    for question_id, entry in answer_entries(document):
        q = questions.get(question_id)
        if q is not None and "question_version" not in entry:
            entry["question_version"] = fingerprint(q)
    if label:
        document["answered_release"] = label
