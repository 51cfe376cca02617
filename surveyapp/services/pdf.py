"""PDF rendering with WeasyPrint, from the app's own templates and static files only."""
from urllib.parse import urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..config import ROOT

STATIC = ROOT / "surveyapp" / "static"
#: The base URL templates render against when they become PDFs; only /static/ below it is served.
PDF_BASE_URL = "http://surveyapp.pdf/"
MIME_TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".woff2": "font/woff2",
              ".woff": "font/woff", ".ttf": "font/ttf"}


class StaticOnlyFetcher(URLFetcher):
    """Serves the app's own /static/ files and data: URLs; refuses file:, every host and every other path."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if f"{parts.scheme}://{parts.netloc}/" == PDF_BASE_URL and parts.path.startswith("/static/"):
            path = (STATIC / parts.path[len("/static/"):]).resolve()
            if STATIC in path.parents and path.is_file():
                return URLFetcherResponse(url, path.read_bytes(),
                                          {"Content-Type": MIME_TYPES.get(path.suffix, "application/octet-stream")})
        raise ValueError(f"refused to fetch {url!r} while rendering a PDF")


def render_pdf(html: str) -> bytes:
    """A PDF of HTML rendered from the app's templates; `/static/...` links resolve, nothing else is fetched."""
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
