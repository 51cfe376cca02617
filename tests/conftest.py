"""Fixtures: an app per test on SQLite and on PostgreSQL (TEST_DATABASE_URL), and factories."""
import contextvars
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.models import Unit
from surveyapp.services import questionnaires
from surveyapp.services.audits import templates as audit_templates
from surveyapp.services.rounds import create_round
from surveyapp.services.users import create_user
from surveyapp.timeutil import utcnow

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "correct horse battery"


def pytest_sessionstart(session):
    """Compile the message catalogs before any app exists (Flask-Babel caches them per app), and refresh the
    compressed copies of changed static files (WhiteNoise would serve a stale .br or .gz)."""
    from surveyapp.staticfiles import compress_static

    compress_static()
    catalogs = ROOT / "translations"
    stale = [po for po in catalogs.glob("*/LC_MESSAGES/messages.po")
             if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime]
    if stale:
        subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(catalogs)],
                       check=True, capture_output=True)


DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql",
                 marks=pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set (make test sets it)")),
]
_pg_schema_ready = False


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    """The database of one test: a fresh SQLite file, or the throwaway PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return PG_URL


@pytest.fixture
def empty_database_url(database_url):
    """A database with no tables: a new SQLite file, or a new database on the PostgreSQL server."""
    if database_url.startswith("sqlite"):
        yield database_url.replace("test.db", "migrations.db")
        return
    name = f"migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _prepare_schema(url: str) -> None:
    global _pg_schema_ready
    if url.startswith("sqlite"):
        db.create_all()
    elif not _pg_schema_ready:
        db.drop_all()
        db.create_all()
        _pg_schema_ready = True


def _empty_tables(url: str) -> None:
    if url.startswith("postgresql"):
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def make_test_app(database_url: str, **config):
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SURVEYAPP_PUBLIC_URL": "http://surveyapp.test",
        "RATELIMIT_ENABLED": False,
    }
    settings.update(config)
    return create_app(settings)


@pytest.fixture
def app_config():
    """Extra settings for the app of one test; override in a test module."""
    return {}


class ProductionLikeClient(FlaskClient):
    """A test client that serves every request as a server does: in a new application context with an ORM
    session of its own, never in the context the test's own code runs in, and with a streamed body read to
    the end after the view has returned and its session is gone (as gunicorn reads it)."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test's own session reads what the request wrote
        return response


@pytest.fixture
def app(database_url, app_config):
    """The app of one test. Requests get a fresh context each (ProductionLikeClient); the test's own code
    (factories, assertions on the database) runs in a context of its own that no request shares."""
    app = make_test_app(database_url, **app_config)
    app.test_client_class = ProductionLikeClient
    with app.app_context():
        _prepare_schema(database_url)
        questionnaires.install_builtin()
        audit_templates.install_builtin()
        db.session.commit()
    test_code = app.app_context()
    test_code.push()
    yield app
    db.session.remove()
    test_code.pop()
    with app.app_context():
        _empty_tables(database_url)
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_org(app):
    """make_org(): a small hospital, two afdelinger, four afsnit; returns {code: Unit}."""

    def make(prefix: str = "H") -> dict[str, Unit]:
        hospital = Unit(code=prefix, name=f"Sygehus {prefix}", level="sygehus")
        units = [hospital]
        for d in ("A", "B"):
            department = Unit(code=f"{prefix}-{d}", name=f"Afdeling {d}", level="afdeling", parent=hospital)
            units.append(department)
            for w in ("1", "2"):
                units.append(Unit(code=f"{prefix}-{d}{w}", name=f"Afsnit {d}{w}", level="afsnit",
                                  parent=department, headcount=20))
        db.session.add_all(units)
        db.session.commit()
        return {unit.code: unit for unit in units}

    return make


@pytest.fixture
def make_round(app, make_org):
    """make_round(questionnaire=..., units=..., opens=..., closes=...): a committed round with links."""

    def make(questionnaire: str = "patientsikkerhedskultur", units=None, opens: datetime | None = None,
             closes: datetime | None = None, link_kinds=("open",), min_group: int = 5, target: float = 0.8,
             name: str = "Testrunde"):
        if units is None:
            units = list(make_org().values())
        opens = opens or utcnow() - timedelta(days=1)
        closes = closes or opens + timedelta(days=30)
        round_ = create_round(questionnaires.find(questionnaire), name, opens, closes, units, target, min_group,
                              link_kinds=link_kinds)
        db.session.commit()
        return round_

    return make


@pytest.fixture
def make_user(app):
    """make_user(role, units=[...]): a committed user with the password PASSWORD."""
    counter = iter(range(1, 10_000))

    def make(role: str = "coordinator", units=(), email: str | None = None):
        user = create_user(email or f"{role}{next(counter)}@example.org", role, PASSWORD)
        user.units = list(units)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login_as(client, make_user):
    """login_as(role, units=[...]): create a user and log the test client in as them."""

    def login(role: str = "coordinator", units=()):
        user = make_user(role, units)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login
