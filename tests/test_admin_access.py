"""Scopes hold on every admin page: anonymous users log in, viewers get 403, coordinators only their rounds."""
import pytest

from surveyapp.extensions import db
from surveyapp.services import questionnaires
from surveyapp.services.admin import tokens
from surveyapp.services.admin import users as users_admin


@pytest.fixture
def world(app, make_org, make_round, make_user):
    """Two hospitals, a round in each, a token, an invited user: one object of every kind an admin page shows."""
    org, other = make_org("H"), make_org("X")
    own = make_round(units=[org["H-A1"]], name="Egen")
    foreign = make_round(units=[other["X-A1"]], name="Fremmed")
    token, _raw = tokens.create_token("BI", False)
    invited, _link = users_admin.invite(make_user("admin"), "inviteret@example.org", "viewer", [org["H"].id])
    db.session.commit()
    q = questionnaires.find("hvad-er-vigtigt-for-dig")  # unused, so its edit pages open
    return {"org": org, "other": other, "own": own, "foreign": foreign, "token": token, "user": invited, "q": q}


def admin_urls(w) -> list[tuple[str, str]]:
    """(method, url) of every admin endpoint, with ids of real objects."""
    q, item, scale = w["q"], w["q"].items[0], w["q"].scales[0]
    return [
        ("GET", "/admin/"), ("GET", "/admin/changelog"), ("GET", "/admin/audit"),
        ("GET", "/admin/units"), ("GET", "/admin/units/new"), ("GET", f"/admin/units/{w['org']['H-A1'].id}"),
        ("POST", f"/admin/units/{w['org']['H-A1'].id}/delete"), ("GET", "/admin/units/export.csv"),
        ("GET", "/admin/units/import"), ("POST", "/admin/units/import/confirm"),
        ("GET", "/admin/imports/surveyxact"), ("POST", "/admin/imports/surveyxact/confirm"),
        ("GET", "/admin/rounds"), ("GET", "/admin/rounds/new"), ("GET", "/admin/rounds/patient-day"),
        ("GET", f"/admin/rounds/{w['own'].id}"),
        ("POST", f"/admin/rounds/{w['own'].id}/units"), ("POST", f"/admin/rounds/{w['own'].id}/close"),
        ("POST", f"/admin/rounds/{w['own'].id}/reopen"), ("GET", f"/admin/rounds/{w['own'].id}/edit"),
        ("GET", "/admin/users"), ("GET", "/admin/users/new"), ("GET", f"/admin/users/{w['user'].id}"),
        ("POST", f"/admin/users/{w['user'].id}/invite"),
        ("GET", "/admin/tokens"), ("POST", f"/admin/tokens/{w['token'].id}/revoke"),
        ("GET", "/admin/questionnaires"), ("GET", "/admin/questionnaires/new"),
        ("GET", f"/admin/questionnaires/{q.id}"), ("GET", f"/admin/questionnaires/{q.id}/meta"),
        ("POST", f"/admin/questionnaires/{q.id}/version"), ("GET", f"/admin/questionnaires/{q.id}/items/new"),
        ("GET", f"/admin/questionnaires/{q.id}/items/{item.id}"),
        ("POST", f"/admin/questionnaires/{q.id}/items/{item.id}/up"),
        ("GET", f"/admin/questionnaires/{q.id}/scales/new"),
        ("GET", f"/admin/questionnaires/{q.id}/scales/{scale.id}"),
        ("GET", f"/admin/questionnaires/{q.id}/preview"), ("GET", f"/admin/questionnaires/{q.id}/export.yaml"),
        ("GET", "/admin/strategy/dpsd"), ("POST", "/admin/strategy/dpsd/confirm"),
        ("GET", "/admin/strategy/indicators"), ("GET", "/admin/strategy/indicators/import"),
        ("POST", "/admin/strategy/indicators/import/confirm"),
    ]


COORDINATOR_PAGES = {"/admin/", "/admin/units", "/admin/rounds", "/admin/rounds/new", "/admin/rounds/patient-day"}


def test_every_admin_endpoint_is_listed(app, world):
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")}
    matched = set()
    adapter = app.url_map.bind("surveyapp.test")
    for method, url in admin_urls(world):
        rule, _args = adapter.match(url.split("?")[0], method=method, return_rule=True)
        matched.add(rule.rule)
    assert matched == rules  # a new admin page must be added to admin_urls above


def test_anonymous_users_are_sent_to_the_login(client, world):
    for method, url in admin_urls(world):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_viewers_get_403_everywhere(client, login_as, world):
    login_as("viewer", units=[world["org"]["H"]])
    for method, url in admin_urls(world):
        assert client.open(url, method=method).status_code == 403, url


def test_coordinators_get_403_on_admin_only_pages_and_their_own_rounds_otherwise(client, login_as, world):
    login_as("coordinator", units=[world["org"]["H"]])
    own = world["own"].id
    allowed = COORDINATOR_PAGES | {f"/admin/rounds/{own}", f"/admin/rounds/{own}/units", f"/admin/rounds/{own}/close",
                                   f"/admin/rounds/{own}/reopen", f"/admin/rounds/{own}/edit"}
    for method, url in admin_urls(world):
        status = client.open(url, method=method).status_code
        if url in allowed:
            assert status in (200, 302), url
        else:
            assert status == 403, url
    foreign = world["foreign"].id
    for method, url in [("GET", f"/admin/rounds/{foreign}"), ("POST", f"/admin/rounds/{foreign}/units"),
                        ("POST", f"/admin/rounds/{foreign}/close"), ("POST", f"/admin/rounds/{foreign}/reopen"), ("GET", f"/admin/rounds/{foreign}/edit"),
                        ("GET", f"/admin/rounds/new?from={foreign}")]:
        assert client.open(url, method=method).status_code == 404, url


def test_admins_reach_every_page(client, login_as, world):
    login_as("admin")
    for method, url in admin_urls(world):
        if method == "GET":
            assert client.get(url, follow_redirects=True).status_code == 200, url


def test_header_shows_administration_to_admins_and_coordinators_only(client, login_as, make_org, app):
    org = make_org("H")
    login_as("viewer", units=[org["H"]])
    assert "Administration" not in client.get("/koordinator/").get_data(as_text=True)
    client.post("/logout")
    login_as("coordinator", units=[org["H"]])
    assert 'href="/admin/">Administration' in client.get("/koordinator/").get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_admin_forms_refuse_a_post_without_csrf_token(client, make_user, make_org, app):
    import re

    from tests.conftest import PASSWORD

    user = make_user("admin")
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf})
    response = client.post("/admin/units/new", data={"code": "Z", "name": "Z", "level": "sygehus"})
    assert response.status_code == 400
    page = client.get("/admin/units/new").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/admin/units/new", data={"code": "Z", "name": "Z", "level": "sygehus", "csrf_token": csrf,
                                                     "parent_id": ""})
    assert response.status_code == 302


def test_a_logged_in_user_meeting_a_404_or_403_gets_words_for_a_logged_in_user(client, login_as):
    login_as("coordinator")
    html = client.get("/admin/rounds/999999").get_data(as_text=True)
    assert "QR-koden" not in html and "uden for de enheder" in html and 'href="/koordinator/"' in html


def test_an_auditor_meeting_a_403_is_pointed_back_to_the_audits(client, login_as):
    login_as("auditor")
    response = client.get("/admin/units")
    assert response.status_code in (403, 404)
    assert 'href="/audit/"' in response.get_data(as_text=True)


def test_an_auditor_starts_at_the_audits(client, login_as):
    login_as("auditor")
    assert client.get("/login").headers["Location"].endswith("/audit/")
