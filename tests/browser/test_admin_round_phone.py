"""An administrator creates a round end to end on a phone: a whole sygehus, one afsnit unticked."""
from playwright.sync_api import Page, expect
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import Round
from tests.conftest import PASSWORD


def test_admin_creates_a_round_for_a_whole_sygehus_on_a_phone(page: Page, live_server, make_user, make_org):
    org = make_org("H")
    user = make_user("admin")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Målerunder").first.click()
    page.get_by_role("link", name="Ny målerunde").click()
    page.get_by_label("Målerundens navn").fill("Baseline 2026")
    page.get_by_label("Åbner (dansk tid)").fill("2026-03-02T08:00")
    page.get_by_label("Lukker (dansk tid)").fill("2026-03-30T16:00")
    page.get_by_label("Hele Sygehus H").check()
    page.get_by_role("button", name="Vælg dens afsnit").click()
    for name in ("Afsnit A1", "Afsnit A2", "Afsnit B1", "Afsnit B2"):
        expect(page.get_by_label(name)).to_be_checked()
    page.get_by_label("Afsnit B2").uncheck()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    page.get_by_role("button", name="Opret målerunden").click()
    expect(page.get_by_role("heading", name="Baseline 2026")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("oprettet med 3 afsnit")
    round_ = db.session.scalars(select(Round)).one()
    assert sorted(u.code for u in round_.units) == ["H-A1", "H-A2", "H-B1"] and len(round_.links) == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_coordinator_clones_last_years_round_for_the_repeat_measurement(page: Page, live_server, make_user,
                                                                         make_org, make_round):
    from datetime import datetime

    org = make_org("H")
    baseline = make_round(units=[org["H-A1"], org["H-A2"]], name="Baseline", opens=datetime(2026, 3, 2, 7),
                          closes=datetime(2026, 3, 30, 14))
    user = make_user("coordinator", units=[org["H-A"]])
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(live_server + f"/admin/rounds/{baseline.id}")
    page.get_by_role("link", name="Kopiér til genmålingen").click()
    expect(page.get_by_label("Målerundens navn")).to_have_value("Baseline (gentagelse)")
    expect(page.get_by_label("Åbner (dansk tid)")).to_have_value("2027-03-01T08:00")
    expect(page.get_by_label("Afsnit A1")).to_be_checked()
    page.get_by_role("button", name="Opret målerunden").click()
    expect(page.get_by_role("heading", name="Baseline (gentagelse)")).to_be_visible()
    repeat = db.session.scalar(select(Round).where(Round.name == "Baseline (gentagelse)"))
    assert [u.code for u in repeat.units] == ["H-A1", "H-A2"]
    assert repeat.questionnaire_id == baseline.questionnaire_id


def test_ticking_a_whole_afdeling_ticks_its_afsnit_at_once(page: Page, live_server, make_user, make_org):
    make_org("H")
    user = make_user("admin")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(live_server + "/admin/rounds/new")
    page.get_by_label("Hele Afdeling A").check()
    expect(page.get_by_label("Afsnit A1")).to_be_checked()
    expect(page.get_by_label("Afsnit A2")).to_be_checked()
    expect(page.get_by_label("Afsnit B1")).not_to_be_checked()
    page.get_by_label("Hele Afdeling A").uncheck()
    expect(page.get_by_label("Afsnit A1")).not_to_be_checked()
