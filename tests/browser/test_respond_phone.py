"""A nurse answers the safety culture survey on a phone: Chromium at 390x844, answering by tapping labels."""
import os
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Response, Unit
from surveyapp.staticfiles import compress_static

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
KEY_STATEMENTS = [
    "Jeg ville føle mig tryg, hvis jeg var patient her",
    "Kulturen her hos os gør det nemt at lære af andres utilsigtede hændelser",
    "Hvis jeg kom med forslag til patientsikkerheden, ville ledelsen følge op på dem",
]


def _stored() -> int:
    db.session.remove()  # a fresh snapshot: the server's threads wrote the rows
    return db.session.scalar(select(func.count()).select_from(Response))


def _choose(page: Page, statement: str, option: str) -> None:
    page.get_by_role("group", name=statement).get_by_text(option, exact=True).click()


def test_answers_by_tapping_labels_and_a_double_submit_stores_one_response(page: Page, live_server, make_round):
    compress_static()
    slug = make_round().links[0].slug
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.goto(f"{live_server}/s/{slug}")
    expect(page.get_by_role("heading", name="Patientsikkerhedskultur")).to_be_visible()
    expect(page.get_by_text("Afsnit A1")).to_be_visible()
    expect(page.get_by_text("Din besvarelse er anonym")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    for statement in KEY_STATEMENTS:
        _choose(page, statement, "Helt enig")
    _choose(page, "Faggruppe", "Sygeplejerske")
    assert page.get_by_role("group", name=KEY_STATEMENTS[0]).get_by_label("Helt enig", exact=True).is_checked()
    label_box = page.get_by_role("group", name=KEY_STATEMENTS[0]).get_by_text("Helt enig", exact=True).bounding_box()
    assert label_box["height"] >= 44 and label_box["width"] >= 300  # a large tap target
    # A double tap on slow Wi-Fi: two posts of the same form in flight at once (sent from the page, so they
    # race in the threaded server), then the tap the phone shows the answer of.
    statuses = page.evaluate("""async () => {
        const form = document.querySelector("form.respond-form");
        const post = () => fetch(form.action, {method: "POST", body: new FormData(form), redirect: "manual"})
            .then(r => r.type === "opaqueredirect" ? 303 : r.status);
        return Promise.all([post(), post()]);
    }""")
    assert statuses == [303, 303]
    page.get_by_role("button", name="Send svar").click()
    expect(page.get_by_role("heading", name="Tak for din besvarelse")).to_be_visible()
    assert len(posts) == 3
    assert _stored() == 1
    page.go_back()  # the back button: the page knows this browser has answered
    expect(page.get_by_role("heading", name="Tak for din besvarelse")).to_be_visible()
    assert _stored() == 1


def test_missing_answers_show_a_linked_error_summary_and_keep_the_choices(page: Page, live_server, make_round):
    slug = make_round().links[0].slug
    page.goto(f"{live_server}/s/{slug}")
    _choose(page, KEY_STATEMENTS[0], "Enig")
    page.get_by_role("button", name="Send svar").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Ret venligst følgende")
    assert page.evaluate("document.activeElement.id") == "error-summary"  # the summary takes the focus on load
    assert page.get_by_role("group", name=KEY_STATEMENTS[0]).get_by_label("Enig", exact=True).is_checked()
    summary.get_by_role("link").first.click()
    focused = page.evaluate("document.activeElement.id")
    assert page.url.endswith("#item_laere_af_haendelser-legend") and focused == "item_laere_af_haendelser-legend"
    assert page.get_by_role("group", name=KEY_STATEMENTS[1]).locator("legend").is_visible()
    assert _stored() == 0


def test_screenshot_for_the_readme(page: Page, live_server, make_round, tmp_path):
    """Set SURVEYAPP_SCREENSHOTS=1 to refresh docs/screenshots/respond-phone.png; otherwise into tmp."""
    hospital = Unit(code="SLA", name="Slagelse Sygehus", level="sygehus")
    department = Unit(code="SLA-MED", name="Medicinsk afdeling", level="afdeling", parent=hospital)
    ward = Unit(code="SLA-M1", name="Medicinsk sengeafsnit M1", level="afsnit", parent=department, headcount=40)
    db.session.add_all([hospital, department, ward])
    db.session.commit()
    slug = make_round(units=[ward]).links[0].slug
    page.goto(f"{live_server}/s/{slug}")
    _choose(page, KEY_STATEMENTS[0], "Enig")
    page.get_by_role("group", name=KEY_STATEMENTS[0]).get_by_label("Helt enig", exact=True).focus()
    target = SCREENSHOTS if os.environ.get("SURVEYAPP_SCREENSHOTS") else tmp_path
    page.screenshot(path=str(target / "respond-phone.png"))
    assert (target / "respond-phone.png").stat().st_size > 10_000
