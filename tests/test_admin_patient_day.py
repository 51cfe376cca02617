""""Hvad er vigtigt for dig?"-dagen is a setting: a coordinator opens the patient round for chosen afsnit for
a day (6 June by default) or a period in one step, with a QR link and a kiosk link per afsnit."""
from datetime import date, datetime

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import ChangeLogEntry, Round
from surveyapp.services import questionnaires
from surveyapp.services.admin import rounds as rounds_admin


def day_data(units, **overrides):
    data = {"name": "Hvad er vigtigt for dig?-dagen 2027", "first_day": "2027-06-08", "last_day": "2027-06-08",
            "questionnaire_id": questionnaires.find("hvad-er-vigtigt-for-dig").id, "target": "80",
            "min_group": "5", "units": [u.id for u in units], "create": "1"}
    data.update(overrides)
    return data


def test_the_form_defaults_to_this_years_6_june_and_offers_only_patient_questionnaires(client, login_as, make_org):
    make_org("H")
    login_as("admin")
    html = client.get("/admin/rounds/patient-day").get_data(as_text=True)
    defaults = rounds_admin.patient_day_defaults(date.today())
    assert f'value="{defaults["first_day"].isoformat()}"' in html
    assert defaults["first_day"].month == 6 and defaults["first_day"].day == 6
    assert "Hvad er vigtigt for dig? · v1" in html and "Patientsikkerhedskultur" not in html
    assert "00:00" in html and "23:59" in html
    assert "/admin/rounds/patient-day" in client.get("/admin/rounds").get_data(as_text=True)


def test_defaults_move_to_next_year_once_the_day_has_passed(app):
    assert rounds_admin.patient_day_defaults(date(2026, 6, 6))["first_day"] == date(2026, 6, 6)
    assert rounds_admin.patient_day_defaults(date(2026, 11, 23))["first_day"] == date(2027, 6, 6)


def test_a_coordinator_opens_the_day_for_the_whole_afdeling_in_one_step(client, login_as, make_org):
    org = make_org("H")
    coordinator = login_as("coordinator", units=[org["H-A"]])
    picked = client.post("/admin/rounds/patient-day", data={**day_data([]), "whole": org["H-A"].id, "pick": "1"})
    html = picked.get_data(as_text=True)
    assert f'value="{org["H-A1"].id}" id="unit-{org["H-A1"].id}" checked' in html
    assert db.session.scalar(select(db.func.count(Round.id))) == 0
    response = client.post("/admin/rounds/patient-day", data=day_data([org["H-A1"], org["H-A2"]]))
    assert response.status_code == 302
    round_ = db.session.scalars(select(Round)).one()
    assert round_.questionnaire.audience == "patient"
    assert sorted(u.code for u in round_.units) == ["H-A1", "H-A2"]
    # 8 June 00:00-23:59 in Copenhagen is 22:00 the day before to 21:59 UTC in summer.
    assert (round_.opens_at, round_.closes_at) == (datetime(2027, 6, 7, 22, 0), datetime(2027, 6, 8, 21, 59))
    assert sorted((l.unit.code, l.kind) for l in round_.links) == [
        ("H-A1", "kiosk"), ("H-A1", "open"), ("H-A2", "kiosk"), ("H-A2", "open")]
    entry = db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == "round.create")).one()
    assert entry.actor_id == coordinator.id
    assert entry.after["preset"] == "patient_day" and entry.after["link_kinds"] == ["open", "kiosk"]
    assert entry.after["units"] == ["H-A1", "H-A2"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    kiosk = next(l for l in round_.links if l.kind == "kiosk" and l.unit.code == "H-A1")
    assert "Kiosklinks til afsnittenes tablets" in page and f"http://surveyapp.test/s/{kiosk.slug}" in page


def test_a_period_of_several_days_and_its_checks(client, login_as, make_org):
    org = make_org("H")
    login_as("admin")
    bad = client.post("/admin/rounds/patient-day", data=day_data([org["H-A1"]], last_day="2027-06-01"))
    assert "Den sidste dag kan ikke ligge før den første." in bad.get_data(as_text=True)
    staff = client.post("/admin/rounds/patient-day", data=day_data(
        [org["H-A1"]], questionnaire_id=questionnaires.find("patientsikkerhedskultur").id))
    assert staff.status_code == 200 and db.session.scalar(select(db.func.count(Round.id))) == 0
    client.post("/admin/rounds/patient-day", data=day_data([org["H-A1"]], first_day="2027-06-06",
                                                           last_day="2027-06-09"))
    round_ = db.session.scalars(select(Round)).one()
    assert (round_.opens_at, round_.closes_at) == (datetime(2027, 6, 5, 22, 0), datetime(2027, 6, 9, 21, 59))


def test_a_coordinator_cannot_open_the_day_outside_their_scope(client, login_as, make_org):
    org = make_org("H")
    login_as("coordinator", units=[org["H-A"]])
    page = client.post("/admin/rounds/patient-day", data=day_data([org["H-B1"]]))
    assert page.status_code == 200 and db.session.scalar(select(db.func.count(Round.id))) == 0


def test_the_page_says_which_translations_no_translator_has_checked(client, login_as, make_org):
    make_org("H")
    login_as("coordinator")
    html = client.get("/admin/rounds/patient-day").get_data(as_text=True)
    assert "maskinoversættelser, som ingen oversætter har tjekket endnu: Deutsch, Polski, Українська, العربية." in html
