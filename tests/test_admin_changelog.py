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
