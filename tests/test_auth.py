"""Login, logout and the coordinator's start page."""
from tests.conftest import PASSWORD


def test_login_with_right_password_opens_the_rounds_page(client, make_user, make_round):
    user = make_user("admin")
    make_round(name="Forårsmåling")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Målerunder" in page and "Forårsmåling" in page


def test_wrong_password_is_refused_with_a_message(client, make_user):
    user = make_user("coordinator")
    response = client.post("/login", data={"email": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "E-mail eller adgangskode er forkert." in response.get_data(as_text=True)


def test_empty_login_form_names_each_missing_field(client):
    page = client.post("/login", data={}).get_data(as_text=True)
    assert "Skriv din e-mailadresse." in page and "Skriv din adgangskode." in page


def test_inactive_user_cannot_log_in(client, make_user):
    from surveyapp.extensions import db

    user = make_user("coordinator")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


def test_rounds_page_requires_login(client):
    response = client.get("/koordinator/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_login_redirect_says_why_in_the_pages_language(client):
    danish = client.get("/koordinator/", follow_redirects=True).get_data(as_text=True)
    assert "Log ind for at se denne side." in danish and "Please log in" not in danish
    english = client.get("/koordinator/?lang=en", follow_redirects=True).get_data(as_text=True)
    assert "Please log in to see this page." in english


def test_login_never_redirects_off_site(client, make_user):
    user = make_user("admin")
    response = client.post("/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/koordinator/"


def test_coordinator_sees_only_rounds_of_their_units(client, login_as, make_org, make_round):
    mine, other = make_org("H"), make_org("X")
    make_round(units=list(mine.values()), name="Min runde")
    make_round(units=list(other.values()), name="Anden runde")
    login_as("coordinator", units=[mine["H-A"]])
    page = client.get("/koordinator/").get_data(as_text=True)
    assert "Min runde" in page and "Anden runde" not in page


def test_logout_ends_the_session(client, login_as):
    login_as("viewer")
    assert client.post("/logout").status_code == 302
    assert client.get("/koordinator/").status_code == 302


def test_the_public_start_page_sends_a_logged_in_user_to_their_own_start(client, login_as):
    login_as("auditor")
    assert client.get("/").headers["Location"].endswith("/audit/")
    client.post("/logout")
    login_as("coordinator")
    assert client.get("/").headers["Location"].endswith("/koordinator/")
