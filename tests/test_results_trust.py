"""Results shown as a statistician would (issue 12): each rule with hand-made counts on the pure functions,
and once through the pages or downloads."""
import io
from datetime import datetime

import pypdf
import pytest

from surveyapp.extensions import db
from surveyapp.formatting import p_value, percent
from surveyapp.scoring import (FISHER_TEST, Z_TEST, Tally, challenges, display_percent, score,
                               two_proportion_test, weakest)
from tests.results_helpers import add_responses

ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op", "let_at_spoerge",
         "svaert_at_sige_til", "forbedringer_bruges")


def scores_of(*pairs, target=0.8):
    return {code: score(Tally(n, positive), target) for code, (positive, n) in pairs}


# --- 2. Biggest challenges -------------------------------------------------------------------------------

def test_challenges_are_the_three_lowest_lowest_first_with_ties_in_questionnaire_order():
    scores = scores_of(("a", (9, 10)), ("b", (1, 3)), ("c", (5, 10)), ("d", (2, 6)), ("e", (1, 2)))
    ranked = challenges(scores)
    assert ranked.lowest == ("b", "d", "c")  # 1 of 3 ties with 2 of 6: b comes first in the questionnaire
    assert weakest(scores) == ["b", "d", "c"]
    assert ranked.below_target == {"b", "d", "c"} and not ranked.all_meet


def test_only_items_below_the_target_are_challenges():
    ranked = challenges(scores_of(("a", (9, 10)), ("b", (8, 10)), ("c", (5, 10)), ("d", (10, 10))))
    assert ranked.lowest == ("c", "b", "a") and ranked.below_target == {"c"} and not ranked.all_meet


def test_when_every_item_meets_the_target_the_lowest_are_no_challenges():
    ranked = challenges(scores_of(("a", (9, 10)), ("b", (8, 10)), ("c", (10, 10)), ("d", (17, 20))))
    assert ranked.lowest == ("b", "d", "a") and ranked.below_target == frozenset() and ranked.all_meet


# --- 4. Rounding -----------------------------------------------------------------------------------------

def test_percentages_round_half_up():
    assert str(display_percent(26 / 32 * 100)) == "81.3"  # 81,25 %, as Excel and LibreOffice show it
    assert str(display_percent(62.5, 0)) == "63" and str(display_percent(0.05 * 100 / 10)) == "0.5"
    assert percent(26 / 32 * 100, locale="da") == "81,3\xa0%"
    assert percent(5 / 8 * 100, locale="da") == "62,5\xa0%"  # a response rate: one decimal, not "62 %"


def test_a_share_below_the_target_never_shows_as_the_target():
    share = 323 / 404 * 100  # 79,95 %
    assert str(display_percent(share, 1, 80)) == "79.9"
    assert percent(share, locale="da", target=80) == "79,9\xa0%"
    assert percent(79.999, locale="da", target=80) == "79,9\xa0%"
    assert percent(80.0, locale="da", target=80) == "80,0\xa0%"  # exactly at the target it meets it
    assert percent(share, locale="da") == "80,0\xa0%"  # without a target (no mark) it rounds half up
    assert not score(Tally(404, 323), 0.8).met


# --- 5. Change since the previous round -------------------------------------------------------------------

def test_small_groups_are_tested_with_fishers_exact_test():
    change = two_proportion_test(Tally(5, 5), Tally(5, 2))
    assert change.test == FISHER_TEST and change.p_value == pytest.approx(1 / 6) and not change.significant
    assert p_value(change.p_value, locale="da") == "p = 0,17"


def test_large_groups_keep_the_z_test():
    change = two_proportion_test(Tally(200, 100), Tally(200, 160))
    assert change.test == Z_TEST and change.significant and p_value(change.p_value, locale="da") == "p < 0,001"
    # One expected count under 5 is enough for the exact test: 40 of 40 and 36 of 40 expect 2 "no" each.
    assert two_proportion_test(Tally(40, 40), Tally(40, 36)).test == FISHER_TEST


# --- Through the pages and the PDF -------------------------------------------------------------------------

def staff(values: dict) -> dict:
    # Defaults: agree, and disagree for the reverse-scored "svært at sige til" (positive both).
    return {code: values.get(code, 2 if code == "svaert_at_sige_til" else 4) for code in ITEMS}


@pytest.fixture
def closed_rounds(make_round, make_org):
    """A closed baseline and a closed follow-up round on one small hospital (results released)."""
    org = make_org("T")
    units = list(org.values())
    before = make_round(units=units, name="Før", opens=datetime(2025, 3, 1), closes=datetime(2025, 4, 1))
    now = make_round(units=units, name="Nu", opens=datetime(2026, 3, 1), closes=datetime(2026, 4, 1))
    return org, before, now


def unit_page(client, round_, code):
    response = client.get(f"/koordinator/runde/{round_.id}/enhed/{code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_unit_page_and_pdf_list_challenges_lowest_first_with_exact_test_and_rounding(
        client, login_as, closed_rounds):
    org, before, now = closed_rounds
    ward = org["T-A1"]
    # tryg: 5 of 5 before, 2 of 5 now (Fisher p = 0,167, could be chance); let_at_spoerge 4 of 5 (80 %);
    # laere 3 of 5, ledelse 1 of 5: lowest first ledelse, tryg, laere.
    add_responses(before, ward, [staff({"tryg_som_patient": 5}) for _ in range(5)])
    add_responses(now, ward, [staff({"tryg_som_patient": 5 if i < 2 else 2, "laere_af_haendelser": 4 if i < 3 else 2,
                                     "ledelse_foelger_op": 4 if i < 1 else 1,
                                     "let_at_spoerge": 4 if i < 4 else 2}) for i in range(5)])
    db.session.commit()
    login_as("admin")
    html = unit_page(client, now, ward.code)
    section = html[html.index("Største udfordringer"):html.index("<h2>Alle spørgsmål")]
    order = [section.index(text) for text in ("Hvis jeg kom med forslag", "Jeg ville føle mig tryg",
                                              "Kulturen her hos os")]
    assert order == sorted(order) and section.count('<span aria-hidden="true">✗</span>') == 3 and "▲" not in section
    assert "Fishers eksakte test" in html and "p = 0,17" in html and "p = &lt;" not in html
    assert "kan skyldes tilfældigheder" in html

    pdf = client.get(f"/koordinator/download/runde/{now.id}/rapport/{ward.id}.pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split())
    challenges_text = text[text.index("De tre største udfordringer"):]
    assert challenges_text.index("Hvis jeg kom med forslag") < challenges_text.index("Jeg ville føle mig tryg")
    assert "Fishers eksakte test" in text


def test_unit_page_marks_every_challenge_as_meeting_the_target_when_all_do(client, login_as, closed_rounds):
    org, _before, now = closed_rounds
    add_responses(now, org["T-A1"], [staff({}) for _ in range(6)])
    db.session.commit()
    login_as("admin")
    html = unit_page(client, now, "T-A1")
    section = html[html.index("Største udfordringer"):html.index("<h2>Alle spørgsmål")]
    # One meaning: the three lowest are the challenges even when every item meets the target, each marked ✓.
    assert section.count('<span aria-hidden="true">✓</span>') == 3 and '<span aria-hidden="true">✗</span>' not in section
    assert "(laveste)" not in section and "▲" not in section


def test_dashboard_shows_a_share_just_below_the_target_below_it(client, login_as, make_round, make_org):
    org = make_org("R")
    now = make_round(units=list(org.values()), name="Nu", opens=datetime(2026, 3, 1), closes=datetime(2026, 4, 1))
    # 323 of 404 feel safe: 79,95 %.
    add_responses(now, org["R-A1"], [staff({"tryg_som_patient": 4 if i < 323 else 2}) for i in range(404)])
    db.session.commit()
    login_as("admin")
    html = client.get(f"/koordinator/runde/{now.id}").get_data(as_text=True)
    assert "79,9\xa0% <span aria-hidden=\"true\">✗" in html and "80,0\xa0% <span aria-hidden=\"true\">✗" not in html


# --- 8. Numbers that look wrong -------------------------------------------------------------------------

def test_a_response_rate_above_100_percent_looks_wrong():
    from surveyapp.scoring import rate_looks_wrong

    assert rate_looks_wrong(12 / 10 * 100) and not rate_looks_wrong(100.0) and not rate_looks_wrong(None)


def test_dashboard_flags_more_responses_than_staff(client, login_as, make_round, make_org):
    org = make_org("F")
    org["F-A1"].headcount = 4
    db.session.commit()
    now = make_round(units=list(org.values()), name="Nu", opens=datetime(2026, 3, 1), closes=datetime(2026, 4, 1))
    add_responses(now, org["F-A1"], [staff({}) for _ in range(6)])
    db.session.commit()
    login_as("admin")
    html = client.get(f"/koordinator/runde/{now.id}").get_data(as_text=True)
    row = html[html.index("/enhed/F-A1\""):].split("</tr>")[0]
    assert "150,0\xa0%" in row and "flere svar end medarbejdere: tjek medarbejdertallet" in row
    assert "flere svar end medarbejdere" in unit_page(client, now, "F-A1")


def test_admin_units_count_the_responses_below_a_sygehus_and_afdeling(client, login_as, make_round, make_org):
    from surveyapp.services.admin.units import tree

    org = make_org("U")
    now = make_round(units=list(org.values()), name="Nu")
    add_responses(now, org["U-A1"], [staff({}) for _ in range(3)])
    add_responses(now, org["U-B2"], [staff({}) for _ in range(2)])
    db.session.commit()
    admin = login_as("admin")
    counts = {row.code: row.responses for row in tree(admin)}
    assert counts == {"U": 5, "U-A": 3, "U-A1": 3, "U-A2": 0, "U-B": 2, "U-B1": 0, "U-B2": 2}
    html = client.get("/admin/units").get_data(as_text=True)
    hospital = html[html.index(">Sygehus U<"):].split("</tr>")[0]
    assert '<td class="num" data-label="Besvarelser">5</td>' in hospital


def test_api_n_is_zero_when_every_answer_was_ved_ikke_and_raw_files_tell_it_from_unanswered(
        client, login_as, make_round, make_org):
    import csv

    from surveyapp.services.admin.tokens import create_token

    org = make_org("V")
    now = make_round(units=list(org.values()), name="Nu", opens=datetime(2026, 3, 1), closes=datetime(2026, 4, 1))
    answers = [staff({"let_at_spoerge": None}) for _ in range(5)]  # every "let at spørge" answer: ved ikke
    answers[0].pop("forbedringer_bruges")  # one left unanswered
    add_responses(now, org["V-A1"], answers)
    _token, secret = create_token("BI", can_read_raw=True)
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    rows = client.get(f"/api/v1/rounds/{now.id}/results?level=afsnit&limit=100", headers=headers).get_json()["items"]
    row = next(r for r in rows if r["unit_code"] == "V-A1" and r["item_code"] == "let_at_spoerge")
    assert (row["n"], row["positive"], row["percent"], row["suppressed"]) == (0, 0, None, False)
    assert row["target"] == 0.8

    login_as("admin")
    raw = client.get(f"/koordinator/download/runde/{now.id}/svar.csv?format=plain")
    assert raw.headers["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.DictReader(io.StringIO(raw.get_data(as_text=True))))
    assert {line["let_at_spoerge"] for line in lines} == {"9"}  # the scale's "Ved ikke / ikke relevant"
    assert sorted(line["forbedringer_bruges"] for line in lines) == ["", "4", "4", "4", "4"]
    results = client.get(f"/koordinator/download/runde/{now.id}/resultater.csv?format=plain")
    header = results.get_data(as_text=True).splitlines()[0].split(",")
    assert "target_percent" in header and "target" not in header


def test_openapi_documents_the_csv_400_and_the_decoded_options(client):
    from surveyapp.services.admin.tokens import create_token

    spec = client.get("/api/v1/openapi.json").get_json()
    assert "400" in spec["paths"]["/rounds/{round_id}/results.csv"]["get"]["responses"]
    _token, secret = create_token("BI", can_read_raw=False)
    db.session.commit()
    found = client.get("/api/v1/questionnaires/patientsikkerhedskultur",
                       headers={"Authorization": f"Bearer {secret}"}).get_json()
    reverse = next(i for i in found["items"] if i["code"] == "svaert_at_sige_til")
    plain = next(i for i in found["items"] if i["code"] == "let_at_spoerge")
    assert reverse["reverse"] is True and plain["reverse"] is False
    positive = lambda item: [o["value"] for o in item["options"] if o["positive"]]  # noqa: E731
    assert positive(plain) == [4, 5] and positive(reverse) == [1, 2]
    assert [o["value"] for o in reverse["options"] if o["not_applicable"]] == [9]


def test_reversed_options_are_mirrored_on_the_scale():
    from surveyapp.scoring import decoded_options

    options = [(1, False, False), (2, False, False), (3, False, False), (4, True, False), (5, True, False),
               (9, False, True)]
    assert decoded_options(options, reverse=False) == {1: False, 2: False, 3: False, 4: True, 5: True, 9: False}
    assert decoded_options(options, reverse=True) == {1: True, 2: True, 3: False, 4: False, 5: False, 9: False}


# --- 3. Reverse-scored items ------------------------------------------------------------------------------

def test_a_reverse_scored_item_is_shown_as_positive_answers_with_a_note(client, login_as, closed_rounds):
    import openpyxl

    org, _before, now = closed_rounds
    add_responses(now, org["T-A1"], [staff({"svaert_at_sige_til": 1 if i < 4 else 5}) for i in range(6)])
    db.session.commit()
    login_as("admin")
    html = unit_page(client, now, "T-A1")
    table = html[html.index("<h2>Alle spørgsmål"):]
    assert ">Positive svar</th>" in table and ">Enig</th>" not in table
    row = table[table.index("Det er svært at sige til"):].split("</tr>")[0]
    assert "omvendt spørgsmål: uenig tæller som positivt svar" in row and "66,7\xa0%" in row  # 4 of 6 disagree
    chart = html[html.index("<figure"):html.index("</figure>")]
    assert "Det er svært at sige til" in chart and "omvendt spørgsmål" in chart and "„uenig“ og „helt uenig“" in chart
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/koordinator/download/runde/{now.id}/resultater.xlsx").data))
    texts = {cell.value for sheet in workbook.worksheets for cell in sheet["G"]}
    assert any(t and t.startswith("Det er svært at sige til") and "uenig tæller som positivt" in t for t in texts)
    pdf = client.get(f"/koordinator/download/runde/{now.id}/rapport/{org['T-A1'].id}.pdf")
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert "omvendt spørgsmål: uenig tæller som positivt svar" in text


# --- 9. The key items' labels as NSR uses them ---------------------------------------------------------------

def test_the_builtin_questionnaire_labels_the_key_items_as_the_strategy_does(app):
    from surveyapp.services import questionnaires

    first, second = questionnaires.find("patientsikkerhedskultur", 1), questionnaires.find("patientsikkerhedskultur")
    assert second.version == 2 and [i.code for i in second.items] == [i.code for i in first.items]
    labels = {i.code: f"{i.dimension}: {i.text['da']}" for i in second.items if i.key}
    assert labels == {
        "tryg_som_patient": "Samarbejdsklima: Jeg ville føle mig tryg, hvis jeg var patient her",
        "laere_af_haendelser": "Sikkerhedsklima: Kulturen her hos os gør det nemt at lære af andres utilsigtede hændelser",
        "ledelse_foelger_op": "Forbedringer: Hvis jeg kom med forslag til patientsikkerheden, ville ledelsen følge op på dem",
    }
    assert next(i for i in first.items if i.code == "tryg_som_patient").dimension == "Sikkerhedsklima"  # as the SAQ


def test_the_api_gives_the_strategy_labels(client):
    from surveyapp.services.admin.tokens import create_token

    _token, secret = create_token("BI", can_read_raw=False)
    db.session.commit()
    found = client.get("/api/v1/questionnaires/patientsikkerhedskultur",
                       headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert found["version"] == 2
    assert next(i for i in found["items"] if i["code"] == "tryg_som_patient")["dimension"] == "Samarbejdsklima"


def test_a_share_below_the_target_gets_the_decimals_that_show_it_in_excel():
    from surveyapp.scoring import decimals_below_target

    assert decimals_below_target(79.95, 80) == 2  # Excel's "0.0%" would show 80,0 %
    assert decimals_below_target(79.995, 80) == 3
    assert decimals_below_target(79.94, 80) == 1 and decimals_below_target(80.0, 80) == 1
    assert decimals_below_target(85.0, 80) == 1 and decimals_below_target(79.95, None) == 1
    assert decimals_below_target(79.99999, 80) == 5 and decimals_below_target(79.999999, 80) == 6  # at most six
