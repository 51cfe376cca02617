"""`make run` on a fresh machine: a taken port is one line that suggests PORT=, HOST=0.0.0.0 puts an address
phones can reach in the QR codes (never the host name), and a few slow clients do not stop the server."""
import ipaddress
import os
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import closing
from urllib.parse import urlsplit

import pytest

from tools import run_preflight
from tools.run_preflight import PreflightError

ROOT = run_preflight.__file__.rsplit("/tools/", 1)[0]


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _make_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS", "SURVEYAPP_"))}
    env.pop("TEST_DATABASE_URL", None)
    env.update(extra)
    return env


@pytest.fixture
def taken_port():
    with closing(socket.socket()) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def test_a_taken_port_is_one_line_that_suggests_another_and_starts_nothing(taken_port):
    result = subprocess.run(["make", "run", f"PORT={taken_port}"], cwd=ROOT, env=_make_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert f"port {taken_port} on 127.0.0.1 is taken" in lines[0] and f"PORT={taken_port + 1}" in lines[0]
    assert "gunicorn" not in lines[0].lower()


def test_the_preflight_script_exits_1_on_a_taken_port_on_every_interface(taken_port):
    result = subprocess.run(["python3", "tools/run_preflight.py", "0.0.0.0", str(taken_port)], cwd=ROOT,
                            env=_make_env(), capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.count("\n") == 1 and "PORT=" in result.stderr


def test_every_interface_puts_the_primary_ip_address_in_the_public_url_never_the_host_name():
    url = run_preflight.public_url("0.0.0.0", 8000, environ={})
    host = urlsplit(url).hostname
    address = ipaddress.ip_address(host)  # an IP literal: phones need no name lookup
    assert not address.is_loopback and not address.is_unspecified
    assert host not in (socket.gethostname(), socket.getfqdn())
    assert urlsplit(url).port == 8000


def test_served_on_loopback_the_public_url_is_that_address():
    assert run_preflight.public_url("127.0.0.1", 5000, environ={}) == "http://127.0.0.1:5000"


def test_a_given_public_url_wins():
    given = {"SURVEYAPP_PUBLIC_URL": "https://survey.example.org/"}
    assert run_preflight.public_url("0.0.0.0", 8000, environ=given) == "https://survey.example.org"
    result = subprocess.run(["python3", "tools/run_preflight.py", "0.0.0.0", str(_free_port())], cwd=ROOT,
                            env=_make_env(**given), capture_output=True, text=True, timeout=30)
    assert (result.returncode, result.stdout) == (0, "https://survey.example.org\n")


def test_no_reachable_address_asks_for_surveyapp_public_url():
    with pytest.raises(PreflightError, match="set SURVEYAPP_PUBLIC_URL"):
        run_preflight.public_url("0.0.0.0", 8000, environ={}, find_address=lambda: None)


def test_loopback_and_link_local_addresses_are_not_offered_to_phones():
    assert [a for a in ("127.0.1.1", "fe80::1", "::1", "0.0.0.0", "10.0.0.7") if run_preflight._reachable(a)] == [
        "10.0.0.7"]


def _get(url: str, timeout: float) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status


def test_eight_slow_clients_do_not_stop_the_make_run_server(tmp_path):
    """Eight clients each send a POST's headers and one byte of its body, then stall: each holds a gunicorn
    thread. The server `make run` starts still answers everyone else at once."""
    port = _free_port()
    env = _make_env(DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}", SECRET_KEY="make-run-test")
    server = subprocess.Popen(["make", "run", f"PORT={port}"], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    slow = []
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                assert _get(f"http://127.0.0.1:{port}/healthz", 2) == 200
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stdout.read()
                time.sleep(0.5)
        for _ in range(8):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"POST /s/abc HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n"
                           b"Content-Type: application/x-www-form-urlencoded\r\n\r\na")
            slow.append(client)
        time.sleep(1)
        for _ in range(4):
            started = time.monotonic()
            assert _get(f"http://127.0.0.1:{port}/healthz", 10) == 200
            assert time.monotonic() - started < 2
    finally:
        for client in slow:
            client.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
