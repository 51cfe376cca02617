"""Round administration: create for a whole sygehus then untick, clone, add units, close early, reopen."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import ChangeLogEntry, CollectionLink, Round
from surveyapp.services import questionnaires
from surveyapp.services.admin import rounds as rounds_admin
from surveyapp.timeutil import utcnow


def round_data(units, **overrides):
    data = {"name": "Baseline 2026", "questionnaire_id": questionnaires.find("patientsikkerhedskultur").id,
            "opens_at": "2026-03-02T08:00", "closes_at": "2026-03-30T16:00", "target": "80", "min_group": "5",
            "units": [u.id for u in units], "create": "1"}
    data.update(overrides)
    return data


def test_ticking_a_whole_sygehus_ticks_its_afsnit_and_creates_nothing(client, login_as, make_org, app):
    org = make_org("H")
    login_as("admin")
    page = client.post("/admin/rounds/new", data={**round_data([]), "whole": org["H"].id, "pick": "1"}) \
        .get_data(as_text=True)
    for code in ("H-A1", "H-A2", "H-B1", "H-B2"):
        assert f'value="{org[code].id}" id="unit-{org[code].id}" checked' in page
    assert db.session.scalar(select(db.func.count(Round.id))) == 0


def test_admin_creates_a_round_with_a_link_per_afsnit_in_danish_time(client, login_as, make_org, app):
    org = make_org("H")
    login_as("admin")
    chosen = [org["H-A1"], org["H-A2"], org["H-B1"]]  # H-B2 unticked
    response = client.post("/admin/rounds/new", data=round_data(chosen))
    assert response.status_code == 302
    round_ = db.session.scalars(select(Round)).one()
    assert sorted(u.code for u in round_.units) == ["H-A1", "H-A2", "H-B1"]
    assert (round_.target, round_.min_group) == (0.8, 5)
    assert round_.opens_at == datetime(2026, 3, 2, 7, 0)  # 08:00 in Copenhagen is 07:00 UTC in winter
    assert len(round_.links) == 3 and {link.kind for link in round_.links} == {"open"}
    entry = db.session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == "round.create")).one()
    assert entry.after["units"] == ["H-A1", "H-A2", "H-B1"]


def test_round_form_shows_danish_messages_per_field(client, login_as, make_org, app):
    make_org("H")
    login_as("admin")
    page = client.post("/admin/rounds/new", data=round_data([], closes_at="2026-03-01T08:00", target="0", name=""))\
        .get_data(as_text=True)
    for message in ("Angiv et navn på målerunden.", "Målerunden skal lukke efter den åbner.",
                    "Angiv et mål fra 1 til 100.", "Vælg mindst ét afsnit."):
        assert message in page
    assert db.session.scalar(select(db.func.count(Round.id))) == 0


def test_clone_prefills_the_repeat_measurement_a_year_later(client, login_as, make_round, app):
    baseline = make_round(name="Baseline", opens=datetime(2026, 3, 2, 7), closes=datetime(2026, 3, 30, 14))
    login_as("admin")
    page = client.get(f"/admin/rounds/new?from={baseline.id}").get_data(as_text=True)
    assert "Baseline (gentagelse)" in page and 'value="2027-03-01T08:00"' in page
    for unit in baseline.units:
        assert f'id="unit-{unit.id}" checked' in page
    data = round_data(baseline.units, name="Gentagelse", opens_at="2027-03-01T08:00", closes_at="2027-03-29T16:00")
    assert client.post(f"/admin/rounds/new?from={baseline.id}", data=data).status_code == 302
    repeat = db.session.scalar(select(Round).where(Round.name == "Gentagelse"))
    assert [u.code for u in repeat.units] == [u.code for u in baseline.units]
    assert repeat.questionnaire_id == baseline.questionnaire_id
    entry = db.session.scalar(select(ChangeLogEntry).where(ChangeLogEntry.target_id == repeat.id))
    assert entry.after["cloned_from"] == baseline.id


def test_close_early_and_reopen_are_recorded(client, login_as, make_round, app):
    round_ = make_round()
    login_as("admin")
    assert client.post(f"/admin/rounds/{round_.id}/close").status_code == 302
    db.session.refresh(round_)
    assert round_.status() == "closed"
    later = (utcnow() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"/admin/rounds/{round_.id}/reopen", data={"closes_at": later}).status_code == 302
    db.session.refresh(round_)
    assert round_.status() == "open"
    actions = list(db.session.scalars(select(ChangeLogEntry.action).order_by(ChangeLogEntry.id)))
    assert actions == ["round.close", "round.reopen"]
    history = client.get(f"/admin/changelog?type=survey_round&id={round_.id}").get_data(as_text=True)
    assert "Målerunde lukket" in history and "Målerunde genåbnet" in history and "Lukker:" in history
    assert "round.close" not in history and "closes_at" not in history  # words, not stored keys


def test_reopen_needs_a_future_closing_time(app, make_round, make_user):
    round_ = make_round(opens=utcnow() - timedelta(days=30), closes=utcnow() - timedelta(days=1))
    admin = make_user("admin")
    try:
        rounds_admin.reopen(admin, round_, utcnow() - timedelta(hours=1))
    except rounds_admin.RoundError as exc:
        assert "future" in str(exc) or "fremtiden" in str(exc)
    else:
        raise AssertionError("a past closing time was accepted")


def test_adding_a_unit_later_adds_its_link(client, login_as, make_org, make_round, app):
    org = make_org("H")
    round_ = make_round(units=[org["H-A1"]])
    login_as("admin")
    client.post(f"/admin/rounds/{round_.id}/units", data={"units": [org["H-B2"].id]})
    links = db.session.scalars(select(CollectionLink).where(CollectionLink.round_id == round_.id)).all()
    assert sorted(link.unit.code for link in links) == ["H-A1", "H-B2"]


def test_coordinator_manages_rounds_only_within_scope(client, login_as, make_org, make_round, app):
    org, other = make_org("H"), make_org("X")
    own = make_round(units=[org["H-A1"], org["H-A2"]], name="Egen")
    foreign = make_round(units=[other["X-A1"]], name="Fremmed")
    login_as("coordinator", units=[org["H-A"]])
    page = client.get("/admin/rounds").get_data(as_text=True)
    assert "Egen" in page and "Fremmed" not in page
    assert client.get(f"/admin/rounds/{own.id}").status_code == 200
    assert client.get(f"/admin/rounds/{foreign.id}").status_code == 404
    assert client.post(f"/admin/rounds/{foreign.id}/close").status_code == 404
    assert client.get(f"/admin/rounds/new?from={foreign.id}").status_code == 404
    page = client.get("/admin/rounds/new").get_data(as_text=True)
    assert "H-A1" in page and "H-B1" not in page and "X-A1" not in page
    # A unit outside the scope smuggled into the form is refused.
    page = client.post("/admin/rounds/new", data=round_data([org["H-A1"], other["X-A2"]])).get_data(as_text=True)
    assert "Du kan kun vælge enheder inden for din adgang." in page
    assert client.post("/admin/rounds/new", data=round_data([org["H-A1"]])).status_code == 302


def test_a_planned_round_is_edited_and_the_change_recorded(client, login_as, make_round, app):
    round_ = make_round(opens=datetime(2030, 3, 4, 7), closes=datetime(2030, 4, 1, 14))
    login_as("admin")
    data = {"name": "Forår 2030", "opens_at": "2030-03-11T08:00", "closes_at": "2030-04-08T16:00", "target": "75",
            "min_group": "6"}
    assert client.post(f"/admin/rounds/{round_.id}/edit", data=data).status_code == 302
    db.session.refresh(round_)
    assert (round_.name, round_.opens_at, round_.target, round_.min_group) == (
        "Forår 2030", datetime(2030, 3, 11, 7), 0.75, 6)
    entry = db.session.scalar(select(ChangeLogEntry).where(ChangeLogEntry.action == "round.update"))
    assert entry.before["min_group"] == 5 and entry.after["min_group"] == 6


def test_opening_time_stays_once_answers_have_come_in(app, make_round, make_user):
    from surveyapp.models import Response

    round_ = make_round()
    db.session.add(Response(round_id=round_.id, unit_id=round_.units[0].id, submitted_on=utcnow().date(),
                            language="da", idempotency_key="k1"))
    db.session.commit()
    admin = make_user("admin")
    opens, closes = round_.opens_at, round_.closes_at
    with pytest.raises(rounds_admin.RoundError):
        rounds_admin.update(admin, round_, round_.name, opens - timedelta(days=1), closes, 0.8, 5)
    rounds_admin.update(admin, round_, round_.name, opens, closes + timedelta(days=7), 0.8, 5)
    assert (round_.opens_at, round_.closes_at) == (opens, closes + timedelta(days=7))


def test_unreadable_numbers_and_times_get_danish_messages(client, login_as, make_org, app):
    org = make_org("H")
    login_as("admin")
    page = client.post("/admin/rounds/new", data=round_data([org["H-A1"]], opens_at="i morgen", target="firs",
                                                            questionnaire_id="999")).get_data(as_text=True)
    for message in ("Angiv dato og klokkeslæt som 2026-03-02 08:00.", "Angiv et helt tal.", "Vælg en af mulighederne."):
        assert message in page


def test_round_page_links_the_poster_pack_only_where_posters_exist(client, login_as, make_round, app):
    round_ = make_round()
    if "posters.round_pack" not in app.view_functions:
        app.add_url_rule("/test-plakater/<int:round_id>.pdf", endpoint="posters.round_pack",
                         view_func=lambda round_id: "")
    login_as("admin")
    page = client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert "Plakater til alle afsnit (PDF)" in page


def test_round_page_has_no_poster_link_without_the_posters_part(client, login_as, make_round, app):
    round_ = make_round()
    login_as("admin")
    page = client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    assert ("Plakater til alle afsnit" in page) == ("posters.round_pack" in app.view_functions)


def test_round_form_speaks_english_when_asked(client, login_as, make_org, app):
    make_org("H")
    login_as("admin")
    page = client.get("/admin/rounds/new?lang=en").get_data(as_text=True)
    assert "Name of the round" in page and "Tick its wards" in page and "Målerundens navn" not in page
    page = client.post("/admin/rounds/new", data=round_data([], name="")).get_data(as_text=True)
    assert "Enter a name for the round." in page


def test_closing_a_round_is_confirmed_on_its_own_page(client, login_as, make_round):
    round_ = make_round()
    login_as("admin")
    page = client.get(f"/admin/rounds/{round_.id}").get_data(as_text=True)
    close_url = f"/admin/rounds/{round_.id}/close"
    assert f'class="button button-secondary" href="{close_url}"' in page
    assert f'action="{close_url}"' not in page  # no one-click close on the round page
    confirm = client.get(close_url)
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert f'action="{close_url}"' in html and "nye svar" in html and "resultaterne" in html
    db.session.refresh(round_)
    assert round_.status() == "open"  # looking at the page closes nothing
    assert client.post(close_url).status_code == 302
    db.session.refresh(round_)
    assert round_.status() == "closed"
    assert client.get(close_url).status_code == 302  # closed: back to the round


def test_a_coordinator_s_admin_round_list_shows_the_same_rounds_as_their_round_list(client, login_as, make_org, make_round):
    org = make_org("H")
    shared = make_round(units=[org["H-A1"], org["H-B1"]], name="Fælles runde")
    own = make_round(units=[org["H-A1"]], name="Egen runde")
    login_as("coordinator", units=[org["H-A"]])
    admin_list = client.get("/admin/rounds").get_data(as_text=True)
    coordinator_list = client.get("/koordinator/").get_data(as_text=True)
    for name in ("Fælles runde", "Egen runde"):
        assert name in admin_list and name in coordinator_list
    assert f'href="/admin/rounds/{own.id}"' in admin_list
    assert f'href="/admin/rounds/{shared.id}"' not in admin_list  # not linked: it would answer 404
    assert f'href="/koordinator/runde/{shared.id}"' in admin_list
    assert client.get(f"/admin/rounds/{shared.id}").status_code == 404
