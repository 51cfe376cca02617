"""Roles as the README documents them: auditors see audits only, answer codes only for those who make them,
shared audit templates edited only by admins, and the units export neutralises formulas."""
from surveyapp.extensions import db
from surveyapp.models import Unit
from surveyapp.services.admin import org_import
from surveyapp.services.audits import templates as audit_templates
from tests.conftest import PASSWORD

FORM = {"name_da": "Faldrisiko", "name_en": "", "kind": "record", "sample_size": "20", "rule_kind": "share",
        "rule_k": "9", "rule_n": "10", "target_percent": "90", "criteria": "Er faldrisikoen vurderet?\n"}


def test_auditor_starts_on_the_audits_and_reaches_no_survey_results(client, login_as, make_org, make_round):
    units = make_org()
    round_ = make_round(units=list(units.values()))
    login_as("auditor", [units["H"]])
    home = client.get("/koordinator/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/audit/")
    for path in (f"/koordinator/runde/{round_.id}", f"/koordinator/runde/{round_.id}/opfoelgning",
                 f"/koordinator/download/runde/{round_.id}/resultater.csv",
                 f"/koordinator/download/runde/{round_.id}/rapport/{units['H-A1'].id}.pdf",
                 f"/koordinator/plakater/runde/{round_.id}.pdf"):
        assert client.get(path).status_code == 403, path
    assert client.get("/audit/").status_code == 200


def test_viewers_cannot_print_unused_answer_codes(client, login_as, make_org, make_round):
    units = make_org()
    round_ = make_round(units=list(units.values()))
    login_as("viewer", [units["H"]])
    assert client.get(f"/koordinator/plakater/runde/{round_.id}.pdf?codes=1").status_code == 403
    cards = f"/koordinator/plakater/runde/{round_.id}/afsnit/{units['H-A1'].id}/svarkoder.pdf"
    assert client.get(cards).status_code == 403
    assert "codes=1" not in client.get(f"/koordinator/download/runde/{round_.id}").get_data(as_text=True)


def test_coordinators_edit_their_own_templates_and_only_admins_the_shared_ones(app, client, make_user):
    builtin = audit_templates.find("isbar") or next(t for t in audit_templates.active_templates() if t.builtin)
    owner, colleague = make_user("coordinator"), make_user("coordinator")
    client.post("/login", data={"email": owner.email, "password": PASSWORD})
    assert client.post("/audit/skabeloner/ny", data=FORM).status_code == 302
    own = audit_templates.find("faldrisiko")
    assert own.owner_id == owner.id
    assert client.get(f"/audit/skabeloner/{own.id}").status_code == 200
    assert client.post(f"/audit/skabeloner/{builtin.id}", data=FORM).status_code == 403
    assert builtin.version == audit_templates.find(builtin.code).version  # no new version offered anywhere
    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": PASSWORD})
    assert other.get(f"/audit/skabeloner/{own.id}").status_code == 403
    admin = make_user("admin")
    third = app.test_client()
    third.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert third.get(f"/audit/skabeloner/{builtin.id}").status_code == 200


def test_units_export_neutralises_formulas_and_imports_back_unchanged(app, make_org):
    units = make_org()
    units["H-A1"].name = '=HYPERLINK("http://evil.example","klik")'
    db.session.commit()
    text = org_import.export_csv()
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    plan = org_import.plan(text)
    assert plan.ok and not plan.changed
    assert db.session.get(Unit, units["H-A1"].id).name.startswith("=HYPERLINK")
