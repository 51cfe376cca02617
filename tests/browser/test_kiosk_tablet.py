"""A ward tablet in kiosk mode (Chromium at a tablet's 1024x768): patient after patient, nothing kept."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Response
from tests.browser.axe import assert_accessible

#: The kiosk's return to the start (a meta refresh) is the one timing WCAG 2.2.1 allows as essential here: a
#: shared ward tablet must not keep one patient's answers for the next. Phones (open links) have no refresh.
KIOSK_ALLOWED = ("meta-refresh",)


@pytest.fixture
def app_config():
    return {"SURVEYAPP_KIOSK_RESET_SECONDS": 1}  # the thank-you screen's return to the start, quick for a test


@pytest.fixture
def tablet(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, has_touch=True, locale="da-DK")
    yield context.new_page()
    context.close()


def _stored() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Response))


def _content(tablet) -> str:
    """The page's HTML, once a navigation under way (a back step, the kiosk's own return) has settled."""
    for _ in range(5):
        try:
            tablet.wait_for_load_state()
            return tablet.content()
        except Exception:  # navigating: try again when it has loaded
            continue
    return tablet.content()


def _answer(tablet, language: str, option: str, next_button: str, text: str, send: str) -> None:
    tablet.get_by_role("link", name=language).click()
    tablet.wait_for_url("**lang=*")
    tablet.locator("label.form-label", has_text=option).first.click()
    tablet.get_by_role("button", name=next_button).click()
    tablet.locator("textarea").fill(text)
    tablet.get_by_role("button", name=send).click()


def test_the_kiosk_returns_to_the_start_and_keeps_nothing_of_the_last_patient(tablet, live_server, make_round):
    round_ = make_round(questionnaire="hvad-er-vigtigt-for-dig", link_kinds=("open", "kiosk"))
    start = f"{live_server}/s/{next(link.slug for link in round_.links if link.kind == 'kiosk')}"
    tablet.goto(start)
    expect(tablet.get_by_role("heading", name="Vælg dit sprog")).to_be_visible()
    assert tablet.locator("header a, nav").count() == 0  # no way out of the kiosk
    assert_accessible(tablet, KIOSK_ALLOWED)
    _answer(tablet, "Polski", "W dużym stopniu", "Dalej", "Tajemnica pierwszego pacjenta", "Wyślij odpowiedź")
    expect(tablet.get_by_role("heading", name="Dziękujemy za odpowiedź")).to_be_visible()
    assert_accessible(tablet, KIOSK_ALLOWED)
    # By itself, no tap: back to the language picker, in Danish again.
    tablet.wait_for_url(start, timeout=10_000)
    expect(tablet.get_by_role("heading", name="Vælg dit sprog")).to_be_visible()
    assert _stored() == 1
    assert "Tajemnica" not in _content(tablet)
    # The next patient sees an empty form: no choice, no text, no autofill of the last patient's words.
    tablet.get_by_role("link", name="Dansk").click()
    tablet.wait_for_url("**lang=da")
    expect(tablet.get_by_text("Spørgsmål 1 af 2")).to_be_visible()
    assert tablet.locator("input[type=radio]:checked").count() == 0
    assert tablet.locator("form[autocomplete=off]").count() == 1
    tablet.locator("label.form-label", has_text="I høj grad").first.click()
    tablet.get_by_role("button", name="Næste").click()
    expect(tablet.locator("textarea")).to_have_value("")
    # The browser's history holds nothing of the first patient either.
    for _ in range(6):
        try:
            tablet.go_back()
        except Exception:  # a posted page Chromium will not show again without asking (no-store)
            pass
        assert "Tajemnica" not in _content(tablet)
    tablet.goto(start)
    _answer(tablet, "Dansk", "I høj grad", "Næste", "Anden patient", "Send mit svar")
    expect(tablet.get_by_role("heading", name="Tak for din besvarelse")).to_be_visible()
    assert _stored() == 2
