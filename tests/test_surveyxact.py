"""Importing a SurveyXact dataset export as a closed baseline round: matching, errors, writing, the CLI."""
import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from surveyapp import surveyxact
from surveyapp.extensions import db
from surveyapp.models import Answer, ChangeLogEntry, Response, Round
from surveyapp.services import questionnaires
from surveyapp.services.admin import surveyxact as importer
from surveyapp.services.results.counts import clear_cache, round_results
from tests.surveyxact_helpers import QUESTIONS, Row, expected_counts, random_rows, with_dimension_a1, workbook

DOWNLOADS = "/koordinator/download"
ITEMS = [
    surveyxact.ItemTarget("tryg", "Jeg ville føle mig tryg", "scale", (
        surveyxact.OptionTarget(1, "Uenig"), surveyxact.OptionTarget(2, "Enig"),
        surveyxact.OptionTarget(9, "Ved ikke / ikke relevant", True))),
]


def _request(data: bytes, **changes) -> importer.ImportRequest:
    values = dict(data=data, questionnaire=questionnaires.find("patientsikkerhedskultur"), name="Baseline 2025",
                  opens=date(2025, 3, 1), closes=date(2025, 3, 31), unit_variable="b_afsnit")
    values.update(changes)
    return importer.ImportRequest(**values)


# --- the pure reader and matcher -------------------------------------------------------------------------

def test_normalise_ignores_case_punctuation_and_spaces():
    assert surveyxact.normalise(" Jeg ville føle mig TRYG, hvis…  ") == surveyxact.normalise("jeg ville føle mig tryg hvis")


def test_reader_skips_trailing_empty_rows_and_reads_float_codes():
    export = surveyxact.read_export(workbook(random_rows()))
    assert len(export.rows) == 42
    assert export.labels["s_1"][4] == "Enig"
    assert [q.variable for q in export.questions] == [q[0] for q in QUESTIONS]


def test_missing_sheet_and_wrong_header_are_reported_together():
    data = workbook(random_rows(), sheets=("Labels", "Variables", "Dataset", "Structure"))
    with pytest.raises(surveyxact.ExportError) as missing:
        surveyxact.read_export(data)
    assert [str(e) for e in missing.value.errors] == ["Complete: sheet missing"]
    with pytest.raises(surveyxact.ExportError) as header:
        surveyxact.read_export(workbook(random_rows(), variables_header=("name", "description")))
    assert [str(e) for e in header.value.errors] == [
        "Variables:1: wrong header name, description; expected variableName, variableDescription"]


def test_a_csv_file_is_not_a_workbook():
    with pytest.raises(surveyxact.ExportError) as caught:
        surveyxact.read_export(b"variableName;variableDescription\ns_1;Tryg\n")
    assert "not an Excel workbook" in str(caught.value)


def test_battery_items_match_by_the_text_after_the_dash_and_na_by_ved_ikke():
    questions = [("s_7", None, "Udsagn", "Udsagn - Jeg ville føle mig tryg", {1: "Uenig", 2: "Enig", 3: "Ved ikke"})]
    rows = [Row(afsnit=1, answers={"s_7": 3}), Row(afsnit=1, answers={"s_7": 2})]
    plan = surveyxact.match(surveyxact.read_export(workbook(rows, questions=questions)), ITEMS,
                            [("H-A1", "Afsnit A1")], "b_afsnit")
    assert plan.ok, plan.errors
    assert plan.matched == [("s_7", "tryg", "text")]
    assert [r.answers for r in plan.respondents] == [
        (surveyxact.Answer("tryg", not_applicable=True),), (surveyxact.Answer("tryg", value=2),)]


def test_unknown_afsnit_and_unknown_label_are_errors_with_sheet_and_row():
    questions = [("s_7", None, "Jeg ville føle mig tryg", "Jeg ville føle mig tryg", {1: "Uenig", 2: "Måske"})]
    rows = [Row(afsnit=1, answers={"s_7": 1}), Row(afsnit="Kardio 2", answers={"s_7": 2})]
    plan = surveyxact.match(surveyxact.read_export(workbook(rows, questions=questions)), ITEMS,
                            [("H-A1", "Afsnit A1")], "b_afsnit")
    assert [str(e) for e in plan.errors] == ['Dataset:3: s_7: unknown label "Måske" for item tryg',
                                             'Dataset:3: unknown afsnit "Kardio 2"']


def test_mapping_overrides_items_values_and_units():
    questions = [("s_7", None, "Tryghed", "Tryghed", {1: "Uenig", 2: "Måske", 3: "Enig"})]
    rows = [Row(afsnit="Kardio 2", answers={"s_7": 2}), Row(afsnit="Kardio 2", answers={"s_7": 3})]
    mapping, errors = surveyxact.read_mapping(
        "kind,source,target\nitem,s_7,tryg\nvalue,Måske,na\nunit,Kardio 2,H-A1\n")
    assert errors == []
    plan = surveyxact.match(surveyxact.read_export(workbook(rows, questions=questions)), ITEMS,
                            [("H-A1", "Afsnit A1")], "b_afsnit", mapping)
    assert plan.ok, plan.errors
    assert plan.matched == [("s_7", "tryg", "mapping")] and plan.units == [("Kardio 2", "H-A1", "mapping")]
    assert [r.answers[0] for r in plan.respondents] == [surveyxact.Answer("tryg", not_applicable=True),
                                                        surveyxact.Answer("tryg", value=2)]


def test_mapping_errors_name_their_line():
    _, errors = surveyxact.read_mapping("kind,source,target\nitem,s_1\nlabel,x,y\n")
    assert [str(e) for e in errors] == ["mapping:2: expected three columns: kind,source,target",
                                        'mapping:3: unknown kind "label"; expected item, value or unit']


# --- the import into the database --------------------------------------------------------------------------

def _counted(round_) -> dict[tuple[str, str], tuple[int, int]]:
    clear_cache()
    return {(row.unit_code, row.item_code): (row.n, row.positive) for row in round_results(round_, level="afsnit")
            if row.measure == "item" and row.n}


def test_imported_round_counts_equal_the_workbook(app, make_org):
    make_org()
    rows = random_rows()
    request = _request(workbook(rows))
    plan = importer.plan(request)
    assert plan.ok, plan.errors
    assert (plan.not_complete, plan.no_answers, len(plan.respondents)) == (1, 1, 40)
    assert [v for v, _ in plan.unmatched] == ["s_6"]
    round_ = importer.apply(request, plan, None)
    db.session.commit()
    assert round_.status() == "closed" and round_.source == "surveyxact" and len(round_.import_checksum) == 64
    assert [u.code for u in round_.units] == ["H-A1", "H-A2", "H-B1"]
    assert _counted(round_) == expected_counts(rows)
    entry = db.session.scalar(select(ChangeLogEntry).where(ChangeLogEntry.action == "round.import"))
    assert entry.target_id == round_.id and entry.after["respondents"] == 40


def test_an_export_whose_sheets_declare_the_size_a1_imports_like_any_other(app, make_org):
    make_org()
    rows = random_rows()
    data = with_dimension_a1(workbook(rows))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 5
        assert all(b'<dimension ref="A1"/>' in book.read(name) for name in sheets)
    export = surveyxact.read_export(data)
    assert len(export.rows) == len(rows) and len(export.questions) == len(QUESTIONS)
    request = _request(data)
    plan = importer.plan(request)
    assert plan.ok, plan.errors
    round_ = importer.apply(request, plan, None)
    db.session.commit()
    assert _counted(round_) == expected_counts(rows)


def test_import_keeps_only_afsnit_answers_and_day(app, make_org):
    make_org()
    request = _request(workbook(random_rows()))
    round_ = importer.apply(request, importer.plan(request), None)
    db.session.commit()
    responses = list(db.session.scalars(select(Response).where(Response.round_id == round_.id)))
    assert {r.submitted_on for r in responses} == {date(2025, 3, 31)} and {r.link_id for r in responses} == {None}
    assert len({r.idempotency_key for r in responses}) == 40
    texts = db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))).all()
    assert texts == []


def test_dry_run_writes_nothing_and_second_import_is_refused(app, make_org, runner, tmp_path):
    make_org()
    path = tmp_path / "baseline.xlsx"
    path.write_bytes(workbook(random_rows()))
    args = ["import-surveyxact", str(path), "--questionnaire", "patientsikkerhedskultur", "--name", "Baseline",
            "--opens", "2025-03-01", "--closes", "2025-03-31", "--unit-variable", "b_afsnit"]
    dry = runner.invoke(args=args + ["--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "question s_2 -> laere_af_haendelser (by text)" in dry.output
    assert '40 responses to import; left out: 1 not "Gennemført", 1 with no matched answer' in dry.output
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "imported round" in first.output
    second = runner.invoke(args=args)
    assert second.exit_code == 1
    assert "this file has been imported before" in second.output
    assert db.session.scalar(select(func.count()).select_from(Round)) == 1


def test_cli_reports_every_error_and_writes_nothing(app, make_org, runner, tmp_path):
    make_org()
    rows = random_rows() + [Row(afsnit="Kardio 2", answers={"s_1": 4}), Row(afsnit=1, answers={"s_1": 17})]
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook(rows))
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("kind,source,target\nitem,s_6,-\n", encoding="utf-8")
    result = runner.invoke(args=["import-surveyxact", str(path), "--questionnaire", "patientsikkerhedskultur",
                                 "--version", "1", "--name", "B", "--opens", "2025-03-01", "--closes", "2025-03-31",
                                 "--unit-variable", "b_afsnit", "--mapping", str(mapping)])
    assert result.exit_code == 1
    assert 'Dataset:44: unknown afsnit "Kardio 2"' in result.output
    assert "Dataset:45: s_1: value 17 has no label in the sheet Labels" in result.output
    assert "2 error(s); nothing was imported" in result.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_cli_refuses_a_csv_and_an_open_period(app, make_org, runner, tmp_path):
    make_org()
    path = tmp_path / "export.csv"
    path.write_text("s_1;b_afsnit\n4;1\n", encoding="utf-8")
    result = runner.invoke(args=["import-surveyxact", str(path), "--questionnaire", "patientsikkerhedskultur",
                                 "--name", "B", "--opens", "2025-03-01", "--closes", "2999-03-31",
                                 "--unit-variable", "b_afsnit"])
    assert result.exit_code == 1
    assert "not an Excel workbook" in result.output and "its last day must be in the past" in result.output


def test_api_round_listing_shows_the_origin(app, client, make_org, make_round):
    from surveyapp.services.admin import tokens
    from tests.test_api import check

    org = make_org()
    made_here = make_round(units=list(org.values()))
    request = _request(workbook(random_rows()))
    imported = importer.apply(request, importer.plan(request), None)
    db.session.commit()
    _token, secret = tokens.create_token("BI", can_read_raw=False)
    db.session.commit()
    body = client.get("/api/v1/rounds", headers={"Authorization": f"Bearer {secret}"}).get_json()
    check(body, "RoundPage")
    assert {item["id"]: item["source"] for item in body["items"]} == {made_here.id: "app", imported.id: "surveyxact"}


# --- the admin page ------------------------------------------------------------------------------------------

def _upload(client, data: bytes, mapping: bytes | None = None):
    import io

    form = {"file": (io.BytesIO(data), "baseline.xlsx"),
            "questionnaire_id": str(questionnaires.find("patientsikkerhedskultur").id), "name": "Baseline 2025",
            "opens": "2025-03-01", "closes": "2025-03-31", "unit_variable": "b_afsnit"}
    if mapping is not None:
        form["mapping"] = (io.BytesIO(mapping), "mapping.csv")
    return client.post("/admin/imports/surveyxact", data=form, content_type="multipart/form-data")


def _confirm_fields(page: str) -> dict:
    import re

    form = page[page.index('action="/admin/imports/surveyxact/confirm"'):]
    form = form[:form.index("</form>")]
    return {name: value.replace("&#34;", '"').replace("&amp;", "&")
            for name, value in re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', form)}


def test_admin_page_shows_matching_and_dry_run_then_imports_on_confirm(app, client, login_as, make_org):
    make_org()
    login_as("admin")
    assert "Importér en baseline fra SurveyXact" in client.get("/admin/rounds").get_data(as_text=True)
    data = workbook(random_rows())
    page = _upload(client, data).get_data(as_text=True)
    assert "Prøvekørsel" in page and "laere_af_haendelser" in page and "s_6" in page
    assert "Afsnit A1" in page and "H-A1" in page
    assert db.session.scalar(select(func.count()).select_from(Round)) == 0
    fields = _confirm_fields(page)
    response = client.post("/admin/imports/surveyxact/confirm", data=fields)
    assert response.status_code == 302
    round_ = db.session.scalar(select(Round))
    assert round_.source == "surveyxact" and round_.status() == "closed"
    entry = db.session.scalar(select(ChangeLogEntry).where(ChangeLogEntry.action == "round.import"))
    assert entry.actor_email.startswith("admin")
    assert "importeret fra SurveyXact" in client.get("/admin/rounds").get_data(as_text=True)
    again = client.post("/admin/imports/surveyxact/confirm", data=fields)
    assert again.status_code == 302 and db.session.scalar(select(func.count()).select_from(Round)) == 1
    refused = _upload(client, data).get_data(as_text=True)
    assert "filen er importeret før" in refused and "Importér nu" not in refused


def test_admin_page_lists_every_error_and_writes_nothing(app, client, login_as, make_org):
    make_org()
    login_as("admin")
    rows = random_rows() + [Row(afsnit="Kardio 2", answers={"s_1": 4})]
    page = _upload(client, workbook(rows), mapping=b"kind,source,target\nitem,s_6,nope\n").get_data(as_text=True)
    assert "intet blev importeret" in page and "Importér nu" not in page
    # In the reader's language, with the sheet and row as the CLI prints them.
    assert "mapping: ukendt spørgsmål &#34;nope&#34; for s_6" in page
    assert "Dataset:44: ukendt afsnit &#34;Kardio 2&#34;" in page
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    client.get("/?lang=en")
    english = _upload(client, workbook(rows), mapping=b"kind,source,target\nitem,s_6,nope\n").get_data(as_text=True)
    assert "mapping: unknown item &#34;nope&#34; for s_6" in english
    assert "Dataset:44: unknown afsnit &#34;Kardio 2&#34;" in english


def test_coordinators_cannot_import(client, login_as, make_org):
    org = make_org()
    login_as("coordinator", units=[org["H"]])
    assert client.get("/admin/imports/surveyxact").status_code == 403


def test_the_next_app_round_compares_with_the_imported_baseline(app, client, login_as, make_org, make_round):
    from surveyapp.services.results.unit_report import previous_round
    from tests.results_helpers import add_responses, close_round, tryg

    org = make_org()
    request = _request(workbook(random_rows()))
    baseline = importer.apply(request, importer.plan(request), None)
    db.session.commit()
    follow_up = make_round(units=list(org.values()), name="Genmåling")
    add_responses(follow_up, org["H-A1"], tryg(5, 5, 4, 4, 4, 2))
    close_round(follow_up)  # results are released at close
    db.session.commit()
    assert previous_round(follow_up).id == baseline.id
    login_as("admin")
    page = client.get(f"/koordinator/runde/{follow_up.id}/enhed/H-A1")
    assert page.status_code == 200 and "Udvikling siden Baseline 2025" in page.get_data(as_text=True)
    assert "procentpoint" in page.get_data(as_text=True)


def test_the_wrong_questionnaire_matches_nothing_and_is_refused(app, make_org):
    make_org()
    plan = importer.plan(_request(workbook(random_rows()), questionnaire=questionnaires.find("hvad-er-vigtigt-for-dig")))
    assert [str(e) for e in plan.errors] == ["Structure: no question matches an item of the questionnaire"]


def test_the_imported_round_shows_like_any_closed_round(app, client, login_as, make_org):
    make_org()
    request = _request(workbook(random_rows()))
    round_ = importer.apply(request, importer.plan(request), None)
    db.session.commit()
    login_as("admin")
    detail = client.get(f"/admin/rounds/{round_.id}")
    assert detail.status_code == 200 and "Baseline 2025" in detail.get_data(as_text=True)
    dashboard = client.get(f"/koordinator/runde/{round_.id}")
    assert dashboard.status_code == 200 and "Afsnit A1" in dashboard.get_data(as_text=True)
    export = client.get(f"{DOWNLOADS}/runde/{round_.id}/resultater.csv?format=plain")
    assert export.status_code == 200 and "H-A1" in export.get_data(as_text=True)


def test_an_imported_baseline_cannot_be_reopened(app, client, login_as, make_org):
    from datetime import timedelta

    from surveyapp.timeutil import utcnow

    make_org()
    request = _request(workbook(random_rows()))
    round_ = importer.apply(request, importer.plan(request), None)
    db.session.commit()
    login_as("admin")
    later = (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/admin/rounds/{round_.id}/reopen", data={"closes_at": later})
    db.session.expire_all()
    assert db.session.get(Round, round_.id).status() == "closed"
    assert db.session.scalar(select(func.count()).select_from(ChangeLogEntry)
                             .where(ChangeLogEntry.action == "round.reopen")) == 0


def test_open_answers_are_kept_as_texts_but_a_cpr_shaped_text_is_refused(app, make_org):
    make_org()
    questions = QUESTIONS[:1] + [("s_9", "kommentar", "Kommentar (valgfri)", "Kommentar (valgfri)", None)]
    rows = [Row(afsnit=1, answers={"s_1": 4, "s_9": "Godt samarbejde"}), Row(afsnit=1, answers={"s_1": 5})]
    plan = importer.plan(_request(workbook(rows, questions=questions)))
    assert plan.ok, plan.errors
    assert plan.respondents[0].answers == (surveyxact.Answer("tryg_som_patient", value=4),
                                           surveyxact.Answer("kommentar", text="Godt samarbejde"))
    rows.append(Row(afsnit=2, answers={"s_1": 4, "s_9": "Patient 010203-1234 faldt"}))
    plan = importer.plan(_request(workbook(rows, questions=questions)))
    assert [str(e) for e in plan.errors] == [
        "Dataset:4: s_9: a text shaped like a CPR number; remove it or leave the question out with the mapping "
        "item,s_9,-"]
