"""Upgrades from every earlier release, with its data, on SQLite and PostgreSQL.

The fixtures in tests/fixtures/releases/ were made by each release's own code (tools/make_release_fixtures.sh):
its migrations, its demo data (units, rounds, responses, audits, plans), answer codes and one response sent
through its own respondent form, dumped as SQLite and PostgreSQL wrote them. Each is upgraded the way the
docs tell an operator to (`flask db upgrade` in a subprocess), then every row of every table is compared with the
rows before, the schema with the models, the result pages are crawled under gunicorn, and the form sent on the
old release is sent again: it is stored once.
"""
import gzip
import hashlib
import hmac
import json
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
import requests
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from surveyapp.extensions import db
from tests.conftest import make_test_app
from tests.test_served_crawl import _crawl, _free_port, _login

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "releases"
SECRET = (FIXTURES / "SECRET_KEY").read_text().strip()
VENV_BIN = Path(sys.executable).parent
#: The commits main stood at after each landing: 2026.11.0, 2026.12.0, 2026.12.1.
RELEASES = ["7042bd6", "b09440d", "a645432"]
#: Tables renamed since: old name → new name.
RENAMED = {"audit_entry": "change_log_entry"}


def _load(url: str, dump: Path) -> None:
    """Restore a release's dump into an empty database, as the release left it."""
    script = gzip.decompress(dump.read_bytes()).decode("utf-8")
    if url.startswith("sqlite"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            connection.executescript(script)
        return
    import psycopg

    # pg_dump's \restrict lines are psql meta-commands; everything else is plain SQL.
    script = "\n".join(line for line in script.splitlines() if not line.startswith("\\"))
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as connection:
        connection.execute(script)


def _tables(url: str) -> dict[str, dict]:
    """Every table's columns and rows (sorted, as text), alembic's bookkeeping aside."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            found = {}
            for table in inspect(connection).get_table_names():
                if table == "alembic_version":
                    continue
                columns = [c["name"] for c in inspect(connection).get_columns(table)]
                quoted = ", ".join(f'"{c}"' for c in columns)
                rows = connection.execute(text(f'SELECT {quoted} FROM "{table}"')).all()
                found[table] = {"columns": columns, "rows": sorted(tuple(map(str, r)) for r in rows)}
            return found
    finally:
        engine.dispose()


def _checksum(rows: list[tuple]) -> str:
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _upgrade(url: str, instance: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, SURVEYAPP_INSTANCE=str(instance))
    env.pop("TEST_DATABASE_URL", None)
    return subprocess.run([str(VENV_BIN / "flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def _hmac(key: str) -> str:
    return hmac.new(SECRET.encode(), b"idempotency:" + key.encode(), hashlib.sha256).hexdigest()


def _assert_every_row_kept(before: dict, after: dict) -> None:
    for table, old in before.items():
        new = after[RENAMED.get(table, table)]
        assert set(old["columns"]) <= set(new["columns"]), table
        index = [new["columns"].index(c) for c in old["columns"]]
        kept = sorted(tuple(row[i] for i in index) for row in new["rows"])
        if table == "response":  # form keys of 2026.11.0 are replaced by their HMAC (migration e1a7c0de2b11)
            key = old["columns"].index("idempotency_key")
            legacy = [row for row in old["rows"] if len(row[key]) != 64]
            expected = sorted(row[:key] + (_hmac(row[key]) if len(row[key]) != 64 else row[key],) + row[key + 1:]
                              for row in old["rows"])
            assert kept == expected, "response rows changed"
            assert all(len(row[key]) == 64 for row in kept), f"{len(legacy)} legacy keys, not all hashed"
            continue
        assert len(kept) == len(old["rows"]), f"{table}: {len(old['rows'])} rows before, {len(kept)} after"
        assert _checksum(kept) == _checksum(old["rows"]), f"{table}: rows changed"


def _serve(url: str, folder: Path):
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=SECRET, SURVEYAPP_INSTANCE=str(folder),
               RATELIMIT_ENABLED="0", SURVEYAPP_PUBLIC_URL=f"http://127.0.0.1:{port}")
    env.pop("TEST_DATABASE_URL", None)
    log = open(folder / "gunicorn.log", "w+")
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--workers", "1", "--threads", "4", "--bind", f"127.0.0.1:{port}",
         "--control-socket", str(folder / "gunicorn.ctl"), "--timeout", "120", "app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(base + "/healthz", timeout=10)
            return server, base, log
        except requests.RequestException:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.3)


@pytest.mark.parametrize("release", RELEASES)
def test_database_of_an_earlier_release_upgrades_with_every_row(release, empty_database_url, tmp_path):
    flavour = "sqlite" if empty_database_url.startswith("sqlite") else "pg"
    _load(empty_database_url, FIXTURES / f"{release}.{flavour}.sql.gz")
    before = _tables(empty_database_url)
    assert before["response"]["rows"] and before["audit"]["rows"], "the fixture holds responses and audits"
    if release != "7042bd6":  # action plans came with 2026.12.0
        assert before["action_plan"]["rows"] and before["intervention"]["rows"], "the fixture holds plans"

    upgraded = _upgrade(empty_database_url, tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    after = _tables(empty_database_url)
    _assert_every_row_kept(before, after)

    app = make_test_app(empty_database_url, SECRET_KEY=SECRET)
    with app.app_context():
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                    db.metadata)
        assert diff == [], diff
        db.engine.dispose()

    # The form a respondent sent on the old release, sent again after the upgrade (the back button): stored once.
    sent = json.loads((FIXTURES / f"{release}.{flavour}.json").read_text())
    stored = _tables(empty_database_url)["response"]["rows"]
    again = app.test_client().post(f"/s/{sent['slug']}", data=sent["form"])
    assert again.status_code in (200, 302, 303), again.status_code
    assert _tables(empty_database_url)["response"]["rows"] == stored

    server, base, log = _serve(empty_database_url, tmp_path)
    try:
        shapes, downloads, _ = _crawl(base, _login(base, "admin@nsr.example"), start=("/koordinator/",))
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    assert "Traceback" not in log.read()
    assert any(p.startswith("/koordinator/runde/N/enhed/") for p, _ in shapes), sorted(shapes)
    assert {"csv", "xlsx", "pdf"} <= set(downloads), downloads


def test_sqlite_file_left_half_migrated_by_2026_12_is_repaired(tmp_path):
    """2026.12.0 and 2026.12.1 stopped half-way on a 2026.11.0 database with audits (DROP TABLE audit_template
    failed on a foreign key): app_user had its new column, a batch copy was left behind, the revision was the old
    one, and upgrading again failed. This release repairs such a file and keeps every row."""
    url = f"sqlite:///{tmp_path / 'half.db'}"
    _load(url, FIXTURES / "7042bd6-interrupted.sqlite.sql.gz")
    before = _tables(url)
    assert "_alembic_tmp_audit_template" in before and "session_version" in before["app_user"]["columns"]

    upgraded = _upgrade(url, tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    assert "repaired an interrupted earlier upgrade" in upgraded.stderr
    after = _tables(url)
    assert "_alembic_tmp_audit_template" not in after
    del before["_alembic_tmp_audit_template"]
    _assert_every_row_kept(before, after)


def test_failed_sqlite_upgrade_changes_nothing_and_says_so_in_one_line(tmp_path):
    """A migration that fails (here: a row that the new schema cannot hold) leaves the file exactly as it was."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _load(url, FIXTURES / "a645432.sqlite.sql.gz")
    with closing(sqlite3.connect(tmp_path / "old.db")) as connection, connection:
        # A response whose form key collides with the HMAC another legacy key becomes: the unique key refuses it.
        key = connection.execute("SELECT idempotency_key FROM response LIMIT 1").fetchone()[0]
        connection.execute("UPDATE response SET idempotency_key = ? WHERE id = (SELECT MAX(id) FROM response)",
                           ("legacy-" + key[:20],))
        connection.execute("UPDATE response SET idempotency_key = ? WHERE id = (SELECT MIN(id) FROM response)",
                           (_hmac("legacy-" + key[:20]),))
    rows_before = _tables(url)

    upgraded = _upgrade(url, tmp_path)
    assert upgraded.returncode != 0
    lines = [line for line in upgraded.stderr.splitlines() if line.startswith("surveyapp:")]
    assert len(lines) == 1 and "the upgrade failed and changed nothing" in lines[0], upgraded.stderr[-2000:]
    assert _tables(url) == rows_before
    assert list(tmp_path.glob("old.db.before-upgrade-*")), "the copy from before the attempt is kept"
