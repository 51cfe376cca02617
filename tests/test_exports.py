"""Result downloads: CSV for a Danish Excel and plain CSV, Excel workbooks; read back and compared with the
results service, suppression per format, scope, formula injection."""
import csv
import io

import pytest
from openpyxl import load_workbook

from surveyapp.extensions import db
from surveyapp.scoring import Tally, score
from surveyapp.services.results.counts import clear_cache, round_results
from surveyapp.services.spreadsheets import EXCEL_DA, PLAIN, Column, Sheet, csv_cell, iter_csv, neutralise, write_xlsx
from tests.results_helpers import add_responses, closed, count_queries, tryg


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture
def staff_round(make_round, org):
    round_ = make_round(**closed(), units=list(org.values()), min_group=5)
    add_responses(round_, org["H-A1"], tryg(5, 4, 4, 3, 2, None))  # 3 of 5 valid positive
    add_responses(round_, org["H-A2"], tryg(5, 5, 5, 5, 4))         # 5 of 5
    add_responses(round_, org["H-B1"], tryg(5, 5))                  # 2: below the threshold
    add_responses(round_, org["H-B2"], tryg(1, 2, 4, 4, 5, 5, 5))   # hidden as cover for H-B1
    db.session.commit()
    return round_


def read_csv(response, delimiter):
    text = response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def expected(round_, level=None):
    return {(r.unit_code, r.item_code): r for r in round_results(round_, level=level)}


def as_float(text, decimal):
    return float(text.replace(decimal, ".")) if text else None


def test_plain_csv_has_the_dashboard_numbers_for_every_level(client, login_as, staff_round):
    login_as("admin")
    response = client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.csv?format=plain")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'attachment; filename="resultater-' in response.headers["Content-Disposition"]
    rows = read_csv(response, ",")
    want = expected(staff_round)
    assert len(rows) == len(want)
    assert {row["level"] for row in rows} == {"sygehus", "afdeling", "afsnit"}  # codes for tools
    for row in rows:
        result = want[(row["unit_code"], row["item_code"])]
        assert as_float(row["percent"], ".") == result.percent
        assert as_float(row["ci_low"], ".") == result.ci_low
        assert (row["n"] or None) == (str(result.n) if result.n is not None else None)
        assert row["suppressed"] == ("true" if result.suppressed else "false")
    a1 = next(r for r in rows if r["unit_code"] == "H-A1" and r["item_code"] == "tryg_som_patient")
    assert (a1["n"], a1["positive"], a1["percent"], a1["met"], a1["target_percent"]) == ("5", "3", "60.0", "false", "80.0")
    by_scoring = score(Tally(5, 3), 0.8)
    assert (float(a1["ci_low"]), float(a1["ci_high"])) == (by_scoring.ci_low, by_scoring.ci_high)


def test_danish_excel_csv_has_bom_semicolons_decimal_commas_and_danish_headers(client, login_as, staff_round):
    login_as("admin")
    response = client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.csv?level=afdeling")
    assert response.data.startswith("\ufeff".encode("utf-8"))
    text = response.get_data(as_text=True)
    header = text.lstrip("\ufeff").split("\r\n")[0]
    assert header.startswith("Niveau;Enhedskode;Enhed;")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    columns = rows[0]
    afdeling_a = next(r for r in rows[1:] if r[1] == "H-A" and r[5] == "tryg_som_patient")
    record = dict(zip(columns, afdeling_a))
    want = expected(staff_round)[("H-A", "tryg_som_patient")]
    assert as_float(record["Positive (%)"], ",") == pytest.approx(want.percent)
    assert record["Positive (%)"] == "80,0" and record["Mål nået"] == "ja"
    assert {r[0] for r in rows[1:]} == {"Afdeling"}


def test_suppressed_rows_have_empty_numbers_in_csv(client, login_as, staff_round):
    login_as("admin")
    rows = read_csv(client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.csv"
                               "?format=plain&level=afsnit"), ",")
    hidden = [r for r in rows if r["unit_code"] in ("H-B1", "H-B2")]
    assert hidden and all(r["suppressed"] == "true" for r in hidden)
    for row in hidden:
        assert (row["n"], row["positive"], row["percent"], row["ci_low"], row["ci_high"], row["met"]) == ("",) * 6
    assert all(r["percent"] for r in rows if r["unit_code"] == "H-A2" and r["item_code"] == "tryg_som_patient")


def test_xlsx_has_a_sheet_per_level_frozen_header_percent_cells_and_metadata(client, login_as, staff_round):
    login_as("admin")
    response = client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Sygehuse", "Afdelinger", "Afsnit", "Om tallene"]
    sheet = book["Afsnit"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    want = expected(staff_round, "afsnit")
    rows = [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(want)
    for row in rows:
        result = want[(row["Enhedskode"], row["Spørgsmålskode"])]
        if result.suppressed:
            assert row["Positive (%)"] is None and row["Gyldige svar"] is None and row["Skjult (lille gruppe)"] is True
        elif result.percent is not None:
            assert row["Positive (%)"] == pytest.approx(result.percent / 100)
            assert row["Mål (%)"] == pytest.approx(0.8) and row["Mål nået"] is result.met
    percent_cell = sheet.cell(row=2, column=header.index("Positive (%)") + 1)
    assert percent_cell.number_format == "0.0%"
    ranges = [str(cf.sqref) for cf in sheet.conditional_formatting]
    assert any(r.startswith("N2:") for r in ranges)
    meta = {row[0].value: row[1].value for row in book["Om tallene"].iter_rows(min_row=2)}
    assert meta["Runde"] == staff_round.name and meta["Anonymitetsgrænse (besvarelser)"] == 5
    assert meta["Spørgeskemakode"] == "patientsikkerhedskultur" and meta["Mål"] == "80\xa0%"


@pytest.mark.parametrize("code, below", [("H-A1", {"H-A1"}), ("H-A", {"H-A", "H-A1", "H-A2"}),
                                         ("H", {"H", "H-A", "H-A1", "H-A2", "H-B", "H-B1", "H-B2"})])
def test_afsnit_afdeling_and_sygehus_downloads_cover_the_unit_and_below(client, login_as, staff_round, org,
                                                                        code, below):
    login_as("coordinator", units=[org["H"]])
    base = f"/koordinator/download/runde/{staff_round.id}"
    rows = read_csv(client.get(f"{base}/resultater.csv?format=plain&unit={org[code].id}"), ",")
    assert {r["unit_code"] for r in rows} == below
    book = load_workbook(io.BytesIO(client.get(f"{base}/resultater.xlsx?unit={org[code].id}").data))
    want = expected(staff_round)
    seen = set()
    for sheet in book.worksheets[:-1]:
        header = [c.value for c in sheet[1]]
        for values in sheet.iter_rows(min_row=2, values_only=True):
            row = dict(zip(header, values))
            result = want[(row["Enhedskode"], row["Spørgsmålskode"])]
            seen.add(row["Enhedskode"])
            assert row["Positive (%)"] == (None if result.percent is None else pytest.approx(result.percent / 100))
    assert seen == below


def test_coordinator_downloads_only_their_units_with_the_same_suppression(client, login_as, staff_round, org):
    login_as("coordinator", units=[org["H-B"]])
    rows = read_csv(client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.csv?format=plain"), ",")
    assert {r["unit_code"] for r in rows} == {"H-B", "H-B1", "H-B2"}
    assert all(r["suppressed"] == "true" for r in rows if r["unit_code"] in ("H-B1", "H-B2"))
    assert client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.csv"
                      f"?unit={org['H-A'].id}").status_code == 404


def test_round_outside_the_scope_and_anonymous_users_get_nothing(client, login_as, staff_round, make_org):
    assert client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.csv").status_code == 302
    other = make_org("X")
    login_as("coordinator", units=[other["X"]])
    assert client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.xlsx").status_code == 404
    assert client.get(f"/koordinator/download/runde/{staff_round.id}").status_code == 404


def test_downloads_page_links_every_format_from_the_rounds_list(client, login_as, staff_round):
    login_as("admin")
    home = client.get("/koordinator/").get_data(as_text=True)
    assert f"/koordinator/download/runde/{staff_round.id}" in home
    page = client.get(f"/koordinator/download/runde/{staff_round.id}").get_data(as_text=True)
    for part in ("resultater.xlsx", "resultater.csv", "format=plain", "/rapport/", "svar.csv"):
        assert part in page
    assert "plakater/runde" not in page  # a closed round takes no answers: nothing to print


def test_poster_pack_is_one_click_from_the_rounds_list(client, login_as, make_round, org):
    open_round = make_round(units=list(org.values()))
    login_as("coordinator", units=[org["H"]])
    home = client.get("/koordinator/").get_data(as_text=True)
    link = f"/koordinator/plakater/runde/{open_round.id}.pdf"
    assert link in home and "QR-plakater" in home
    response = client.get(link)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert neutralise(text) == "'" + text
    assert csv_cell(text, PLAIN) == "'" + text


def test_harmless_text_and_numbers_are_kept():
    assert neutralise("Afsnit 1") == "Afsnit 1"
    assert csv_cell(-2.5, EXCEL_DA) == "-2,5" and csv_cell(-3, PLAIN) == "-3"


def test_writers_neutralise_formulas_in_csv_and_xlsx():
    rows = [{"name": "=HYPERLINK(\"http://x\")"}, {"name": "@cmd"}, {"name": "ok"}]
    columns = [Column("name", "name", get=lambda r: r["name"])]
    text = "".join(iter_csv(columns, rows, PLAIN))
    assert [r[0] for r in csv.reader(io.StringIO(text))][1:] == ["'=HYPERLINK(\"http://x\")", "'@cmd", "ok"]
    out = io.BytesIO()
    write_xlsx([Sheet("Runde 1/2026: [t]", columns, rows)], out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["Runde 1-2026- -t-"]
    cells = [c.value for c in sheet["A"]][1:]
    assert cells == ["'=HYPERLINK(\"http://x\")", "'@cmd", "ok"]
    assert all(c.data_type == "s" for c in sheet["A"])


@pytest.fixture
def round_with_text(staff_round, org):
    add_responses(staff_round, org["H-A2"], [{"tryg_som_patient": 5, "kommentar": "=cmd|' /C calc'!A0"},
                                            {"tryg_som_patient": 4, "kommentar": "-mere tid"}])
    db.session.commit()
    return staff_round


def test_raw_responses_are_for_admins_only(client, login_as, staff_round, org):
    login_as("coordinator", units=[org["H"]])
    assert client.get(f"/koordinator/download/runde/{staff_round.id}/svar.csv").status_code == 403
    page = client.get(f"/koordinator/download/runde/{staff_round.id}").get_data(as_text=True)
    assert "svar.csv" not in page


def test_raw_csv_has_one_row_per_response_and_hides_small_wards(client, login_as, round_with_text):
    login_as("admin")
    rows = read_csv(client.get(f"/koordinator/download/runde/{round_with_text.id}/svar.csv?format=plain"), ",")
    assert len(rows) == 6 + 7 + 2 + 7
    assert list(rows[0])[:4] == ["response_id", "round_id", "unit_code", "language"]  # no date: the round says when
    assert "tryg_som_patient" in rows[0] and "faggruppe" in rows[0] and "kommentar" not in rows[0]
    assert {r["unit_code"] for r in rows} == {"H-A1", "H-A2", "H-B"}
    assert sorted(r["tryg_som_patient"] for r in rows if r["unit_code"] == "H-A1") == ["2", "3", "4", "4", "5", "9"]  # 9: "ved ikke"


def test_staff_comments_never_travel_in_raw_data(client, login_as, round_with_text):
    login_as("admin")
    base = f"/koordinator/download/runde/{round_with_text.id}"
    rows = read_csv(client.get(f"{base}/svar.csv?text=1&format=plain"), ",")
    assert rows and "kommentar" not in rows[0]
    sheet = load_workbook(io.BytesIO(client.get(f"{base}/svar.xlsx?text=1").data)).worksheets[0]
    assert "kommentar" not in [c.value for c in sheet[1]]
    assert not any("calc" in str(c.value) for row in sheet.iter_rows() for c in row)


@pytest.fixture
def patient_round_with_text(make_round, org):
    round_ = make_round(**closed(), questionnaire="hvad-er-vigtigt-for-dig", units=list(org.values()))
    texts = ["=cmd|' /C calc'!A0", "-mere tid", None, None, None]
    add_responses(round_, org["H-A2"], [{"tryg_indlagt": 5, **({"vigtigt_for_dig": t} if t else {})} for t in texts])
    db.session.commit()
    return round_


def test_free_text_only_when_asked_and_neutralised_in_csv_and_xlsx(client, login_as, patient_round_with_text):
    login_as("admin")
    base = f"/koordinator/download/runde/{patient_round_with_text.id}"
    rows = read_csv(client.get(f"{base}/svar.csv?text=1"), ";")
    assert sorted(r["vigtigt_for_dig"] for r in rows if r["vigtigt_for_dig"]) == ["'-mere tid", "'=cmd|' /C calc'!A0"]
    book = load_workbook(io.BytesIO(client.get(f"{base}/svar.xlsx?text=1").data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    texts = sorted(row[header.index("vigtigt_for_dig")].value for row in sheet.iter_rows(min_row=2)
                   if row[header.index("vigtigt_for_dig")].value)
    assert texts == ["'-mere tid", "'=cmd|' /C calc'!A0"]
    assert all(row[header.index("vigtigt_for_dig")].data_type == "s" for row in sheet.iter_rows(min_row=2)
               if row[header.index("vigtigt_for_dig")].value)
    assert "vigtigt_for_dig" not in [c.value for c in load_workbook(io.BytesIO(client.get(f"{base}/svar.xlsx").data))
                                     .worksheets[0][1]]


def test_excel_download_of_a_round_runs_a_few_grouped_queries(client, login_as, staff_round):
    login_as("admin")
    clear_cache()
    with count_queries() as counter:
        response = client.get(f"/koordinator/download/runde/{staff_round.id}/resultater.xlsx")
        assert response.status_code == 200 and len(response.data) > 0
    assert counter[0] <= 15, counter[0]  # 11 today: user, round, scope, items, counts; never one per unit


def test_excel_never_rounds_a_share_below_the_target_up_to_it():
    """The cell keeps the unrounded fraction; its format shows as many decimals as keep it below the target."""
    rows = [{"share": 79.95, "target": 80.0}, {"share": 79.94, "target": 80.0}, {"share": 80.0, "target": 80.0}]
    columns = [Column("share", "share", kind="percent", get=lambda r: r["share"]),
               Column("target_percent", "target", kind="percent", get=lambda r: r["target"])]
    out = io.BytesIO()
    write_xlsx([Sheet("s", columns, rows)], out)
    sheet = load_workbook(io.BytesIO(out.getvalue()))["s"]
    shares = [(round(c.value, 6), c.number_format) for c in sheet["A"][1:]]
    assert shares == [(0.7995, "0.00%"), (0.7994, "0.0%"), (0.8, "0.0%")]
    assert {c.number_format for c in sheet["B"][1:]} == {"0.0%"}
