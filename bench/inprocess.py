"""CPU of the respondent flow in one process (Flask's test client, no server, no wrk): a steadier figure than
the server bench on a busy machine, for comparing two versions of the code.

    .venv/bin/python -m bench.inprocess [--flows 300]

Seeds a temporary SQLite database like `make bench`, warms up with 30 flows, then runs `--flows` complete
flows (GET ?new=1, POST, GET thank-you; a new client, so a new session, per flow) and prints the CPU time
(time.process_time) per flow, the median of three runs; then the same for the bare Flask app (bench/bare.py:
GET, POST one row, GET) on its own SQLite file, and the ratio. Both include the test client's own work.
"""
import argparse
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from .__main__ import ANSWERS, seed

TOKEN = re.compile(r'name="(csrf_token|idempotency_key)"[^>]*value="([^"]+)"')


def flow(app, slug: str) -> None:
    client = app.test_client()
    page = client.get(f"/s/{slug}?new=1")
    assert page.status_code == 200
    fields = dict(TOKEN.findall(page.get_data(as_text=True)))
    body = f"csrf_token={fields['csrf_token']}&idempotency_key={fields['idempotency_key']}&{ANSWERS}"
    posted = client.post(f"/s/{slug}", data=body, content_type="application/x-www-form-urlencoded")
    assert posted.status_code == 303, posted.status
    assert client.get(f"/s/{slug}/tak").status_code == 200


def bare_flow(app) -> None:
    client = app.test_client()
    assert client.get("/bare").status_code == 200
    posted = client.post("/bare", data="a=4", content_type="application/x-www-form-urlencoded")
    assert posted.status_code == 303
    assert client.get("/bare/tak").status_code == 200


def cpu_per_flow(run, flows: int) -> tuple[float, list[float]]:
    """The median over three runs of `flows` flows of the CPU milliseconds per flow, after 30 to warm up."""
    for _ in range(30):
        run()
    runs = []
    for _ in range(3):
        started = time.process_time()
        for _ in range(flows):
            run()
        runs.append((time.process_time() - started) * 1000 / flows)
    return statistics.median(runs), runs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flows", type=int, default=300)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="surveyapp-inprocess-"))
    slug = seed(f"sqlite:///{tmp / 'bench.db'}", tmp)
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    from surveyapp import create_app

    app = create_app({"RATELIMIT_ENABLED": True})
    median, runs = cpu_per_flow(lambda: flow(app, slug), args.flows)
    print(f"CPU per flow: {median:.2f} ms (runs {', '.join(f'{r:.2f}' for r in runs)})")
    os.environ["BENCH_DATABASE"] = f"sqlite:///{tmp / 'bare.db'}"
    from .bare import app as bare_app

    bare, bare_runs = cpu_per_flow(lambda: bare_flow(bare_app), args.flows)
    print(f"bare Flask: {bare:.2f} ms (runs {', '.join(f'{r:.2f}' for r in bare_runs)}); "
          f"surveyapp / bare: {median / bare:.1f}")


if __name__ == "__main__":
    main()
