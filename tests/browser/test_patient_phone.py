"""Patients answer on a phone (Chromium at 390x844): in Arabic, right to left, and in Danish; every screen
passes axe-core's WCAG 2.1 AA checks."""
from playwright.sync_api import Page, expect
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import Answer, Response
from tests.browser.axe import assert_accessible

QUESTIONNAIRE = "hvad-er-vigtigt-for-dig"


def _patient_link(make_round, kind="open"):
    round_ = make_round(questionnaire=QUESTIONNAIRE, link_kinds=("open", "kiosk"))
    return next(link.slug for link in round_.links if link.kind == kind)


def _stored() -> list[tuple]:
    db.session.remove()  # a fresh snapshot: the server's threads wrote the rows
    rows = db.session.execute(select(Response.language, Answer.value, Answer.text)
                              .join(Answer, Answer.response_id == Response.id).order_by(Answer.id))
    return [tuple(row) for row in rows]


def test_a_patient_answers_in_arabic_right_to_left(page: Page, live_server, make_round):
    slug = _patient_link(make_round)
    page.goto(f"{live_server}/s/{slug}")
    expect(page.get_by_role("heading", name="Vælg dit sprog")).to_be_visible()
    assert_accessible(page)
    choice = page.get_by_role("link", name="العربية")
    box = choice.bounding_box()
    assert box["height"] >= 64 and box["width"] >= 300  # a very large touch target
    choice.click()
    page.wait_for_url("**lang=ar")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    question = page.get_by_role("group", name="هل تشعر بالأمان أثناء إقامتك في المستشفى؟")
    expect(question).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # no sideways scrolling
    assert_accessible(page)
    option = question.get_by_text("بدرجة كبيرة", exact=True)
    option_box = option.bounding_box()
    assert option_box["height"] >= 56
    # Right to left: the radio circle sits at the right edge of the option.
    radio_box = question.get_by_label("بدرجة كبيرة", exact=True).bounding_box()
    assert radio_box["x"] > option_box["x"] + option_box["width"] / 2
    option.click()
    page.get_by_role("button", name="التالي").click()
    text = page.get_by_role("textbox", name="ما الذي يهمك؟")
    expect(page.get_by_text("لا تكتب أسماء أو أرقام CPR.")).to_be_visible()
    text.fill("أريد الهدوء في الليل 🌙 رقمي 010190-1234")
    page.get_by_role("button", name="أرسل إجابتي").click()
    expect(page.get_by_role("alert")).to_contain_text("يبدو أن نصك يحتوي على رقم CPR")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    assert _stored() == []
    expect(text).to_have_value("أريد الهدوء في الليل 🌙 رقمي 010190-1234")
    text.fill("أريد الهدوء في الليل 🌙")
    page.get_by_role("button", name="أرسل إجابتي").click()
    expect(page.get_by_role("heading", name="شكرًا على إجابتك")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(page)
    assert _stored() == [("ar", 4, None), ("ar", None, "أريد الهدوء في الليل 🌙")]


def test_a_patient_answers_in_danish_and_can_go_back(page: Page, live_server, make_round):
    slug = _patient_link(make_round)
    page.goto(f"{live_server}/s/{slug}")
    page.get_by_role("link", name="Dansk").click()
    page.wait_for_url("**lang=da")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_text("Spørgsmål 1 af 2")).to_be_visible()
    page.get_by_role("button", name="Næste").click()  # nothing chosen: a clear message, no second screen
    expect(page.get_by_role("alert")).to_contain_text("Vælg et svar på dette spørgsmål.")
    assert_accessible(page)
    question = page.get_by_role("group", name="Er du tryg ved at være indlagt?")
    question.get_by_text("I meget høj grad", exact=True).click()
    page.get_by_role("button", name="Næste").click()
    page.get_by_role("textbox", name="Hvad er vigtigt for dig?").fill('At blive hørt <b>"altid"</b>')
    assert_accessible(page)
    page.get_by_role("button", name="Tilbage").click()
    expect(page.get_by_text("Spørgsmål 1 af 2")).to_be_visible()
    assert question.get_by_label("I meget høj grad", exact=True).is_checked()
    page.get_by_role("button", name="Næste").click()
    expect(page.get_by_role("textbox", name="Hvad er vigtigt for dig?")).to_have_value('At blive hørt <b>"altid"</b>')
    page.get_by_role("button", name="Send mit svar").click()
    expect(page.get_by_role("heading", name="Tak for din besvarelse")).to_be_visible()
    assert _stored() == [("da", 5, None), ("da", None, 'At blive hørt <b>"altid"</b>')]


def test_the_accessibility_checker_finds_what_it_should(page: Page):
    """The axe-core run is real: a page with an unlabelled field and a low-contrast text fails it."""
    from tests.browser.axe import axe_violations

    page.set_content('<html lang="da"><title>x</title><main><input type="text">'
                     '<p style="color:#bbb;background:#fff">svag tekst</p></main></html>')
    assert {"label", "color-contrast"} <= {v["id"] for v in axe_violations(page)}


def test_the_staff_respondent_page_passes_the_same_checks(page: Page, live_server, make_round):
    slug = make_round().links[0].slug
    page.goto(f"{live_server}/s/{slug}")
    assert_accessible(page)
    page.get_by_role("button", name="Send svar").click()  # the error summary and the marked fields
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


def test_screenshot_for_the_readme(page: Page, live_server, make_round, tmp_path):
    """Set SURVEYAPP_SCREENSHOTS=1 to refresh docs/screenshots/patient-phone-ar.png; otherwise into tmp."""
    import os
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("SURVEYAPP_SCREENSHOTS") \
        else tmp_path
    page.goto(f"{live_server}/s/{_patient_link(make_round)}?lang=ar")
    page.get_by_text("بدرجة كبيرة", exact=True).click()
    page.screenshot(path=str(target / "patient-phone-ar.png"))
    assert (target / "patient-phone-ar.png").stat().st_size > 10_000


def test_an_unknown_link_in_arabic_is_right_to_left_and_accessible(page: Page, live_server, make_round):
    page.goto(f"{live_server}/s/nosuchlink?lang=ar")
    expect(page.get_by_role("heading", name="رابط الاستبيان هذا غير موجود")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    assert_accessible(page)
