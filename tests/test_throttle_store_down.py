"""Redis is a disposable throttle store: with it unreachable, logins, answer codes and unknown links still
answer (0 5xx), throttled in the process's own memory after one logged warning."""
import logging
import socket

import pytest

from surveyapp.extensions import db, limiter
from surveyapp.services.collection.responses import create_codes
from surveyapp.views.respond import CODE_TRIES
from tests.conftest import PASSWORD

KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens there


@pytest.fixture(autouse=True)
def store_alive_again():
    """The limiter is one object per process (as every extension is) and remembers that its store was found
    dead. A server process serves one app; a test process serves many, so the apps of this module and of
    the tests after it start with their store alive."""
    limiter._storage_dead = False
    yield
    limiter._storage_dead = False


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "SURVEYAPP_PROXY_HOPS": 1,
            "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{_closed_port()}/0"}


def test_an_unreachable_redis_falls_back_to_memory_with_a_warning_and_no_errors(client, make_round, make_user,
                                                                               caplog):
    round_ = make_round()
    code = create_codes(round_, next(u for u in round_.units if u.level == "afsnit"), 1)[0].slug
    db.session.commit()
    user = make_user("coordinator")
    ward = {"X-Forwarded-For": "10.20.30.40"}
    statuses = []
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        statuses.append(client.post("/login", data={"email": user.email, "password": "wrong"}, headers=ward).status_code)
        statuses.append(client.post("/login", data={"email": user.email, "password": PASSWORD}, headers=ward).status_code)
        form = client.get(f"/s/{code}", headers=ward)
        statuses.append(form.status_code)
        key = form.get_data(as_text=True).split('name="idempotency_key"')[1].split('value="')[1].split('"')[0]
        answers = {f"item_{item}": "4" for item in KEY_ITEMS}
        statuses.append(client.post(f"/s/{code}", data={"idempotency_key": key, **answers}, headers=ward).status_code)
        guesses = [client.get(f"/s/guess{i}", headers=ward).status_code for i in range(int(CODE_TRIES.split()[0]) + 1)]
    assert statuses == [200, 302, 200, 303]
    # Counted in memory meanwhile: the guesser is still stopped.
    assert guesses[:-1] == [404] * (len(guesses) - 1) and guesses[-1] == 429
    warnings = [r.getMessage() for r in caplog.records if r.name == "flask-limiter" and r.levelno == logging.WARNING]
    assert warnings == ["Rate limit storage unreachable - falling back to in-memory storage"]
