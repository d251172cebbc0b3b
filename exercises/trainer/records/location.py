"""Where the records database is by default (no database package needed to say so)."""
from __future__ import annotations

from pathlib import Path

ENV_DB = "SIGE_COURSE_RECORDS"
DEFAULT_PATH = Path.home() / ".sige-course" / "records.sqlite"
