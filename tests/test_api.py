"""The JSON API for BI tools: token auth, scope, raw permission, pagination, and responses that match both the
results service and the OpenAPI description the app serves."""
import csv
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import Response
from surveyapp.services.admin import tokens
from surveyapp.services.results.counts import round_results
from tests.results_helpers import add_responses, closed, tryg

SPEC = json.loads((Path(__file__).resolve().parent.parent / "surveyapp" / "openapi.json").read_text("utf-8"))


def check(body, schema_name):
    """Validate a response body against a schema of the OpenAPI document."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": SPEC["components"]}
    Draft202012Validator(schema).validate(body)


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture
def staff_round(make_round, org):
    round_ = make_round(**closed(), units=list(org.values()), min_group=5)
    add_responses(round_, org["H-A1"], tryg(5, 4, 4, 3, 2, None))
    add_responses(round_, org["H-A2"], tryg(5, 5, 5, 5, 4))
    add_responses(round_, org["H-B1"], tryg(5, 5))
    add_responses(round_, org["H-B2"], [{"tryg_som_patient": 1, "kommentar": "=HYPERLINK(1)"}] + tryg(2, 4, 4, 5, 5, 5))
    db.session.commit()
    return round_


@pytest.fixture
def make_token(app):
    def make(raw=False, user=None):
        token, secret = tokens.create_token("BI", can_read_raw=raw, user=user)
        db.session.commit()
        return token, {"Authorization": f"Bearer {secret}"}
    return make


def get_all(client, url, headers):
    """Follow `next` from the first page to the last; returns every item and the pages seen."""
    items, pages = [], 0
    while url:
        response = client.get(url.replace("http://surveyapp.test", ""), headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        items += body["items"]
        url, pages = body["next"], pages + 1
    return items, pages


def test_missing_wrong_and_revoked_tokens_get_401_json(client, make_token, staff_round):
    token, headers = make_token()
    ok = client.get("/api/v1/units", headers=headers)
    assert ok.status_code == 200 and ok.headers["Cache-Control"] == "no-store"
    for given in ({}, {"Authorization": "Bearer sa_wrong"}, {"Authorization": headers["Authorization"][7:]},
                  {"Authorization": "Basic " + headers["Authorization"][7:]}):
        response = client.get("/api/v1/units", headers=given)
        assert response.status_code == 401 and response.is_json
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        check(response.get_json(), "Error")
    tokens.revoke_token(token)
    db.session.commit()
    assert client.get("/api/v1/units", headers=headers).status_code == 401


def test_api_answers_a_token_without_session_cookie_or_csrf_token(app, staff_round, make_token):
    app.config["WTF_CSRF_ENABLED"] = True
    _token, headers = make_token()
    client = app.test_client(use_cookies=False)
    assert client.get("/api/v1/rounds", headers=headers).status_code == 200
    assert client.post("/api/v1/rounds", headers=headers).status_code == 405  # read-only, and JSON says so
    assert client.post("/api/v1/rounds", headers=headers).is_json


def test_units_are_paginated_with_absolute_next_links(client, make_token, org):
    _token, headers = make_token()
    first = client.get("/api/v1/units?limit=3", headers=headers).get_json()
    check(first, "UnitPage")
    assert len(first["items"]) == 3 and first["next"].startswith("http://surveyapp.test/api/v1/units?")
    items, pages = get_all(client, "/api/v1/units?limit=3", headers)
    assert pages == 3 and [u["code"] for u in items] == ["H", "H-A", "H-B", "H-A1", "H-A2", "H-B1", "H-B2"]
    a1 = next(u for u in items if u["code"] == "H-A1")
    assert a1 == {"code": "H-A1", "name": "Afsnit A1", "level": "afsnit", "parent_code": "H-A", "headcount": 20}
    assert client.get("/api/v1/units?limit=0", headers=headers).status_code == 400


def test_rounds_and_questionnaire_match_the_description(client, make_token, staff_round):
    _token, headers = make_token()
    rounds = client.get("/api/v1/rounds", headers=headers).get_json()
    check(rounds, "RoundPage")
    assert rounds["items"][0]["id"] == staff_round.id and rounds["items"][0]["target"] == 0.8
    assert rounds["items"][0]["questionnaire"] == "patientsikkerhedskultur"
    assert rounds["items"][0]["audience"] == "staff" and rounds["items"][0]["opens_at"].endswith("Z")
    questionnaire = client.get("/api/v1/questionnaires/patientsikkerhedskultur", headers=headers).get_json()
    check(questionnaire, "Questionnaire")
    tryg_item = next(i for i in questionnaire["items"] if i["code"] == "tryg_som_patient")
    assert tryg_item["key"] is True and tryg_item["positive_values"] == [4, 5]
    assert client.get("/api/v1/questionnaires/nope", headers=headers).status_code == 404


def zero_unless_hidden(row, value):
    """The API's n and positive: 0 for a shown unit whose every answer was "ved ikke", null only when hidden."""
    return value if value is not None or row.suppressed else 0


@pytest.mark.parametrize("level", ["afsnit", "afdeling", "sygehus"])
def test_results_equal_the_results_service_per_level(client, make_token, staff_round, level):
    _token, headers = make_token()
    items, _pages = get_all(client, f"/api/v1/rounds/{staff_round.id}/results?level={level}&limit=7", headers)
    want = [r for r in round_results(staff_round, level=level) if r.measure == "item"]
    assert len(items) == len(want)
    for got, row in zip(items, want):
        check(got, "Result")
        assert (got["unit_code"], got["item_code"], got["n"], got["positive"], got["percent"], got["ci_low"],
                got["ci_high"], got["target"], got["met"], got["suppressed"]) == \
            (row.unit_code, row.item_code, zero_unless_hidden(row, row.n), zero_unless_hidden(row, row.positive), row.percent, row.ci_low, row.ci_high, row.target / 100,
             row.met, row.suppressed)


def test_suppressed_results_have_null_numbers_in_json_and_csv(client, make_token, staff_round):
    _token, headers = make_token()
    rows = client.get(f"/api/v1/rounds/{staff_round.id}/results?level=afsnit&limit=1000",
                      headers=headers).get_json()["items"]
    b1 = next(r for r in rows if r["unit_code"] == "H-B1" and r["item_code"] == "tryg_som_patient")
    assert b1["suppressed"] is True and [b1[k] for k in ("n", "positive", "percent", "ci_low", "ci_high", "met")] == [None] * 6
    text = client.get(f"/api/v1/rounds/{staff_round.id}/results.csv?level=afsnit", headers=headers).get_data(as_text=True)
    table = list(csv.DictReader(io.StringIO(text)))
    assert list(table[0]) == ["unit_code", "unit_name", "level", "item_code", "n", "positive", "percent", "ci_low",
                              "ci_high", "target", "met", "suppressed"]
    assert len(table) == len(rows)
    for got, row in zip(table, rows):
        assert got["unit_code"] == row["unit_code"] and got["suppressed"] == str(row["suppressed"]).lower()
        assert (float(got["percent"]) if got["percent"] else None) == row["percent"]


def test_scoped_token_sees_only_its_units_and_rounds(client, make_token, make_user, staff_round, org, make_org):
    user = make_user("coordinator", units=[org["H-B"]])
    _token, headers = make_token(user=user)
    units, _ = get_all(client, "/api/v1/units", headers)
    assert {u["code"] for u in units} == {"H-B", "H-B1", "H-B2"}
    rows, _ = get_all(client, f"/api/v1/rounds/{staff_round.id}/results?limit=1000", headers)
    assert {r["unit_code"] for r in rows} == {"H-B", "H-B1", "H-B2"}
    other = make_user("coordinator", units=[make_org("X")["X"]])
    _token, elsewhere = make_token(user=other)
    assert client.get(f"/api/v1/rounds/{staff_round.id}/results", headers=elsewhere).status_code == 404
    assert client.get("/api/v1/rounds", headers=elsewhere).get_json()["items"] == []


def test_raw_responses_need_the_raw_permission(client, make_token, staff_round):
    _token, headers = make_token(raw=False)
    response = client.get(f"/api/v1/rounds/{staff_round.id}/responses", headers=headers)
    assert response.status_code == 403 and response.is_json


def test_raw_responses_page_by_id_and_hide_small_wards_under_their_afdeling(app, client, make_token, staff_round):
    _token, headers = make_token(raw=True)
    items, pages = get_all(client, f"/api/v1/rounds/{staff_round.id}/responses?limit=7", headers)
    assert pages == 3 and len(items) == 6 + 5 + 2 + 7
    for item in items:
        check(item, "Response")
    ids = [i["id"] for i in items]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)  # pages follow the pseudonyms
    with app.app_context():
        assert not set(ids) & set(db.session.scalars(select(Response.id)))  # never the database ids
    assert {i["unit_code"] for i in items} == {"H-A1", "H-A2", "H-B"}  # H-B1 and its cover H-B2 are hidden
    assert sum(1 for i in items if i["answers"] == {"tryg_som_patient": None}) == 1  # not applicable is null
    assert all("kommentar" not in i["answers"] for i in items)
    with_text, _ = get_all(client, f"/api/v1/rounds/{staff_round.id}/responses?text=1&limit=100", headers)
    assert with_text and all("kommentar" not in i["answers"] for i in with_text)  # staff comments: never


def test_openapi_document_is_served_and_describes_every_route(client, app):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = response.get_json()
    assert served["openapi"].startswith("3.1") and served["servers"] == [{"url": "http://surveyapp.test/api/v1"}]
    routes = {rule.rule.removeprefix("/api/v1").replace("<int:round_id>", "{round_id}").replace("<code>", "{code}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1")}
    assert routes == set(served["paths"])
    Draft202012Validator.check_schema({"components": served["components"]})


def test_create_token_command_prints_a_working_token_alone_on_the_last_line(runner, client, staff_round):
    result = runner.invoke(args=["create-token", "Region BI", "--raw"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("sa_") and " " not in secret
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/rounds/{staff_round.id}/responses", headers=headers).status_code == 200
    plain = runner.invoke(args=["create-token", "Dashboard"]).output.strip().splitlines()[-1]
    assert client.get(f"/api/v1/rounds/{staff_round.id}/responses",
                      headers={"Authorization": f"Bearer {plain}"}).status_code == 403
