"""SQLite's write lock held longer than the busy timeout (a backup, a long admin write): the respondent's
write is tried again, and if the lock stays taken they get their form back with every answer and "send
again" (503), never an error page; the resend stores exactly one response."""
import re
import sqlite3
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Response

KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


@pytest.fixture
def database_url(tmp_path):
    """A file SQLite database only: the lock being tested is SQLite's."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def app_config():
    return {"SURVEYAPP_SQLITE_BUSY_TIMEOUT_MS": 200, "SURVEYAPP_WRITE_TRIES": 2}


@contextmanager
def write_lock(database_url: str):
    """A second connection that holds SQLite's write lock (BEGIN IMMEDIATE) until the block ends."""
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield holder
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _count():
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Response))


def _staff_form(client, slug):
    html = client.get(f"/s/{slug}").get_data(as_text=True)
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)
    answers = {f"item_{code}": "2" for code in KEY_ITEMS}
    return {"idempotency_key": key, **answers, "item_faggruppe": "3", "item_kommentar": "Travl vagt i går"}


def _open_slug(round_):
    return next(link.slug for link in round_.links if link.kind == "open")


def test_lock_held_past_every_try_gives_the_form_back_and_the_resend_stores_one(client, make_round, database_url):
    slug = _open_slug(make_round())
    data = _staff_form(client, slug)
    with write_lock(database_url):
        busy = client.post(f"/s/{slug}", data=data)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"].isdigit()
    assert busy.headers["Cache-Control"] == "no-store"
    html = busy.get_data(as_text=True)
    assert "Dine svar er ikke sendt endnu" in html and "send dem igen" in html
    for code in KEY_ITEMS:
        assert re.search(rf'<input[^>]*checked[^>]*id="item_{code}-\d"[^>]*value="2"|'
                         rf'<input[^>]*id="item_{code}-\d"[^>]*value="2"[^>]*checked', html), code
    assert "Travl vagt i går</textarea>" in html
    assert f'value="{data["idempotency_key"]}"' in html
    assert _count() == 0

    resent = client.post(f"/s/{slug}", data=data)
    assert resent.status_code == 303 and resent.headers["Location"].endswith("/tak")
    again = client.post(f"/s/{slug}", data=data)
    assert again.status_code == 303
    assert _count() == 1


def test_lock_released_during_the_tries_stores_the_answer_without_the_respondent_noticing(
        client, make_round, database_url):
    slug = _open_slug(make_round())
    data = _staff_form(client, slug)
    held = threading.Event()

    def hold_briefly():
        with write_lock(database_url):
            held.set()
            threading.Event().wait(0.25)  # longer than the 200 ms busy timeout, shorter than the retries

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    held.wait()
    posted = client.post(f"/s/{slug}", data=data)
    holder.join()
    assert posted.status_code == 303
    assert _count() == 1


def test_patient_last_screen_keeps_every_screen_s_answer_when_busy(client, make_round, database_url):
    round_ = make_round(questionnaire="hvad-er-vigtigt-for-dig")
    slug = _open_slug(round_)
    html = client.get(f"/s/{slug}", query_string={"lang": "en"}).get_data(as_text=True)
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)
    data = {"idempotency_key": key, "step": "1", "go": "send", "item_tryg_indlagt": "4",
            "item_vigtigt_for_dig": "Quiet nights"}
    with write_lock(database_url):
        busy = client.post(f"/s/{slug}?lang=en", data=data)
    assert busy.status_code == 503
    html = busy.get_data(as_text=True)
    assert "Your answers were not sent yet" in html and "please send them again" in html
    assert '<input type="hidden" name="item_tryg_indlagt" value="4">' in html
    assert "Quiet nights" in html
    assert client.post(f"/s/{slug}?lang=en", data=data).status_code == 303
    assert client.post(f"/s/{slug}?lang=en", data=data).status_code == 303
    assert _count() == 1


def test_only_a_held_lock_is_tried_again(app):
    from sqlalchemy.exc import OperationalError

    from surveyapp.database import is_lock_timeout

    def error(message: str) -> OperationalError:
        return OperationalError("INSERT", {}, sqlite3.OperationalError(message))

    assert is_lock_timeout(error("database is locked"))
    assert not is_lock_timeout(error("no such table: response"))
    assert not is_lock_timeout(error("disk I/O error"))
