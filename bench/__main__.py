"""`make bench`: the respondent flow under gunicorn with wrk, against a bare Flask app on the same server.

Seeds a temporary SQLite database with one open staff round, starts gunicorn for surveyapp and for
bench.bare on loopback ports, measures the first page load, then runs wrk (one connection a thread) with
8 and 32 clients for each app. Prints a Markdown table; writes bench/results/latest.json.
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

from .firstload import first_load
from .stats import markdown_table, summarize

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ("item_tryg_som_patient=4&item_laere_af_haendelser=5&item_ledelse_foelger_op=3"
           "&item_let_at_spoerge=4&item_svaert_at_sige_til=2&item_forbedringer_bruges=9&item_faggruppe=2")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(database: Path, instance: Path) -> str:
    """Create the schema, the built-in questionnaires, one afsnit and an open round; return its open slug."""
    os.environ.update(DATABASE_URL=f"sqlite:///{database}", SURVEYAPP_INSTANCE=str(instance))
    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.models import Unit
    from surveyapp.services import questionnaires
    from surveyapp.services.rounds import create_round
    from surveyapp.timeutil import utcnow

    app = create_app()
    with app.app_context():
        db.create_all()
        questionnaires.install_builtin()
        hospital = Unit(code="SLA", name="Slagelse Sygehus", level="sygehus")
        department = Unit(code="SLA-MED", name="Medicinsk afdeling", level="afdeling", parent=hospital)
        ward = Unit(code="SLA-M1", name="Medicinsk sengeafsnit M1", level="afsnit", parent=department, headcount=40)
        db.session.add_all([hospital, department, ward])
        round_ = create_round(questionnaires.find("patientsikkerhedskultur"), "Benchmark", utcnow() - timedelta(days=1),
                              utcnow() + timedelta(days=30), [ward], 0.8, 5)
        db.session.commit()
        slug = round_.links[0].slug
        db.engine.dispose()
    return slug


def serve(target: str, port: int, workers: int, env: dict, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
               "--backlog", "256", target]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz" if target == "app:app"
                                   else f"http://127.0.0.1:{port}/bare", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"{target} did not start; see {log}")


def run_wrk(base: str, page: str, thanks: str, clients: int, seconds: int, out: Path):
    env = {**os.environ, "FLOW_PAGE": page, "FLOW_THANKS": thanks, "FLOW_ANSWERS": ANSWERS, "FLOW_OUT": str(out)}
    result = subprocess.run(["wrk", "-t", str(clients), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "5s",
                             "-s", str(Path(__file__).with_name("flow.lua")), base],
                            env=env, capture_output=True, text=True, check=True)
    errors_line = next(line for line in result.stdout.splitlines() if line.startswith("flow-errors"))
    numbers = [int(part) for part in errors_line.split() if part.isdigit()]
    durations = [float(line) for line in out.read_text().split()]
    return durations, sum(numbers)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=int, default=15, help="length of each wrk run (default 15)")
    parser.add_argument("--clients", default="8,32", help="comma-separated client counts (default 8,32)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers for both apps (default 4)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    from surveyapp.staticfiles import compress_static
    compress_static()
    tmp = Path(tempfile.mkdtemp(prefix="surveyapp-bench-"))
    database = tmp / "bench.db"
    slug = seed(database, tmp)
    port, bare_port = _free_port(), _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SURVEYAPP_INSTANCE": str(tmp),
           "SECRET_KEY": "bench-secret", "SURVEYAPP_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "BENCH_DATABASE": str(database)}
    servers = [serve("app:app", port, args.workers, env, tmp / "app.log"),
               serve("bench.bare:app", bare_port, args.workers, env, tmp / "bare.log")]
    try:
        load = first_load(f"http://127.0.0.1:{port}/s/{slug}")
        targets = (("surveyapp", f"http://127.0.0.1:{port}", f"/s/{slug}", f"/s/{slug}/tak"),
                   ("bare Flask", f"http://127.0.0.1:{bare_port}", "/bare", "/bare/tak"))
        for name, base, page, thanks in targets:  # warm up every worker: imports, catalogs, templates
            run_wrk(base, page, thanks, 8, 3, tmp / f"warmup-{name}.txt")
        pairs = []
        for clients in [int(c) for c in args.clients.split(",")]:
            runs = []
            for name, base, page, thanks in targets:
                durations, errors = run_wrk(base, page, thanks, clients, args.seconds, tmp / f"{name}-{clients}.txt")
                runs.append(summarize(name, clients, durations, args.seconds, errors))
                time.sleep(1)
            pairs.append(tuple(runs))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
    stored = _count_responses(database)
    table = markdown_table(pairs)
    print(f"\nFirst load of /s/<slug>: {load.html_css_js_bytes / 1024:.1f} KB HTML+CSS+JS in "
          f"{load.html_css_js_requests} requests; with fonts {load.total_bytes / 1024:.1f} KB in "
          f"{load.total_requests} requests")
    print(f"Responses stored: {stored}\n")
    print(table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.json").write_text(json.dumps({
        "first_load": load.as_dict(), "responses_stored": stored, "workers": args.workers, "seconds": args.seconds,
        "runs": [{**vars(run), "rate": run.rate} for pair in pairs for run in pair],
    }, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)


def _count_responses(database: Path) -> int:
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM response").fetchone()[0]


if __name__ == "__main__":
    main()
