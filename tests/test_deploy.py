"""The production topology of deploy/ on loopback: nginx (with deploy/nginx/surveyapp-proxy.conf) in front of
two gunicorn instances on one PostgreSQL database with Redis as the shared throttle store. Submissions go
through nginx while slow clients trickle bodies alongside; one instance is killed with SIGKILL mid-run. Every
acknowledged answer must be stored exactly once, and the throttle must count across both instances."""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("TEST_DATABASE_URL")
KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")

pytestmark = [
    pytest.mark.skipif(not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx missing"),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server missing"),
    pytest.mark.skipif(not PG_URL, reason="needs the PostgreSQL server of TEST_DATABASE_URL"),
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing listens on {port}")


@pytest.fixture
def database(tmp_path):
    """A new database on TEST_DATABASE_URL's server, migrated by `flask init-db`, with one open round."""
    name = "surveyapp_deploy_" + uuid.uuid4().hex[:8]
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "deploy-test", "SURVEYAPP_INSTANCE": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "init-db"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True)
    yield url, env
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


SETUP = """
from datetime import timedelta
from app import app
from surveyapp.services import questionnaires
from surveyapp.extensions import db
from surveyapp.models import Unit
from surveyapp.services.rounds import create_round
from surveyapp.timeutil import utcnow
with app.app_context():
    h = Unit(code="H", name="Sygehus", level="sygehus")
    a = Unit(code="H-A", name="Afdeling", level="afdeling", parent=h)
    w = Unit(code="H-A1", name="Afsnit", level="afsnit", parent=a, headcount=50)
    db.session.add_all([h, a, w])
    now = utcnow()
    create_round(questionnaires.find("patientsikkerhedskultur"), "Drift", now - timedelta(days=1),
                 now + timedelta(days=30), [h, a, w], 0.8, 5, link_kinds=("open",))
    db.session.commit()
"""


@pytest.fixture
def topology(database, tmp_path):
    url, env = database
    processes = []
    redis_port, ports, nginx_port = _port(), [_port(), _port()], _port()
    processes.append(subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL))
    env = {**env, "SURVEYAPP_PROXY_HOPS": "1", "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}/0",
           "SURVEYAPP_WORKERS": "2", "SURVEYAPP_THREADS": "4", "SURVEYAPP_PUBLIC_URL": f"http://127.0.0.1:{nginx_port}"}
    gunicorns = []
    for port in ports:
        gunicorns.append(subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--workers", "2", "--threads", "4",
             "--bind", f"127.0.0.1:{port}", "--control-socket", str(tmp_path / f"gunicorn-{port}.ctl"), "app:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    processes += gunicorns
    snippet = (ROOT / "deploy/nginx/surveyapp-proxy.conf").read_text().replace("/opt/surveyapp", str(ROOT))
    (tmp_path / "surveyapp-proxy.conf").write_text(snippet)
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
worker_processes 1;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi; scgi_temp_path {tmp_path}/scgi;
    upstream surveyapp {{
        server 127.0.0.1:{ports[0]} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{ports[1]} max_fails=1 fail_timeout=10s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{nginx_port};
        include {tmp_path}/surveyapp-proxy.conf;
    }}
}}
""")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    processes.append(subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                                       "-g", "daemon off;"], stderr=subprocess.DEVNULL))
    try:
        for port in (redis_port, *ports, nginx_port):
            _wait(port)
        yield {"base": f"http://127.0.0.1:{nginx_port}", "instances": ports, "gunicorns": gunicorns, "url": url,
               "nginx_port": nginx_port}
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _respondent(base: str, slug: str) -> tuple[str | None, bool]:
    """Fetch the form, submit it, retry the same key on a 5xx (a killed instance) like a browser's user
    would; returns (form key, acknowledged)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(), _NoRedirect())
    for _ in range(5):
        try:
            with opener.open(f"{base}/s/{slug}", timeout=30) as page:
                html = page.read().decode()
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    else:
        return None, False
    hidden = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', html)
                  + re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))
    data = urllib.parse.urlencode({**hidden, **{f"item_{c}": "4" for c in KEY_ITEMS}}).encode()
    for _ in range(5):
        try:
            opener.open(f"{base}/s/{slug}", data=data, timeout=30)
        except urllib.error.HTTPError as error:
            if error.code == 303:
                return hidden["idempotency_key"], True
            if error.code < 500:
                return hidden["idempotency_key"], False
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    return hidden["idempotency_key"], False


def _slow_client(port: int, stop: threading.Event) -> None:
    """A body announced as 100 bytes and sent at a byte a second: nginx holds it, gunicorn never sees it."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"POST /s/slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 100\r\n\r\n")
            while not stop.is_set():
                sock.sendall(b"a")
                stop.wait(1)
    except OSError:
        pass  # nginx closed it after client_body_timeout: as intended


def test_submissions_through_nginx_survive_a_killed_instance_and_the_throttle_is_shared(topology):
    from surveyapp.models import CollectionLink, Response

    engine = create_engine(topology["url"])
    with engine.connect() as conn:
        slug = conn.execute(select(CollectionLink.slug)).scalar_one()

    for port in topology["instances"]:  # workers boot after the port is bound
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=60).status == 200

    # The throttle counts across instances: 20 guesses split over both, then the 21st is refused on either.
    guesser = {"X-Forwarded-For": "198.51.100.7"}
    for i in range(20):
        port = topology["instances"][i % 2]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/s/guess{i}", headers=guesser)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as throttled:
        urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{topology['instances'][0]}/s/guess-more", headers=guesser), timeout=10)
    assert throttled.value.code == 429
    assert urllib.request.urlopen(f"http://127.0.0.1:{topology['instances'][1]}/s/{slug}", timeout=10).status == 200

    stop = threading.Event()
    slow = [threading.Thread(target=_slow_client, args=(topology["nginx_port"], stop)) for _ in range(16)]
    for thread in slow:
        thread.start()
    try:
        with ThreadPoolExecutor(16) as pool:
            futures = [pool.submit(_respondent, topology["base"], slug) for _ in range(120)]
            time.sleep(1.0)
            os.kill(topology["gunicorns"][0].pid, signal.SIGKILL)  # the master; its workers follow or hang on
            results = [future.result() for future in futures]
    finally:
        stop.set()
        for thread in slow:
            thread.join(5)

    acknowledged = [key for key, ok in results if ok]
    assert len(acknowledged) >= 100, f"only {len(acknowledged)} of 120 acknowledged"
    with engine.connect() as conn:
        stored = dict(conn.execute(select(Response.idempotency_key, func.count())
                                   .group_by(Response.idempotency_key)).all())
    engine.dispose()
    # The response stores an HMAC of the form's key under the app's secret (docs/anonymity.md), never the key.
    from flask import Flask

    from surveyapp.services.collection.responses import stored_key
    with Flask(__name__).app_context() as ctx:
        ctx.app.config["SECRET_KEY"] = "deploy-test"
        assert all(stored.get(stored_key(key)) == 1 for key in acknowledged)
    assert all(count == 1 for count in stored.values())
