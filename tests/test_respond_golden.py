"""The respondent pages are the same HTML, byte for byte, as the full WTForms/Jinja render made them before the
lean respondent path (issue 27): every page of the flow, in Danish, English and the patient languages, fresh,
re-shown with errors and chosen answers, the patient's screens, the thank-you pages and the kiosk.

The golden files in tests/golden/respond/ were written by the code before the lean path existed
(`UPDATE_GOLDEN=1 pytest tests/test_respond_golden.py` writes them again: only after checking a change to the
pages is meant). Only what differs per request or per test is normalised: the CSRF token, the one-time key and
the link's random slug, and the static files' version (their content's hash).
"""
import os
import re
from datetime import timedelta
from pathlib import Path

import pytest

from surveyapp.i18n import PATIENT_LANGUAGES
from surveyapp.timeutil import utcnow

GOLDEN = Path(__file__).parent / "golden" / "respond"
TOKENS = re.compile(r'(name="(?:csrf_token|idempotency_key)"[^>]*value=")[^"]+(")')
STATIC_VERSION = re.compile(r"\?v=[0-9a-f]+")
STAFF_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _normal(html: str, slugs) -> str:
    html = STATIC_VERSION.sub("?v=VERSION", TOKENS.sub(r"\1TOKEN\2", html))
    for name, slug in slugs.items():
        html = html.replace(slug, name)
    return html


def _tokens(html: str) -> dict:
    return dict(re.findall(r'name="(csrf_token|idempotency_key)"[^>]*value="([^"]+)"', html))


def _link(round_, kind):
    return next(link for link in round_.links if link.kind == kind)


class Pages:
    """Fetch pages, keep each one's status and normalised HTML under a name."""

    def __init__(self, slugs):
        self.slugs = slugs
        self.pages: dict[str, str] = {}

    def keep(self, name: str, response) -> str:
        html = response.get_data(as_text=True)
        self.pages[name] = f"{response.status_code}\n{_normal(html, self.slugs)}"
        return html


def _staff_pages(app, round_, pages: Pages, tag: str) -> None:
    slug = _link(round_, "open").slug
    code = _link(round_, "code").slug
    for lang in ("da", "en"):
        client = app.test_client()
        html = pages.keep(f"{tag}-form-{lang}", client.get(f"/s/{slug}?new=1&lang={lang}"))
        tokens = _tokens(html)
        # Re-shown: two of three key items chosen, one missing, a comment with a CPR number, one off-scale blank.
        data = {**tokens, "item_tryg_som_patient": "4", "item_laere_af_haendelser": "9",
                "item_kommentar": "Godt <arbejde> & 010190-1234"}
        pages.keep(f"{tag}-errors-{lang}", client.post(f"/s/{slug}", data=data))
        data = {**tokens, **{f"item_{item}": "2" for item in STAFF_ITEMS}, "item_kommentar": "x" * 2001}
        pages.keep(f"{tag}-toolong-{lang}", client.post(f"/s/{slug}", data=data))
        data = {**tokens, **{f"item_{item}": "5" for item in STAFF_ITEMS}, "item_faggruppe": "2"}
        posted = client.post(f"/s/{slug}", data=data)
        assert posted.status_code == 303
        pages.keep(f"{tag}-thanks-{lang}", client.get(posted.headers["Location"]))
        pages.keep(f"{tag}-again-{lang}", client.get(f"/s/{slug}"))  # the back button: thank-you again
        pages.keep(f"{tag}-tampered-{lang}", client.post(f"/s/{slug}", data={
            **_tokens(client.get(f"/s/{slug}?new=1").get_data(as_text=True)), "item_tryg_som_patient": "77"}))
    browser = app.test_client()
    pages.keep(f"{tag}-form-accept-en", browser.get(f"/s/{slug}", headers={"Accept-Language": "en-GB,en;q=0.8"}))
    client = app.test_client()
    html = pages.keep(f"{tag}-code-form", client.get(f"/s/{code}"))
    data = {**_tokens(html), **{f"item_{item}": "3" for item in STAFF_ITEMS}}
    assert client.post(f"/s/{code}", data=data).status_code == 303
    pages.keep(f"{tag}-code-thanks", client.get(f"/s/{code}/tak"))
    pages.keep(f"{tag}-code-used", app.test_client().get(f"/s/{code}"))
    pages.keep(f"{tag}-unknown", app.test_client().get("/s/no-such-link"))


def _patient_pages(app, round_, pages: Pages) -> None:
    for kind in ("open", "kiosk"):
        slug = _link(round_, kind).slug
        pages.keep(f"patient-{kind}-picker", app.test_client().get(f"/s/{slug}"))
        for lang in PATIENT_LANGUAGES:
            client = app.test_client()
            name = f"patient-{kind}-{lang}"
            html = pages.keep(f"{name}-step0", client.get(f"/s/{slug}?lang={lang}"))
            tokens = _tokens(html)
            url = f"/s/{slug}?lang={lang}"
            pages.keep(f"{name}-step0-missing", client.post(url, data={**tokens, "step": "0", "go": "next"}))
            pages.keep(f"{name}-step1", client.post(url, data={**tokens, "step": "0", "go": "next",
                                                               "item_tryg_indlagt": "4"}))
            pages.keep(f"{name}-back", client.post(url, data={**tokens, "step": "1", "go": "back",
                                                              "item_tryg_indlagt": "4",
                                                              "item_vigtigt_for_dig": "Ro & <fred>"}))
            pages.keep(f"{name}-cpr", client.post(url, data={**tokens, "step": "1", "go": "send",
                                                             "item_tryg_indlagt": "4",
                                                             "item_vigtigt_for_dig": "Min far 311299-4321"}))
            pages.keep(f"{name}-send-missing", client.post(url, data={**tokens, "step": "1", "go": "send",
                                                                      "item_vigtigt_for_dig": "Ro"}))
            posted = client.post(url, data={**tokens, "step": "1", "go": "send", "item_tryg_indlagt": "3",
                                            "item_vigtigt_for_dig": "Ro og \"fred\""})
            assert posted.status_code == 303
            pages.keep(f"{name}-thanks", client.get(posted.headers["Location"]))


def test_respondent_pages_are_byte_identical_to_the_golden_files(app, make_round, make_org):
    staff = make_round(units=list(make_org("S").values()), link_kinds=("open", "code"), name="Staff")
    # A second round of the same questionnaire version with another minimum group: its own pages.
    v1 = make_round(units=list(make_org("T").values()), link_kinds=("open", "code"), name="Staff again",
                    min_group=3)
    patient = make_round(questionnaire="hvad-er-vigtigt-for-dig", units=list(make_org("P").values()),
                         link_kinds=("open", "kiosk"), name="Patients")
    closed = make_round(questionnaire="hvad-er-vigtigt-for-dig", units=list(make_org("C").values()),
                        opens=utcnow() - timedelta(days=3), closes=utcnow() - timedelta(days=1),
                        link_kinds=("kiosk",), name="Closed")
    slugs = {}
    for name, round_ in (("STAFF", staff), ("STAFFV1", v1), ("PATIENT", patient), ("CLOSED", closed)):
        for link in round_.links:
            slugs[f"{name}-{link.kind.upper()}-{link.unit.code}"] = link.slug
    pages = Pages(slugs)
    _staff_pages(app, staff, pages, "staff")
    _patient_pages(app, patient, pages)
    for lang in ("da", "uk", "ar"):
        pages.keep(f"closed-kiosk-{lang}", app.test_client().get(f"/s/{_link(closed, 'kiosk').slug}?lang={lang}"))
    v1_pages = Pages(slugs)
    _staff_pages(app, v1, v1_pages, "staffv1")
    pages.pages.update(v1_pages.pages)

    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.html"):
            old.unlink()
        for name, html in pages.pages.items():
            (GOLDEN / f"{name}.html").write_bytes(html.encode("utf-8"))
    expected = {path.stem: path.read_bytes().decode("utf-8") for path in GOLDEN.glob("*.html")}
    assert sorted(pages.pages) == sorted(expected)
    for name, html in pages.pages.items():
        assert html == expected[name], f"{name} differs from its golden file"
