"""What the learner typed for the classroom hand-in (server address, 期次码, 个人码), remembered so it is typed once.

It lives in a small JSON file beside the progress file (``progress.json`` → ``progress.handin.json``), readable
by the owner only and written atomically; it is never part of the results document, so neither an exported
results file nor a hand-in's document carries the 个人码 (it travels only in the hand-in's ``pin`` field).
"""
from __future__ import annotations

import json
from pathlib import Path

from ..safeio import SafeReadError, atomic_write, clean_text, read_json

FIELDS = ("server", "code", "pin")
MAX_VALUE = 200  # characters kept of a field
MAX_BYTES = 4_000


def memory_path(progress_path: str | Path) -> Path:
    """The remembered fields' file beside a progress file."""
    path = Path(progress_path)
    return path.with_name(f"{path.stem}.handin.json")


def recall(path: Path) -> dict[str, str]:
    """The remembered fields (each a string, possibly empty); nothing when the file is missing or unusable."""
    try:
        data = read_json(path, MAX_BYTES)
    except SafeReadError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: clean_text(data[k])[:MAX_VALUE] for k in FIELDS if isinstance(data.get(k), str)}


def remember(path: Path, values: dict[str, str]) -> None:
    """Keep the fields for next time (OSError when the file cannot be written)."""
    kept = {k: clean_text(values.get(k, ""))[:MAX_VALUE] for k in FIELDS}
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(kept, ensure_ascii=False).encode("utf-8"), mode=0o600)
