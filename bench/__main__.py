"""`make bench`: the respondent flow under gunicorn with wrk, against a bare Flask app on the same server.

For each database (a temporary SQLite file; PostgreSQL at TEST_DATABASE_URL, as .ci/with-postgres gives it)
seeds one open staff round, starts gunicorn (one sync worker by default) for surveyapp and for bench.bare on
loopback ports, measures the first page load, then runs wrk (one connection a thread) with 8 and 32 clients
for each app, reading the server processes' CPU counters before and after each run. Prints Markdown tables;
writes bench/results/latest.json.
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
from .stats import markdown_table, process_tree_cpu, summarize, top_entries

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ("item_tryg_som_patient=4&item_laere_af_haendelser=5&item_ledelse_foelger_op=3"
           "&item_let_at_spoerge=4&item_svaert_at_sige_til=2&item_forbedringer_bruges=9&item_faggruppe=2")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(database_url: str, instance: Path) -> str:
    """Create the schema, the built-in questionnaires, one afsnit and an open round; return its open slug."""
    os.environ.update(DATABASE_URL=database_url, SURVEYAPP_INSTANCE=str(instance))
    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.models import Unit
    from surveyapp.services import questionnaires
    from surveyapp.services.rounds import create_round
    from surveyapp.timeutil import utcnow

    app = create_app()
    with app.app_context():
        db.drop_all()
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


def bench_database(name: str, database_url: str, tmp: Path, args) -> dict:
    """The first load and the wrk runs of both apps on one database."""
    slug = seed(database_url, tmp)
    port, bare_port = _free_port(), _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SURVEYAPP_INSTANCE": str(tmp),
           "SECRET_KEY": "bench-secret", "SURVEYAPP_PUBLIC_URL": f"http://127.0.0.1:{port}",
           "BENCH_DATABASE": database_url}
    servers = [serve("app:app", port, args.workers, env, tmp / f"app-{name}.log"),
               serve("bench.bare:app", bare_port, args.workers, env, tmp / f"bare-{name}.log")]
    try:
        load = first_load(f"http://127.0.0.1:{port}/s/{slug}")
        targets = (("surveyapp", f"http://127.0.0.1:{port}", f"/s/{slug}", f"/s/{slug}/tak", servers[0]),
                   ("bare Flask", f"http://127.0.0.1:{bare_port}", "/bare", "/bare/tak", servers[1]))
        for target, base, page, thanks, _ in targets:  # warm up every worker: imports, catalogs, templates
            run_wrk(base, page, thanks, 8, 3, tmp / f"warmup-{target}.txt")
        pairs = []
        for clients in [int(c) for c in args.clients.split(",")]:
            runs = []
            for target, base, page, thanks, server in targets:
                before = process_tree_cpu(server.pid)
                durations, errors = run_wrk(base, page, thanks, clients, args.seconds,
                                            tmp / f"{name}-{target}-{clients}.txt")
                cpu = process_tree_cpu(server.pid) - before
                runs.append(summarize(target, clients, durations, args.seconds, errors, cpu))
                time.sleep(1)
            pairs.append(tuple(runs))
        if args.profile:
            profile = record_profile(servers[0], targets[0], args.profile, tmp / f"profile-{name}.collapsed")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
    stored = _count_responses(database_url)
    return {"database": name, "first_load": load, "responses_stored": stored, "pairs": pairs,
            "profile": profile if args.profile else []}


def record_profile(server: subprocess.Popen, target: tuple, seconds: int, out: Path) -> list:
    """py-spy's samples of the (first) worker while wrk drives 8 clients for `seconds`; the top entries."""
    with open(f"/proc/{server.pid}/task/{server.pid}/children") as f:
        worker = f.read().split()[0]
    spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", worker, "--duration",
                            str(seconds), "--rate", "250", "--format", "raw", "--output", str(out), "--nonblocking"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, base, page, thanks, _ = target
    run_wrk(base, page, thanks, 8, seconds, out.with_suffix(".flows"))
    spy.wait(timeout=60)
    if not out.exists():
        return []
    keep = ROOT / "bench" / "results"
    keep.mkdir(exist_ok=True)
    shutil.copy(out, keep / out.name)
    return top_entries(out.read_text(errors="replace"), 25)  # a sampled frame may hold bytes that are no UTF-8


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--seconds", type=int, default=15, help="length of each wrk run (default 15)")
    parser.add_argument("--clients", default="8,32", help="comma-separated client counts (default 8,32)")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn sync workers for both apps (default 1)")
    parser.add_argument("--databases", default="sqlite,postgresql",
                        help="sqlite and/or postgresql (PostgreSQL needs TEST_DATABASE_URL; default both)")
    parser.add_argument("--profile", type=int, default=0, metavar="SECONDS",
                        help="after the runs, sample the surveyapp worker with py-spy for SECONDS at 8 clients")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    from surveyapp.staticfiles import compress_static
    compress_static()
    tmp = Path(tempfile.mkdtemp(prefix="surveyapp-bench-"))
    databases = [("sqlite", f"sqlite:///{tmp / 'bench.db'}")]
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        databases.append(("postgresql", os.environ["TEST_DATABASE_URL"]))
    databases = [d for d in databases if d[0] in args.databases.split(",")]
    with open("/proc/loadavg") as f:
        load_before = f.read().split()[:3]
    results = [bench_database(name, url, tmp, args) for name, url in databases]
    with open("/proc/loadavg") as f:
        load_after = f.read().split()[:3]
    load = results[0]["first_load"]
    print(f"\nLoad average before {' '.join(load_before)}, after {' '.join(load_after)}; "
          f"{os.cpu_count()} cores; {args.workers} sync worker(s) per app")
    print(f"First load of /s/<slug>: {load.html_css_js_bytes / 1024:.1f} KB HTML+CSS+JS in "
          f"{load.html_css_js_requests} requests; with fonts {load.total_bytes / 1024:.1f} KB in "
          f"{load.total_requests} requests\n")
    for result in results:
        print(f"{result['database']}: responses stored {result['responses_stored']}")
    print()
    lines = []
    for i, result in enumerate(results):  # one table, the header once
        lines += markdown_table(result["pairs"], result["database"]).splitlines()[(2 if i else 0):]
    print("\n".join(lines))
    for result in results:
        if result["profile"]:
            print(f"\nProfile of the surveyapp worker, {result['database']} (py-spy, share of samples):\n")
            print("| function | inclusive | own |\n|---|---:|---:|")
            for frame, inclusive, own in result["profile"]:
                print(f"| `{frame}` | {inclusive:.0%} | {own:.0%} |")
            print(f"\n(collapsed stacks in bench/results/profile-{result['database']}.collapsed)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps({
        "load_average": [load_before, load_after], "first_load": load.as_dict(), "workers": args.workers,
        "seconds": args.seconds,
        "databases": [{"database": r["database"], "responses_stored": r["responses_stored"],
                       "runs": [{**vars(run), "rate": run.rate} for pair in r["pairs"] for run in pair],
                       "profile": r["profile"]}
                      for r in results],
    }, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)


def _count_responses(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM response")).scalar_one()
    engine.dispose()
    return count


if __name__ == "__main__":
    main()
