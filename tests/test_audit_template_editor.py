"""Coordinators create their own audit templates, versioned so earlier audits stay comparable."""
from datetime import date

from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import AuditTemplate, ChangeLogEntry
from surveyapp.services.audits import recording as audits
from surveyapp.services.audits import templates as audit_templates

FORM = {"name_da": "Faldrisiko: vurdering ved indlæggelse", "name_en": "", "kind": "record", "sample_size": "20",
        "rule_kind": "share", "rule_k": "9", "rule_n": "10", "target_percent": "90",
        "criteria": "Er faldrisikoen vurderet inden for 24 timer? | Skemaet er udfyldt\nEr der lagt en plan?\n"}


def test_coordinator_creates_a_template_that_audits_can_use(client, login_as):
    login_as("coordinator")
    response = client.post("/audit/skabeloner/ny", data=FORM)
    assert response.status_code == 302
    template = audit_templates.find("faldrisiko-vurdering-ved-indlaeggelse")
    assert (template.kind, template.sample_size, template.rule_kind, template.target_share) == ("record", 20, "share", 0.9)
    assert [c.text["da"] for c in template.criteria] == ["Er faldrisikoen vurderet inden for 24 timer?",
                                                          "Er der lagt en plan?"]
    assert template.criteria[0].guidance == {"da": "Skemaet er udfyldt"}
    assert db.session.scalar(select(func.count()).select_from(ChangeLogEntry)
                             .where(ChangeLogEntry.action == "audit_template.create")) == 1
    assert "Faldrisiko" in client.get("/audit/skabeloner").get_data(as_text=True)


def test_editing_a_used_template_makes_a_new_version_with_the_same_code(client, login_as, make_org, make_user):
    login_as("coordinator")
    client.post("/audit/skabeloner/ny", data=FORM)
    first = audit_templates.find("faldrisiko-vurdering-ved-indlaeggelse")
    client.post(f"/audit/skabeloner/{first.id}", data={**FORM, "sample_size": "15"})
    assert audit_templates.find(first.code).version == 1 and first.sample_size == 15  # unused: changed in place
    audits.start_audit(first, make_org()["H-A1"], make_user("admin"), date(2026, 11, 1))
    db.session.commit()
    page = client.get(f"/audit/skabeloner/{first.id}").get_data(as_text=True)
    assert "ny version" in page
    client.post(f"/audit/skabeloner/{first.id}", data={**FORM, "target_percent": "95"})
    newest = audit_templates.find(first.code)
    assert newest.version == 2 and newest.target_share == 0.95
    db.session.refresh(first)
    assert first.target_share == 0.9 and first.sample_size == 15  # the used version is untouched


def test_editor_refuses_a_bad_rule_with_a_message_per_field(client, login_as):
    login_as("admin")
    page = client.post("/audit/skabeloner/ny", data={**FORM, "rule_kind": "k_of_n", "rule_k": "11",
                                                      "criteria": ""}).get_data(as_text=True)
    assert "k kan ikke være større end n." in page and "Skriv mindst ét spørgsmål." in page
    assert db.session.scalar(select(func.count()).select_from(AuditTemplate)) == 3  # the built-in ones only


def test_auditors_and_viewers_cannot_edit_templates(client, login_as):
    login_as("auditor")
    assert client.get("/audit/skabeloner").status_code == 403
    assert client.post("/audit/skabeloner/ny", data=FORM).status_code == 403
