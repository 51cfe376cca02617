"""The attacks of issue 13, run from outside over HTTP as a curious coordinator would (docs/anonymity.md).

Each test fails while its attack works: two downloads around one answer, the moving cover, a shown 0 % or
100 % over hidden afsnit, raw data through a narrow token, lowering the threshold, reopening, the follow-up's
responses per day of a hidden afsnit, a small afsnit's free text with its day and language, the session
cookie against the stored key, and the card that answered. Padding gets tests of its mitigations.
"""
import csv
import io
import re
from collections import Counter
from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import CollectionLink, Response, Round, Unit
from surveyapp.services.admin import tokens
from surveyapp.services.collection.responses import create_codes
from surveyapp.timeutil import utcnow
from tests.results_helpers import add_responses, close_round, closed

KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


def slug_of(round_id: int, unit_code: str, kind: str = "open") -> str:
    return db.session.scalar(select(CollectionLink.slug).join(Unit, Unit.id == CollectionLink.unit_id)
                             .where(CollectionLink.round_id == round_id, Unit.code == unit_code,
                                    CollectionLink.kind == kind))


def answer(client, slug: str, value: int = 5, **extra):
    """Answer the staff survey through a link as a respondent's phone does; returns the POST's response."""
    page = client.get(f"/s/{slug}?new=1")
    if page.status_code != 200:
        return page
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)
    data = {"idempotency_key": key, **{f"item_{code}": str(value) for code in KEY_ITEMS},
            **{f"item_{code}": str(v) for code, v in extra.items()}}
    return client.post(f"/s/{slug}", data=data)


def staff(n: int, value: int = 5, faggruppe: int | None = None) -> list[dict]:
    return [{**{code: value for code in KEY_ITEMS}, **({"faggruppe": faggruppe} if faggruppe else {})}] * n


def results_csv(client, round_id: int) -> list[dict]:
    response = client.get(f"/koordinator/download/runde/{round_id}/resultater.csv?format=plain")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


FIGURES = ("n", "positive", "percent", "ci_low", "ci_high", "met")


def figures(rows: list[dict]) -> list[tuple]:
    """Every answer figure of a results download (not the respondent counts, which the follow-up shows)."""
    return [(r["unit_code"], r["item_code"], *(r[k] for k in FIGURES if k in r)) for r in rows]


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture
def ward(app):
    """An afdeling with M1 = 2, M2 = 7, M3 = 6, M4 = 20 possible respondents (the moving-cover example)."""
    hospital = Unit(code="S", name="Sygehus S", level="sygehus")
    department = Unit(code="S-GYN", name="Gynækologi", level="afdeling", parent=hospital)
    wards = [Unit(code=f"S-M{i}", name=f"Afsnit M{i}", level="afsnit", parent=department, headcount=30)
             for i in range(1, 5)]
    db.session.add_all([hospital, department, *wards])
    db.session.commit()
    return {u.code: u for u in [hospital, department, *wards]}


# 1. Live differencing ----------------------------------------------------------------------------------

def test_two_downloads_around_one_answer_tell_nothing_while_the_round_is_open(client, login_as, make_round, org):
    round_ = make_round(units=list(org.values()))
    add_responses(round_, org["H-A1"], staff(15, 4, faggruppe=2))
    add_responses(round_, org["H-A2"], staff(9, 2, faggruppe=1))
    db.session.commit()
    login_as("coordinator", units=[org["H"]])
    before = results_csv(client, round_.id)
    unit_before = client.get(f"/koordinator/runde/{round_.id}/enhed/H-A1").get_data(as_text=True)
    assert answer(client, slug_of(round_.id, "H-A1"), 1, faggruppe=5).status_code in (302, 303)
    after = results_csv(client, round_.id)
    unit_after = client.get(f"/koordinator/runde/{round_.id}/enhed/H-A1").get_data(as_text=True)
    assert figures(before) == figures(after)
    assert all(r["n"] == "" and r["percent"] == "" for r in before + after)  # nothing released while open
    for html in (unit_before, unit_after):
        # No percentage, not even per Faggruppe; the response rate (respondents / headcount) is followed.
        shown = re.sub(r"svarprocent \d+,\d\xa0%", "", html)
        assert not re.search(r"\d+,\d\xa0%", shown)
    assert {r["respondents"] for r in after if r["unit_code"] == "H-A1"} == {"16"}  # the count is followed


# 2. The moving cover ------------------------------------------------------------------------------------

def test_the_cover_is_decided_once_on_the_final_data(client, login_as, make_round, ward):
    round_ = make_round(units=list(ward.values()))
    for code, n in {"S-M1": 2, "S-M2": 7, "S-M3": 6, "S-M4": 20}.items():
        add_responses(round_, ward[code], staff(n, 4))
    db.session.commit()
    login_as("coordinator", units=[ward["S"]])
    first = results_csv(client, round_.id)
    assert answer(client, slug_of(round_.id, "S-M3"), 4).status_code in (302, 303)  # M2 and M3 now tie at 7
    assert figures(results_csv(client, round_.id)) == figures(first)  # open: nothing to difference
    with client.application.app_context():
        close_round(db.session.get(Round, round_.id))
        db.session.commit()
    released = results_csv(client, round_.id)
    assert answer(client, slug_of(round_.id, "S-M2"), 1).status_code == 410  # a closed round takes no answer
    again = results_csv(client, round_.id)
    assert figures(released) == figures(again)
    hidden = {r["unit_code"] for r in released if r["suppressed"] in ("1", "true", "True")}
    assert "S-M1" in hidden and len(hidden & {"S-M2", "S-M3"}) == 1  # one cover, for good


# 4. 0 % and 100 % ----------------------------------------------------------------------------------------

def test_a_shown_100_percent_parent_does_not_tell_what_its_hidden_afsnit_answered(client, make_round, ward):
    round_ = make_round(**closed(), units=list(ward.values()))
    for code, n in {"S-M1": 1, "S-M2": 4, "S-M3": 7}.items():
        add_responses(round_, ward[code], staff(n, 5))  # 12 of 12 positive
    add_responses(round_, ward["S-M4"], staff(6, 5) + staff(4, 1))
    db.session.commit()
    token, secret = tokens.create_token("BI", can_read_raw=False)
    db.session.commit()
    rows = client.get(f"/api/v1/rounds/{round_.id}/results?limit=1000",
                      headers={"Authorization": f"Bearer {secret}"}).get_json()["items"]
    shown = {(r["unit_code"], r["item_code"]): r for r in rows if not r["suppressed"]}
    assert ("S-M3", "tryg_som_patient") in shown  # an afsnit of 7, all positive: its own figure is shown
    for (unit, item), row in shown.items():
        if unit in ("S-GYN", "S") and row["n"] is not None:
            # Whatever is shown above the hidden M1 and M2, no residue of them is unanimous.
            residue_n = row["n"] - sum(shown[(c, item)]["n"] for c in ("S-M3", "S-M4") if (c, item) in shown)
            residue_pos = row["positive"] - sum(shown[(c, item)]["positive"] for c in ("S-M3", "S-M4")
                                                if (c, item) in shown)
            assert not (residue_n > 0 and residue_pos in (0, residue_n)), (unit, item)


# 5. Raw data ---------------------------------------------------------------------------------------------

def test_raw_data_through_a_narrow_token_is_k_anonymous(client, make_round, make_user, org):
    round_ = make_round(**closed(), units=list(org.values()))
    add_responses(round_, org["H-A1"], staff(4, 5, faggruppe=1), language="da")  # a small afsnit
    add_responses(round_, org["H-A2"], staff(6, 4, faggruppe=2) + staff(2, 4, faggruppe=3)
                  + [{"tryg_som_patient": 2, "kommentar": "Min leder lytter ikke"}])
    add_responses(round_, org["H-B1"], staff(8, 4, faggruppe=2) + staff(3, 3, faggruppe=4), language="en")
    add_responses(round_, org["H-B2"], staff(9, 5, faggruppe=2))
    db.session.commit()
    small = make_user("coordinator", units=[org["H-A1"]])
    _t, narrow = tokens.create_token("Lille", can_read_raw=True, user=small)
    _t, wide = tokens.create_token("Alt", can_read_raw=True)
    db.session.commit()
    url = f"/api/v1/rounds/{round_.id}/responses?limit=1000&text=1"
    assert client.get(url, headers={"Authorization": f"Bearer {narrow}"}).get_json()["items"] == []
    items = client.get(url, headers={"Authorization": f"Bearer {wide}"}).get_json()["items"]
    assert len(items) == 4 + 9 + 11 + 9
    combos = Counter((i["unit_code"], i["language"], i["answers"].get("faggruppe")) for i in items)
    assert min(combos.values()) >= round_.min_group, combos
    assert not any("date" in i or "kommentar" in i["answers"] for i in items)
    with client.application.app_context():
        database_ids = list(db.session.scalars(select(Response.id).order_by(Response.id)))
    ids = [i["id"] for i in items]
    assert not set(ids) & set(database_ids)
    units = [i["unit_code"] for i in items]
    assert units != sorted(units)  # submitted afsnit by afsnit, served in no such order


def test_no_raw_data_while_the_round_is_open(client, login_as, make_round, org):
    round_ = make_round(units=list(org.values()))
    add_responses(round_, org["H-A1"], staff(9))
    db.session.commit()
    _t, secret = tokens.create_token("Alt", can_read_raw=True)
    db.session.commit()
    assert client.get(f"/api/v1/rounds/{round_.id}/responses",
                      headers={"Authorization": f"Bearer {secret}"}).status_code == 409
    login_as("admin")
    assert client.get(f"/koordinator/download/runde/{round_.id}/svar.csv").status_code == 409


# 6. Lowering the threshold, and reopening ------------------------------------------------------------------

def test_the_threshold_cannot_be_lowered_once_answers_are_in(client, login_as, make_round, org):
    round_ = make_round(units=list(org.values()), min_group=5)
    add_responses(round_, org["H-A1"], staff(3))
    db.session.commit()
    login_as("coordinator", units=[org["H"]])
    form = client.get(f"/admin/rounds/{round_.id}/edit").get_data(as_text=True)
    assert "aldrig sænkes" in form
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    data = {"name": round_.name, "opens_at": "", "closes_at": "", "target": "80", "min_group": "3"}
    with client.application.app_context():
        from surveyapp.services.admin.rounds import to_local
        fresh = db.session.get(Round, round_.id)
        data["opens_at"] = to_local(fresh.opens_at).strftime("%Y-%m-%dT%H:%M")
        data["closes_at"] = to_local(fresh.closes_at).strftime("%Y-%m-%dT%H:%M")
    if token:
        data["csrf_token"] = token.group(1)
    assert client.post(f"/admin/rounds/{round_.id}/edit", data=data).status_code == 200  # refused, form again
    with client.application.app_context():
        assert db.session.get(Round, round_.id).min_group == 5


def test_a_released_round_cannot_be_reopened(client, login_as, make_round, org):
    round_ = make_round(**closed(), units=list(org.values()))
    add_responses(round_, org["H-A1"], staff(6))
    db.session.commit()
    before = round_.closes_at
    login_as("admin")
    page = client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert "Genåbn runden" not in page and "genåbnes ikke" in page
    later = (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/admin/rounds/{round_.id}/reopen", data={"closes_at": later}, follow_redirects=True)
    assert "kan ikke genåbnes" in response.get_data(as_text=True)
    with client.application.app_context():
        assert db.session.get(Round, round_.id).closes_at == before


def test_an_open_round_can_still_be_extended(app, make_round, org, make_user):
    from surveyapp.services.admin import rounds as rounds_admin
    round_ = make_round(units=list(org.values()))
    add_responses(round_, org["H-A1"], staff(6))
    rounds_admin.update(make_user("admin"), round_, round_.name, round_.opens_at,
                        round_.closes_at + timedelta(days=7), round_.target, 6)
    db.session.commit()
    assert round_.min_group == 6  # raised: allowed


# 7. Follow-up per day, free texts ---------------------------------------------------------------------

def test_the_follow_up_shows_no_days_of_a_hidden_afsnit(client, login_as, make_round, org):
    round_ = make_round(units=list(org.values()))
    add_responses(round_, org["H-A1"], staff(2), on=round_.opens_at.date())
    db.session.commit()
    login_as("coordinator", units=[org["H-A1"]])
    html = client.get(f"/koordinator/runde/{round_.id}/opfoelgning").get_data(as_text=True)
    assert "2 besvarelser" in html
    assert "Besvarelser pr. dag som tabel" not in html and "<svg" not in html


def test_a_small_afsnits_free_text_has_no_day_or_language(client, login_as, make_round, org):
    round_ = make_round(**closed(), questionnaire="hvad-er-vigtigt-for-dig", units=list(org.values()))
    add_responses(round_, org["H-A1"], [{"tryg_indlagt": 5, "vigtigt_for_dig": "Tak for maden"}], language="uk")
    db.session.commit()
    login_as("coordinator", units=[org["H-A1"]])
    html = client.get(f"/koordinator/runde/{round_.id}/enhed/H-A1/fritekst").get_data(as_text=True)
    assert "Tak for maden" in html
    assert "Ukrainsk" not in html and 'lang="uk"' not in html
    assert round_.opens_at.strftime("%Y") + "</p>" not in html and "juni" not in html.split("Tak for maden")[0][-200:]


def test_staff_comments_are_released_only_for_afsnit_at_the_threshold(client, login_as, make_round, org):
    round_ = make_round(**closed(), units=list(org.values()))
    add_responses(round_, org["H-A1"], [{**staff(1)[0], "kommentar": "Lille afsnit"}] + staff(2))
    add_responses(round_, org["H-A2"], [{**staff(1)[0], "kommentar": "Stort afsnit"}] + staff(5))
    db.session.commit()
    login_as("coordinator", units=[org["H-A"]])
    small = client.get(f"/koordinator/runde/{round_.id}/enhed/H-A1/fritekst").get_data(as_text=True)
    big = client.get(f"/koordinator/runde/{round_.id}/enhed/H-A2/fritekst").get_data(as_text=True)
    assert "Lille afsnit" not in small and "Stort afsnit" in big and "<blockquote lang" not in big


# 8. Storage -------------------------------------------------------------------------------------------

def test_the_session_cookie_does_not_hold_the_stored_key(app, client, make_round, org):
    round_ = make_round(units=list(org.values()))
    assert answer(client, slug_of(round_.id, "H-A1")).status_code in (302, 303)
    cookie = client.get_cookie("session")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    session = serializer.loads(cookie.value)
    held = set(session.get("respond_keys", {}).values()) | set(session.get("respond_keys", {}).keys())
    stored = set(db.session.scalars(select(Response.idempotency_key)))
    assert stored and held and not held & stored
    assert not any(key in value for key in held for value in stored)


def test_a_response_does_not_record_which_card_answered(client, make_round, org):
    round_ = make_round(units=list(org.values()))
    codes = create_codes(round_, org["H-A1"], 3)
    db.session.commit()
    slug = codes[1].slug
    assert answer(client, slug).status_code in (302, 303)
    with client.application.app_context():
        response = db.session.scalar(select(Response))
        code_ids = set(db.session.scalars(select(CollectionLink.id).where(CollectionLink.kind == "code")))
        assert response.link_id not in code_ids and response.unit_id == org["H-A1"].id
        assert db.session.scalar(select(CollectionLink.used).where(CollectionLink.slug == slug))


# 3. Padding: the mitigations -------------------------------------------------------------------------

def test_a_codes_only_round_refuses_answers_without_a_code(client, make_round, org):
    round_ = make_round(units=list(org.values()))
    round_.codes_only = True
    codes = create_codes(round_, org["H-A1"], 1)
    db.session.commit()
    assert client.get(f"/s/{slug_of(round_.id, 'H-A1')}").status_code == 403
    assert answer(client, codes[0].slug).status_code in (302, 303)
    with client.application.app_context():
        assert db.session.scalar(select(Response.unit_id)) == org["H-A1"].id


def test_codes_only_is_set_in_the_round_form(client, login_as, make_round, org):
    round_ = make_round(units=list(org.values()))
    login_as("admin")
    form = client.get(f"/admin/rounds/{round_.id}/edit").get_data(as_text=True)
    assert 'name="codes_only"' in form


def test_answers_beyond_the_headcount_raise_a_warning(client, login_as, make_round, org):
    round_ = make_round(units=list(org.values()))
    add_responses(round_, org["H-A1"], staff(24))  # headcount 20
    add_responses(round_, org["H-A2"], staff(20))
    db.session.commit()
    login_as("coordinator", units=[org["H"]])
    html = client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert "Afsnit A1 har 4 flere svar end" in html and "Afsnit A2 har" not in html
