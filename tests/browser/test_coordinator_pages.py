"""Every coordinator, admin and audit page on a laptop (1366 x 900) and a phone (390 x 844): no page wider
than its viewport, and axe-core (WCAG 2.1 AA) at zero violations."""
from datetime import date, datetime

import pytest
from playwright.sync_api import Browser

from surveyapp.extensions import db
from tests.browser.axe import axe_violations
from tests.conftest import PASSWORD
from tests.results_helpers import add_responses
from tests.test_audits import record_finished

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def staff(safe, learn, follow, group=1):
    return {"tryg_som_patient": safe, "laere_af_haendelser": learn, "ledelse_foelger_op": follow, "faggruppe": group}


@pytest.fixture
def demo(make_org, make_round, make_user):
    org = make_org("H")
    units = list(org.values())
    before = make_round(units=units, name="Baseline", opens=datetime(2025, 3, 1), closes=datetime(2025, 4, 1))
    closed = make_round(units=units, name="Opfølgning", opens=datetime(2026, 3, 1), closes=datetime(2026, 4, 1))
    live = make_round(units=units, name="Åben runde")
    for round_, good in ((before, 4), (closed, 8), (live, 6)):
        add_responses(round_, org["H-A1"], [staff(5 if i < good else 2, 4, 4 if i < 7 else 1) for i in range(10)])
        add_responses(round_, org["H-A2"], [staff(4, 5, 4, 2) for _ in range(7)])
    db.session.commit()
    admin = make_user("admin")
    _finished_audits(org["H-A1"], admin)
    return org, before, closed, live, admin


def _finished_audits(ward, user):
    """A year of monthly audits of one ward, for the run chart page."""
    record_finished(ward, user, [0.6, 0.5, 0.3, 0.3, 0.5, 0.8, 0.9, 0.6, 1.0, 0.6, 0.6, 0.9], first=date(2026, 1, 6))


def _pages(org, closed, live) -> list[str]:
    return [
        "/koordinator/", f"/koordinator/runde/{closed.id}", f"/koordinator/runde/{closed.id}?sort=item0&dir=desc",
        f"/koordinator/runde/{closed.id}/enhed/H-A1", f"/koordinator/runde/{closed.id}/enhed/H",
        f"/koordinator/runde/{live.id}/opfoelgning", f"/koordinator/download/runde/{closed.id}",
        "/koordinator/afsnit/H-A1/materialer",
        "/admin/", "/admin/rounds", f"/admin/rounds/{live.id}", f"/admin/rounds/{live.id}/close",
        f"/admin/rounds/{closed.id}", "/admin/units", "/admin/users", "/admin/changelog",
        "/audit/", "/audit/ny", "/audit/resultater", f"/audit/resultater/{org['H-A1'].id}/isbar-vagtoverlevering",
        f"/koordinator/runde/{closed.id}/opfoelgning",
        "/admin/rounds/999999",
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_coordinator_admin_and_audit_pages_fit_and_pass_axe(browser: Browser, live_server, demo, viewport):
    org, _before, closed, live, admin = demo
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="da-DK")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    problems = {}
    for path in _pages(org, closed, live):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[viewport]["width"] + 1:
            problems[path] = f"{width} px wide"
        violations = axe_violations(page)
        if violations:
            problems.setdefault(path, [(v["id"], v["targets"][:3]) for v in violations])
    context.close()
    assert problems == {}, "\n".join(f"{path}: {what}" for path, what in problems.items())


def test_unit_page_tables_stack_on_a_phone(browser: Browser, live_server, demo):
    """On a phone no table of the unit page scrolls sideways: each row becomes a card of labelled values."""
    _org, _before, closed, _live, admin = demo
    context = browser.new_context(viewport=VIEWPORTS["phone"], locale="da-DK")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(live_server + f"/koordinator/runde/{closed.id}/enhed/H-A1")
    tables = page.evaluate("""() => [...document.querySelectorAll('main table')].map(t => ({
        stacked: t.classList.contains('stack-table'), display: getComputedStyle(t).display,
        overflow: t.parentElement.scrollWidth - t.parentElement.clientWidth}))""")
    # The key items across the rounds, all items, the dimensions, the SAQ scale and at least one breakdown.
    assert len(tables) >= 5 and all(t["stacked"] and t["display"] == "block" for t in tables), tables
    assert [t for t in tables if t["overflow"] > 1] == []
    # A stacked cell names what it holds.
    labels = page.locator("main table.stack-table td[data-label]")
    assert labels.count() > 20
    shown = page.evaluate("""() => [...document.querySelectorAll('main td[data-label]')].map(
        td => [td.dataset.label, getComputedStyle(td, '::before').content])""")
    assert all(content == f'"{label}"' for label, content in shown)
    assert ["Positive svar", '"Positive svar"'] in shown
    context.close()
