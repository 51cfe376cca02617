"""The strategy page on a laptop (1366 x 900) and a phone (390 x 844): the afsnit's measures against their
targets from imported data, no page wider than its viewport, and axe-core (WCAG 2.1 AA) at zero violations."""
from datetime import datetime

import pytest
from playwright.sync_api import Browser, expect

from surveyapp.extensions import db
from tests.browser.axe import axe_violations
from tests.conftest import PASSWORD
from tests.results_helpers import add_responses
from tests.strategy_helpers import strategy_data

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world(make_org, make_round, make_user):
    org = make_org("H")
    round_ = make_round(units=list(org.values()), name="Måling 2026", opens=datetime(2026, 1, 5),
                        closes=datetime(2026, 1, 30))
    add_responses(round_, org["H-A1"], [{"tryg_som_patient": 5, "laere_af_haendelser": 4, "ledelse_foelger_op": 2}
                                        for _ in range(8)])
    admin = make_user("admin")
    strategy_data(org, round_, admin)
    db.session.commit()
    return org, admin


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_strategy_page_fits_and_passes_axe(browser: Browser, live_server, world, viewport):
    _org, admin = world
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="da-DK")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    problems = {}
    for path in ("/strategi/H-A1?year=2026", "/strategi/H-A?year=2026", "/strategi/H?year=2026",
                 "/strategi/?all=1", "/admin/strategy/indicators", "/admin/strategy/dpsd",
                 "/admin/strategy/indicators/import"):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[viewport]["width"] + 1:
            problems[path] = f"{width} px wide"
        violations = axe_violations(page)
        if violations:
            problems.setdefault(path, [(v["id"], v["targets"][:3]) for v in violations])
    page.goto(live_server + "/strategi/H-A1?year=2026")
    expect(page.get_by_role("heading", name="Kvalitetsstrategien: Afsnit A1")).to_be_visible()
    expect(page.get_by_role("row", name="UTH færdigbehandlet inden for 90 dage")).to_contain_text("Ikke opfyldt")
    expect(page.get_by_role("row", name="Jeg ville føle mig tryg")).to_contain_text("100,0")
    assert page.locator("svg.runchart").count() >= 1
    context.close()
    assert problems == {}, "\n".join(f"{path}: {what}" for path, what in problems.items())
