"""Static files are compressed and cacheable; the respondent page's first load stays small."""
import gzip
import re

import brotli
import pytest

from surveyapp.staticfiles import compress_static


@pytest.fixture(scope="session", autouse=True)
def compressed_static():
    """What `make static` does, before any app of this module starts (WhiteNoise indexes files at start)."""
    compress_static()


def _assets(html: str) -> list[str]:
    return re.findall(r'<(?:link rel="stylesheet"|script)[^>]* (?:href|src)="([^"]+)"', html)


def test_static_urls_are_versioned_compressed_and_cached_for_a_year(client, make_round):
    html = client.get(f"/s/{make_round().links[0].slug}").get_data(as_text=True)
    css = _assets(html)
    assert any("/static/vendor/dkfds/css/dkfds.min.css?v=" in url for url in css)
    for url in css:
        served = client.get(url, headers={"Accept-Encoding": "br, gzip"})
        assert served.status_code == 200
        assert served.headers["Content-Encoding"] == "br"
        assert "max-age=31536000" in served.headers["Cache-Control"]
        assert "Accept-Encoding" in served.headers["Vary"]
    plain = client.get(css[0], headers={"Accept-Encoding": "gzip"})
    assert plain.headers["Content-Encoding"] == "gzip" and gzip.decompress(plain.data).startswith(b"@font-face")


def test_first_load_of_the_respondent_page_is_under_100_kb_in_at_most_5_requests(client, make_round):
    page = client.get(f"/s/{make_round().links[0].slug}", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers["Content-Encoding"] == "br"
    html_bytes = len(page.data)
    urls = _assets(brotli.decompress(page.data).decode())
    asset_bytes = sum(len(client.get(url, headers={"Accept-Encoding": "br, gzip"}).data) for url in urls)
    assert 1 + len(urls) <= 5
    assert html_bytes + asset_bytes < 100 * 1024
    # The fonts the CSS names (three Latin-1 subsets) keep even the whole load, fonts included, under 100 KB.
    fonts = re.findall(r"url\((\.\./fonts/[^)]+\.woff2)\)",
                       client.get("/static/vendor/dkfds/css/dkfds.min.css").get_data(as_text=True))
    font_bytes = sum(len(client.get("/static/vendor/dkfds/css/" + f).data) for f in fonts)
    assert len(fonts) == 3 and html_bytes + asset_bytes + font_bytes < 100 * 1024


def test_vendored_design_system_keeps_its_licences(client):
    assert "MIT" in client.get("/static/vendor/dkfds/LICENSE.md").get_data(as_text=True)
    assert "SIL OPEN FONT LICENSE" in client.get("/static/vendor/dkfds/fonts/OFL-license.txt").get_data(as_text=True)
