"""The strategy page and the admin's strategy data pages: upload → dry run → confirm, refusals, the page's
figures against their targets, and no case list."""
import io
from datetime import datetime

import pytest

from surveyapp.extensions import db
from surveyapp.models import DpsdCase, Indicator, IndicatorValue
from surveyapp.services.strategy.definitions import install_builtin
from tests.strategy_helpers import strategy_data
from tests.test_dpsd_import import ROWS, report_centre_csv


@pytest.fixture
def org(make_org):
    units = make_org("H")
    install_builtin()
    db.session.commit()
    return units


def in_english(client):
    client.get("/?lang=en")  # remembered for the session


def test_dpsd_upload_shows_a_dry_run_and_writes_only_on_confirm(client, login_as, org):
    login_as("admin")
    in_english(client)
    response = client.post("/admin/strategy/dpsd", data={"file": (io.BytesIO(report_centre_csv(*ROWS)), "uth.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "3 new cases" in page
    assert "Hændelsesdato" in page  # listed as not read
    assert db.session.query(DpsdCase).count() == 0
    content = page.split('name="content" type="hidden" value="')[1].split('"')[0]
    assert "Afsnit A1" not in content and "Medicinering" not in content  # only what is kept rides along
    response = client.post("/admin/strategy/dpsd/confirm", data={"content": content.replace("&#34;", '"')})
    assert response.status_code == 302
    assert db.session.query(DpsdCase).count() == 3


def test_dpsd_upload_with_errors_lists_every_row_and_offers_no_import(client, login_as, org):
    login_as("admin")
    in_english(client)
    bad = report_centre_csv("1;01-02-2026;;Kantinen;;;ingen;;;;", "2;xx;;H-A1;;;ingen;;;;")
    page = client.post("/admin/strategy/dpsd", data={"file": (io.BytesIO(bad), "uth.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Row 2: Unknown location Kantinen" in page and "Row 3: Bad date xx" in page
    assert "Import now" not in page


def test_an_admin_defines_an_indicator_and_imports_its_data(client, login_as, org):
    login_as("admin")
    in_english(client)
    response = client.post("/admin/strategy/indicators", data={
        "code": "kommunikation", "name": "Kommunikationsaudit", "kind": "share", "area": "faste", "level": "afsnit",
        "direction": "up", "target_percent": "80"})
    assert response.status_code == 302
    assert db.session.query(Indicator).filter_by(code="kommunikation").one().target == 0.8
    data = "unit_code;period;numerator;denominator\nH-A1;2026-01;8;10\nH-A2;2026-01;9;10\n".encode()
    page = client.post("/admin/strategy/indicators/import", data={"indicator": "kommunikation",
                       "file": (io.BytesIO(data), "k.csv")}, content_type="multipart/form-data").get_data(as_text=True)
    assert "2 new values" in page
    content = page.split('name="content" type="hidden" value="')[1].split('"')[0]
    client.post("/admin/strategy/indicators/import/confirm", data={"indicator": "kommunikation", "content": content})
    assert db.session.query(IndicatorValue).count() == 2


def test_indicator_import_refuses_every_bad_row_at_once(runner, org, tmp_path):
    path = tmp_path / "ews.csv"
    path.write_text("\ufeffunit_code;period;numerator;denominator\nH-A1;2026-13;1;2\nH-A;2026-01;1;2\n"
                    "H-A2;2026-01;5;4\nH-A1;2026-02;1;2\nH-A1;2026-02;1;2\n", encoding="utf-8")
    result = runner.invoke(args=["import-indicator", str(path), "--indicator", "dok_ews"])
    assert result.exit_code == 1
    for expected in ("2: Bad period 2026-13", "3: H-A is no afsnit", "4: The numerator is larger",
                     "6: Duplicate row for H-A1 and 2026-02 (also row 5)"):
        assert expected in result.output
    assert db.session.query(IndicatorValue).count() == 0
    milestone = tmp_path / "fb.csv"
    milestone.write_text("unit_code;date;done\nH-A;15-06-2026;1\nH-B;2026-06-20;0\n", encoding="utf-8")
    result = runner.invoke(args=["import-indicator", str(milestone), "--indicator", "fb_tovholdere"])
    assert result.exit_code == 0, result.output
    assert "imported: 2 created" in result.output


def test_the_strategy_page_shows_every_area_against_its_targets_and_no_case(client, login_as, org, make_round,
                                                                            make_user):
    round_ = make_round(units=list(org.values()), opens=datetime(2026, 1, 5), closes=datetime(2026, 1, 30))
    strategy_data(org, round_, make_user("admin"))
    login_as("viewer", [org["H"]])
    in_english(client)
    page = client.get("/strategi/H-A1?year=2026").get_data(as_text=True)
    assert "Adverse events closed within 90 days" in page and "Dokumentation af EWS" in page
    assert "FB: lokale tovholdere uddannet" in page and "Afdeling A" in page  # the afdeling's milestone
    assert "Root-cause analysis actions done on time" in page
    assert 'class="runchart"' in page  # EWS has two months: a run chart
    assert "A1-0" not in page and "OLD-" not in page  # counts only, never a case
    assert client.get("/strategi/H-A?year=2026").status_code == 200
    assert client.get("/strategi/H?year=1500").status_code == 400


def test_the_strategy_page_is_in_danish_by_default_and_refused_to_auditors(client, login_as, org, make_user):
    login_as("coordinator", [org["H"]])
    page = client.get("/strategi/H-A1").get_data(as_text=True)
    assert "Kvalitetsstrategien: Afsnit A1" in page and "Læring af utilsigtede hændelser (indsats 2)" in page
    client.post("/logout")
    login_as("auditor", [org["H"]])
    assert client.get("/strategi/H-A1").status_code == 403


def test_a_root_cause_analysis_action_needs_a_due_date_but_no_survey_item(client, login_as, org, make_round):
    from surveyapp.models import Intervention
    from surveyapp.services.plans import plans

    round_ = make_round(units=list(org.values()))
    user = login_as("coordinator", [org["H"]])
    in_english(client)
    plan = plans.start_plan(round_, org["H-A1"], user)
    db.session.commit()
    action = {"kind": "kerneårsagsanalyse-tiltag", "title": "Dobbeltkontrol af insulin"}
    page = client.post(f"/handlingsplaner/{plan.id}/indsats/ny", data=action).get_data(as_text=True)
    assert "An action from a root-cause analysis needs a due date." in page
    response = client.post(f"/handlingsplaner/{plan.id}/indsats/ny", data={**action, "due_on": "2026-04-30"})
    assert response.status_code == 302
    assert db.session.query(Intervention).one().kind == "kerneårsagsanalyse-tiltag"
