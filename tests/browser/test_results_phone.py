"""A coordinator reads the results on a phone: no sideways scrolling outside the tables, charts visible."""
from playwright.sync_api import Page, expect

from surveyapp.extensions import db
from tests.conftest import PASSWORD
from tests.results_helpers import add_responses, closed


def test_coordinator_reads_the_dashboard_and_a_unit_page_on_a_phone(page: Page, live_server, make_user,
                                                                     make_org, make_round):
    org = make_org("H")
    round_ = make_round(**closed(), units=list(org.values()), name="Forårsmåling")
    answers = {"tryg_som_patient": 4, "laere_af_haendelser": 2, "ledelse_foelger_op": 5, "faggruppe": 2}
    add_responses(round_, org["H-A1"], [answers] * 8)
    db.session.commit()
    user = make_user("coordinator", units=[org["H"]])
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Forårsmåling", exact=True).click()
    expect(page.get_by_role("heading", name="Forårsmåling")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.get_by_role("link", name="Afsnit A1").click()
    expect(page.get_by_role("heading", name="Største udfordringer")).to_be_visible()
    expect(page.get_by_role("img", name="Andel positive svar pr. spørgsmål")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
