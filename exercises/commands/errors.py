"""The one place a failed command becomes one Chinese line on stderr and an exit code.

A command may set two defaults on its parser: ``failure`` (words put before any user error, e.g. "试卷未能生成")
and ``io_failure`` (before a file-system error; default ``failure``, else "无法读写文件"). A defect (any other
exception) keeps its traceback.
"""
from __future__ import annotations

import sys

from .base import FAILED, INTERRUPTED, CommandError

# The user-error classes of the modules the commands run, as (module, class). Looked up only in modules
# already imported, so a failure never imports anything (nor needs a package a command did not use).
USER_ERRORS = [
    ("exercises.questions.bank", "BankError"),
    ("exercises.text.charts", "FontMissing"),
    ("exercises.trainer.print.handouts", "HandoutError"),
    ("exercises.trainer.print.latex", "LatexError"),
    ("exercises.trainer.records.report", "ReportError"),
    ("exercises.trainer.records.store", "RecordsError"),
    ("exercises.trainer.records.roster", "RosterError"),
    ("exercises.trainer.records.schema", "SchemaError"),
    ("exercises.trainer.records.answer_sheet", "SheetError"),
    ("exercises.trainer.records.hours", "HoursError"),
    ("exercises.trainer.records.xlsx", "XlsxError"),
    ("exercises.trainer.serve.auth", "PasswordError"),
]


# Which extra of pyproject.toml brings a missing package (by its top-level module): a learner's environment has
# only the base set, so a book or trainer command there names the install that it needs.
EXTRAS = {
    "book": ("sphinx", "docutils", "myst_parser", "myst_nb", "babel", "jupyter_book", "sphinx_book_theme"),
    "trainer": ("sqlalchemy", "psycopg", "openpyxl", "tornado", "argon2", "segno", "tqdm", "fastjsonschema"),
    "lab": ("voila", "jupyterlab", "jupytext"),
    "test": ("pytest", "playwright", "bs4", "nbclient"),
}


def _missing_extra(exc: BaseException) -> str | None:
    """For a package of an extra that is not installed: which extra, and the command that installs it."""
    if not isinstance(exc, ModuleNotFoundError) or not exc.name:
        return None
    top = exc.name.split(".")[0]
    extra = next((name for name, modules in EXTRAS.items() if top in modules), None)
    if extra is None:
        return None
    return (f"这条命令需要附加依赖 [{extra}]（缺少 {top}）：请在课程仓库中运行 pip install -e '.[{extra}]'，"
            "或用 ./course 运行命令（它会装好所需的一切）。")


def one_line(text: object) -> str:
    return "；".join(line.strip() for line in str(text).splitlines() if line.strip())


def _user_error(exc: BaseException) -> str | None:
    """The message of a user error, or None for a defect."""
    if isinstance(exc, CommandError):
        return one_line(exc)
    missing = _missing_extra(exc)
    if missing is not None:
        return missing
    for module, name in USER_ERRORS:
        cls = getattr(sys.modules.get(module), name, None)
        if cls is not None and isinstance(exc, cls):
            return one_line(exc)
    sqlalchemy = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy is not None and isinstance(exc, sqlalchemy.SQLAlchemyError):
        from ..trainer.records.store import records_error_from

        return one_line(records_error_from(exc))
    return None


def _os_error(exc: OSError) -> str:
    from ..safeio import clean_text, describe_os_error

    where = f"：{clean_text(str(exc.filename))}" if exc.filename else ""
    return f"（{describe_os_error(exc)}）{where}"


def report(exc: BaseException, args) -> int:
    """Print ``exc`` as one Chinese line and return the exit code; re-raise a defect."""
    failure = getattr(args, "failure", None)
    if isinstance(exc, KeyboardInterrupt):
        print("已中断。", file=sys.stderr)
        return INTERRUPTED
    if isinstance(exc, OSError):
        print((getattr(args, "io_failure", None) or failure or "无法读写文件") + _os_error(exc), file=sys.stderr)
        return FAILED
    message = _user_error(exc)
    if message is None:
        raise exc
    print(f"{failure}：{message}" if failure else message, file=sys.stderr)
    return FAILED
