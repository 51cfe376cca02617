"""The change log keeps who changed what, when, before and after."""
from datetime import datetime

from surveyapp.extensions import db
from surveyapp.models import ChangeLogEntry
from surveyapp.services.admin import changelog


def test_record_keeps_actor_target_and_both_states(app, make_user, make_org):
    admin = make_user("admin")
    unit = make_org()["H-A1"]
    changelog.record(admin, "unit.rename", unit, {"name": "Old", "when": datetime(2026, 1, 2, 3, 4)}, {"name": "New"})
    db.session.commit()
    entry = db.session.scalars(db.select(ChangeLogEntry)).one()
    assert (entry.actor_email, entry.action, entry.target_type, entry.target_id, entry.target_label) == (
        admin.email, "unit.rename", "unit", unit.id, "H-A1")
    assert entry.before == {"name": "Old", "when": "2026-01-02T03:04"}
    assert changelog.changes(entry.before, entry.after) == [("name", "Old", "New"), ("when", "2026-01-02T03:04", None)]


def test_entries_are_newest_first_and_paged(app, make_user, make_org):
    admin = make_user("admin")
    unit = make_org()["H"]
    for n in range(3):
        changelog.record(admin, f"unit.step{n}", unit)
    db.session.commit()
    page, more = changelog.entries(per_page=2)
    assert [e.action for e in page] == ["unit.step2", "unit.step1"] and more
    page, more = changelog.entries(page=2, per_page=2)
    assert [e.action for e in page] == ["unit.step0"] and not more


def test_old_audit_address_redirects_to_the_change_log(client, login_as):
    login_as("admin")
    response = client.get("/admin/audit?type=unit&id=3")
    assert response.status_code == 301
    assert response.headers["Location"] == "/admin/changelog?type=unit&id=3"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ændringslog" in page


def test_every_action_the_code_records_has_words():
    """No page shows a stored key such as `intervention.status`: each action recorded in the code is named."""
    import re
    from pathlib import Path

    from surveyapp.services.admin.changelog_words import ACTIONS

    source = "\n".join(p.read_text() for p in Path("surveyapp").rglob("*.py"))
    recorded = set(re.findall(r'record\([^)]*?"([a-z_]+\.[a-z_]+[a-z])"', source))
    recorded |= {f"{stem}{end}" for stem in re.findall(r'"([a-z_]+\.[a-z_]+_)" \+', source) for end in ("create", "update")}
    recorded |= set(re.findall(r'"([a-z_]+\.[a-z_]+)" if before\["active"\]', source))
    assert recorded and recorded - set(ACTIONS) == set()


def test_the_change_log_shows_an_intervention_status_change_in_words(client, login_as, make_org):
    from flask_babel import force_locale

    admin = login_as("admin")
    unit = make_org()["H-A1"]
    changelog.record(admin, "intervention.status", unit, before={"status": "planlagt"},
                     after={"status": "i_gang", "set_on": "2026-12-01"})
    changelog.record(admin, "round.update", unit, before={"closes_at": "2026-12-28T00:00", "codes_only": False},
                     after={"closes_at": "2027-01-04T00:00", "codes_only": True})
    db.session.commit()
    page = client.get("/admin/changelog").get_data(as_text=True)
    assert "intervention.status" not in page and "i_gang" not in page and "planlagt" not in page
    assert "Status: Planlagt → I gang" in page
    assert "Lukker: 28. dec. 2026 01.00 → 4. jan. 2027 01.00" in page
    assert "Kun svarkoder: Nej → Ja" in page


def test_the_change_log_names_an_interventions_questions_by_their_text(client, login_as, make_org):
    admin = login_as("admin")
    unit = make_org()["H-A1"]
    changelog.record(admin, "intervention.create", unit, after={"title": "Tavlemøde", "items": ["tryg_som_patient"]})
    db.session.commit()
    page = client.get("/admin/changelog").get_data(as_text=True)
    assert "Spørgsmål: – → Jeg ville føle mig tryg, hvis jeg var patient her" in page and "tryg_som_patient" not in page
