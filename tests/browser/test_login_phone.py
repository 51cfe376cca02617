"""A coordinator logs in on a phone."""
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def test_coordinator_logs_in_on_a_phone_and_sees_the_rounds(page: Page, live_server, make_user, make_round):
    user = make_user("admin")
    make_round(name="Efterårsmåling")
    page.goto(live_server + "/")
    page.locator("#main").get_by_role("link", name="Log ind").click()
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", name="Målerunder")).to_be_visible()
    expect(page.get_by_role("cell", name="Efterårsmåling")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling


def test_wrong_password_shows_the_error_summary(page: Page, live_server, make_user):
    user = make_user("coordinator")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("alert")).to_contain_text("E-mail eller adgangskode er forkert.")
