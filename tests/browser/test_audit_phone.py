"""An auditor records "spørg 10 personaler" on a phone, closes the page mid-audit and resumes."""
from playwright.sync_api import BrowserContext, expect

from tests.conftest import PASSWORD


def answer_sample(page, answers):
    for fieldset, answer in zip(page.locator("fieldset.choice-group").all(), answers):
        fieldset.get_by_text(answer, exact=True).click()
    # The next sample's page, not this one, is answered next: on a loaded machine the click's answer is slow.
    with page.expect_navigation():
        page.get_by_role("button", name="Gem og fortsæt").click()


def test_audit_survives_a_closed_tab_and_is_finished_later(context: BrowserContext, live_server, make_org, make_user):
    ward = make_org()["H-A1"]
    user = make_user("auditor", units=[ward])
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(live_server + "/audit/")
    page.get_by_role("link", name="Start en audit").click()
    page.get_by_label("Audit", exact=True).select_option(label="ISBAR ved vagtoverlevering")
    page.get_by_label("Afsnit", exact=True).select_option(label="Afsnit A1 (H-A1)")
    page.get_by_role("button", name="Start").click()
    for _ in range(3):
        answer_sample(page, ["Ja", "Ja"])
    expect(page.get_by_role("heading", name="Medarbejder 4 af 10")).to_be_visible()
    page.close()  # the connection drops, the tab is closed: samples 1-3 are already stored

    page = context.new_page()
    page.goto(live_server + "/audit/")
    page.get_by_role("link", name="ISBAR ved vagtoverlevering").first.click()  # the audit in progress
    expect(page.get_by_text("(3/10)")).to_be_visible()
    page.get_by_role("link", name="Fortsæt med stikprøve 4").click()
    for number in range(4, 11):
        answer_sample(page, ["Nej", "Ja"] if number == 7 else ["Ja", "Ikke relevant"])
    expect(page.get_by_text("9 af 10 korrekte")).to_be_visible()
    expect(page.get_by_text("✔ Implementeret")).to_be_visible()
    page.get_by_role("button", name="Afslut audit").click()
    expect(page.get_by_text("Audit er afsluttet.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
