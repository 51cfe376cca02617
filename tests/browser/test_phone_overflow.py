"""At a phone's width (390 x 844) no element on any reachable page holds content wider than its box: no table
column hides in a sideways scroller, no word runs out of its cell. Elements hidden on purpose (display none,
the 1-pixel visually-hidden texts for screen readers) are left out, and so are text fields, whose value scrolls
inside the field by design."""
import pytest
from playwright.sync_api import Browser

from surveyapp.services.demo.seed import DEMO_PASSWORD
from tests.browser.test_every_page import reachable  # noqa: F401 - a fixture
from tests.test_served_crawl import served_demo  # noqa: F401 - a fixture

PHONE = {"width": 390, "height": 844}

#: Every visible element whose content is wider than its box (scrollWidth > clientWidth + 1), named by its tag,
#: id or classes and the start of its text.
WIDER_THAN_THEIR_BOX = """() => {
  const hidden = el => {
    for (let node = el; node && node !== document.documentElement; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden') return true;
      if (style.clip && style.clip !== 'auto' && style.position === 'absolute') return true;  // visually hidden
    }
    return false;
  };
  // A text field's value scrolls inside the field by design (a long name is typed into a short box).
  const field = el => el.matches('input, textarea');
  return [...document.body.querySelectorAll('*')]
    .filter(el => !field(el) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !hidden(el))
    .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string'
               ? '.' + el.className.trim().split(/\\s+/).join('.') : ''} (${el.scrollWidth} > ${el.clientWidth}): `
               + (el.innerText || '').trim().slice(0, 40).replace(/\\s+/g, ' '));
}"""


@pytest.mark.parametrize("email", ["admin@nsr.example", "auditor@nsr.example"])
def test_no_element_is_wider_than_its_box_on_a_phone(browser: Browser, reachable, email):  # noqa: F811
    base, found = reachable
    context = browser.new_context(viewport=PHONE, locale="da-DK", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(lambda url: "/login" not in url)
    problems = {}
    for url in found[email]:
        page.goto(url)
        wide = page.evaluate(WIDER_THAN_THEIR_BOX)
        if wide:
            problems[url] = wide[:5]
    context.close()
    assert problems == {}, "\n".join(f"{url}: {what}" for url, what in problems.items())
