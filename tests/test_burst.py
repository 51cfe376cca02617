"""A burst on cold workers: gunicorn just started, many threads at once, every one a respondent page and a
submission. No request may wait for a second pooled connection or a SQLite lock past its timeout (both
answered 500 before: QueuePool limit, "database is locked"), on both databases."""
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import Response

ROOT = Path(__file__).resolve().parent.parent
WORKERS, THREADS, CLIENTS = 2, 8, 48
KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _respond(base: str, slug: str) -> list[int]:
    """One respondent: the page, then the submission with its key (cookies kept)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(), _NoRedirect())
    statuses = []
    try:
        with opener.open(f"{base}/s/{slug}", timeout=60) as page:
            statuses.append(page.status)
            html = page.read().decode()
        hidden = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', html)
                      + re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
        data = urllib.parse.urlencode({**hidden, **{f"item_{c}": "4" for c in KEY_ITEMS}}).encode()
        opener.open(f"{base}/s/{slug}", data=data, timeout=60)
        statuses.append(200)
    except urllib.error.HTTPError as error:
        statuses.append(error.code)
    return statuses


def test_burst_on_cold_workers_answers_no_5xx(app, database_url, make_round, tmp_path):
    slug = make_round().links[0].slug
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "burst", "SURVEYAPP_INSTANCE": str(tmp_path),
           "SURVEYAPP_WORKERS": str(WORKERS), "SURVEYAPP_THREADS": str(THREADS), "RATELIMIT_ENABLED": "0"}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(WORKERS), "--threads", str(THREADS),
         "--bind", f"127.0.0.1:{port}", "--control-socket", str(tmp_path / "gunicorn.ctl"), "app:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        with ThreadPoolExecutor(CLIENTS) as pool:
            results = list(pool.map(lambda _: _respond(base, slug), range(CLIENTS)))
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)
    failures = [r for r in results if any(code >= 500 for code in r)]
    assert failures == [], err.decode()[-3000:]
    assert all(r[-1] == 303 for r in results), results  # every submission acknowledged
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Response)) == CLIENTS
