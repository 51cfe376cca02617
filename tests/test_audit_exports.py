"""Audit results in the downloads (CSV, Excel) and the API, equal to the audit pages, within the scope."""
import csv
import io

import pytest
from openpyxl import load_workbook

from surveyapp.extensions import db
from surveyapp.services.admin import tokens
from surveyapp.services.audits import recording as audits
from tests.test_api import check, get_all
from tests.test_audits import record_finished


@pytest.fixture
def audited(make_org, make_user):
    org = make_org("H")
    other = make_org("X")
    admin = make_user("admin")
    record_finished(org["H-A1"], admin, [0.8, 0.9])  # the latest (9 of 10) is implemented
    record_finished(org["H-A2"], admin, [0.5])
    record_finished(other["X-A1"], admin, [1.0])
    record_finished(org["H-B1"], admin, [0.9, 1.0], template="96-timers-behandlingsansvar")
    return org, other


def read_csv(response, delimiter):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=delimiter))


def test_csv_lists_every_finished_audit_in_the_scope_with_the_pages_numbers(client, login_as, audited):
    org, _ = audited
    login_as("coordinator", units=[org["H"]])
    rows = read_csv(client.get("/audit/resultater.csv?template=isbar-vagtoverlevering&format=plain"), ",")
    assert [(r["unit_code"], r["correct"], r["applicable"], r["implemented"]) for r in rows] == [
        ("H-A1", "8", "10", "false"), ("H-A2", "5", "10", "false"), ("H-A1", "9", "10", "true")]
    assert rows[0]["rule"] == "9 of 10" and float(rows[0]["target"]) == 90.0 and float(rows[2]["percent"]) == 90.0
    danish = client.get("/audit/resultater.csv?template=isbar-vagtoverlevering&format=excel")
    assert danish.get_data(as_text=True).startswith("\ufeff")
    people = read_csv(danish, ";")
    assert people[2]["Andel korrekte"] == "90,0" and people[2]["Implementeret"] == "ja"


def test_excel_has_the_roll_up_and_the_audits(client, login_as, audited, tmp_path):
    org, _ = audited
    login_as("coordinator", units=[org["H"]])
    response = client.get("/audit/resultater.xlsx?template=isbar-vagtoverlevering")
    assert response.status_code == 200
    (tmp_path / "a.xlsx").write_bytes(response.data)
    book = load_workbook(tmp_path / "a.xlsx")
    results, each = book.worksheets[0], book.worksheets[1]
    table = {row[1]: row for row in results.iter_rows(min_row=2, values_only=True)}
    assert table["H-A"][6:9] == (20, 14, 0.7)  # afdeling: samples of its afsnit's latest audits added up
    assert table["H-A1"][9] is True and "X-A1" not in table
    assert each.max_row == 1 + 3


def test_formula_like_workflow_names_are_neutralised(client, login_as, make_org, make_user):
    ward = make_org()["H-A1"]
    from surveyapp.services.audits import templates as audit_templates

    admin = make_user("admin")
    audit = audits.start_audit(audit_templates.find("spoerg-10-personaler"), ward, admin,
                               __import__("datetime").date(2026, 5, 1), "=HYPERLINK(\"x\")")
    template = audit.template
    audits.save_sample(audit, 1, {c.id: "yes" for c in template.criteria}, None)
    audits.finish(audit, None)
    db.session.commit()
    login_as("admin")
    rows = read_csv(client.get("/audit/resultater.csv?template=spoerg-10-personaler&format=plain"), ",")
    assert rows[0]["workflow"] == "'=HYPERLINK(\"x\")"


def test_unknown_template_or_format_is_refused(client, login_as, audited):
    login_as("admin")
    assert client.get("/audit/resultater.csv?template=nope").status_code == 404
    assert client.get("/audit/resultater.csv?template=isbar-vagtoverlevering&format=xml").status_code == 400


def test_api_lists_audits_with_their_results_and_criteria(client, audited):
    token, secret = tokens.create_token("BI", can_read_raw=False)
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    items, pages = get_all(client, "/api/v1/audits?limit=2", headers)
    assert pages == 3 and len(items) == 6
    for item in items:
        check(item, "Audit")
    latest = [i for i in items if i["unit_code"] == "H-A1"][-1]
    assert (latest["correct"], latest["applicable"], latest["percent"], latest["implemented"]) == (9, 10, 90.0, True)
    assert latest["target"] == 0.9 and latest["rule"] == "9 of 10"
    assert {c["code"] for c in latest["criteria"]} == {"kender_isbar", "bruger_isbar"}
    record = client.get("/api/v1/audits?template=96-timers-behandlingsansvar", headers=headers).get_json()
    assert [i["percent"] for i in record["items"]] == [90.0, 100.0] and record["items"][0]["rule"] == "90%"
    check(record, "AuditPage")
    assert client.get("/api/v1/audits").status_code == 401


def test_api_audits_follow_the_tokens_scope(client, make_user, audited):
    org, _ = audited
    user = make_user("coordinator", units=[org["H-A"]])
    token, secret = tokens.create_token("BI", can_read_raw=False, user=user)
    db.session.commit()
    items = client.get("/api/v1/audits", headers={"Authorization": f"Bearer {secret}"}).get_json()["items"]
    assert {i["unit_code"] for i in items} == {"H-A1", "H-A2"}
