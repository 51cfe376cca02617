"""Database connection settings that SQLAlchemy's URL cannot carry."""
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db


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
        from .config import sqlite_busy_timeout

        busy = sqlite_busy_timeout(app.config.get("SURVEYAPP_WORKERS", 2), app.config.get("SURVEYAPP_THREADS", 4))
        event.listen(engine, "connect", _sqlite_pragmas(busy))
