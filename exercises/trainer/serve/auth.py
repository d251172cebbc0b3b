"""The trainer's password (argon2id hash in the database) and login sessions (only their SHA-256 is stored)."""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from .tables import sessions, settings

SESSION_HOURS = 12
MIN_PASSWORD = 8
PASSWORD_KEY = "trainer_password"
_hasher = PasswordHasher()


class PasswordError(ValueError):
    """The password cannot be set; the message is one Chinese line."""


def _now() -> datetime:
    return datetime.now(UTC)


def has_password(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(settings.c.value).where(settings.c.key == PASSWORD_KEY)).first() is not None


def set_password(engine: Engine, password: str) -> None:
    """Store the password's hash (replacing any earlier one) and end every session."""
    if len(password) < MIN_PASSWORD:
        raise PasswordError(f"密码至少 {MIN_PASSWORD} 个字符。")
    digest = _hasher.hash(password)
    with engine.begin() as connection:
        if connection.execute(select(settings.c.key).where(settings.c.key == PASSWORD_KEY)).first():
            connection.execute(update(settings).where(settings.c.key == PASSWORD_KEY).values(value=digest))
        else:
            connection.execute(insert(settings).values(key=PASSWORD_KEY, value=digest))
        connection.execute(delete(sessions))


def password_digest(engine: Engine) -> str | None:
    """The stored argon2 hash of the trainer's password, if one is set."""
    with engine.connect() as connection:
        return connection.execute(select(settings.c.value).where(settings.c.key == PASSWORD_KEY)).scalar()


def verify(digest: str | None, password: str) -> bool:
    """Whether ``password`` matches ``digest`` (argon2: a deliberately slow, memory-hard check)."""
    if digest is None or not isinstance(password, str) or len(password) > 1000:
        return False
    try:
        return _hasher.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False



def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def open_session(engine: Engine) -> str:
    """A new session token (for the cookie); expired sessions are dropped."""
    token = secrets.token_urlsafe(32)
    now = _now()
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.expires <= now.isoformat(timespec="seconds")))
        connection.execute(insert(sessions).values(token_hash=_digest(token),
                                                   expires=(now + timedelta(hours=SESSION_HOURS)).isoformat(timespec="seconds")))
    return token


def valid_session(engine: Engine, token: str | None) -> bool:
    if not token or len(token) > 200:
        return False
    with engine.connect() as connection:
        expires = connection.execute(select(sessions.c.expires).where(sessions.c.token_hash == _digest(token))).scalar()
    return expires is not None and expires > _now().isoformat(timespec="seconds")


def close_session(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as connection:
            connection.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))
