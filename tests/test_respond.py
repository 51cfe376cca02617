"""A staff member answers the safety culture survey from the ward's link: the whole flow and every bad input."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Answer, Response
from surveyapp.services.collection import responses
from surveyapp.timeutil import utcnow

KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


def _link(round_, kind="open"):
    return next(link for link in round_.links if link.kind == kind)


def _form(client, slug, **query):
    page = client.get(f"/s/{slug}", query_string=query)
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    return html, re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)


def _answers(key, **extra):
    data = {"idempotency_key": key, **{f"item_{code}": "4" for code in KEY_ITEMS}}
    data.update({f"item_{code}": value for code, value in extra.items()})
    return data


def _count(model=Response):
    return db.session.scalar(select(func.count()).select_from(model))


def test_page_shows_ward_hospital_anonymity_and_every_item_in_danish(client, make_round):
    round_ = make_round()
    link = _link(round_)
    html, _ = _form(client, link.slug)
    assert "Afsnit A1" in html and "Sygehus H" in html
    assert "Patientsikkerhedskultur" in html
    assert "Jeg ville føle mig tryg, hvis jeg var patient her" in html
    assert "Din besvarelse er anonym" in html
    assert html.count("<fieldset") == 7 and html.count("<legend") == 7  # six statements and the background question
    assert '<label class="form-label" for="item_tryg_som_patient-0">Helt uenig</label>' in html
    assert 'id="item_tryg_som_patient-0"' in html
    assert "<textarea" in html and 'maxlength="2000"' in html
    assert "<script" not in html


def test_full_flow_stores_one_anonymous_response_with_its_answers(client, make_round):
    round_ = make_round()
    link = _link(round_)
    _, key = _form(client, link.slug)
    posted = client.post(f"/s/{link.slug}", data=_answers(key, svaert_at_sige_til="9", faggruppe="2",
                                                              kommentar="  Godt arbejde  "))
    assert posted.status_code == 303
    assert posted.headers["Location"].endswith(f"/s/{link.slug}/tak")
    thanks = client.get(posted.headers["Location"])
    assert "Tak for din besvarelse" in thanks.get_data(as_text=True)
    response = db.session.scalar(select(Response))
    assert (response.round_id, response.unit_id, response.link_id, response.language) == (
        round_.id, link.unit_id, link.id, "da")
    assert response.submitted_on == responses.today_local()
    answers = {a.item_id: a for a in response.answers}
    by_code = {item.code: item.id for item in round_.questionnaire.items}
    assert answers[by_code["tryg_som_patient"]].value == 4
    assert answers[by_code["svaert_at_sige_til"]].not_applicable is True
    assert answers[by_code["svaert_at_sige_til"]].value is None
    assert answers[by_code["faggruppe"]].value == 2
    assert answers[by_code["kommentar"]].text == "Godt arbejde"
    assert len(answers) == 6  # unanswered optional items store nothing
    columns = {c.name for c in Response.__table__.columns}
    assert not columns & {"ip", "ip_address", "user_agent", "created_at", "submitted_at", "session_id", "cookie"}


def test_english_switch_is_remembered_for_the_session(client, make_round):
    link = _link(make_round())
    html, _ = _form(client, link.slug, lang="en")
    assert "I would feel safe being treated here as a patient" in html
    assert "Your answer is anonymous" in html
    html, _ = _form(client, link.slug)
    assert "Strongly agree" in html
    _, key = _form(client, link.slug)
    client.post(f"/s/{link.slug}", data=_answers(key))
    assert db.session.scalar(select(Response.language)) == "en"


def test_double_submit_stores_one_response_and_shows_thanks_again(client, make_round):
    link = _link(make_round())
    _, key = _form(client, link.slug)
    first = client.post(f"/s/{link.slug}", data=_answers(key))
    second = client.post(f"/s/{link.slug}", data=_answers(key, faggruppe="1"))  # back button, then again
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _count() == 1 and _count(Answer) == 3


def test_back_button_after_submitting_shows_thanks_and_someone_else_can_answer(client, make_round):
    link = _link(make_round())
    _, key = _form(client, link.slug)
    assert client.post(f"/s/{link.slug}", data=_answers(key)).status_code == 303
    back = client.get(f"/s/{link.slug}")  # the page fetched again: the same key, already answered
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and "Tak for din besvarelse" in html and "<form" not in html
    assert f"/s/{link.slug}?new=1" in html
    _, fresh = _form(client, link.slug, new=1)
    assert fresh != key
    assert client.post(f"/s/{link.slug}", data=_answers(fresh)).status_code == 303
    assert _count() == 2


def test_reloading_the_form_keeps_its_key(client, make_round):
    link = _link(make_round())
    assert _form(client, link.slug)[1] == _form(client, link.slug)[1]


def test_two_phones_store_two_responses(app, make_round):
    link = _link(make_round())
    for phone in (app.test_client(), app.test_client()):
        _, key = _form(phone, link.slug)
        assert phone.post(f"/s/{link.slug}", data=_answers(key)).status_code == 303
    assert _count() == 2


def test_racing_duplicate_is_caught_by_the_unique_key(app, client, make_round, monkeypatch):
    """The second of two simultaneous posts misses the first in its lookup; the unique key stops it."""
    link = _link(make_round())
    _, key = _form(client, link.slug)
    assert client.post(f"/s/{link.slug}", data=_answers(key)).status_code == 303
    real = responses.find_by_key
    calls = []

    def blind_first_lookup(k):
        calls.append(k)
        return None if len(calls) == 1 else real(k)

    monkeypatch.setattr(responses, "find_by_key", blind_first_lookup)
    again = client.post(f"/s/{link.slug}", data=_answers(key))
    assert again.status_code == 303 and len(calls) == 2
    assert _count() == 1 and _count(Answer) == 3


def test_missing_key_items_reshow_the_page_with_choices_kept_and_linked_messages(client, make_round):
    link = _link(make_round())
    _, key = _form(client, link.slug)
    data = {"idempotency_key": key, "item_tryg_som_patient": "5", "item_faggruppe": "3", "item_kommentar": "hej"}
    page = client.post(f"/s/{link.slug}", data=data)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'role="alert"' in html and 'href="#item_laere_af_haendelser-legend"' in html
    assert 'href="#item_ledelse_foelger_op-legend"' in html and 'href="#item_let_at_spoerge-legend"' not in html
    assert html.count("Vælg et svar til dette udsagn.") == 4  # two in the summary, two at the fields
    assert re.search(r'id="item_tryg_som_patient-4"[^>]*checked|checked[^>]*id="item_tryg_som_patient-4"', html)
    assert re.search(r'id="item_faggruppe-2"[^>]*checked|checked[^>]*id="item_faggruppe-2"', html)
    assert re.search(r">\s*hej</textarea>", html)
    assert f'value="{key}"' in html  # the same form: a later submit is still exactly once
    assert _count() == 0


def test_too_long_comment_gets_a_clear_message(client, make_round):
    link = _link(make_round())
    _, key = _form(client, link.slug)
    page = client.post(f"/s/{link.slug}", data=_answers(key, kommentar="x" * 2001))
    assert page.status_code == 422
    assert "Skriv højst 2000 tegn." in page.get_data(as_text=True)
    assert _count() == 0


@pytest.mark.parametrize("tamper", [
    {"item_tryg_som_patient": "7"},
    {"item_tryg_som_patient": "enig"},
    {"item_faggruppe": "99"},
    {"idempotency_key": "x"},
    {"idempotency_key": ""},
    {"item_kommentar": "x" * 5000},
])
def test_tampered_posts_get_a_clear_400_page(client, make_round, tamper):
    link = _link(make_round())
    _, key = _form(client, link.slug)
    page = client.post(f"/s/{link.slug}", data={**_answers(key), **tamper})
    assert page.status_code == 400
    assert "Din besvarelse kunne ikke læses" in page.get_data(as_text=True)
    assert _count() == 0


def test_repeated_field_is_tampering(client, make_round):
    link = _link(make_round())
    _, key = _form(client, link.slug)
    data = [(k, v) for k, v in _answers(key).items()] + [("item_tryg_som_patient", "1")]
    from werkzeug.datastructures import MultiDict
    assert client.post(f"/s/{link.slug}", data=MultiDict(data)).status_code == 400


def test_unknown_slug_is_a_404_page_in_danish(client, make_round):
    make_round()
    for method in (client.get, client.post):
        page = method("/s/doesnotexist")
        assert page.status_code == 404
        assert "Linket til spørgeskemaet findes ikke" in page.get_data(as_text=True)


def test_round_not_yet_open_and_closed(client, make_round, make_org):
    org = make_org()
    planned = make_round(units=list(org.values()), opens=utcnow() + timedelta(days=2))
    closed = make_round(units=list(org.values()), opens=utcnow() - timedelta(days=40),
                        closes=utcnow() - timedelta(days=10))
    page = client.get(f"/s/{_link(planned).slug}")
    assert page.status_code == 403 and "Spørgeskemaet er ikke åbnet endnu" in page.get_data(as_text=True)
    page = client.post(f"/s/{_link(closed).slug}", data=_answers(responses.new_idempotency_key()))
    assert page.status_code == 410 and "Spørgeskemaet er lukket" in page.get_data(as_text=True)
    assert _count() == 0


def test_inactive_afsnit_gets_a_clear_page(client, make_round):
    round_ = make_round()
    link = _link(round_)
    _, key = _form(client, link.slug)
    link.unit.active = False
    db.session.commit()
    page = client.post(f"/s/{link.slug}", data=_answers(key))
    assert page.status_code == 410
    assert "Dette afsnit deltager ikke længere" in page.get_data(as_text=True)
    assert _count() == 0


def test_english_error_page_for_a_closed_round(client, make_round):
    round_ = make_round(opens=utcnow() - timedelta(days=40), closes=utcnow() - timedelta(days=10))
    page = client.get(f"/s/{_link(round_).slug}?lang=en")
    assert page.status_code == 410 and "The survey has closed" in page.get_data(as_text=True)


def test_afsnit_taken_out_of_the_round_gets_the_inactive_page(client, make_round):
    round_ = make_round()
    link = _link(round_)
    round_.units.remove(link.unit)
    db.session.commit()
    page = client.get(f"/s/{link.slug}")
    assert page.status_code == 410 and "Dette afsnit deltager ikke længere" in page.get_data(as_text=True)


def test_questionnaire_is_loaded_once_per_worker_and_the_page_needs_few_queries(client, make_round):
    from tests.results_helpers import count_queries

    slug = _link(make_round()).slug
    _form(client, slug)  # the first view loads the questionnaire with its items, scales and options
    with count_queries() as counter:
        html, key = _form(client, slug)
    assert counter[0] <= 3  # the link with its round and afsnit, and whether the afsnit still takes part
    assert "Jeg ville føle mig tryg, hvis jeg var patient her" in html
    with count_queries() as counter:
        assert client.post(f"/s/{slug}", data=_answers(key)).status_code in (302, 303)
    assert counter[0] <= 8 and _count() == 1 and _count(Answer) == 3
