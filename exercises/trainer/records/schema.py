"""The records database: tables, schema version and migrations, and the engine for a URL.

SQLite is the default (one file, WAL journal): ``$SIGE_COURSE_RECORDS`` or
``~/.sige-course/records.sqlite``. A ``postgresql://`` URL shares one record across trainers
(driver: psycopg 3). ``migrate`` brings any older database up to ``SCHEMA_VERSION`` in one transaction.
"""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
    select,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError

from .location import DEFAULT_PATH, ENV_DB

SCHEMA_VERSION = 4

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

batches = Table(
    "batches", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(100), nullable=False, unique=True),
    Column("pass_mark", Float, nullable=False, default=60.0),
    Column("created", String(40), nullable=False),
)

learners = Table(
    "learners", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("number", String(64), nullable=False),
    Column("name", String(100), nullable=False, default=""),
    Column("unit", String(200), nullable=False, default=""),
    Column("on_roster", Integer, nullable=False, default=1),
    UniqueConstraint("batch_id", "number"),
)

hours = Table(
    "hours", metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("session", Integer, nullable=False),
    Column("hours", Float, nullable=False),
    UniqueConstraint("learner_id", "session"),
)

imports = Table(
    "imports", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("source", Text, nullable=False),
    Column("time", String(40), nullable=False),
)

submissions = Table(
    "submissions", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("import_id", ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("name", String(100), nullable=False, default=""),
    Column("number", String(64), nullable=False, default=""),
    Column("updated", String(40), nullable=False, default=""),
    Column("learner_id", ForeignKey("learners.id", ondelete="SET NULL"), nullable=True),
    Column("status", String(20), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    UniqueConstraint("batch_id", "sha256"),
)

answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("attempt", String(100), nullable=False, default=""),
    Column("question_id", String(40), nullable=False),
    Column("response", Text, nullable=False),
    Column("time", String(40), nullable=False, default=""),
    UniqueConstraint("submission_id", "kind", "attempt", "question_id"),
)

skipped = Table(
    "skipped", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("import_id", ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
)

# version 2: each roster learner's 个人码 (random per batch, printed on the learner's slip), and the index the
# hand-in receipts and the live view read a learner's submissions by.
pins = Table(
    "pins", metadata,
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
    Column("pin", String(16), nullable=False),
    Column("created", String(40), nullable=False),
)
submissions_by_learner = Index("ix_submissions_learner_id", submissions.c.learner_id)

# version 3: paper results (one per learner and paper, replaced on re-entry), the batch's certificate rules,
# and the certificates issued (numbers kept once given).
paper_results = Table(
    "paper_results", metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
    Column("paper", String(40), nullable=False),
    Column("source", Text, nullable=False),
    Column("time", String(40), nullable=False),
    Column("score", Float, nullable=False),
    Column("total", Float, nullable=False),
    Column("detail", Text, nullable=False),
    UniqueConstraint("learner_id", "paper"),
)

batch_rules = Table(
    "batch_rules", metadata,
    Column("batch_id", ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True),
    Column("min_hours", Float, nullable=True),
    Column("issuer", String(200), nullable=True),
    Column("units", String(100), nullable=True),  # "1,2,4"; NULL: every unit of the article
)

certificates = Table(
    "certificates", metadata,
    Column("id", Integer, primary_key=True),
    Column("batch_id", ForeignKey("batches.id", ondelete="CASCADE"), nullable=False),
    Column("learner_id", ForeignKey("learners.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("issued", String(40), nullable=False),
)


# version 4: the question version (``questions.versions.fingerprint``) each answer was given on, and every
# question version the records have seen (its full question, so it can be graded whatever the package ships).
answer_versions = Table(
    "answer_versions", metadata,
    Column("submission_id", ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(20), primary_key=True),
    Column("attempt", String(100), primary_key=True),
    Column("question_id", String(40), primary_key=True),
    Column("version", String(12), nullable=False),
)

question_versions = Table(
    "question_versions", metadata,
    Column("version", String(12), primary_key=True),
    Column("question_id", String(40), nullable=False),
    Column("release", String(40), nullable=False),
    Column("question", Text, nullable=False),
)


def _create_v1(connection) -> None:
    metadata.create_all(connection, tables=[schema_version, batches, learners, hours, imports, submissions, answers,
                                            skipped])


def _pins_v2(connection) -> None:
    pins.create(connection, checkfirst=True)
    submissions_by_learner.create(connection, checkfirst=True)


def _papers_v3(connection) -> None:
    for table in (paper_results, batch_rules, certificates):
        table.create(connection, checkfirst=True)


# version -> the step from version - 1. A later change adds a step (ALTER/CREATE) and, since step 1 builds the
# tables from ``metadata``, pins step 1 to the version-1 tables at that time.
def _versions_v4(connection) -> None:
    for table in (answer_versions, question_versions):
        table.create(connection, checkfirst=True)


MIGRATIONS = {1: _create_v1, 2: _pins_v2, 3: _papers_v3, 4: _versions_v4}


class SchemaError(RuntimeError):
    """The database cannot be used (newer schema, bad URL); the message is Chinese."""


def database_url(url: str | None = None) -> str:
    """The URL given, else ``$SIGE_COURSE_RECORDS`` (URL or file path), else the default SQLite file."""
    value = url or os.environ.get(ENV_DB) or str(DEFAULT_PATH)
    if "://" not in value:
        path = Path(value).expanduser().resolve()
        return f"sqlite:///{path}"
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def open_engine(url: str | None = None) -> Engine:
    """An engine for the records database, migrated to the current schema."""
    full = database_url(url)
    try:
        parsed = make_url(full)
    except ArgumentError:
        raise SchemaError(f"数据库地址无法识别：{full}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed, pool_pre_ping=True)
    else:
        raise SchemaError(f"不支持的数据库：{parsed.get_backend_name()}（可用 SQLite 文件或 postgresql:// 地址）")
    migrate(engine)
    return engine


def current_version(connection) -> int:
    if not inspect(connection).has_table("schema_version"):
        return 0
    return connection.execute(select(schema_version.c.version)).scalar() or 0


def migrate(engine: Engine) -> int:
    """Apply the pending migrations in one transaction; return the schema version."""
    with engine.begin() as connection:
        version = current_version(connection)
        if version > SCHEMA_VERSION:
            raise SchemaError(f"数据库的结构版本 {version} 比本工具（{SCHEMA_VERSION}）新，请升级课程工具。")
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](connection)
        if version == 0:
            connection.execute(schema_version.insert().values(version=SCHEMA_VERSION))
        elif version < SCHEMA_VERSION:
            connection.execute(schema_version.update().values(version=SCHEMA_VERSION))
    return SCHEMA_VERSION
