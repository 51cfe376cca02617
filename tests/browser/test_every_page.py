"""Every page a logged-in user can reach by links, in Chromium on a laptop (1366 x 900) and a phone (390 x 844):
no page wider than its viewport, and axe-core (WCAG 2.1 AA) at zero violations.

The pages are found the way a user finds them: the served crawl (tests/test_served_crawl.py) follows every
link of the seeded demo under gunicorn, one page of each kind; the browser then opens each of them."""
import pytest
from playwright.sync_api import Browser

from surveyapp.services.demo.seed import DEMO_PASSWORD
from tests.browser.axe import axe_violations
from tests.test_served_crawl import _crawl, _login, served_demo  # noqa: F401 - served_demo is a fixture

VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def reachable(served_demo):  # noqa: F811 - the imported fixture
    """The HTML pages the admin (who reaches every coordinator, audit and admin page) and the auditor reach."""
    base, _log = served_demo
    found = {}
    for email, start in (("admin@nsr.example", ("/koordinator/", "/audit/", "/admin/")),
                         ("auditor@nsr.example", ("/", "/audit/"))):
        _shapes, _downloads, pages = _crawl(base, _login(base, email), start)
        found[email] = pages
    return base, found


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("email", ["admin@nsr.example", "auditor@nsr.example"])
def test_every_reachable_page_fits_and_passes_axe(browser: Browser, reachable, viewport, email):
    base, found = reachable
    pages = found[email]
    assert len(pages) > (40 if email.startswith("admin") else 5), pages
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="da-DK")
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(lambda url: "/login" not in url)
    problems = {}
    for url in pages:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > VIEWPORTS[viewport]["width"] + 1:
            problems[url] = f"{width} px wide"
        violations = axe_violations(page)
        if violations:
            problems.setdefault(url, [(v["id"], v["targets"][:3]) for v in violations])
    context.close()
    assert problems == {}, "\n".join(f"{url}: {what}" for url, what in problems.items())
