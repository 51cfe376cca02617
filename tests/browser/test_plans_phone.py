"""On a phone, a coordinator goes from the afsnit's biggest challenges to a plan, ties an intervention to an
audit, records that audit 9 of 10 and sees the plan confirm the implementation."""
import os
from datetime import datetime

from playwright.sync_api import BrowserContext, expect

from surveyapp.extensions import db
from tests.conftest import PASSWORD
from tests.results_helpers import add_responses


def answer_sample(page, answers):
    for fieldset, answer in zip(page.locator("fieldset.choice-group").all(), answers):
        fieldset.get_by_text(answer, exact=True).click()
    # The next sample's page, not this one, is answered next: on a loaded machine the click's answer is slow.
    with page.expect_navigation():
        page.get_by_role("button", name="Gem og fortsæt").click()


def test_plan_from_challenges_confirmed_by_an_audit(context: BrowserContext, live_server, make_org, make_round,
                                                     make_user, tmp_path):
    org = make_org()
    round_ = make_round(units=list(org.values()), name="Måling 2026", opens=datetime(2026, 3, 1),
                        closes=datetime(2026, 4, 1))
    for code, answers in (("H-A1", [(5 if i < 6 else 2, 4 if i < 3 else 1, 4) for i in range(10)]),
                          ("H-A2", [(4, 4, 4)] * 6), ("H-B1", [(4, 4, 4)] * 6), ("H-B2", [(4, 5, 4)] * 8)):
        add_responses(round_, org[code], [{"tryg_som_patient": a, "laere_af_haendelser": b, "ledelse_foelger_op": c}
                                          for a, b, c in answers])
    db.session.commit()
    user = make_user("coordinator", units=[org["H-A1"]])
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    page.goto(f"{live_server}/koordinator/runde/{round_.id}/enhed/H-A1")
    page.get_by_role("button", name="Lav handlingsplan").click()
    expect(page.get_by_role("heading", name="Handlingsplan: Afsnit A1")).to_be_visible()
    expect(page.locator("ol.challenges")).to_contain_text("30,0")
    page.get_by_role("link", name="Tilføj en indsats").click()
    page.get_by_label("Titel").fill("ISBAR ved hver vagtoverlevering")
    page.locator("fieldset").get_by_text("hændelser").first.click()
    page.get_by_label("Ansvarlig").fill("Afsnitsledelsen")
    page.get_by_label("Verificeres af audit").select_option(label="ISBAR ved vagtoverlevering")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Indsatsen er tilføjet.")).to_be_visible()
    expect(page.get_by_text("Ikke auditeret endnu.")).to_be_visible()

    page.goto(live_server + "/audit/ny")
    page.get_by_label("Audit", exact=True).select_option(label="ISBAR ved vagtoverlevering")
    page.get_by_label("Afsnit", exact=True).select_option(label="Afsnit A1 (H-A1)")
    page.get_by_role("button", name="Start").click()
    for number in range(1, 11):
        answer_sample(page, ["Nej", "Ja"] if number == 7 else ["Ja", "Ja"])
    expect(page.get_by_text("9 af 10 korrekte")).to_be_visible()
    page.get_by_role("button", name="Afslut audit").click()

    page.goto(f"{live_server}/koordinator/runde/{round_.id}/enhed/H-A1")
    page.get_by_role("link", name="Åbn handlingsplanen").click()
    expect(page.get_by_text("Implementering bekræftet af audit")).to_be_visible()
    expect(page.get_by_text("(9 af 10 korrekte)")).to_be_visible()
    page.get_by_role("button", name="Sæt status til implementeret").click()
    expect(page.get_by_text("Status er nu “Implementeret”.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.screenshot(path=os.environ.get("PLAN_SCREENSHOT") or str(tmp_path / "plan.png"), full_page=True)
