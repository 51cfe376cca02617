"""schemathesis against the app's own OpenAPI document, served on loopback, on both databases: whatever the
document allows a client to send (and whatever it does not, NUL bytes included), no answer is a 5xx."""
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from surveyapp.extensions import db
from surveyapp.services.admin import tokens
from tests.results_helpers import add_responses, tryg

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.fixture
def served(app, make_org, make_round):
    units = make_org()
    round_ = make_round(units=list(units.values()))
    add_responses(round_, units["H-A1"], tryg(5, 4, 4, 3, 2))
    _token, secret = tokens.create_token("fuzz", can_read_raw=True)
    db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", secret
    server.shutdown()
    thread.join(5)


@pytest.mark.skipif(not SCHEMATHESIS.exists() and not shutil.which("schemathesis"), reason="schemathesis missing")
def test_schemathesis_finds_no_server_error_in_the_api(served, tmp_path):
    base, secret = served
    command = [str(SCHEMATHESIS if SCHEMATHESIS.exists() else shutil.which("schemathesis")), "run",
               f"{base}/api/v1/openapi.json", "--url", f"{base}/api/v1", "--checks", "not_a_server_error",
               "-H", f"Authorization: Bearer {secret}", "--max-examples", "25", "--max-time", "60",
               "--generation-allow-x00", "true", "--seed", "15", "--workers", "1",
               "--suppress-health-check", "all", "--warnings", "off"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
