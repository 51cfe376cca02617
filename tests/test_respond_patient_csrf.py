"""The patient screens with CSRF protection on, as in production: the token rides along every screen, and a
post without it gets an error page that keeps the respondent header (nothing to click out of a kiosk)."""
import re

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Response


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _field(html, name):
    return re.search(rf'name="{name}"[^>]*value="([^"]+)"', html).group(1)


def test_a_patient_answers_through_every_screen_with_csrf_on(client, make_round):
    round_ = make_round(questionnaire="hvad-er-vigtigt-for-dig", link_kinds=("kiosk",))
    slug = round_.links[0].slug
    html = client.get(f"/s/{slug}?lang=de").get_data(as_text=True)
    data = {"csrf_token": _field(html, "csrf_token"), "idempotency_key": _field(html, "idempotency_key")}
    second = client.post(f"/s/{slug}?lang=de", data={**data, "step": "0", "go": "next", "item_tryg_indlagt": "5"})
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and "Frage 2 von 2" in html
    sent = client.post(f"/s/{slug}?lang=de", data={
        "csrf_token": _field(html, "csrf_token"), "idempotency_key": data["idempotency_key"], "step": "1",
        "go": "send", "item_tryg_indlagt": "5", "item_vigtigt_for_dig": "Ruhe"})
    assert sent.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_post_without_its_token_is_refused_inside_the_respondent_pages(client, make_round):
    round_ = make_round(questionnaire="hvad-er-vigtigt-for-dig", link_kinds=("kiosk",))
    slug = round_.links[0].slug
    page = client.post(f"/s/{slug}?lang=da", data={"step": "0", "go": "next", "item_tryg_indlagt": "5"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "respond-header" in html and "/login" not in html and "site-header" not in html
