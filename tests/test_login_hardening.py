"""Login hardening: modern password hashes, throttled failures, cookie flags."""
import pytest

from surveyapp.extensions import db
from surveyapp.models import User
from surveyapp.views.auth import ACCOUNT_LIMIT, CLIENT_LIMIT
from tests.conftest import PASSWORD, make_test_app


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True}


def attempts(limit: str) -> int:
    """The number of attempts the first window of a limit like "10 per minute;50 per hour" allows."""
    return int(limit.split(";")[0].split()[0])


def test_passwords_are_stored_as_scrypt_hashes(make_user):
    user = make_user("coordinator")
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_failed_logins_are_throttled_per_account(client, make_user):
    user = make_user("coordinator")
    for _ in range(attempts(ACCOUNT_LIMIT)):
        assert client.post("/login", data={"email": user.email, "password": "wrong"}).status_code == 200
    blocked = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "For mange forsøg" in blocked.get_data(as_text=True)


def test_failed_logins_are_throttled_per_client_across_accounts(client):
    for i in range(attempts(CLIENT_LIMIT)):
        response = client.post("/login", data={"email": f"guess{i}@example.org", "password": "wrong"})
        assert response.status_code == 200
    assert client.post("/login", data={"email": "another@example.org", "password": "x"}).status_code == 429


def test_successful_logins_do_not_count_against_the_limit(client, make_user):
    user = make_user("coordinator")
    for _ in range(attempts(ACCOUNT_LIMIT) + 2):
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
        client.post("/logout")


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    user = make_user("coordinator")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_when_served_over_https(database_url, monkeypatch):
    monkeypatch.setenv("SURVEYAPP_PUBLIC_URL", "https://survey.example")
    app = make_test_app(database_url, SURVEYAPP_PUBLIC_URL="https://survey.example")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    with app.app_context():
        db.engine.dispose()


def test_an_unknown_email_is_refused_like_a_wrong_password(client):
    response = client.post("/login", data={"email": "nobody@example.org", "password": "whatever"})
    assert response.status_code == 200 and "E-mail eller adgangskode er forkert." in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0
