"""Patients answer "Hvad er vigtigt for dig?" at the afsnit's link: language picker, one question per screen,
free text stored exactly as written, CPR numbers refused kindly, and the ward kiosk that keeps nothing."""
import re
from datetime import timedelta

import pytest
from flask_babel import refresh
from markupsafe import escape
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.i18n import PATIENT_LANGUAGES
from surveyapp.models import Answer, Response, Unit
from surveyapp.timeutil import utcnow
from tests.conftest import PASSWORD

QUESTIONNAIRE = "hvad-er-vigtigt-for-dig"


@pytest.fixture
def patient_round(make_round):
    return make_round(questionnaire=QUESTIONNAIRE, link_kinds=("open", "kiosk"))


def _link(round_, kind="open"):
    return next(link for link in round_.links if link.kind == kind)


def _key(html):
    return re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', html).group(1)


def _count(model=Response):
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def _stored_text():
    db.session.remove()
    return db.session.scalar(select(Answer.text).where(Answer.text.is_not(None)))


def _answer(client, slug, text="", scale="4", lang="da"):
    """Walk the screens as a browser does: language, question 1, next, question 2, send."""
    first = client.get(f"/s/{slug}", query_string={"lang": lang})
    key = _key(first.get_data(as_text=True))
    second = client.post(f"/s/{slug}?lang={lang}", data={"idempotency_key": key, "step": "0", "go": "next",
                                                         "item_tryg_indlagt": scale})
    assert second.status_code == 200
    return key, client.post(f"/s/{slug}?lang={lang}", data={
        "idempotency_key": key, "step": "1", "go": "send", "item_tryg_indlagt": scale,
        "item_vigtigt_for_dig": text})


def test_first_screen_is_the_language_picker_with_names_in_their_own_language(client, patient_round):
    html = client.get(f"/s/{_link(patient_round).slug}").get_data(as_text=True)
    assert "Vælg dit sprog" in html
    for code, name in [("da", "Dansk"), ("en", "English"), ("de", "Deutsch"), ("pl", "Polski"),
                       ("uk", "Українська"), ("ar", "العربية")]:
        assert re.search(rf'href="/s/{_link(patient_round).slug}\?lang={code}" lang="{code}"', html)
        assert f'<span class="language-name">{name}</span>' in html
    assert "<img" not in html and "flag" not in html.lower()
    assert "item_tryg_indlagt" not in html


@pytest.mark.parametrize("lang", PATIENT_LANGUAGES)
def test_each_language_renders_the_question_with_its_direction(client, patient_round, lang):
    slug = _link(patient_round).slug
    direction = "rtl" if lang == "ar" else "ltr"
    page = client.get(f"/s/{slug}", query_string={"lang": lang})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    question = patient_round.questionnaire.items[0].label(lang)
    assert question in html
    assert "item_vigtigt_for_dig" not in html  # one question per screen
    _, sent = _answer(client, slug, text="Tak", lang=lang)
    thanks = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in thanks
    db.session.remove()
    assert db.session.scalar(select(Response.language)) == lang


def test_nothing_is_stored_before_the_last_screen_and_the_answers_ride_along(client, patient_round):
    slug = _link(patient_round).slug
    key = _key(client.get(f"/s/{slug}?lang=da").get_data(as_text=True))
    second = client.post(f"/s/{slug}?lang=da", data={"idempotency_key": key, "step": "0", "go": "next",
                                                     "item_tryg_indlagt": "5"})
    html = second.get_data(as_text=True)
    assert "Spørgsmål 2 af 2" in html and "Skriv ikke navne eller CPR-numre." in html
    assert '<input type="hidden" name="item_tryg_indlagt" value="5">' in html
    assert 'autocomplete="off"' in html and "maxlength" not in html
    assert _count() == 0
    back = client.post(f"/s/{slug}?lang=da", data={"idempotency_key": key, "step": "1", "go": "back",
                                                   "item_tryg_indlagt": "5", "item_vigtigt_for_dig": "Ro"})
    html = back.get_data(as_text=True)
    assert "Spørgsmål 1 af 2" in html and 'value="5" checked' in html
    assert '<input type="hidden" name="item_vigtigt_for_dig" value="Ro">' in html
    assert _count() == 0


def test_the_first_question_must_be_answered_before_next(client, patient_round):
    slug = _link(patient_round).slug
    key = _key(client.get(f"/s/{slug}?lang=en").get_data(as_text=True))
    page = client.post(f"/s/{slug}?lang=en", data={"idempotency_key": key, "step": "0", "go": "next"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Choose an answer to this question." in html and 'href="#item_tryg_indlagt-legend"' in html
    assert "Question 1 of 2" in html


def test_a_double_submit_stores_one_response(client, patient_round):
    slug = _link(patient_round).slug
    key, first = _answer(client, slug, text="Ro om natten")
    again = client.post(f"/s/{slug}?lang=da", data={"idempotency_key": key, "step": "1", "go": "send",
                                                    "item_tryg_indlagt": "4", "item_vigtigt_for_dig": "Ro"})
    assert first.status_code == again.status_code == 303
    assert _count() == 1 and _stored_text() == "Ro om natten"


FREE_TEXTS = {
    "emoji": "Rolige nætter 😴🛏️ og en hånd at holde 🤝👍🏽",
    "rtl": "أريد أن أنام جيدًا في الليل. شكرًا للممرضات",
    "mixed": "Mere ro ‏שקט‏ 夜は静かに — Українська: тиша вночі",
    "html": '<script>alert("x")</script><b onmouseover="alert(1)">fed</b> & "citat" \'enkelt\' </textarea>',
    "long": ("Ø" * 9_999) + "!",
    "newlines": "Første linje\r\n\r\nAnden linje\r\n\ttabulator",
}


def _coordinator_reads(app, make_user, round_id, unit_id) -> str:
    """The afsnit's free-text page as its coordinator sees it, from a browser of their own, once the round
    has closed (free texts are released then)."""
    from surveyapp.models import Round
    from tests.results_helpers import close_round

    close_round(db.session.get(Round, round_id))
    db.session.commit()
    unit = db.session.get(Unit, unit_id)
    coordinator = make_user("coordinator", units=[unit])
    browser = app.test_client()
    assert browser.post("/login", data={"email": coordinator.email, "password": PASSWORD}).status_code == 302
    page = browser.get(f"/koordinator/runde/{round_id}/enhed/{unit.code}/fritekst")
    assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.mark.parametrize("name", FREE_TEXTS)
def test_free_text_is_stored_exactly_and_shown_escaped_to_the_afsnits_coordinator(app, patient_round, make_user,
                                                                                   name):
    text = FREE_TEXTS[name]
    link = _link(patient_round)
    round_id, unit_id = patient_round.id, link.unit_id
    _, sent = _answer(app.test_client(), link.slug, text=text, lang="ar" if name == "rtl" else "da")
    assert sent.status_code == 303
    assert _stored_text() == text
    html = _coordinator_reads(app, make_user, round_id, unit_id)
    assert "<script>alert" not in html and "<b onmouseover" not in html
    assert str(escape(text)) in html


def _send(client, slug, key, text, scale="2", lang="da"):
    return client.post(f"/s/{slug}?lang={lang}", data={"idempotency_key": key, "step": "1", "go": "send",
                                                      "item_tryg_indlagt": scale, "item_vigtigt_for_dig": text})


@pytest.mark.parametrize("cpr", ["010190-1234", "0101901234", "Min far 311299-4321 har brug for hjælp"])
def test_a_cpr_number_is_refused_kindly_and_the_other_answers_kept(client, patient_round, cpr):
    slug = _link(patient_round).slug
    key = _key(client.get(f"/s/{slug}?lang=da").get_data(as_text=True))
    page = _send(client, slug, key, f"Søde sygeplejersker. {cpr}")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Det ser ud til, at din tekst indeholder et CPR-nummer. Fjern det, før du sender." in html
    assert "intet gemmes, før du sender." in html
    assert '<input type="hidden" name="item_tryg_indlagt" value="2">' in html  # the first answer is kept
    assert f"Søde sygeplejersker. {cpr}</textarea>" in html  # the text too, to edit
    assert _count() == 0
    fixed = _send(client, slug, key, "Søde sygeplejersker.")
    assert fixed.status_code == 303 and _count() == 1 and _stored_text() == "Søde sygeplejersker."


def test_a_cpr_refusal_speaks_the_patients_language(client, patient_round):
    slug = _link(patient_round).slug
    key = _key(client.get(f"/s/{slug}?lang=ar").get_data(as_text=True))
    html = _send(client, slug, key, "0101901234", lang="ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html and "يبدو أن نصك يحتوي على رقم CPR" in html


def test_a_number_that_is_no_cpr_number_is_accepted(client, patient_round):
    slug = _link(patient_round).slug
    key = _key(client.get(f"/s/{slug}?lang=da").get_data(as_text=True))
    assert _send(client, slug, key, "Stue 12, seng 3, ring 1813 - tlf. 70 15 07 08").status_code == 303


def test_a_text_over_the_limit_gets_a_clear_message_and_is_kept(client, patient_round):
    slug = _link(patient_round).slug
    key = _key(client.get(f"/s/{slug}?lang=da").get_data(as_text=True))
    page = _send(client, slug, key, "x" * 10_001)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Skriv højst 10000 tegn." in html
    assert "x" * 10_001 in html and _count() == 0


def test_the_staff_survey_stays_on_one_page(client, make_round):
    link = make_round().links[0]
    html = client.get(f"/s/{link.slug}").get_data(as_text=True)
    assert html.count("<fieldset") == 7 and "Vælg dit sprog" not in html and "patient.css" not in html


def test_a_staff_comment_with_a_cpr_number_is_refused_too(client, make_round):
    link = make_round().links[0]
    html = client.get(f"/s/{link.slug}").get_data(as_text=True)
    key = _key(html)
    data = {"idempotency_key": key, **{f"item_{code}": "4" for code in
                                       ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")},
            "item_kommentar": "Patient 120345-6789 faldt"}
    page = client.post(f"/s/{link.slug}", data=data)
    assert page.status_code == 422 and "CPR-nummer" in page.get_data(as_text=True)
    assert _count() == 0


def test_an_unknown_link_speaks_the_patients_language(client):
    page = client.get("/s/nosuchlink?lang=ar")
    html = page.get_data(as_text=True)
    assert page.status_code == 404
    assert '<html lang="ar" dir="rtl">' in html and "رابط الاستبيان هذا غير موجود" in html


def test_a_closed_kiosk_speaks_the_patients_language_and_links_nowhere(client, make_round, patient_round):
    closed = make_round(questionnaire=QUESTIONNAIRE, units=list(patient_round.units),
                        opens=utcnow() - timedelta(days=3), closes=utcnow() - timedelta(days=1), link_kinds=("kiosk",))
    page = client.get(f"/s/{_link(closed, 'kiosk').slug}?lang=uk")
    html = page.get_data(as_text=True)
    assert page.status_code == 410 and '<html lang="uk" dir="ltr">' in html and "Опитування завершено" in html
    assert "patient.css" in html and "/login" not in html


def test_the_kiosk_starts_every_patient_afresh_and_keeps_nothing(client, patient_round):
    slug = _link(patient_round, "kiosk").slug
    start = client.get(f"/s/{slug}")
    assert start.headers["Cache-Control"] == "no-store" and "Vælg dit sprog" in start.get_data(as_text=True)
    refresh()  # the tests' requests share one app context, where Flask-Babel keeps the locale
    first_key, sent = _answer(client, slug, text="Min hemmelighed: mere kaffe", lang="pl")
    thanks = client.get(sent.headers["Location"])
    html = thanks.get_data(as_text=True)
    assert thanks.headers["Cache-Control"] == "no-store"
    assert f'<meta http-equiv="refresh" content="8;url=/s/{slug}">' in html  # back to the start by itself
    assert "Dziękujemy za odpowiedź" in html and "kaffe" not in html
    # The next patient: the language picker again (not in the last patient's language), a new key, an empty form.
    refresh()
    again = client.get(f"/s/{slug}").get_data(as_text=True)
    assert '<html lang="da"' in again and "Vælg dit sprog" in again
    form = client.get(f"/s/{slug}?lang=da").get_data(as_text=True)
    assert _key(form) != first_key and "checked" not in form and "kaffe" not in form
    second_key, _ = _answer(client, slug, text="Ro", lang="da")
    assert second_key != first_key and _count() == 2


def test_the_kiosk_pages_link_nowhere_else_in_the_app(client, patient_round):
    slug = _link(patient_round, "kiosk").slug
    pages = [client.get(f"/s/{slug}"), client.get(f"/s/{slug}?lang=de")]
    key = _key(pages[-1].get_data(as_text=True))
    pages.append(client.post(f"/s/{slug}?lang=de", data={"idempotency_key": key, "step": "0", "go": "next",
                                                         "item_tryg_indlagt": "3"}))
    pages.append(_send(client, slug, key, "0101901234", lang="de"))
    sent = _send(client, slug, key, "Danke", lang="de")
    pages.append(client.get(sent.headers["Location"]))
    for page in pages:
        html = page.get_data(as_text=True)
        links = re.findall(r'(?:href|action)="([^"#]+)"', html)
        assert all(link.startswith(f"/s/{slug}") or link.startswith("/static/") for link in links), links
        assert "site-header" not in html and "/login" not in html


def test_a_kiosk_question_left_alone_returns_to_the_start(client, patient_round):
    slug = _link(patient_round, "kiosk").slug
    html = client.get(f"/s/{slug}?lang=en").get_data(as_text=True)
    assert f'<meta http-equiv="refresh" content="900;url=/s/{slug}">' in html
    assert "http-equiv" not in client.get(f"/s/{_link(patient_round).slug}?lang=en").get_data(as_text=True)


def test_a_patient_phone_link_shows_thanks_again_and_offers_a_new_start(client, patient_round):
    slug = _link(patient_round).slug
    _, sent = _answer(client, slug, text="Tak", lang="da")
    thanks = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "http-equiv" not in thanks and f"/s/{slug}?new=1" in thanks
    assert "Tak for din besvarelse" in client.get(f"/s/{slug}?lang=da").get_data(as_text=True)  # the back button
    assert "Vælg dit sprog" in client.get(f"/s/{slug}?new=1").get_data(as_text=True)


def test_a_step_posted_again_from_the_history_after_the_submit_shows_no_answers(client, patient_round):
    """A kiosk's back button and "resend": a screen of a patient who has sent their answer replays as the
    thank-you page, never as their answers."""
    slug = _link(patient_round, "kiosk").slug
    key, _ = _answer(client, slug, text="Privat tekst", scale="1")
    replay = client.post(f"/s/{slug}?lang=da", data={"idempotency_key": key, "step": "0", "go": "next",
                                                     "item_tryg_indlagt": "1", "item_vigtigt_for_dig": "Privat tekst"})
    assert replay.status_code == 303 and replay.headers["Location"].endswith(f"/s/{slug}/tak")
    assert "Privat tekst" not in client.get(replay.headers["Location"]).get_data(as_text=True)
    assert _count() == 1
