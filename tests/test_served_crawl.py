"""The seeded demo served by gunicorn on a loopback port, as `make run` serves it: logged in as the demo
coordinator and as the admin, follow every link of the coordinator, audit and admin pages (GET only), fail on
any 5xx, and open every download met on the way (openpyxl for .xlsx, pypdf for .pdf, UTF-8 for .csv).

Links are deduplicated by endpoint pattern and query shape (numbers in the path and the values of the query
do not count), so every kind of page and download is fetched once per login, and the test stays within a
few minutes on two shared cores. The crawl does not depend on whether results are shown while a round is
open: it follows what the pages link to."""
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import openpyxl
import pypdf
import pytest
import requests
import yaml

from surveyapp.services.demo.seed import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
START = ("/koordinator/", "/audit/", "/admin/")
SKIP = ("/logout", "/s/", "/static/", "/api/")
MAX_PAGES = 400


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.csrf: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("name") == "csrf_token" and self.csrf is None:
            self.csrf = attrs.get("value")


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _shape(url: str) -> tuple:
    """The kind of page a URL is: its path with numbers and unit codes generalised, and its query keys."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|\.|$)", "/N", parts.path)
    path = re.sub(r"/enhed/[^/]+", "/enhed/X", path)
    path = re.sub(r"/[A-ZÆØÅ]{2,}[-A-Z0-9ÆØÅ]*(?=/|$)", "/CODE", path)
    keys = tuple(sorted(k for k, _ in parse_qsl(parts.query, keep_blank_values=True)))
    return path, keys


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def served_demo(tmp_path_factory):
    """The demo seeded into a temporary SQLite file and served by gunicorn; yields the base URL."""
    folder = tmp_path_factory.mktemp("served")
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{folder / 'demo.db'}", SURVEYAPP_INSTANCE=str(folder),
               SECRET_KEY="crawl-test", RATELIMIT_ENABLED="0")
    env.pop("TEST_DATABASE_URL", None)
    flask = [str(VENV_BIN / "flask"), "--app", "app"]
    subprocess.run(flask + ["init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["seed-demo", "--responses", "300"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env["SURVEYAPP_PUBLIC_URL"] = base
    log = open(folder / "gunicorn.log", "w+")
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--workers", "2", "--threads", "2", "--bind", f"127.0.0.1:{port}",
         "--control-socket", str(folder / "gunicorn.ctl"), "--timeout", "120", "app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                requests.get(base + "/login", timeout=30)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        yield base, log
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _login(base: str, email: str) -> requests.Session:
    session = requests.Session()
    form = _parse(session.get(base + "/login", timeout=30).text)
    answer = session.post(base + "/login", data={"email": email, "password": DEMO_PASSWORD,
                                                 "csrf_token": form.csrf}, timeout=30, allow_redirects=False)
    assert answer.status_code == 302, answer.text[:500]
    return session


def _check_download(url: str, response: requests.Response) -> str | None:
    """The kind of file a download is, after opening it; None for an HTML page."""
    kind = response.headers.get("Content-Type", "").split(";")[0].strip()
    body = response.content
    if kind == "text/html":
        return None
    if kind == "application/pdf":
        reader = pypdf.PdfReader(io.BytesIO(body))
        assert len(reader.pages) >= 1, url
        reader.pages[0].extract_text()
        return "pdf"
    if kind.endswith("spreadsheetml.sheet"):
        workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        assert workbook.sheetnames, url
        for sheet in workbook.worksheets:
            for _ in sheet.iter_rows(max_row=5):
                pass
        return "xlsx"
    if kind == "text/csv":
        text = body.decode("utf-8")
        assert text.strip(), url
        assert response.headers["Content-Type"].lower().count("charset") == 1, response.headers["Content-Type"]
        return "csv"
    if kind in ("application/yaml", "application/json"):
        assert yaml.safe_load(body.decode("utf-8")), url  # JSON is YAML too
        return kind
    if kind in ("image/png", "image/svg+xml", "application/zip", "text/plain"):
        assert body, url
        return kind
    raise AssertionError(f"{url}: unexpected Content-Type {kind!r}")


def _crawl(base: str, session: requests.Session, start: tuple[str, ...] = START,
           ) -> tuple[set[tuple], dict[str, int], list[str]]:
    """Every kind of page and download reachable by links from START: (shapes, downloads by kind, HTML pages)."""
    host = urlsplit(base).netloc
    queue = [(base + path, "start") for path in start]
    dead_ends: list[str] = []
    pages: list[str] = []
    seen_shapes: set[tuple] = set()
    downloads: dict[str, int] = {}
    failures: list[str] = []
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url, referrer = queue.pop(0)
        shape = _shape(url)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        fetched += 1
        response = session.get(url, timeout=180, allow_redirects=True)
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {url}")
            continue
        if response.status_code >= 400:
            # A page links only what its reader may open: a 403/404/409 behind a link is a dead end.
            dead_ends.append(f"{response.status_code} {url} (linked from {referrer})")
            continue
        try:
            kind = _check_download(url, response)
        except Exception as exc:  # noqa: BLE001 - name every broken download, not only the first
            failures.append(f"broken download {url}: {exc!r}")
            continue
        if kind:
            downloads[kind] = downloads.get(kind, 0) + 1
            continue
        pages.append(url)
        for href in _parse(response.text).links:
            target, _ = urldefrag(urljoin(response.url, href))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != host:
                continue
            if parts.path.startswith(SKIP) or parts.path == "/logout":
                continue
            if _shape(target) not in seen_shapes:
                queue.append((target, response.url))
    assert not failures, "\n".join(failures)
    assert not dead_ends, "\n".join(dead_ends)
    return seen_shapes, downloads, pages


@pytest.mark.parametrize("email", ["koordinator@nsr.example", "admin@nsr.example"])
def test_every_link_and_download_works_under_gunicorn(served_demo, email):
    base, log = served_demo
    session = _login(base, email)
    shapes, downloads, _pages = _crawl(base, session)
    log.flush()
    log.seek(0)
    errors = [line for line in log.read().splitlines() if "Traceback" in line or "Error" in line]
    assert not errors, "\n".join(errors[:20])
    print(f"{email}: {len(shapes)} kinds of page, downloads {downloads}")
    paths = {path for path, _ in shapes}
    # The crawl reached the results, the audits and the administration, and every kind of file.
    assert any(p.startswith("/koordinator/runde/N/enhed/") for p in paths), sorted(paths)
    assert any(p.startswith("/audit/") for p in paths) and any(p.startswith("/admin/") for p in paths)
    assert {"xlsx", "pdf", "csv"} <= set(downloads), downloads
