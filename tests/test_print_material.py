"""Print material only for rounds that take answers: posters, table tents and answer-code cards say until when
("Svar senest <date>"), and a closed round gets none of them, on screen, as a download or from the CLI."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import CollectionLink
from surveyapp.services.collection import posters
from surveyapp.services.collection.materials import RoundClosed, printable
from surveyapp.services.collection.responses import create_codes
from surveyapp.timeutil import last_day, utcnow
from tests.test_posters import open_link, pdf_text

CLOSED_MESSAGE = "Runden er lukket og tager ikke imod flere svar, så der er intet at printe til den."


# --- the rules ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("closes_at_utc, expected", [
    (datetime(2026, 12, 28, 23, 0), date(2026, 12, 28)),   # midnight Danish time: the 28th is the last day
    (datetime(2026, 12, 28, 22, 59), date(2026, 12, 28)),  # 23:59, as a patient day or an import closes
    (datetime(2026, 12, 28, 0, 0), date(2026, 12, 27)),    # 01:00 on the 28th: over before the day begins
    (datetime(2026, 12, 28, 15, 0), date(2026, 12, 28)),   # 16:00: the 28th still takes answers
    (datetime(2026, 12, 28, 11, 0), date(2026, 12, 27)),   # closed at noon: the 27th was the last full day
    (datetime(2026, 6, 30, 22, 0), date(2026, 6, 30)),     # midnight in summer time (UTC+2)
])
def test_last_day_is_the_last_danish_day_the_round_is_open_at_noon(closes_at_utc, expected):
    assert last_day(closes_at_utc) == expected


def test_planned_and_open_rounds_get_print_material_and_closed_ones_do_not(make_round):
    now = utcnow()
    round_ = make_round(opens=now + timedelta(days=1), closes=now + timedelta(days=10))
    assert printable(round_, now) and printable(round_, now + timedelta(days=2))
    assert not printable(round_, now + timedelta(days=10))


# --- what is printed ------------------------------------------------------------------------------------------

def _round(make_round, questionnaire="patientsikkerhedskultur", **kwargs):
    # Closes at midnight Danish time after 28 December 2026 (23:00 UTC).
    return make_round(questionnaire=questionnaire, opens=utcnow() - timedelta(days=1),
                      closes=datetime(2030, 12, 28, 23, 0), **kwargs)


def test_staff_poster_and_answer_code_cards_say_answer_by_the_last_day(make_round):
    round_ = _round(make_round, link_kinds=("open", "code"))
    assert "Svar senest 28. december 2030" in pdf_text(posters.poster_pdf(open_link(round_, "H-A1")))
    unit = open_link(round_, "H-A1").unit
    cards = pdf_text(posters.code_cards_pdf(round_, unit))
    assert "Svar senest 28. december 2030" in cards


def test_patient_poster_and_table_tent_say_it_in_danish_and_in_every_language(make_round):
    round_ = _round(make_round, questionnaire="hvad-er-vigtigt-for-dig")
    link = open_link(round_, "H-A1")
    poster = " ".join(pdf_text(posters.poster_pdf(link)).split())
    assert "Svar senest 28. december 2030" in poster
    assert "Answer by December 28, 2030" in poster
    assert "Antworten Sie bis 28. Dezember 2030" in poster
    tent = " ".join(pdf_text(posters.poster_pdf(link, "a5")).split())
    assert tent.count("Svar senest 28. december 2030") == 2 and tent.count("Answer by December 28, 2030") == 2


# --- a closed round gets none ---------------------------------------------------------------------------------

@pytest.fixture
def closed_round(make_round):
    return make_round(link_kinds=("open", "code"), opens=utcnow() - timedelta(days=30),
                      closes=utcnow() - timedelta(days=1))


def test_the_services_refuse_a_closed_round(closed_round):
    link = open_link(closed_round, "H-A1")
    for make in (lambda: posters.poster_pdf(link), lambda: posters.pack_pdf(closed_round),
                 lambda: posters.code_cards_pdf(closed_round, link.unit),
                 lambda: create_codes(closed_round, link.unit, 5)):
        with pytest.raises(RoundClosed):
            make()


def test_cli_codes_and_posters_for_a_closed_round_exit_1_with_one_line(runner, closed_round, tmp_path):
    codes_before = db.session.scalar(select(func.count()).select_from(CollectionLink))
    for args in (["codes", "--round", str(closed_round.id), "--unit", "H-A1", "--count", "3"],
                 ["posters", "--round", str(closed_round.id), "--out", str(tmp_path / "p.pdf")],
                 ["posters", "--round", str(closed_round.id), "--out", str(tmp_path / "p.pdf"), "--codes"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, result.output
        assert result.output.count("\n") == 1 and "is closed and takes no more answers" in result.output, args
    assert not (tmp_path / "p.pdf").exists()
    assert db.session.scalar(select(func.count()).select_from(CollectionLink)) == codes_before


def test_the_poster_and_card_downloads_refuse_a_closed_round_with_a_clear_message(client, login_as, closed_round):
    link = open_link(closed_round, "H-A1")
    login_as("coordinator", units=[link.unit.parent])
    downloads = f"/koordinator/download/runde/{closed_round.id}"
    for response in (client.get(f"/koordinator/plakater/link/{link.id}.pdf"),
                     client.get(f"/koordinator/plakater/runde/{closed_round.id}.pdf"),
                     client.get(f"/koordinator/plakater/runde/{closed_round.id}.pdf?codes=1"),
                     client.get(f"/koordinator/plakater/runde/{closed_round.id}/afsnit/{link.unit.id}/svarkoder.pdf"),
                     client.post(f"/koordinator/plakater/runde/{closed_round.id}/svarkoder",
                                 data={"unit": link.unit.id, "count": 5})):
        assert response.status_code == 303 and response.headers["Location"].endswith(downloads)
        assert response.mimetype != "application/pdf"
    page = client.get(downloads).get_data(as_text=True)
    assert CLOSED_MESSAGE in page
    assert "/koordinator/plakater/" not in page  # no poster pack, no answer-code form
    home = client.get("/koordinator/").get_data(as_text=True)
    assert f"/koordinator/plakater/runde/{closed_round.id}.pdf" not in home
    materials = client.get("/koordinator/afsnit/H-A1/materialer").get_data(as_text=True)
    assert CLOSED_MESSAGE in materials and "/koordinator/plakater/" not in materials


def test_an_open_round_still_offers_its_print_material(client, login_as, make_round):
    round_ = make_round(link_kinds=("open", "code"))
    link = open_link(round_, "H-A1")
    login_as("coordinator", units=[link.unit.parent])
    page = client.get(f"/koordinator/download/runde/{round_.id}").get_data(as_text=True)
    assert f"/koordinator/plakater/runde/{round_.id}.pdf" in page and CLOSED_MESSAGE not in page
    assert client.get(f"/koordinator/plakater/link/{link.id}.pdf").mimetype == "application/pdf"
