"""Bytes and requests of a first page load, as a browser with an empty cache fetches them."""
import re
import urllib.request
from dataclasses import asdict, dataclass
from urllib.parse import urljoin

ACCEPT = {"Accept-Encoding": "br, gzip", "User-Agent": "surveyapp-bench"}


@dataclass(frozen=True)
class FirstLoad:
    html_css_js_bytes: int
    html_css_js_requests: int
    total_bytes: int
    total_requests: int

    def as_dict(self) -> dict:
        return asdict(self)


def _fetch(url: str) -> tuple[int, bytes]:
    """Bytes on the wire (status line, headers, compressed body) and the decoded body."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=ACCEPT), timeout=10) as response:
        raw = response.read()
        header_bytes = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + sum(
            len(k) + len(v) + 4 for k, v in response.headers.items()) + 2
        encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        import brotli
        body = brotli.decompress(raw)
    elif encoding == "gzip":
        import gzip
        body = gzip.decompress(raw)
    else:
        body = raw
    return header_bytes + len(raw), body


def assets(html: str) -> list[str]:
    """Stylesheets and scripts a page links."""
    return re.findall(r'<(?:link rel="stylesheet"|script)[^>]* (?:href|src)="([^"]+)"', html)


def fonts(css: str) -> list[str]:
    """The woff2 fonts a stylesheet names."""
    return re.findall(r"url\(([^)]+\.woff2)\)", css)


def first_load(url: str) -> FirstLoad:
    """Fetch a page, its stylesheets and scripts, and the fonts those name (a browser fetches only the fonts
    the page uses; counting all of them is the upper bound)."""
    size, body = _fetch(url)
    main_bytes, main_requests = size, 1
    font_urls = []
    for asset in assets(body.decode()):
        asset_url = urljoin(url, asset)
        size, css = _fetch(asset_url)
        main_bytes += size
        main_requests += 1
        font_urls += [urljoin(asset_url, f) for f in fonts(css.decode(errors="replace"))]
    font_bytes = sum(_fetch(f)[0] for f in font_urls)
    return FirstLoad(main_bytes, main_requests, main_bytes + font_bytes, main_requests + len(font_urls))
