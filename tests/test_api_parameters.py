"""The OpenAPI document and the API agree on every query parameter: each bound the document declares is
enforced (one past it is a 400 whose message names the parameter), each enum is enforced (any other value is
a 400, every declared value is accepted), and raw responses of an open round are the declared 409."""
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from surveyapp.extensions import db
from surveyapp.models import LEVELS
from surveyapp.services.admin import tokens
from tests.results_helpers import add_responses, closed, tryg

SPEC = json.loads((Path(__file__).resolve().parent.parent / "surveyapp" / "openapi.json").read_text("utf-8"))
ERROR = Draft202012Validator({"$ref": "#/components/schemas/Error", "components": SPEC["components"]})
QUERY_PARAMETERS = [(path, parameter) for path, item in SPEC["paths"].items()
                    for parameter in item["get"].get("parameters", []) if parameter["in"] == "query"]


def _id(case) -> str:
    path, parameter = case
    return f"{path}?{parameter['name']}"


@pytest.fixture
def api(client, make_org, make_round):
    """A closed round with answers, a token that reads raw responses; returns get(path, **query)."""
    org = make_org("H")
    round_ = make_round(**closed(), units=list(org.values()))
    add_responses(round_, org["H-A1"], tryg(5, 4, 4, 3, 2))
    db.session.commit()
    _token, secret = tokens.create_token("BI", can_read_raw=True)
    db.session.commit()
    def get(path: str, **query):
        code = "H-A1" if path.startswith("/units/") else "patientsikkerhedskultur"  # a unit's, a questionnaire's
        path = path.replace("{round_id}", str(round_.id)).replace("{code}", code)
        return client.get(f"/api/v1{path}", query_string=query, headers={"Authorization": f"Bearer {secret}"})

    return get


def _refused(response, name: str) -> bool:
    if response.status_code != 400:
        return False
    body = response.get_json()
    ERROR.validate(body)
    return body["message"].startswith(f"{name} must be")


@pytest.mark.parametrize("case", [c for c in QUERY_PARAMETERS if c[1]["schema"].get("type") == "integer"], ids=_id)
def test_every_declared_integer_bound_is_enforced(api, case):
    path, parameter = case
    name, schema = parameter["name"], parameter["schema"]
    assert "minimum" in schema and "maximum" in schema, f"{path}?{name} declares no bounds"
    for value in (schema["minimum"] - 1, schema["maximum"] + 1, "ten"):
        assert _refused(api(path, **{name: value}), name), (path, name, value)
    for value in (schema["minimum"], schema["maximum"]):
        assert api(path, **{name: value}).status_code in (200, 404), (path, name, value)


@pytest.mark.parametrize("case", [c for c in QUERY_PARAMETERS if "enum" in c[1]["schema"]], ids=_id)
def test_every_declared_enum_is_enforced(api, case):
    path, parameter = case
    name = parameter["name"]
    for value in ("bogus", ""):
        assert _refused(api(path, **{name: value}), name), (path, name, value)
    for value in parameter["schema"]["enum"]:
        assert api(path, **{name: value}).status_code == 200, (path, name, value)


def test_a_bad_level_says_which_levels_there_are(api):
    enums = [p["schema"]["enum"] for path, p in QUERY_PARAMETERS if p["name"] == "level"]
    assert enums and all(set(enum) == set(LEVELS) for enum in enums)
    response = api("/rounds/{round_id}/results", level="ward")
    assert response.status_code == 400
    assert response.get_json()["message"] == "level must be one of: sygehus, afdeling, afsnit."


def test_a_round_id_past_the_declared_maximum_is_no_round(api):
    for path in ("/rounds/{round_id}/results", "/rounds/{round_id}/results.csv", "/rounds/{round_id}/responses"):
        schema = next(p["schema"] for p in SPEC["paths"][path]["get"]["parameters"] if p["name"] == "round_id")
        assert api(path.replace("{round_id}", str(schema["maximum"] + 1))).status_code == 404


def test_raw_responses_of_an_open_round_are_the_declared_409(api, make_round, make_org):
    declared = SPEC["paths"]["/rounds/{round_id}/responses"]["get"]["responses"]
    assert declared["409"] == {"$ref": "#/components/responses/RoundOpen"}
    open_round = make_round(units=list(make_org("X").values()))
    response = api(f"/rounds/{open_round.id}/responses")
    assert response.status_code == 409
    ERROR.validate(response.get_json())
