"""The app starts, configures itself and serves its public pages in Danish and English."""
import re

import pytest

from surveyapp import create_app


def test_app_starts_with_unset_secret_key_and_keeps_the_generated_one(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("SURVEYAPP_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'db.sqlite'}")
    first = create_app()
    second = create_app()
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "instance" / "secret_key").read_text() == first.config["SECRET_KEY"]
    assert first.test_client().get("/").status_code == 200


def test_configuration_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYAPP_INSTANCE", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("SURVEYAPP_MIN_GROUP", "3")
    monkeypatch.setenv("SURVEYAPP_TARGET", "0.9")
    monkeypatch.setenv("SURVEYAPP_PUBLIC_URL", "https://survey.example.org/")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["SURVEYAPP_MIN_GROUP"] == 3
    assert app.config["SURVEYAPP_TARGET"] == 0.9
    assert app.config["SURVEYAPP_PUBLIC_URL"] == "https://survey.example.org"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'surveyapp.db'}"


def test_sqlite_runs_with_foreign_keys_and_wal(app):
    from sqlalchemy import text

    from surveyapp.extensions import db

    if db.engine.dialect.name != "sqlite":
        assert db.engine.dialect.name == "postgresql"
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_start_page_is_danish_by_default_and_links_to_login(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="da" dir="ltr">' in page
    assert "Patientsikkerhedsmålinger og audits" in page
    assert 'href="/login"' in page


def test_english_is_one_switch_away_and_remembered(client):
    assert "Patient safety surveys and audits" in client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)


def test_accept_language_picks_english(client):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en"' in page


def test_unknown_page_is_a_danish_404_and_json_for_api_clients(client):
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert "Siden blev ikke fundet" in response.get_data(as_text=True)
    api = client.get("/api/v1/nothing")
    assert api.status_code == 404 and api.is_json and api.json["status"] == 404


@pytest.mark.parametrize("app_config", [{"SURVEYAPP_ORGANISATION": "NSR-sygehusene"}])
def test_the_organisation_names_the_header_and_the_page_titles(client, app_config):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r"<title>[^<]* · NSR-sygehusene</title>", html)
    assert 'class="brand" href="/">NSR-sygehusene</a>' in html
