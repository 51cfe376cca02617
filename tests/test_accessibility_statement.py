"""The accessibility statement (tilgængelighedserklæring): the EU model's parts, the operator's contact from the
settings, reachable from /was and from the footer of every page but a kiosk's."""
import pytest

STATEMENT = "/tilgaengelighed"


@pytest.fixture
def app_config():
    return {"SURVEYAPP_ACCESSIBILITY_OPERATOR": "Region Sjælland", "SURVEYAPP_ACCESSIBILITY_EMAIL": "web@regsj.example",
            "SURVEYAPP_ACCESSIBILITY_PHONE": "+45 70 15 50 00", "SURVEYAPP_ACCESSIBILITY_REVIEWED": "2026-12-07"}


def test_the_statement_follows_the_eu_model_in_danish(client):
    html = client.get(STATEMENT).get_data(as_text=True)
    for part in ("Tilgængelighedserklæring", "Overholdelsesstatus", "EN 301 549", "WCAG) 2.1 niveau AA",
                 "Indhold, der ikke er tilgængeligt", "Sådan er erklæringen udarbejdet", "axe-core",
                 "Feedback og kontaktoplysninger", "Håndhævelsesprocedure", "Digitaliseringsstyrelsen",
                 "7. dec. 2026", "Region Sjælland bestræber sig"):
        assert part in html, part
    assert 'href="mailto:web@regsj.example"' in html and 'href="tel:+4570155000"' in html


def test_the_statement_in_english(client):
    html = client.get(STATEMENT + "?lang=en").get_data(as_text=True)
    assert "Accessibility statement" in html and "partially compliant with EN 301 549" in html
    assert "Feedback and contact information" in html and "web@regsj.example" in html


def test_was_leads_to_the_statement(client):
    response = client.get("/was")
    assert response.status_code == 302 and response.headers["Location"] == STATEMENT


def test_every_kind_of_page_links_to_the_statement_in_its_footer(client, login_as, make_round):
    round_ = make_round(link_kinds=("open",))
    public = [client.get(path).get_data(as_text=True) for path in ("/login", f"/s/{round_.links[0].slug}")]
    login_as("admin")
    staff = [client.get(path).get_data(as_text=True) for path in ("/koordinator/", "/admin/", "/audit/")]
    for html in public + staff:
        assert '<footer class="site-footer">' in html and f'href="{STATEMENT}"' in html


def test_a_kiosk_links_nowhere_not_even_to_the_statement(client, make_round):
    round_ = make_round(questionnaire="hvad-er-vigtigt-for-dig", link_kinds=("open", "kiosk"))
    kiosk = next(link for link in round_.links if link.kind == "kiosk")
    html = client.get(f"/s/{kiosk.slug}").get_data(as_text=True)
    assert "site-footer" not in html and STATEMENT not in html


def test_without_a_contact_the_statement_says_so(app, client):
    app.config.update(SURVEYAPP_ACCESSIBILITY_EMAIL="", SURVEYAPP_ACCESSIBILITY_PHONE="")
    html = client.get(STATEMENT).get_data(as_text=True)
    assert "har endnu ikke oplyst en kontakt om tilgængelighed" in html and "mailto:" not in html
