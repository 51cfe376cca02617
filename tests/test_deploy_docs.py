"""docs/deploy.md as an operator follows it on a bare Debian 12, checked as far as this machine allows: the
fenced commands are read from the page itself, so a command that changes there is checked as it now reads."""
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.deploy_helpers import DEPLOY, NGINX, ROOT, make_certificates, nginx_test

DOC = ROOT / "docs/deploy.md"
SCRIPT = DEPLOY / "backup/surveyapp-backup"
PG_URL = os.environ.get("TEST_DATABASE_URL")
CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))


def _blocks(language: str) -> list[str]:
    """The page's fenced blocks of one language, continuation lines joined."""
    found = re.findall(r"^```(\w*)\n(.*?)^```", DOC.read_text(), re.MULTILINE | re.DOTALL)
    return [body.replace("\\\n", " ") for lang, body in found if lang == language]


def _shell_lines() -> list[str]:
    return [line.strip() for block in _blocks("sh") for line in block.splitlines() if line.strip()]


def test_every_package_the_docs_install_exists_in_debian():
    if not shutil.which("apt-cache"):
        pytest.skip("apt-cache missing: not a Debian machine")
    installs = [line for line in _shell_lines() if line.startswith("apt-get install")]
    packages = [word for line in installs for word in shlex.split(line)[2:] if not word.startswith("-")]
    assert {"make", "sqlite3", "poppler-utils", "libharfbuzz-subset0", "curl", "cron"} <= set(packages)
    shown = subprocess.run(["apt-cache", "show", "--no-all-versions", *packages], capture_output=True, text=True)
    missing = set(packages) - set(re.findall(r"^Package: (\S+)$", shown.stdout, re.MULTILINE))
    assert not missing, f"not in the Debian archive: {sorted(missing)}"


def test_every_shell_block_parses():
    for block in _blocks("sh"):
        checked = subprocess.run(["bash", "-n"], input=block, text=True, capture_output=True)
        assert checked.returncode == 0, f"{checked.stderr}\n{block}"


def test_every_file_the_docs_take_from_deploy_exists():
    named = set(re.findall(r"\bdeploy/[\w@.\-/]*[\w@]", DOC.read_text()))
    assert named, "the page names the files of deploy/"
    assert not [path for path in named if not (ROOT / path).exists()]


def test_the_nginx_files_go_where_the_site_file_includes_them_and_pass_nginx_t(tmp_path):
    copies = dict(re.findall(r"^cp (deploy/nginx/\S+) (\S+)$", "\n".join(_shell_lines()), re.MULTILINE))
    snippet = copies["deploy/nginx/surveyapp-proxy.conf"].rstrip("/") + "/surveyapp-proxy.conf"
    assert f"include {snippet};" in (DEPLOY / "nginx/surveyapp.conf").read_text()
    if not Path(NGINX).exists() or not shutil.which("openssl"):
        pytest.skip("nginx or openssl missing")
    checked = nginx_test(tmp_path, make_certificates(tmp_path / "certs"))
    assert checked.returncode == 0, checked.stderr


def test_the_env_example_is_valid_for_the_shell_and_systemd_once_the_docs_fill_in_the_secret(tmp_path):
    env = tmp_path / "surveyapp.env"
    shutil.copy(DEPLOY / "surveyapp.env.example", env)
    as_shipped = subprocess.run(["bash", "-c", f"set -euo pipefail; set -a; . {env}; set +a"],
                                capture_output=True, text=True)
    assert as_shipped.returncode == 0 and not as_shipped.stderr, as_shipped.stderr
    [fill] = [line for line in _shell_lines() if line.startswith("sed -i") and "SECRET_KEY" in line]
    subprocess.run(["bash", "-c", fill.replace("/etc/surveyapp/surveyapp.env", str(env))], check=True)
    settings = [line for line in env.read_text().splitlines() if line.strip() and not line.startswith("#")]
    # systemd's EnvironmentFile= and the shell read the same values only from plain NAME=value lines.
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*=[^\s'\"\\$`;&|<>]*", line) for line in settings), settings
    sourced = subprocess.run(["bash", "-c", f'set -euo pipefail; set -a; . {env}; set +a; env'],
                             capture_output=True, text=True, check=True).stdout.splitlines()
    assert set(settings) <= set(sourced)
    secret = dict(line.split("=", 1) for line in settings)["SECRET_KEY"]
    assert re.fullmatch(r"[0-9a-f]{64}", secret)


def _cron_entries() -> list[str]:
    lines = [line for block in _blocks("cron") for line in block.splitlines()]
    for path in sorted((DEPLOY / "backup").glob("*.cron")):
        lines += path.read_text().splitlines()
    return [line for line in lines
            if line.strip() and not line.startswith("#") and not re.match(r"[A-Z]+=", line)]


def _cron_field_ok(field: str, low: int, high: int) -> bool:
    for part in field.split(","):
        match = re.fullmatch(r"(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?", part)
        if not match:
            return False
        numbers = [int(n) for n in match.group(2, 3) if n is not None]
        if any(not low <= n <= high for n in numbers) or (match.group(4) and int(match.group(4)) < 1):
            return False
    return True


def test_every_cron_line_parses():
    entries = _cron_entries()
    assert len(entries) >= 4  # precompute, backup in the page; the two backup files
    for line in entries:
        fields = line.split(None, 6)
        assert len(fields) == 7, f"five times, a user and a command: {line}"
        assert all(_cron_field_ok(f, *r) for f, r in zip(fields[:5], CRON_RANGES)), line
        assert re.fullmatch(r"[a-z_][a-z0-9_-]*", fields[5]), f"a user of /etc/cron.d: {line}"
        # cron turns an unescaped % into a newline
        assert not re.search(r"(?<!\\)%", fields[6]), line


def _cron_command(kind: str, source: str) -> list[str]:
    """The backup command as the cron file of `kind` runs it, with this checkout's script and `source`."""
    [line] = [entry for entry in (DEPLOY / f"backup/surveyapp-backup-{kind}.cron").read_text().splitlines()
              if f"surveyapp-backup {kind} " in entry]
    command = shlex.split(line.split(None, 6)[6])
    assert command[0] == "/usr/local/sbin/surveyapp-backup"  # where the page installs the script
    return [str(SCRIPT), *command[1:-1], source]


def _old_backups(folder: Path, extension: str, count: int) -> None:
    for day in range(1, count + 1):
        (folder / f"surveyapp-2025-01-{day:02d}.{extension}").write_text("old")


def _run(command: list[str], folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, env={**os.environ, "SURVEYAPP_BACKUP_DIR": str(folder)},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not shutil.which("sqlite3"), reason="sqlite3 missing")
def test_the_sqlite_backup_copies_a_live_database_and_keeps_the_newest_14(tmp_path):
    database, backups = tmp_path / "surveyapp.db", tmp_path / "backups"
    backups.mkdir()
    live = sqlite3.connect(database)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE response (id INTEGER PRIMARY KEY, answer TEXT)")
    live.executemany("INSERT INTO response (answer) VALUES (?)", [(str(i),) for i in range(500)])
    live.commit()  # kept open, as a running instance keeps it
    _old_backups(backups, "db", 20)

    made = _run(_cron_command("sqlite", str(database)), backups)
    assert made.returncode == 0, made.stderr
    kept = sorted(path.name for path in backups.iterdir())
    assert len(kept) == 14 and kept[-1] == f"surveyapp-{date.today():%Y-%m-%d}.db"
    copy = sqlite3.connect(backups / kept[-1])
    assert copy.execute("SELECT count(*), sum(CAST(answer AS INTEGER)) FROM response").fetchone() == (500, 124750)
    copy.close()
    live.close()


def test_a_backup_without_its_folder_fails_loudly(tmp_path):
    database = tmp_path / "surveyapp.db"
    sqlite3.connect(database).close()
    failed = _run(_cron_command("sqlite", str(database)), tmp_path / "never-made")
    assert failed.returncode != 0
    assert "is missing or not writable" in failed.stderr


@pytest.mark.skipif(not PG_URL, reason="needs the PostgreSQL server of TEST_DATABASE_URL")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump missing")
def test_the_postgresql_backup_restores_and_keeps_the_newest_14(tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    _old_backups(backups, "dump", 15)
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    names = ["surveyapp_backup_src", "surveyapp_backup_restored"]
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    libpq = [make_url(PG_URL).set(drivername="postgresql", database=name).render_as_string(hide_password=False)
             for name in names]
    try:
        source = create_engine(make_url(PG_URL).set(database=names[0]))
        with source.begin() as conn:
            conn.execute(text("CREATE TABLE response (id serial PRIMARY KEY, answer int)"))
            conn.execute(text("INSERT INTO response (answer) SELECT g FROM generate_series(1, 500) g"))
        source.dispose()

        made = _run(_cron_command("postgresql", libpq[0]), backups)
        assert made.returncode == 0, made.stderr
        kept = sorted(path.name for path in backups.iterdir())
        assert len(kept) == 14 and kept[-1] == f"surveyapp-{date.today():%Y-%m-%d}.dump"
        subprocess.run(["pg_restore", "--no-owner", "-d", libpq[1], str(backups / kept[-1])], check=True,
                       capture_output=True)
        restored = create_engine(make_url(PG_URL).set(database=names[1]))
        with restored.connect() as conn:
            assert conn.execute(text("SELECT count(*), sum(answer) FROM response")).one() == (500, 125250)
        restored.dispose()
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_docs_make_the_folder_the_backup_writes_to_for_either_database():
    folder = re.search(r"SURVEYAPP_BACKUP_DIR:-([^}]+)\}", SCRIPT.read_text()).group(1)
    made = [line for line in _shell_lines() if line.startswith("install -d") and line.endswith(f" {folder}")]
    owners = {re.search(r"-o (\S+)", line).group(1) for line in made}
    assert owners == {"postgres", "surveyapp"}  # the user each cron file runs the backup as
    for kind, user in (("postgresql", "postgres"), ("sqlite", "surveyapp")):
        cron = (DEPLOY / f"backup/surveyapp-backup-{kind}.cron").read_text()
        assert re.search(rf"^\S+ \S+ \S+ \S+ \S+ {user} /usr/local/sbin/surveyapp-backup {kind} ", cron, re.MULTILINE)
