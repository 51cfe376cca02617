"""Database connection settings that SQLAlchemy's URL cannot carry, and writes that outlast a held lock."""
import logging
import random
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from .extensions import db

logger = logging.getLogger(__name__)
T = TypeVar("T")
#: The first wait before another try; it doubles with every try (with jitter, so queued writers spread out).
FIRST_BACKOFF_SECONDS = 0.2
#: A respondent's write gives up within this many seconds (nginx's proxy_read_timeout is 60 s by default).
WRITE_BUDGET_SECONDS = 40
#: SQLite's result codes for a lock that could not be had (SQLITE_BUSY and its extended codes, SQLITE_LOCKED).
LOCK_ERRORS = ("SQLITE_BUSY", "SQLITE_LOCKED")


class DatabaseBusy(Exception):
    """The database's write lock stayed taken through every try: nothing was stored, the caller may offer a
    resend."""


def _sqlite_pragmas(busy_timeout_ms: int):
    def pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()
    return pragmas


def init_database(app: Flask) -> None:
    """Turn on foreign keys and WAL for SQLite on every new connection."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine: Engine = db.engine
        event.listen(engine, "connect", _sqlite_pragmas(app.config["SURVEYAPP_SQLITE_BUSY_TIMEOUT_MS"]))


def is_lock_timeout(error: OperationalError) -> bool:
    """Whether a database error is SQLite's write lock still taken after the busy timeout."""
    name = getattr(error.orig, "sqlite_errorname", "") or ""
    return name.startswith(LOCK_ERRORS) or "database is locked" in str(error.orig)


def commit_with_retries(work: Callable[[], T], tries: int | None = None) -> T:
    """Run `work` (which adds and flushes) and commit; if SQLite's write lock outlasts the busy timeout, roll
    back, wait and run it again, up to `tries` times in all (SURVEYAPP_WRITE_TRIES). Raise DatabaseBusy when
    every try met the lock.

    Each try waits at most the busy timeout for the lock, and no try starts that could end after
    WRITE_BUDGET_SECONDS, so the respondent hears back before a proxy gives up on the request. `work` must be
    safe to run again after a rollback: the respondent's write is, by its one-time key.
    """
    tries = max(1, tries or current_app.config.get("SURVEYAPP_WRITE_TRIES", 3))
    busy_seconds = current_app.config.get("SURVEYAPP_SQLITE_BUSY_TIMEOUT_MS", 5000) / 1000
    deadline = time.monotonic() + WRITE_BUDGET_SECONDS
    attempt = 1
    while True:
        try:
            result = work()
            db.session.commit()
            return result
        except OperationalError as error:
            db.session.rollback()
            if not is_lock_timeout(error):
                raise
            backoff = FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
            if attempt == tries or time.monotonic() + backoff + busy_seconds > deadline:
                logger.warning("database write lock still taken after %d tries", attempt)
                raise DatabaseBusy() from error
        time.sleep(backoff)
        attempt += 1
