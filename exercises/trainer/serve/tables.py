"""The collection point's tables, kept in the records database beside the records' own tables.

They are created when missing (``ensure``); the records' schema version is not touched, since no records
table changes. Several ``course serve`` processes sharing one database share these rows.
"""
from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

metadata = MetaData()

codes = Table(
    "serve_codes", metadata,
    Column("code", String(16), primary_key=True),
    Column("batch", String(100), nullable=False),
    Column("created", String(40), nullable=False),
    Column("expires", String(40), nullable=False),
    Column("revoked", Integer, nullable=False, default=0),
)

settings = Table(
    "serve_settings", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(400), nullable=False),
)

sessions = Table(
    "serve_sessions", metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("expires", String(40), nullable=False),
)

def ensure(engine: Engine) -> None:
    """Create the collection point's tables that are missing (another process may be doing the same)."""
    try:
        metadata.create_all(engine, checkfirst=True)
    except SQLAlchemyError:
        metadata.create_all(engine, checkfirst=True)  # lost a race with another process: they exist now
