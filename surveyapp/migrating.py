"""How migrations run on SQLite without losing data (used by migrations/env.py).

SQLite cannot alter most of a table, so Alembic's batch mode copies the table, drops the old one and renames
the copy. Run naively, that loses data, as releases 2026.12.0 and 2026.12.1 did:
- with `PRAGMA foreign_keys=ON` (the app turns it on for every connection) `DROP TABLE` first deletes every row,
  which cascades into the referencing tables (every response went with `survey_round`) or fails half-way;
- Python's sqlite3 driver commits DDL as it goes, so a failure leaves a half-migrated file behind.

So on SQLite a migration runs on its own connection with foreign keys off, inside ONE transaction that also
holds the DDL, checks `PRAGMA foreign_key_check` before it commits, and works on a file that was copied aside
first (restored if anything fails). This is Alembic's documented batch-mode practice, plus the copy.
"""
import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import NullPool

logger = logging.getLogger(__name__)

#: Alembic's batch mode names its working copy of a table like this.
BATCH_COPY_PREFIX = "_alembic_tmp_"


class ForeignKeyViolation(RuntimeError):
    """The migrated database would hold rows whose foreign keys point nowhere."""


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def sqlite_migration_engine(url: str) -> Engine:
    """An engine whose transactions hold DDL too (the driver's own transaction handling is turned off and
    SQLAlchemy emits BEGIN), with foreign keys off for the whole connection (a PRAGMA that is ignored inside a
    transaction, so it is set as the connection opens)."""
    engine = create_engine(url, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database file (its WAL included), through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    # sqlite3's context manager commits but does not close.
    src.close()
    dst.close()


def repair_interrupted_batch(connection: Connection) -> list[str]:
    """Undo what an interrupted batch operation left: a working copy next to its table is dropped (the table
    still holds every row, as the failed DROP left it); a copy whose table is gone takes the table's name.
    Returns what was repaired, for the log."""
    names = set(inspect(connection).get_table_names())
    repaired = []
    for copy in sorted(n for n in names if n.startswith(BATCH_COPY_PREFIX)):
        table = copy[len(BATCH_COPY_PREFIX):]
        if table in names:
            connection.exec_driver_sql(f'DROP TABLE "{copy}"')
            repaired.append(f"dropped the leftover copy {copy}")
        else:
            connection.exec_driver_sql(f'ALTER TABLE "{copy}" RENAME TO "{table}"')
            repaired.append(f"restored {table} from its copy")
    return repaired


def check_foreign_keys(connection: Connection) -> None:
    """Raise ForeignKeyViolation if any row points at a row that does not exist."""
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        tables = sorted({row[0] for row in problems})
        raise ForeignKeyViolation(f"{len(problems)} rows with broken foreign keys in {', '.join(tables)}")


def column_exists(connection: Connection, table: str, column: str) -> bool:
    """Whether a table has a column: lets a migration step over what an interrupted earlier run added."""
    return any(c["name"] == column for c in inspect(connection).get_columns(table))
