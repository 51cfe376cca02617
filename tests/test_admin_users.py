"""Users, invitations, own password and API tokens."""
import re
from datetime import timedelta

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import ApiToken, ChangeLogEntry, Invitation, User
from surveyapp.services.admin import tokens
from surveyapp.timeutil import utcnow
from tests.conftest import PASSWORD


def invite(client, make_org, email="ny@example.org", role="coordinator"):
    org = make_org("H")
    page = client.post("/admin/users/new", data={"email": email, "role": role, "units": [org["H-A"].id]}) \
        .get_data(as_text=True)
    match = re.search(r'<code id="invitation-url">http://surveyapp.test(/konto/invitation/[^<]+)</code>', page)
    assert match, page
    return match.group(1)


def test_invited_user_sets_a_password_once_and_logs_in(client, login_as, make_org, app):
    login_as("admin")
    path = invite(client, make_org)
    user = db.session.scalar(select(User).where(User.email == "ny@example.org"))
    assert user.password_hash is None and [u.code for u in user.units] == ["H-A"]
    stored = db.session.scalar(select(Invitation.token_hash))
    assert stored not in path  # only the hash is kept
    client.post("/logout")
    response = client.post(path, data={"password": "en lang adgangskode", "confirm": "en lang adgangskode"})
    assert response.status_code == 302
    assert client.get(path).status_code == 404  # one time only
    client.post("/logout")
    assert client.post("/login", data={"email": "ny@example.org", "password": "en lang adgangskode"}).status_code == 302


def test_set_password_form_validates_in_danish(client, login_as, make_org, app):
    login_as("admin")
    path = invite(client, make_org)
    page = client.post(path, data={"password": "kort", "confirm": "andet"}).get_data(as_text=True)
    assert "Adgangskoden skal have mindst 10 tegn." in page and "De to adgangskoder er ikke ens." in page


def test_expired_invitation_is_refused(client, login_as, make_org, app):
    login_as("admin")
    path = invite(client, make_org)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get(path).status_code == 404


def test_a_new_link_replaces_the_old_one(client, login_as, make_org, app):
    login_as("admin")
    first = invite(client, make_org)
    user = db.session.scalar(select(User).where(User.email == "ny@example.org"))
    page = client.post(f"/admin/users/{user.id}/invite").get_data(as_text=True)
    second = re.search(r"http://surveyapp.test(/konto/invitation/[^<]+)<", page).group(1)
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200


def test_duplicate_email_and_missing_scope_are_shown_per_field(client, login_as, make_org, app):
    admin = login_as("admin")
    page = client.post("/admin/users/new", data={"email": admin.email, "role": "admin"}).get_data(as_text=True)
    assert "Der findes allerede en bruger med denne e-mailadresse." in page
    page = client.post("/admin/users/new", data={"email": "x@example.org", "role": "viewer"}).get_data(as_text=True)
    assert "Vælg mindst én enhed for en koordinator eller en læser." in page


def test_admin_changes_role_and_scope_and_deactivates(client, login_as, make_user, make_org, app):
    org = make_org("H")
    login_as("admin")
    user = make_user("viewer", units=[org["H-A"]])
    response = client.post(f"/admin/users/{user.id}", data={"role": "coordinator", "units": [org["H-B"].id]})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.role, [u.code for u in user.units], user.active) == ("coordinator", ["H-B"], False)
    entry = db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.target_id == user.id,
                                                        ChangeLogEntry.action == "user.deactivate")).one()
    assert entry.before["role"] == "viewer" and entry.after["units"] == ["H-B"]
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 200  # refused


def test_admin_cannot_demote_themselves(client, login_as, make_org, app):
    org = make_org("H")
    admin = login_as("admin")
    page = client.post(f"/admin/users/{admin.id}", data={"role": "viewer", "units": [org["H"].id], "active": "y"}) \
        .get_data(as_text=True)
    assert "Du kan ikke fjerne dine egne administratorrettigheder" in page
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_user_changes_their_own_password(client, login_as, app):
    user = login_as("viewer")
    page = client.post("/konto/adgangskode", data={"current": "forkert", "password": "ny adgangskode 1",
                                                   "confirm": "ny adgangskode 1"}).get_data(as_text=True)
    assert "Den nuværende adgangskode er forkert." in page
    response = client.post("/konto/adgangskode", data={"current": PASSWORD, "password": "ny adgangskode 1",
                                                       "confirm": "ny adgangskode 1"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password("ny adgangskode 1")


def test_token_service_creates_verifies_and_revokes(app, make_user):
    owner = make_user("coordinator")
    token, raw = tokens.create_token("Power BI", can_read_raw=True, user=owner)
    db.session.commit()
    assert token.token_hash != raw and len(token.token_hash) == 64 and raw not in token.token_hash
    assert tokens.verify_token(raw) is token and token.last_used_at is not None
    assert tokens.verify_token(raw + "x") is None and tokens.verify_token("") is None
    tokens.revoke_token(token)
    assert tokens.verify_token(raw) is None
    owner.active = False
    other, raw2 = tokens.create_token("Gammel", can_read_raw=False, user=owner)
    assert tokens.verify_token(raw2) is None  # a deactivated user's tokens stop working


def test_admin_creates_a_token_shown_once_lists_and_revokes_it(client, login_as, app):
    login_as("admin")
    page = client.post("/admin/tokens", data={"name": "Power BI", "user_id": ""}).get_data(as_text=True)
    raw = re.search(r'<code id="token">([^<]+)</code>', page).group(1)
    listing = client.get("/admin/tokens").get_data(as_text=True)
    assert "Power BI" in listing and raw not in listing and "Aldrig" in listing
    assert tokens.verify_token(raw) is not None
    db.session.commit()
    assert "Aldrig" not in client.get("/admin/tokens").get_data(as_text=True)
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/admin/tokens/{token.id}/revoke").status_code == 302
    assert tokens.verify_token(raw) is None
    assert "Tilbagekaldt" in client.get("/admin/tokens").get_data(as_text=True)


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        FakeSMTP.sent.append(message)


def test_invitation_is_mailed_only_when_a_mail_server_is_configured(client, login_as, make_org, app, monkeypatch):
    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    FakeSMTP.sent = []
    login_as("admin")
    path = invite(client, make_org)
    assert FakeSMTP.sent == []
    app.config["MAIL_SERVER"] = "smtp.example.org"
    user = db.session.scalar(select(User).where(User.email == "ny@example.org"))
    page = client.post(f"/admin/users/{user.id}/invite").get_data(as_text=True)
    [message] = FakeSMTP.sent
    link = re.search(r'<code id="invitation-url">([^<]+)</code>', page).group(1)
    assert message["To"] == "ny@example.org" and link in message.get_content() and link.endswith("/" + link.split("/")[-1])
    assert "sendt med mail" in page and path not in page


def test_a_deactivated_users_open_session_ends(client, login_as, make_user, make_org, app):
    org = make_org("H")
    coordinator = login_as("coordinator", units=[org["H"]])
    assert client.get("/admin/rounds").status_code == 200
    coordinator.active = False
    db.session.commit()
    response = client.get("/admin/rounds")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
