"""CSRF over HTTPS as browsers send it: a form posted with no Referer (Referrer-Policy: no-referrer, privacy
settings) is accepted with its token; a post that names another site, or has no token, is refused."""
import re

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Response

KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")
SITE = "https://survey.example.dk"


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True, "SURVEYAPP_PUBLIC_URL": SITE}


def _fields(client, path):
    html = client.get(path, base_url=SITE).get_data(as_text=True)
    return {name: re.search(rf'name="{name}"[^>]*value="([^"]+)"', html).group(1)
            for name in ("csrf_token", "idempotency_key")}


def _answer(client, slug, headers, token=True):
    fields = _fields(client, f"/s/{slug}")
    if not token:
        del fields["csrf_token"]
    data = {**fields, **{f"item_{item}": "4" for item in KEY_ITEMS}}
    return client.post(f"/s/{slug}", data=data, base_url=SITE, headers=headers)


@pytest.mark.parametrize("headers", [
    {},                                                        # no Referer, no Origin
    {"Origin": "null"},                                        # Referrer-Policy: no-referrer
    {"Origin": SITE, "Sec-Fetch-Site": "same-origin"},
    {"Referer": f"{SITE}/s/x", "Origin": SITE},
], ids=["nothing", "origin-null", "same-origin", "referer"])
def test_a_form_sent_from_this_site_over_https_is_stored_whatever_referer_it_carries(client, make_round, headers):
    slug = make_round().links[0].slug
    assert _answer(client, slug, headers).status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site", "Origin": "https://other.example.dk"},
    {"Referer": "https://evil.example/page"},
], ids=["foreign-origin", "cross-site", "sibling-site", "foreign-referer"])
def test_a_form_posted_from_another_site_is_refused(client, make_round, headers):
    slug = make_round().links[0].slug
    refused = _answer(client, slug, headers)
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_post_without_its_token_is_still_refused_over_https(client, make_round):
    slug = make_round().links[0].slug
    assert _answer(client, slug, {}, token=False).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
