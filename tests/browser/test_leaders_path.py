"""A leader's path at a laptop's and a phone's size: from the menu to the overview of every afsnit, to a live
plan, to the annual report and its PDF; every page fits its viewport and passes axe (WCAG 2.1 AA)."""
import io
import re
from datetime import datetime

import pypdf
import pytest
from playwright.sync_api import Browser, expect

from surveyapp.extensions import db
from surveyapp.services.plans import plans
from tests.browser.axe import assert_accessible
from tests.conftest import PASSWORD
from tests.results_helpers import add_responses

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def staff(safe, learn, follow):
    return {"tryg_som_patient": safe, "laere_af_haendelser": learn, "ledelse_foelger_op": follow}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_leader_goes_from_the_menu_to_a_plan_and_the_annual_report(browser: Browser, live_server, make_org,
                                                                    make_round, make_user, viewport, tmp_path):
    org = make_org()
    round_ = make_round(units=list(org.values()), name="Måling 2026", opens=datetime(2026, 3, 1),
                        closes=datetime(2026, 4, 1))
    add_responses(round_, org["H-A1"], [staff(5 if i < 6 else 2, 4 if i < 3 else 1, 4) for i in range(10)])
    add_responses(round_, org["H-A2"], [staff(4, 4, 4) for _ in range(6)])
    add_responses(round_, org["H-B2"], [staff(4, 2, 4) for _ in range(8)])
    leader = make_user("coordinator", units=[org["H"]])
    plans.start_plan(round_, org["H-A1"], leader)
    db.session.commit()

    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="da-DK")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(leader.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    def fits_and_passes() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"] + 1, page.url
        assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Handlingsplaner").click()
    expect(page.get_by_role("heading", name="Handlingsplaner", exact=True)).to_be_visible()
    expect(page.get_by_text("⚑ Under målet, ingen plan")).to_be_visible()  # Afsnit B2
    fits_and_passes()
    page.screenshot(path=str(tmp_path / f"overview-{viewport}.png"), full_page=True)

    page.get_by_role("link", name=re.compile(r"^Åbn planen\W+Afsnit A1$")).click()
    expect(page.get_by_role("heading", name="Handlingsplan: Afsnit A1")).to_be_visible()
    expect(page.locator("ol.challenges")).to_contain_text("30,0")
    fits_and_passes()

    page.get_by_role("link", name="Årsrapport 2026", exact=True).click()
    expect(page.get_by_role("heading", name="Årsrapport 2026: Afsnit A1")).to_be_visible()
    expect(page.get_by_role("heading", name="Resumé")).to_be_visible()
    fits_and_passes()
    link = page.get_by_role("link", name="Hent som PDF").get_attribute("href")
    answer = page.request.get(live_server + link)  # with the session's cookie, as the click would send it
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(answer.body()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Resumé" in text and "Måling 2026" in text and "skjult" not in text
    context.close()
