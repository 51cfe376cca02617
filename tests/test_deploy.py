"""The production topology of deploy/ on loopback: nginx with the site file as shipped (TLS with a test
certificate) in front of two gunicorn instances started with the systemd unit's command line, on one
PostgreSQL database with Redis as the shared throttle store.

- `nginx -t` accepts the site file as shipped, on Debian's own nginx.conf.
- One instance killed with SIGKILL mid-run while slow clients trickle bodies: every acknowledged answer is
  stored exactly once, and the throttle counts across both instances.
- The rolling restart of docs/deploy.md (section 7: each instance stopped as systemd stops it, started
  again, its /healthz awaited, then the next) under 32 respondents: no 5xx, every acknowledged answer
  stored once, nothing stored that was not acknowledged. Static files come through nginx with a year's
  Cache-Control and Brotli.
- Redis stopped: logins, answer codes and unknown links answer without a 5xx (throttled in memory).
"""
import os
import re
import shutil
import signal
import ssl
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

from tests.deploy_helpers import (NGINX, ROOT, free_port, gunicorn_command, make_certificates, nginx_config,
                                  nginx_test, site_files, unit_setting, unit_stop_seconds, wait_for_port)

PG_URL = os.environ.get("TEST_DATABASE_URL")
KEY_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")
SECRET = "deploy-test"
PASSWORD = "Deploy-test-password-1"

needs_nginx = pytest.mark.skipif(not Path(NGINX).exists() or not shutil.which("openssl"),
                                 reason="nginx or openssl missing")


def needs_topology(test):
    """nginx, openssl, redis-server and the PostgreSQL server of TEST_DATABASE_URL."""
    test = needs_nginx(test)
    test = pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server missing")(test)
    return pytest.mark.skipif(not PG_URL, reason="needs the PostgreSQL server of TEST_DATABASE_URL")(test)


@needs_nginx
def test_nginx_accepts_the_site_file_as_shipped(tmp_path):
    checked = nginx_test(tmp_path, make_certificates(tmp_path / "certs"))
    assert checked.returncode == 0, checked.stderr


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A database on TEST_DATABASE_URL's server, migrated by `flask init-db`, with one open round, five
    answer codes and a coordinator."""
    name = "surveyapp_deploy_" + uuid.uuid4().hex[:8]
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET,
           "SURVEYAPP_INSTANCE": str(tmp_path_factory.mktemp("instance"))}
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "init-db"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True)
    yield url, env
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


SETUP = f"""
from datetime import timedelta
from app import app
from surveyapp.services import questionnaires
from surveyapp.extensions import db
from surveyapp.models import Unit
from surveyapp.services.collection.responses import create_codes
from surveyapp.services.rounds import create_round
from surveyapp.services.users import create_user
from surveyapp.timeutil import utcnow
with app.app_context():
    h = Unit(code="H", name="Sygehus", level="sygehus")
    a = Unit(code="H-A", name="Afdeling", level="afdeling", parent=h)
    w = Unit(code="H-A1", name="Afsnit", level="afsnit", parent=a, headcount=50)
    db.session.add_all([h, a, w])
    now = utcnow()
    round_ = create_round(questionnaires.find("patientsikkerhedskultur"), "Drift", now - timedelta(days=1),
                          now + timedelta(days=30), [h, a, w], 0.8, 5, link_kinds=("open",))
    create_codes(round_, w, 5)
    create_user("koordinator@example.org", "coordinator", "{PASSWORD}").units = [w]
    db.session.commit()
"""


class Topology:
    """nginx, Redis and two gunicorn instances on loopback; instances restart as systemd restarts them."""

    def __init__(self, url: str, env: dict, folder: Path):
        self.url, self.folder = url, folder
        self.redis_port, self.instances = free_port(), [free_port(), free_port()]
        self.https_port, self.http_port = free_port(), free_port()
        self.base = f"https://127.0.0.1:{self.https_port}"
        self.env = {**env, "SURVEYAPP_PROXY_HOPS": "1", "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{self.redis_port}/0",
                    "SURVEYAPP_WORKERS": "2", "SURVEYAPP_THREADS": "4", "SURVEYAPP_PUBLIC_URL": self.base}
        self.certificates = make_certificates(folder / "certs")
        self.tls = ssl.create_default_context(cafile=str(self.certificates / "fullchain.pem"))
        self.redis = self.start_redis()
        self.gunicorns = {port: self.start(port) for port in self.instances}
        site = site_files(folder, self.certificates, self.instances, self.https_port, self.http_port)
        self.nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(nginx_config(folder, site)),
                                       "-g", "daemon off;"], stderr=subprocess.DEVNULL)
        try:
            for port in (self.redis_port, *self.instances, self.https_port):
                wait_for_port(port)
            for port in self.instances:
                self.wait_healthy(port)
        except AssertionError:
            self.stop()
            raise

    def start_redis(self) -> subprocess.Popen:
        return subprocess.Popen(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)

    def start(self, port: int) -> subprocess.Popen:
        runtime = self.folder / f"run-{port}"  # systemd's RuntimeDirectory
        runtime.mkdir(exist_ok=True)
        command = gunicorn_command(port, int(self.env["SURVEYAPP_WORKERS"]), int(self.env["SURVEYAPP_THREADS"]),
                                   runtime)
        with open(self.folder / f"gunicorn-{port}.log", "ab") as log:
            # Its own process group: the unit's control group, which systemd empties when the master is gone.
            return subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)

    def log(self, port: int) -> str:
        return (self.folder / f"gunicorn-{port}.log").read_text(errors="replace")

    def wait_healthy(self, port: int, seconds: float = 60) -> None:
        """docs/deploy.md's wait: /healthz of the instance answers 200."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).status == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise AssertionError(f"instance {port} never became healthy:\n{self.log(port)[-3000:]}")

    def restart(self, port: int) -> None:
        """`systemctl restart surveyapp@PORT` as the unit has it: KillSignal to the master (KillMode=mixed),
        its exit awaited for at most TimeoutStopSec, then ExecStart again."""
        process = self.gunicorns[port]
        process.send_signal(getattr(signal, unit_setting("KillSignal")))
        try:
            process.wait(unit_stop_seconds())
        except subprocess.TimeoutExpired:
            raise AssertionError(f"instance {port} did not stop within TimeoutStopSec")
        self._empty_control_group(process)
        self.gunicorns[port] = self.start(port)

    @staticmethod
    def _empty_control_group(process: subprocess.Popen) -> None:
        """What systemd does once a unit's main process has exited (KillMode=mixed): SIGKILL to what is left in
        its control group, such as the workers of a master killed with SIGKILL, which would hold the port."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        for process in (self.nginx, *self.gunicorns.values(), self.redis):
            if process.poll() is None:
                # Nothing left to finish: gunicorn's masters are killed (their workers see it within a
                # second and exit), the others quit at once.
                process.send_signal(signal.SIGKILL if process in self.gunicorns.values() else signal.SIGINT)
        for process in (self.nginx, *self.gunicorns.values(), self.redis):
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
        for process in self.gunicorns.values():
            self._empty_control_group(process)

    def opener(self) -> urllib.request.OpenerDirector:
        """A browser of its own: cookies, the test CA, no redirects followed (a 303 is the acknowledgement)."""
        return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(), _NoRedirect(),
                                           urllib.request.HTTPSHandler(context=self.tls))


@pytest.fixture(scope="module")
def topology(database, tmp_path_factory):
    """One topology for the module (starting it takes a while): each test leaves both instances able to
    start and Redis running, whatever it took away (the rolling restart starts a killed instance again)."""
    url, env = database
    started = Topology(url, env, tmp_path_factory.mktemp("topology"))
    try:
        yield started
    finally:
        started.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _hidden_fields(html: str) -> dict:
    return dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', html)
                + re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html))


def _status(opener, url: str, data: dict | None = None) -> tuple[int, str]:
    """(status, body) of one request; 599 for a connection nginx dropped (it never should)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=60) as page:
            return page.status, page.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return 599, str(error)


def _respondent(topology: Topology, slug: str, retry: bool = True) -> tuple[str | None, bool, list[int]]:
    """Fetch the form and submit it (retrying the same key on a 5xx, like a respondent pressing send again,
    when `retry`): returns (form key, acknowledged, every status seen). No Referer is sent, as from a browser
    with Referrer-Policy: no-referrer."""
    opener, url, seen = topology.opener(), f"{topology.base}/s/{slug}", []
    for _ in range(5 if retry else 1):
        status, html = _status(opener, url)
        seen.append(status)
        if status == 200:
            break
        time.sleep(0.2)
    else:
        return None, False, seen
    hidden = _hidden_fields(html)
    data = {**hidden, **{f"item_{c}": "4" for c in KEY_ITEMS}}
    for _ in range(5 if retry else 1):
        status, _body = _status(opener, url, data)
        seen.append(status)
        if status < 500:
            return hidden["idempotency_key"], status == 303, seen
        time.sleep(0.2)
    return hidden["idempotency_key"], False, seen


def _slow_client(port: int, stop: threading.Event, tls: ssl.SSLContext) -> None:
    """A body announced as 100 bytes and sent at a byte a second: nginx holds it, gunicorn never sees it."""
    import socket
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as raw, \
                tls.wrap_socket(raw, server_hostname="127.0.0.1") as sock:
            sock.sendall(b"POST /s/slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 100\r\n\r\n")
            while not stop.is_set():
                sock.sendall(b"a")
                stop.wait(1)
    except OSError:
        pass  # nginx closed it after client_body_timeout: as intended


def _stored(topology: Topology) -> dict[str, int]:
    from surveyapp.models import Response

    engine = create_engine(topology.url)
    with engine.connect() as conn:
        stored = dict(conn.execute(select(Response.idempotency_key, func.count())
                                   .group_by(Response.idempotency_key)).all())
    engine.dispose()
    return stored


def _stored_keys(keys) -> list[str]:
    """The response stores an HMAC of the form's key under the app's secret (docs/anonymity.md), never the key."""
    from flask import Flask

    from surveyapp.services.collection.responses import stored_key
    with Flask(__name__).app_context() as ctx:
        ctx.app.config["SECRET_KEY"] = SECRET
        return [stored_key(key) for key in keys]


def _slug(topology: Topology, kind: str = "open") -> str:
    from surveyapp.models import CollectionLink

    engine = create_engine(topology.url)
    with engine.connect() as conn:
        slug = conn.execute(select(CollectionLink.slug).where(CollectionLink.kind == kind).limit(1)).scalar_one()
    engine.dispose()
    return slug


@needs_topology
def test_submissions_through_nginx_survive_a_killed_instance_and_the_throttle_is_shared(topology):
    slug = _slug(topology)
    # The throttle counts across instances: 20 guesses split over both, then the 21st is refused on either.
    guesser = {"X-Forwarded-For": "198.51.100.7"}
    for i in range(20):
        port = topology.instances[i % 2]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/s/guess{i}", headers=guesser)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as throttled:
        urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{topology.instances[0]}/s/guess-more", headers=guesser), timeout=10)
    assert throttled.value.code == 429
    assert urllib.request.urlopen(f"http://127.0.0.1:{topology.instances[1]}/s/{slug}", timeout=10).status == 200

    stop = threading.Event()
    slow = [threading.Thread(target=_slow_client, args=(topology.https_port, stop, topology.tls)) for _ in range(16)]
    for thread in slow:
        thread.start()
    try:
        with ThreadPoolExecutor(16) as pool:
            futures = [pool.submit(_respondent, topology, slug) for _ in range(120)]
            time.sleep(1.0)
            os.kill(topology.gunicorns[topology.instances[0]].pid, signal.SIGKILL)  # the master; workers follow
            results = [future.result() for future in futures]
    finally:
        stop.set()
        for thread in slow:
            thread.join(5)

    acknowledged = [key for key, ok, _seen in results if ok]
    assert len(acknowledged) >= 100, f"only {len(acknowledged)} of 120 acknowledged"
    stored = _stored(topology)
    assert all(stored.get(key) == 1 for key in _stored_keys(acknowledged))
    assert all(count == 1 for count in stored.values())


@needs_topology
def test_the_documented_rolling_restart_gives_32_respondents_no_error_and_loses_no_answer(topology):
    slug, stored_before = _slug(topology), _stored(topology)
    stop, lock, results = threading.Event(), threading.Lock(), []

    def respondent() -> None:  # one respondent after another, no retries: any 5xx counts
        while not stop.is_set():
            outcome = _respondent(topology, slug, retry=False)
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=respondent) for _ in range(32)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        during, timings = [], []
        for port in topology.instances:  # docs/deploy.md, section 7
            before, started = len(results), time.monotonic()
            topology.restart(port)
            stopped = time.monotonic()
            topology.wait_healthy(port)
            during.append(len(results) - before)
            timings.append((round(stopped - started, 1), round(time.monotonic() - stopped, 1)))
        time.sleep(2)
    finally:
        stop.set()
        for thread in threads:
            thread.join(120)

    statuses = [status for _key, _ok, seen in results for status in seen]
    errors = sorted(status for status in statuses if status >= 500)
    assert not errors, f"{len(errors)} errors in {len(statuses)} responses: {errors[:20]}"
    print(f"{len(results)} respondents; per restart (stop s, start s): {timings}, respondents done: {during}")
    assert all(count >= 32 for count in during), f"too few respondents finished during the restarts: {during}"
    assert all(ok for _key, ok, _seen in results), "every respondent's answer is acknowledged"
    acknowledged = [key for key, _ok, _seen in results]
    stored = _stored(topology)
    new = {key: count for key, count in stored.items() if key not in stored_before}
    assert sorted(new) == sorted(_stored_keys(acknowledged))  # nothing lost, nothing unacknowledged
    assert set(stored.values()) == {1}

    # Static files through nginx: the app's year of Cache-Control and its Brotli copy.
    _status_, html = _status(topology.opener(), f"{topology.base}/s/{slug}")
    stylesheet = re.search(r'href="(/static/[^"?]+\.css\?v=[0-9a-f]+)"', html).group(1)
    request = urllib.request.Request(topology.base + stylesheet, headers={"Accept-Encoding": "br, gzip"})
    with topology.opener().open(request, timeout=10) as static:
        assert static.headers["Content-Encoding"] == "br"
        assert "max-age=31536000" in static.headers["Cache-Control"]


@needs_topology
def test_with_redis_stopped_logins_answer_codes_and_unknown_links_give_no_error(topology):
    topology.redis.terminate()
    topology.redis.wait(10)
    try:
        seen = _use_without_redis(topology)
    finally:
        topology.redis = topology.start_redis()
        wait_for_port(topology.redis_port)

    assert seen["login page"][0] == 200
    assert seen["wrong password"][0] == 200 and "E-mail eller adgangskode er forkert." in seen["wrong password"][1]
    assert seen["right password"][0] == 302
    assert seen["rounds page"][0] == 200 and "Målerunder" in seen["rounds page"][1]  # logged in
    assert seen["answer code"][1] and seen["answer code"][2] == [200, 303]  # the form, then the acknowledgement
    assert _stored(topology)[_stored_keys([seen["answer code"][0]])[0]] == 1  # stored, once
    # Counted in each worker's memory now (tests/test_throttle_store_down.py shows the 429 in one process).
    assert {status for status, _body in seen["unknown links"]} == {404}
    logs = "".join(topology.log(port) for port in topology.instances)
    assert "Rate limit storage unreachable - falling back to in-memory storage" in logs


def _use_without_redis(topology: Topology) -> dict:
    """A coordinator logs in (a wrong password first), a respondent answers with a code and ten unknown links
    are guessed, all through nginx: every (status, body) seen, by what was done."""
    code = _slug(topology, "code")
    browser, login = topology.opener(), f"{topology.base}/login"
    seen = {"login page": _status(browser, login)}
    credentials = {"csrf_token": _hidden_fields(seen["login page"][1])["csrf_token"],
                   "email": "koordinator@example.org"}
    seen["wrong password"] = _status(browser, login, {**credentials, "password": "wrong"})
    seen["right password"] = _status(browser, login, {**credentials, "password": PASSWORD})
    seen["rounds page"] = _status(browser, f"{topology.base}/koordinator/")
    seen["answer code"] = _respondent(topology, code, retry=False)
    seen["unknown links"] = [_status(topology.opener(), f"{topology.base}/s/unknown{i}") for i in range(10)]
    return seen
