"""Browser tests: Debian's Chromium driven by Playwright at a phone's viewport, against a live server.

The app is served from a thread on a file SQLite database (a :memory: one is not shared between the
server's connections). Browser tests run on SQLite only; the database layer is covered on both databases
by the other tests.
"""
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(params=[pytest.param("sqlite", id="sqlite")])
def database_url(request, tmp_path):
    return f"sqlite:///{tmp_path / 'browser.db'}"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True,
            "has_touch": True, "locale": "da-DK", "device_scale_factor": 2}


@pytest.fixture
def live_server(app):
    """The app served on a free loopback port for the length of a test; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["SURVEYAPP_PUBLIC_URL"] = base_url
    yield base_url
    server.shutdown()
    thread.join(timeout=5)
