"""Organisation administration: the tree, unit changes, CSV import with a dry run, export, the CLI."""
from pathlib import Path

import pytest
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import ChangeLogEntry, Unit
from surveyapp.services.admin import org_import

FIXTURES = Path(__file__).parent / "admin_fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def plan_for(name: str, **kwargs) -> org_import.ImportPlan:
    text, errors = org_import.decode(fixture(name))
    return org_import.plan(text, **kwargs) if text is not None else org_import.ImportPlan(errors=errors)


def test_dry_run_of_a_good_file_reports_creations_and_writes_nothing(app):
    plan = plan_for("good.csv")
    assert plan.ok
    assert [row.code for row in plan.created] == ["NSR", "NSR-MED", "NSR-MED-M1", "NSR-MED-M2", "NSR-KIR",
                                                   "NSR-KIR-K1"]
    assert db.session.scalar(select(db.func.count(Unit.id))) == 0


def test_import_creates_the_tree_and_a_second_import_reports_changes(app, make_user):
    admin = make_user("admin")
    org_import.apply(plan_for("good.csv"), admin)
    db.session.commit()
    ward = db.session.scalar(select(Unit).where(Unit.code == "NSR-MED-M1"))
    assert (ward.parent.code, ward.headcount, ward.level) == ("NSR-MED", 24, "afsnit")
    assert db.session.scalar(select(db.func.count(ChangeLogEntry.id))) == 6
    text = fixture("good.csv").decode().replace("Afsnit M1,NSR-MED,afsnit,24,1", "Afsnit M1 (ny),NSR-MED,afsnit,26,0")
    plan = org_import.plan(text)
    assert plan.ok and plan.unchanged == 5 and plan.deactivated == ["NSR-MED-M1"]
    [(row, diff)] = plan.changed
    assert diff == {"name": ("Afsnit M1", "Afsnit M1 (ny)"), "headcount": (24, 26), "active": (True, False)}


def test_export_imports_back_unchanged(app, make_org):
    make_org("H")
    plan = org_import.plan(org_import.export_csv())
    assert plan.ok and not plan.created and not plan.changed and plan.unchanged == 7


def test_semicolon_separated_danish_excel_file_is_accepted(app):
    plan = plan_for("semicolon.csv")
    assert plan.ok and plan.created[-1].name == "Afsnit Ø1"


def test_broken_file_lists_every_error_with_its_line_and_writes_nothing(app, runner):
    plan = plan_for("broken.csv")
    assert [line for line, _ in plan.errors] == [4, 5, 6, 7, 8]
    messages = dict(plan.errors)
    assert "NSR-UKENDT" in messages[4] and "Ukendt overordnet enhed" in messages[4]
    assert "NSR-MED" in messages[5] and "linje 3" in messages[5]
    assert "Ugyldigt niveau ward" in messages[6]
    assert "tolv" in messages[7] and "-3" in messages[8]
    with pytest.raises(org_import.ImportRefused):
        org_import.apply(plan, None)
    assert db.session.scalar(select(db.func.count(Unit.id))) == 0


@pytest.mark.parametrize("name, line, words", [
    ("cycle.csv", 3, "Ring i træet"),
    ("tabs.csv", 1, "skilletegn"),
    ("latin1.csv", 4, "UTF-8"),
    ("columns.csv", 3, "7"),
])
def test_refused_files_name_the_line_and_reason(app, name, line, words):
    plan = plan_for(name)
    assert not plan.ok
    assert any(err_line == line and words in message for err_line, message in plan.errors), plan.errors


def test_self_parent_and_cycle_are_both_refused(app):
    lines = sorted(line for line, _ in plan_for("cycle.csv").errors)
    assert lines == [3, 4, 5]


def test_cli_dry_run_writes_nothing_and_import_writes(runner, app):
    result = runner.invoke(args=["import-units", str(FIXTURES / "good.csv"), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "create NSR-MED-M1 (afsnit) Afsnit M1" in result.output
    assert "dry run: 6 created, 0 changed, 0 deactivated, 0 unchanged; nothing was written" in result.output
    assert db.session.scalar(select(db.func.count(Unit.id))) == 0
    result = runner.invoke(args=["import-units", str(FIXTURES / "good.csv")])
    assert result.exit_code == 0 and "imported: 6 created" in result.output
    assert db.session.scalar(select(db.func.count(Unit.id))) == 6


@pytest.mark.parametrize("name", ["broken.csv", "cycle.csv", "tabs.csv", "latin1.csv", "columns.csv"])
def test_cli_refuses_a_broken_file_with_a_non_zero_exit(runner, app, name):
    result = runner.invoke(args=["import-units", str(FIXTURES / name), "--dry-run"])
    assert result.exit_code != 0
    assert f"{name}:" in result.output and "nothing was imported" in result.output
    assert db.session.scalar(select(db.func.count(Unit.id))) == 0


def test_admin_imports_through_the_browser_after_a_dry_run(client, login_as, app):
    login_as("admin")
    response = client.post("/admin/units/import", data={"file": (FIXTURES / "good.csv").open("rb")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "Prøvekørsel" in page and "NSR-MED-M1" in page
    assert db.session.scalar(select(db.func.count(Unit.id))) == 0
    content = fixture("good.csv").decode()
    response = client.post("/admin/units/import/confirm", data={"content": content, "deactivate_missing": ""})
    assert response.status_code == 302
    assert db.session.scalar(select(db.func.count(Unit.id))) == 6
    page = client.get("/admin/units").get_data(as_text=True)
    assert "Afsnit M1" in page and ">73<" in page  # the sygehus totals the afsnit's headcounts


def test_browser_import_of_a_broken_file_shows_line_errors(client, login_as, app):
    login_as("admin")
    page = client.post("/admin/units/import", data={"file": (FIXTURES / "broken.csv").open("rb")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Linje 4:" in page and "intet blev importeret" in page and "Importér nu" not in page


def test_admin_creates_renames_moves_and_deactivates_a_unit(client, login_as, make_org, app):
    org = make_org("H")
    login_as("admin")
    response = client.post("/admin/units/new", data={"code": "H-A3", "name": "Afsnit A3", "level": "afsnit",
                                                     "parent_id": org["H-A"].id, "headcount": "12", "active": "y"})
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "H-A3"))
    response = client.post(f"/admin/units/{unit.id}", data={"name": "Afsnit B3", "parent_id": org["H-B"].id,
                                                            "headcount": "14"})
    assert response.status_code == 302
    db.session.refresh(unit)
    assert (unit.name, unit.parent_id, unit.headcount, unit.active) == ("Afsnit B3", org["H-B"].id, 14, False)
    actions = list(db.session.scalars(select(ChangeLogEntry.action).order_by(ChangeLogEntry.id)))
    assert actions == ["unit.create", "unit.deactivate"]


def test_unit_form_rejects_a_taken_code_and_a_wrong_parent_level(client, login_as, make_org, app):
    org = make_org("H")
    login_as("admin")
    page = client.post("/admin/units/new", data={"code": "H-A1", "name": "X", "level": "afsnit",
                                                 "parent_id": org["H-A"].id}).get_data(as_text=True)
    assert "Koden H-A1 er allerede i brug." in page
    page = client.post("/admin/units/new", data={"code": "H-Z", "name": "X", "level": "afsnit",
                                                 "parent_id": org["H"].id, "headcount": "-1"}).get_data(as_text=True)
    assert "Angiv et helt tal på 0 eller mere." in page


def test_a_unit_with_responses_or_rounds_is_never_deleted(client, login_as, make_round, app):
    round_ = make_round()
    login_as("admin")
    unit = round_.units[0]
    response = client.post(f"/admin/units/{unit.id}/delete")
    assert response.status_code == 302 and db.session.get(Unit, unit.id) is not None


def test_a_unit_created_by_mistake_can_be_deleted(client, login_as, make_org, app):
    org = make_org("H")
    login_as("admin")
    client.post("/admin/units/new", data={"code": "H-A9", "name": "Fejl", "level": "afsnit",
                                          "parent_id": org["H-A"].id})
    unit = db.session.scalar(select(Unit).where(Unit.code == "H-A9"))
    assert client.post(f"/admin/units/{unit.id}/delete").status_code == 302
    assert db.session.scalar(select(Unit).where(Unit.code == "H-A9")) is None


def test_coordinator_sees_only_the_units_in_scope_and_cannot_change_them(client, login_as, make_org, app):
    org, other = make_org("H"), make_org("X")
    login_as("coordinator", units=[org["H-A"]])
    page = client.get("/admin/units").get_data(as_text=True)
    assert "H-A1" in page and "H-B1" not in page and "X-A1" not in page
    assert client.get(f"/admin/units/{org['H-A1'].id}").status_code == 403
    assert client.get("/admin/units/import").status_code == 403
    assert client.get("/admin/units/export.csv").status_code == 403


def test_deactivating_an_afdeling_deactivates_its_afsnit(client, login_as, make_org, app):
    org = make_org("H")
    login_as("admin")
    client.post(f"/admin/units/{org['H-A'].id}", data={"name": "Afdeling A", "parent_id": org["H"].id})
    db.session.expire_all()
    assert [org[c].active for c in ("H-A", "H-A1", "H-A2", "H-B1")] == [False, False, False, True]
    assert db.session.scalar(select(db.func.count(ChangeLogEntry.id))) == 3
    # Reactivating an afsnit below the inactive afdeling is refused with a reason.
    page = client.post(f"/admin/units/{org['H-A1'].id}", data={"name": "Afsnit A1", "parent_id": org["H-A"].id,
                                                               "active": "y"}).get_data(as_text=True)
    assert "Genaktivér H-A først" in page


def test_a_danish_excel_file_with_bom_crlf_and_quotes_is_accepted(app):
    plan = plan_for("excel-danish.csv")
    assert plan.ok, plan.errors
    assert [(r.code, r.name, r.headcount, r.active) for r in plan.created] == [
        ("NSR", "Sygehus Syd, Næstved", None, True), ("NSR-MED", "Medicinsk afdeling", None, True),
        ("NSR-MED-M1", "Afsnit Ø1", 24, True)]


def test_an_afsnit_can_only_be_moved_to_an_afdeling(client, login_as, make_org, app):
    org = make_org("H")
    login_as("admin")
    page = client.get(f"/admin/units/{org['H-A1'].id}").get_data(as_text=True)
    assert f'value="{org["H-B"].id}"' in page and f'value="{org["H"].id}"' not in page
    page = client.post(f"/admin/units/{org['H-A1'].id}", data={"name": "Afsnit A1", "parent_id": org["H"].id,
                                                               "active": "y"}).get_data(as_text=True)
    assert "Et afsnit skal ligge under en afdeling." in page


def test_wrong_parent_levels_are_refused_per_line(app):
    errors = plan_for("levels.csv").errors
    assert errors == [(4, "A-1-x er et afsnit og skal ligge under en afdeling."),
                      (5, "A-2 er en afdeling og skal ligge under et sygehus."),
                      (6, "Et sygehus har ingen overordnet enhed, men B angiver A.")]


def test_an_active_unit_below_an_inactive_one_is_refused(app, make_org):
    assert plan_for("inactive-parent.csv").errors == [
        (4, "A-1-x er aktiv, men ligger under A-1, som ikke er; deaktivér også A-1-x, eller behold A-1 aktiv.")]
    make_org("H")
    text = org_import.export_csv().replace("H-A,Afdeling A,H,afdeling,,1", "H-A,Afdeling A,H,afdeling,,0")
    lines = text.splitlines()
    only_afdeling = "\n".join([lines[0]] + [line for line in lines if line.startswith("H-A,")])
    errors = org_import.plan(only_afdeling).errors  # its afsnit are not in the file but would stay active
    assert [line for line, _ in errors] == [2, 2]
    assert org_import.plan(text.replace("afsnit,20,1", "afsnit,20,0")).ok
