"""Every input a client can send gets a 4xx, never a 500, on both databases: NUL bytes, file parts where text
is expected, ids and numbers out of range, odd methods; and a hypothesis fuzz over the respondent pages and
the API."""
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Answer, Response
from surveyapp.services.admin import tokens

KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


def _slug(round_):
    return next(link for link in round_.links if link.kind == "open").slug


def _key(client, slug):
    html = client.get(f"/s/{slug}").get_data(as_text=True)
    return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)


def _answers(key, **extra):
    data = {"idempotency_key": key, **{f"item_{code}": "4" for code in KEY_ITEMS}}
    data.update(extra)
    return data


@pytest.fixture
def token_headers(app):
    _token, secret = tokens.create_token("fuzz", can_read_raw=True)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("path", ["/s/%00", "/s/abc%00", "/s/%00/qr.png", "/s/%00/qr.svg", "/s/%00/tak",
                                  "/api/v1/questionnaires/%00", "/koordinator/runde/1%00"])
def test_nul_in_a_path_is_404(client, make_round, path):
    make_round()
    assert client.get(path).status_code == 404


def test_nul_in_a_query_or_a_form_is_400(client, make_round, token_headers):
    slug = _slug(make_round())
    assert client.get(f"/s/{slug}?lang=%00").status_code == 400
    assert client.get("/api/v1/audits?template=%00", headers=token_headers).status_code == 400
    assert client.post("/login", data={"email": "a\x00@b.dk", "password": "x"}).status_code == 400
    assert client.post(f"/s/{slug}", data={"idempotency_key": "\x00"}).status_code == 400


def test_free_text_with_nul_is_stored_without_it_and_the_answers_kept(client, make_round):
    slug = _slug(make_round())
    response = client.post(f"/s/{slug}", data=_answers(_key(client, slug), item_kommentar="god\x00 stemning"))
    assert response.status_code == 303
    texts = db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))).all()
    assert texts == ["god stemning"]
    assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.text.is_(None))) == 3


def test_file_part_for_a_free_text_is_no_answer_and_the_rest_is_stored(client, make_round):
    slug = _slug(make_round())
    data = _answers(_key(client, slug), item_kommentar=(io.BytesIO(b"hello"), "note.txt"))
    response = client.post(f"/s/{slug}", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(func.count()).select_from(Answer).where(Answer.text.is_not(None))) == 0


def test_file_part_for_a_scale_item_is_a_missing_answer(client, make_round):
    slug = _slug(make_round())
    data = _answers(_key(client, slug), item_tryg_som_patient=(io.BytesIO(b"4"), "x.txt"))
    response = client.post(f"/s/{slug}", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", "99999999999999999999999"])
def test_ids_and_numbers_past_a_database_integer_are_4xx(client, make_round, token_headers, number):
    make_round()
    api = ("/api/v1/rounds/{n}/results", "/api/v1/rounds/{n}/results.csv", "/api/v1/rounds/{n}/responses",
           "/api/v1/rounds?offset={n}", "/api/v1/rounds/1/responses?after={n}",
           "/api/v1/questionnaires/patientsikkerhedskultur?version={n}", "/api/v1/units?limit={n}")
    for template in api:
        status = client.get(template.format(n=number), headers=token_headers).status_code
        assert 400 <= status < 500, (template, status)
    assert client.get(f"/koordinator/runde/{number}").status_code in (302, 404)


def test_head_on_respondent_pages_answers_like_get(client, make_org, make_round):
    units = list(make_org().values())
    staff, patient = make_round(units=units), make_round("hvad-er-vigtigt-for-dig", units=units)
    for slug in (_slug(staff), _slug(patient)):
        for path in (f"/s/{slug}", f"/s/{slug}/tak", f"/s/{slug}/qr.png", f"/s/{slug}?lang=da"):
            assert client.head(path).status_code == 200, path
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


_text = st.text(st.characters(codec="utf-8"), max_size=40)
_fields = st.dictionaries(st.sampled_from(["idempotency_key", "item_tryg_som_patient", "item_kommentar",
                                           "item_laere_af_haendelser", "step", "go", "lang", "x"]),
                          _text, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=_text, query=st.dictionaries(_text, _text, max_size=3), form=_fields,
       method=st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"]),
       target=st.sampled_from(["answer", "thanks", "qr", "unknown", "api"]))
def test_fuzzed_requests_to_respondent_pages_and_the_api_never_answer_5xx(client, make_round, token_headers,
                                                                          fuzz_slugs, path, query, form, method,
                                                                          target):
    slug = fuzz_slugs[len(path) % len(fuzz_slugs)]
    url = {"answer": f"/s/{slug}", "thanks": f"/s/{slug}/tak", "qr": f"/s/{slug}/qr.png",
           "unknown": "/s/" + path.replace("/", "").replace("?", "").replace("#", ""),
           "api": "/api/v1/rounds/" + (path or "1").replace("/", "").replace("?", "").replace("#", "")}[target]
    response = client.open(url, method=method, query_string=query, data=form, headers=token_headers)
    assert response.status_code < 500, (method, url, query, form, response.get_data(as_text=True)[:300])


@pytest.fixture
def fuzz_slugs(make_org, make_round):
    units = list(make_org().values())
    return [_slug(make_round(units=units)), _slug(make_round("hvad-er-vigtigt-for-dig", units=units))]
