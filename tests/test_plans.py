"""Action plans through the test client: from the challenges to an intervention confirmed by audit."""
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import ActionPlan, ChangeLogEntry, Intervention
from surveyapp.services.audits import recording as audits
from surveyapp.services.audits import templates as audit_templates
from tests.results_helpers import add_responses


def staff(safe: int, learn: int, follow: int) -> dict:
    return {"tryg_som_patient": safe, "laere_af_haendelser": learn, "ledelse_foelger_op": follow}


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture
def closed_round(make_round, org):
    """A closed staff round: H-A1 answered by 10 (shown), H-B1 by 3 (hidden)."""
    round_ = make_round(units=list(org.values()), name="Måling 2026", opens=datetime(2026, 3, 1),
                        closes=datetime(2026, 4, 1))
    add_responses(round_, org["H-A1"], [staff(5 if i < 6 else 2, 4 if i < 3 else 1, 4) for i in range(10)])
    add_responses(round_, org["H-A2"], [staff(4, 4, 4) for _ in range(6)])
    add_responses(round_, org["H-B1"], [staff(1, 1, 1) for _ in range(3)])
    add_responses(round_, org["H-B2"], [staff(4, 5, 4) for _ in range(8)])
    db.session.commit()
    return round_


def start_plan(client, round_, code: str) -> int:
    response = client.post(f"/handlingsplaner/runde/{round_.id}/enhed/{code}")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def item_id(round_, code: str) -> int:
    return next(i.id for i in round_.questionnaire.items if i.code == code)


def intervention_form(round_, **given) -> dict:
    return {"title": "Huddle hver morgen", "description": "Fem minutter om dagens risici",
            "items": [item_id(round_, "laere_af_haendelser")], "responsible": "Afsnitsledelsen",
            "starts_on": "2026-05-01", "due_on": "2026-09-01", "audit_template": "isbar-vagtoverlevering",
            "highlight": "", **given}


def record_audit(unit, user, correct: int, on: date, template="isbar-vagtoverlevering"):
    template = audit_templates.find(template)
    audit = audits.start_audit(template, unit, user, on)
    for number in range(1, template.sample_size + 1):
        answer = "yes" if number <= correct else "no"
        audits.save_sample(audit, number, {c.id: answer for c in template.criteria}, None)
    audits.finish(audit, None)
    db.session.commit()


def test_unit_page_offers_a_plan_and_the_plan_lists_the_challenges(client, login_as, org, closed_round):
    login_as("coordinator", units=[org["H-A"]])
    unit_page = client.get(f"/koordinator/runde/{closed_round.id}/enhed/H-A1").get_data(as_text=True)
    assert "Lav handlingsplan" in unit_page
    plan_id = start_plan(client, closed_round, "H-A1")
    page = client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert "Handlingsplan: Afsnit A1" in page and "Største udfordringer" in page
    assert re.search(r"Vi lærer af hændelser[^<]*</strong>: 30,0", page) or "30,0" in page
    # Starting again opens the same plan.
    assert start_plan(client, closed_round, "H-A1") == plan_id
    assert db.session.scalar(select(ActionPlan.id).where(ActionPlan.unit_id == org["H-A1"].id)) == plan_id
    unit_page = client.get(f"/koordinator/runde/{closed_round.id}/enhed/H-A1").get_data(as_text=True)
    assert f"/handlingsplaner/{plan_id}" in unit_page


def test_hidden_afsnit_gets_a_plan_without_item_figures(client, login_as, org, closed_round):
    login_as("coordinator", units=[org["H"]])
    plan_id = start_plan(client, closed_round, "H-B1")
    page = client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert "skjult" in page
    assert "%" not in re.sub(r"<style.*?</style>", "", page, flags=re.S).split("<main", 1)[-1]


def test_intervention_is_confirmed_by_its_audit_and_the_status_is_offered(client, login_as, org, closed_round,
                                                                           make_user):
    user = login_as("coordinator", units=[org["H-A1"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    response = client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round))
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert "Huddle hver morgen" in page and "Planlagt" in page and "Ikke auditeret endnu" in page

    record_audit(org["H-A1"], user, 8, date(2026, 6, 1))
    page = client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert "lever ikke op til reglen (8 af 10 korrekte)" in page
    assert "Sæt status til implementeret" not in page

    record_audit(org["H-A1"], user, 9, date(2026, 7, 1))
    page = client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert "Implementering bekræftet af audit 1. jul. 2026 (9 af 10 korrekte)" in page
    intervention = db.session.scalar(select(Intervention))
    assert intervention.status == "planlagt"  # nothing changes status by itself
    response = client.post(f"/handlingsplaner/indsats/{intervention.id}/status", data={"status": "implementeret"})
    assert response.status_code == 302
    db.session.refresh(intervention)
    assert intervention.status == "implementeret"
    assert [s.status for s in intervention.history] == ["planlagt", "implementeret"]
    actions = set(db.session.scalars(select(ChangeLogEntry.action)))
    assert {"action_plan.create", "intervention.create", "intervention.status"} <= actions


def test_due_before_start_and_a_refused_status_move_are_rejected(client, login_as, org, closed_round):
    login_as("coordinator", units=[org["H-A1"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    response = client.post(f"/handlingsplaner/{plan_id}/indsats/ny",
                           data=intervention_form(closed_round, due_on="2026-04-01"))
    assert response.status_code == 200
    assert "Fristen kan ikke ligge før start" in response.get_data(as_text=True)
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round, audit_template=""))
    intervention = db.session.scalar(select(Intervention))
    client.post(f"/handlingsplaner/indsats/{intervention.id}/status", data={"status": "opgivet"})
    response = client.post(f"/handlingsplaner/indsats/{intervention.id}/status", data={"status": "implementeret"},
                           follow_redirects=True)
    assert "Den status kan ikke følge den nuværende" in response.get_data(as_text=True)
    db.session.refresh(intervention)
    assert intervention.status == "opgivet"


def test_progress_note_is_logged(client, login_as, org, closed_round):
    login_as("coordinator", units=[org["H-A1"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round))
    intervention = db.session.scalar(select(Intervention))
    client.post(f"/handlingsplaner/indsats/{intervention.id}/note", data={"text": "Startet på dagvagt"})
    assert "Startet på dagvagt" in client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert db.session.scalar(select(ChangeLogEntry).where(ChangeLogEntry.action == "intervention.note"))


def test_viewers_read_and_cannot_write_and_other_scopes_do_not_find_it(client, login_as, org, closed_round,
                                                                        make_user, app):
    login_as("coordinator", units=[org["H-A1"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    client.post("/logout")
    login_as("viewer", units=[org["H-A"]])
    page = client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert "Handlingsplan" in page and "Tilføj en indsats" not in page
    assert client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round)).status_code == 403
    assert client.post(f"/handlingsplaner/runde/{closed_round.id}/enhed/H-A2").status_code == 403
    client.post("/logout")
    login_as("coordinator", units=[org["H-B"]])
    assert client.get(f"/handlingsplaner/{plan_id}").status_code == 404


def test_auditor_sees_the_interventions_their_audits_verify(client, login_as, org, closed_round):
    login_as("coordinator", units=[org["H-A1"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round))
    client.post("/logout")
    login_as("auditor", units=[org["H-A"]])
    page = client.get("/handlingsplaner/verificeret-af-audit").get_data(as_text=True)
    assert "Huddle hver morgen" in page and "Afsnit A1" in page


def test_downloads_list_every_intervention_in_scope(client, login_as, org, closed_round):
    from io import BytesIO

    from openpyxl import load_workbook

    login_as("coordinator", units=[org["H-A1"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round, title="=Huddle"))
    text = client.get("/handlingsplaner/indsatser.csv?format=plain").get_data(as_text=True)
    lines = text.strip().splitlines()
    assert lines[0].startswith("plan_id,round_name,unit_code")
    assert "'=Huddle" in lines[1] and "H-A1" in lines[1] and "laere_af_haendelser" in lines[1]
    workbook = load_workbook(BytesIO(client.get("/handlingsplaner/indsatser.xlsx").data))
    values = [c.value for c in next(workbook.worksheets[0].iter_rows(min_row=2, max_row=2))]
    assert "'=Huddle" in values and "H-A1" in values


def test_api_lists_plans_by_scope_and_filters_against_the_schema(client, login_as, org, closed_round, make_user):
    from jsonschema import Draft202012Validator

    from surveyapp.services.admin import tokens
    from tests.test_api import SPEC

    login_as("coordinator", units=[org["H"]])
    for code in ("H-A1", "H-B1"):
        plan_id = start_plan(client, closed_round, code)
        client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round, title=code))
    scoped_user = make_user("viewer", units=[org["H-A"]])
    _, secret = tokens.create_token("BI", can_read_raw=False, user=scoped_user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    schema = {"$ref": "#/components/schemas/ActionPlanPage", "components": SPEC["components"]}
    body = client.get("/api/v1/action-plans", headers=headers).get_json()
    Draft202012Validator(schema).validate(body)
    assert [p["unit_code"] for p in body["items"]] == ["H-A1"]
    intervention = body["items"][0]["interventions"][0]
    assert intervention["status"] == "planlagt" and intervention["items"] == ["laere_af_haendelser"]
    assert intervention["verified"] is None and intervention["implemented"] is False
    assert body["items"][0]["closed_at"] is None
    assert client.get("/api/v1/action-plans?status=implementeret", headers=headers).get_json()["items"] == []
    assert client.get(f"/api/v1/action-plans?round={closed_round.id}&unit=H-A1",
                      headers=headers).get_json()["items"][0]["unit_code"] == "H-A1"
    assert client.get("/api/v1/action-plans?status=done", headers=headers).status_code == 400
    assert client.get("/api/v1/action-plans").status_code == 401
    page = client.get("/api/v1/action-plans?limit=1", headers={"Authorization": f"Bearer {_organisation_token()}"})
    assert len(page.get_json()["items"]) == 1 and page.get_json()["next"]
    assert "/action-plans" in SPEC["paths"]


def _organisation_token() -> str:
    from surveyapp.services.admin import tokens

    _, secret = tokens.create_token("BI all", can_read_raw=False)
    db.session.commit()
    return secret


def test_leaders_overview_lists_every_afsnit_worst_first_with_plan_state_and_flags(client, login_as, org, closed_round,
                                                                                    make_round):
    repeat = make_round(units=list(org.values()), name="Genmåling 2026", opens=datetime(2026, 9, 1),
                        closes=datetime(2026, 10, 1))
    add_responses(repeat, org["H-A1"], [staff(5, 4 if i < 5 else 1, 4) for i in range(10)])
    add_responses(repeat, org["H-A2"], [staff(4, 4, 4) for _ in range(6)])
    add_responses(repeat, org["H-B2"], [staff(4, 2, 4) for _ in range(8)])
    db.session.commit()
    login_as("coordinator", units=[org["H"]])
    home = client.get("/koordinator/").get_data(as_text=True)
    assert 'href="/handlingsplaner"' in home  # in the menu
    plan_id = start_plan(client, closed_round, "H-A1")
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny",
                data=intervention_form(closed_round, starts_on="2026-01-01", due_on="2026-02-01"))
    page = client.get("/handlingsplaner").get_data(as_text=True)
    rows = re.findall(r'<tr(?: class="needs-plan")?>\s*<th scope="row">(?:<a [^>]+>)?([^<]+)', page)
    # Worst first: B2 and A1 each miss one key item (B2 lower); A2 meets all; B1 is hidden (no figures) last.
    assert rows == ["Afsnit B2", "Afsnit A1", "Afsnit A2", "Afsnit B1"]
    assert "Overskredet: <strong>1</strong>" in page and f'href="/handlingsplaner/{plan_id}"' in page
    assert page.count("⚑ Under målet, ingen plan") == 1  # B2; A1 has its plan
    assert "1 afsnit under målet uden en plan" in page
    # tryg_som_patient in H-A1: 6 of 10 before, 10 of 10 now: +40 points, which Fisher's test calls chance at n=10.
    assert re.search(r"Afsnit A1</a>.*?<td[^>]*>100,0\s%.*?○</span> \+40,0", page, flags=re.S)
    only_a = client.get("/handlingsplaner?afdeling=H-A").get_data(as_text=True)
    assert "Afsnit A1" in only_a and "Afsnit B2" not in only_a
    csv_text = client.get("/handlingsplaner/overblik.csv?format=plain&afdeling=H-A").get_data(as_text=True)
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("afdeling,unit_code,unit_name,round_name,key_item_1,key_item_1_percent")
    assert [line.split(",")[1] for line in lines[1:]] == ["H-A1", "H-A2"]
    assert client.get("/handlingsplaner/overblik.xlsx").status_code == 200
    # The former per-round overview leads to the afdeling's overview.
    assert client.get(f"/handlingsplaner/runde/{closed_round.id}/overblik/H-A").headers["Location"].endswith(
        "/handlingsplaner?afdeling=H-A")


def pdf_text(data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).split()).replace("\xa0", " ")


@pytest.fixture
def baseline_2025(make_round, org):
    """The previous year's staff round: the baseline of the 2026 report."""
    round_ = make_round(units=list(org.values()), name="Baseline 2025", opens=datetime(2025, 3, 1),
                        closes=datetime(2025, 4, 1))
    add_responses(round_, org["H-A1"], [staff(2, 2, 4) for _ in range(10)])
    add_responses(round_, org["H-A2"], [staff(4, 4, 4) for _ in range(6)])
    add_responses(round_, org["H-B2"], [staff(4, 5, 4) for _ in range(8)])
    db.session.commit()
    return round_


def test_annual_report_is_a_board_document_at_every_level(client, login_as, org, baseline_2025, closed_round,
                                                          make_round, app):
    app.config["SURVEYAPP_ORGANISATION"] = "Region Test"
    make_round(units=list(org.values()), name="Løbende måling 2026", opens=datetime(2026, 11, 1),
               closes=datetime(2027, 2, 1))  # open: its results are released when it closes
    user = login_as("coordinator", units=[org["H"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round, highlight="implemented"))
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny",
                data=intervention_form(closed_round, title="Tavlemøde", audit_template="", highlight="new"))
    record_audit(org["H-A1"], user, 9, date(2026, 7, 1))  # verifies the huddle; its status stays "planlagt"
    for code, heading in (("H-A1", "Afsnit A1"), ("H-A", "Afdeling A"), ("H", "Sygehus H")):
        page = client.get(f"/handlingsplaner/aarsrapport/{code}/2026").get_data(as_text=True)
        assert f"Årsrapport 2026: {heading}" in page and "Region Test" in page and "Resumé" in page
        assert "Huddle hver morgen" in page and "bekræftet af audit 1. jul. 2026 (9 af 10 korrekte)" in page
        assert "status “implementeret” tilbydes planens ejer" in page  # offered, not applied silently
        text = pdf_text(client.get(f"/handlingsplaner/aarsrapport/{code}/2026.pdf").data)
        assert text.startswith("Region Test") and "Resumé" in text
        assert "Baseline 2025" in text and "Måling 2026" in text  # the baseline from the previous year
        assert "resultater frigives ved lukning" in text and "skjult" not in text
        assert "1 indsats blev implementeret i 2026." in text
        assert "1 ny indsats er fremhævet; strategien beder om to." in text or code == "H"
    sygehus = pdf_text(client.get("/handlingsplaner/aarsrapport/H/2026.pdf").data)
    assert "Indhold" in sygehus and "Afdeling A (2 afsnit)" in sygehus and "Afdeling B (2 afsnit)" in sygehus
    assert db.session.get(Intervention, 1).status == "planlagt"


def test_a_status_set_by_hand_that_the_latest_audit_contradicts_is_not_implemented(client, login_as, org,
                                                                                    closed_round):
    user = login_as("coordinator", units=[org["H-A"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round))
    intervention = db.session.scalar(select(Intervention))
    client.post(f"/handlingsplaner/indsats/{intervention.id}/status", data={"status": "implementeret"})
    record_audit(org["H-A1"], user, 6, date(2026, 8, 1))  # the latest audit falls short
    page = client.get("/handlingsplaner/aarsrapport/H-A1/2026").get_data(as_text=True)
    assert "Ingen indsats blev implementeret i 2026." in page


def test_the_annual_reports_of_every_afsnit_as_a_zip_and_from_the_command_line(client, login_as, org, closed_round,
                                                                               app, tmp_path):
    import zipfile
    from io import BytesIO

    login_as("admin")
    response = client.get("/handlingsplaner/aarsrapport/H/2026/afsnit.zip")
    assert response.status_code == 200
    names = sorted(zipfile.ZipFile(BytesIO(response.data)).namelist())
    assert names == ["aarsrapport-H-A1-2026.pdf", "aarsrapport-H-A2-2026.pdf", "aarsrapport-H-B1-2026.pdf",
                     "aarsrapport-H-B2-2026.pdf"]
    result = app.test_cli_runner().invoke(args=["annual-reports", "--unit", "H-A", "--year", "2026",
                                                "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "2 annual reports written" in result.output
    assert "Årsrapport 2026: Afsnit A1" in pdf_text((tmp_path / "out" / "aarsrapport-H-A1-2026.pdf").read_bytes())


@pytest.fixture
def repeat_round(make_round, org, closed_round):
    """A later closed round: H-A1's tryg_som_patient goes from 6 of 10 to 8 of 10."""
    repeat = make_round(units=list(org.values()), name="Genmåling 2026", opens=datetime(2026, 9, 1),
                        closes=datetime(2026, 10, 1))
    add_responses(repeat, org["H-A1"], [staff(5 if i < 8 else 2, 4, 4) for i in range(10)])
    add_responses(repeat, org["H-A2"], [staff(4, 4, 4) for _ in range(6)])
    db.session.commit()
    return repeat


def test_a_later_round_shows_the_live_plan_beside_its_challenges_and_offers_to_update_it(
        client, login_as, org, closed_round, repeat_round):
    login_as("coordinator", units=[org["H-A"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    page = client.get(f"/koordinator/runde/{repeat_round.id}/enhed/H-A1").get_data(as_text=True)
    section = page[page.index('id="plan-heading"'):page.index("</section>", page.index('id="plan-heading"'))]
    assert "Måling 2026" in section and "Opdater handlingsplanen" in section and "Lav handlingsplan" not in section
    assert re.search(r"tryg, hvis jeg var patient her</strong>: 60,0\s%.*?→ 80,0\s%", section, flags=re.S)
    assert f"/handlingsplaner/{plan_id}" in section
    # Starting from the later round opens the same plan: never a second one.
    assert start_plan(client, repeat_round, "H-A1") == plan_id
    assert len(db.session.scalars(select(ActionPlan).where(ActionPlan.unit_id == org["H-A1"].id)).all()) == 1
    plan_page = client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert "Genmåling 2026" in plan_page and re.search(r"60,0\s%.*?→ 80,0\s%", plan_page, flags=re.S)


def test_closing_a_plan_is_explicit_keeps_it_read_only_and_lets_a_new_one_start(
        client, login_as, org, closed_round, repeat_round):
    login_as("coordinator", units=[org["H-A"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    assert "Luk handlingsplanen" in client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert client.post(f"/handlingsplaner/{plan_id}/luk").status_code == 302
    page = client.get(f"/handlingsplaner/{plan_id}").get_data(as_text=True)
    assert "blev lukket" in page and "Tilføj en indsats" not in page
    assert client.post(f"/handlingsplaner/{plan_id}/indsats/ny",
                       data=intervention_form(closed_round)).status_code == 403
    assert "Lav handlingsplan" in client.get(f"/koordinator/runde/{repeat_round.id}/enhed/H-A1").get_data(as_text=True)
    new_id = start_plan(client, repeat_round, "H-A1")
    assert new_id != plan_id
    assert "action_plan.close" in set(db.session.scalars(select(ChangeLogEntry.action)))


def test_the_schema_allows_one_live_plan_per_afsnit(org, closed_round, repeat_round):
    from sqlalchemy.exc import IntegrityError

    db.session.add(ActionPlan(unit_id=org["H-A1"].id, round_id=closed_round.id))
    db.session.commit()
    db.session.add(ActionPlan(unit_id=org["H-A1"].id, round_id=repeat_round.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(ActionPlan(unit_id=org["H-A1"].id, round_id=repeat_round.id, closed_at=datetime(2026, 11, 1)))
    db.session.commit()  # closed plans are history: any number of them


def test_the_afdeling_meeting_deck_has_a_16_9_slide_per_afsnit_with_chart_and_challenges(client, login_as, org,
                                                                                        closed_round):
    from io import BytesIO

    from pypdf import PdfReader

    login_as("coordinator", units=[org["H-A"]])
    response = client.get(f"/handlingsplaner/runde/{closed_round.id}/moede/H-A.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(BytesIO(response.data))
    assert len(reader.pages) == 3  # the title, then Afsnit A1 and Afsnit A2
    box = reader.pages[1].mediabox
    assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
    a1 = " ".join(reader.pages[1].extract_text().split())
    assert "Afsnit A1" in a1 and "Største udfordringer" in a1 and "Mål 80" in a1  # the chart's target line
    # Lowest first: laere 3 of 10, tryg 6 of 10, then ledelse 10 of 10 (meets the target, still third).
    listed = a1[a1.index("Største udfordringer"):]
    order = [listed.index(text) for text in ("lære af andres", "tryg, hvis jeg var patient", "ledelsen følge op")]
    assert order == sorted(order) and "Udfordring 1: Kulturen her hos os" in a1
    assert client.get(f"/handlingsplaner/runde/{closed_round.id}/moede/H-A1.pdf").status_code == 404
    assert client.get(f"/handlingsplaner/runde/{closed_round.id}/moede/H-B.pdf").status_code == 404


def test_no_plan_page_or_annual_report_is_kept_by_a_browser_or_proxy(client, login_as, org, closed_round):
    login_as("coordinator", units=[org["H"]])
    plan_id = start_plan(client, closed_round, "H-A1")
    client.post(f"/handlingsplaner/{plan_id}/indsats/ny", data=intervention_form(closed_round))
    intervention = db.session.scalar(select(Intervention))
    urls = [f"/handlingsplaner/{plan_id}", f"/handlingsplaner/{plan_id}/indsats/ny",
            f"/handlingsplaner/indsats/{intervention.id}/rediger", "/handlingsplaner/verificeret-af-audit",
            "/handlingsplaner/indsatser.csv", "/handlingsplaner/indsatser.xlsx",
            "/handlingsplaner", "/handlingsplaner/overblik.csv", "/handlingsplaner/overblik.xlsx",
            "/handlingsplaner/aarsrapport/H-A1/2026",
            "/handlingsplaner/aarsrapport/H-A1/2026.pdf"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
