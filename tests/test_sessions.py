"""Sessions end when they should (logout and a new password end every session and remember-me cookie of the
user), the CSRF secret is new at every login, and every page carries the security headers."""
import re

import pytest

from surveyapp.headers import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD

NEW_PASSWORD = "another horse battery staple"


def _cookies(client) -> dict:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def _browser(app, cookies: dict):
    """A second browser holding copies of the given cookies."""
    other = app.test_client()
    for key, value in cookies.items():
        other.set_cookie(key, value, domain="localhost")
    return other


def _logged_in(client) -> bool:
    return client.get("/koordinator/").status_code == 200


def _login(client, email, password=PASSWORD, remember=False):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    assert client.post("/login", data=data).status_code == 302


def test_logout_ends_copied_session_and_remember_me_cookies(app, client, make_user):
    user = make_user("coordinator")
    _login(client, user.email, remember=True)
    copied = _cookies(client)
    assert "remember_token" in copied and "session" in copied
    elsewhere = app.test_client()
    _login(elsewhere, user.email)
    assert client.post("/logout").status_code == 302
    assert not _logged_in(_browser(app, copied))
    assert not _logged_in(_browser(app, {"remember_token": copied["remember_token"]}))
    assert not _logged_in(elsewhere)


def test_password_change_ends_other_sessions_and_keeps_this_one(app, client, make_user):
    user = make_user("coordinator")
    _login(client, user.email, remember=True)
    remembered = _cookies(client)["remember_token"]
    other = app.test_client()
    _login(other, user.email)
    response = client.post("/konto/adgangskode", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                                        "confirm": NEW_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _logged_in(client)
    assert not _logged_in(other)
    assert not _logged_in(_browser(app, {"remember_token": remembered}))


def test_forged_or_malformed_user_ids_are_nobody(app, make_user):
    from surveyapp.views.auth import load_user
    user = make_user("admin")
    assert load_user(f"{user.id}:0") is not None
    for forged in (str(user.id), f"{user.id}:1", "x:0", "99999999999999999999:0", "", f"{user.id}:-1"):
        assert load_user(forged) is None


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_csrf_secret_changes_at_login(client, make_user, app_config):
    user = make_user("coordinator")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    before = client.get_cookie("session").value
    assert client.post("/login", data={"email": user.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    form = client.get("/konto/adgangskode").get_data(as_text=True)
    after_token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    # The pre-login token is refused after login: its secret is gone.
    stale = client.post("/konto/adgangskode", data={"csrf_token": token, "current": PASSWORD,
                                                    "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert stale.status_code == 400
    assert after_token != token and client.get_cookie("session").value != before


def test_every_page_carries_the_security_headers_and_results_are_not_cached(client, login_as, make_round):
    round_ = make_round()
    slug = round_.links[0].slug
    public = [client.get("/"), client.get("/login"), client.get(f"/s/{slug}"), client.get("/s/nope")]
    login_as("admin")
    private = [client.get(f"/koordinator/runde/{round_.id}"), client.get("/admin/units"),
               client.get(f"/koordinator/download/runde/{round_.id}/resultater.csv")]
    for response in public + private:
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"]
    for response in private:
        assert response.headers["Cache-Control"] == "no-store", response.request.path


def test_no_template_holds_inline_script_style_or_event_handler():
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent / "templates"
    bad = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=\"|\son[a-z]+=\"")
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.html")
                 if path.parts[-2] != "pdf" and "pdf" not in path.relative_to(root).parts[:1]
                 and bad.search(path.read_text("utf-8"))]
    assert offenders == []
