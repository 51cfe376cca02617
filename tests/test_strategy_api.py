"""The strategy in the API: the indicator definitions and a unit's figures for a year, against the OpenAPI
document, with the same numbers as the strategy page's service."""
from datetime import datetime

import pytest

from surveyapp.extensions import db
from surveyapp.models import User
from surveyapp.services.admin import tokens
from tests.strategy_helpers import strategy_data
from tests.test_api import check


@pytest.fixture
def world(make_org, make_round, make_user):
    org = make_org("H")
    round_ = make_round(units=list(org.values()), opens=datetime(2026, 1, 5), closes=datetime(2026, 1, 30))
    admin = make_user("admin")
    strategy_data(org, round_, admin)
    token, secret = tokens.create_token("BI", can_read_raw=False)
    db.session.commit()
    return org, {"Authorization": f"Bearer {secret}"}


def items_of(body, code):
    return {i["period"]: i for i in body["items"] if i["indicator"] == code}


def test_the_indicator_definitions_match_the_schema(client, world):
    _org, headers = world
    body = client.get("/api/v1/indicators", headers=headers).get_json()
    check(body, "IndicatorPage")
    codes = {i["indicator"] for i in body["items"]}
    assert {"uth_reported", "uth_closed_90d", "rca_on_time", "dok_vaeskeindgift", "dok_medicinindgift", "dok_ews",
            "dok_behandlingsniveau", "behandlingsplan_96t", "fb_tovholdere"} <= codes


def test_an_afdeling_strategy_rolls_up_its_afsnit_from_counts(client, world):
    _org, headers = world
    response = client.get("/api/v1/units/H-A/strategy?year=2026", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    check(body, "Strategy")
    march = items_of(body, "uth_reported")["2026-03"]
    assert (march["value"], march["met"]) == (6, True)  # 6 cases against 3 in March 2025: a rise
    closed = items_of(body, "uth_closed_90d")["2026-03"]
    # 10, 90, 5 and 20 days are on time; 91 days and the open case (older than 90 days by now) are late.
    assert (closed["numerator"], closed["denominator"], closed["target"], closed["met"]) == (4, 6, 0.95, False)
    ews = items_of(body, "dok_ews")["2026-02"]
    assert (ews["numerator"], ews["denominator"]) == (20, 22)  # 19/20 and 1/2 pooled, not averaged
    assert items_of(body, "fb_tovholdere")["2026-06"]["met"] is True
    rca = items_of(body, "rca_on_time")["2026-04"]  # planned, due 30 April and not done: late
    assert (rca["numerator"], rca["denominator"], rca["target"], rca["met"]) == (0, 1, 0.9, False)
    assert not any("case_id" in item for item in body["items"])


def test_the_strategy_of_a_unit_outside_the_tokens_scope_is_404(client, world, make_org):
    org, _headers = world
    other = make_org("X")
    viewer = User(email="v@example.org", role="viewer", units=[other["X"]])
    db.session.add(viewer)
    db.session.commit()
    token, secret = tokens.create_token("scoped", can_read_raw=False, user=viewer)
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/units/H-A/strategy", headers=headers).status_code == 404
    assert client.get("/api/v1/units/X-A/strategy?year=2026", headers=headers).status_code == 200
    assert client.get("/api/v1/units/X-A/strategy?year=99999", headers=headers).status_code == 400


def test_survey_key_items_carry_the_round_history_of_the_unit(client, world, make_round):
    from tests.results_helpers import add_responses

    org, headers = world
    later = make_round(units=list(org.values()), name="Opfølgning", opens=datetime(2026, 5, 1),
                       closes=datetime(2026, 5, 30))
    first = db.session.query(type(later)).filter_by(name="Testrunde").one()
    for round_, good in ((first, 3), (later, 6)):
        add_responses(round_, org["H-A1"], [{"tryg_som_patient": 5 if i < good else 2} for i in range(7)])
    db.session.commit()
    body = client.get("/api/v1/units/H-A1/strategy?year=2026", headers=headers).get_json()
    check(body, "Strategy")
    history = [(i["period"], i["numerator"], i["denominator"], i["met"]) for i in body["items"]
               if i["indicator"] == "survey_tryg_som_patient"]
    assert history == [("Testrunde", 3, 7, False), ("Opfølgning", 6, 7, True)]
