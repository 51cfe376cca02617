"""Throttling that protects without locking people out: keyed on the real client behind the proxy
(SURVEYAPP_PROXY_HOPS), failed logins per (account, address), valid links never throttled, and failed logins
of every kind take the same time."""
import time

import pytest

from surveyapp.services.users import authenticate
from surveyapp.views.auth import ACCOUNT_LIMIT
from surveyapp.views.respond import CODE_TRIES
from tests.conftest import PASSWORD


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "SURVEYAPP_PROXY_HOPS": 1}


def _first(limit: str) -> int:
    return int(limit.split(";")[0].split()[0])


def _from(address: str) -> dict:
    return {"X-Forwarded-For": address}


def test_an_attacker_cannot_lock_the_owner_out(client, make_user):
    user = make_user("coordinator")
    for _ in range(_first(ACCOUNT_LIMIT)):
        client.post("/login", data={"email": user.email, "password": "wrong"}, headers=_from("203.0.113.9"))
    blocked = client.post("/login", data={"email": user.email, "password": "wrong"}, headers=_from("203.0.113.9"))
    assert blocked.status_code == 429
    owner = client.post("/login", data={"email": user.email, "password": PASSWORD}, headers=_from("10.1.2.3"))
    assert owner.status_code == 302


def test_unknown_link_guesses_never_block_a_valid_link(client, make_round):
    slug = make_round().links[0].slug
    ward = _from("10.20.30.40")
    for i in range(_first(CODE_TRIES)):
        assert client.get(f"/s/guess{i}", headers=ward).status_code == 404
    assert client.get("/s/oneguesstoomany", headers=ward).status_code == 429
    assert client.get(f"/s/{slug}", headers=ward).status_code == 200
    assert client.get("/s/guess0", headers=_from("10.99.0.1")).status_code == 404  # another client: its own count


def test_failed_logins_take_the_same_time_whatever_the_account(app, make_user):
    from surveyapp.extensions import db
    from surveyapp.services.users import create_user
    active = make_user("coordinator")
    invited = create_user("invited@example.org", "viewer")  # no password yet
    db.session.commit()

    def timed(email):
        start = time.perf_counter()
        for _ in range(3):
            assert authenticate(email, "wrong password") is None
        return time.perf_counter() - start

    times = {"active": timed(active.email), "invited": timed(invited.email), "unknown": timed("nobody@example.org")}
    fastest, slowest = min(times.values()), max(times.values())
    assert slowest < 2.5 * fastest, times
