"""Benchmark of the large downloads: time and memory of streaming exports, and the 200-afsnit poster pack.

    .venv/bin/python -m bench.exports [--responses 100000] [--small 10000] [--database-url URL]

Builds a throwaway database (a temporary SQLite file unless --database-url names an empty PostgreSQL
database) with 4 sygehuse x 5 afdelinger x 10 afsnit = 200 afsnit, one round with `--responses` responses
(7 answers each, a free text on every 20th) and one with `--small` responses. Every measurement then runs in
a fresh Python process that logs in as an admin and downloads through the app (test client, not buffered),
so its peak RSS (ru_maxrss) is that download's alone; the Python heap's peak (tracemalloc) is measured too.
Memory is flat when the 100 000-response figures equal the 10 000-response ones.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-password-2026"
EMAIL = "bench-admin@example.org"
DOWNLOADS = {
    "raw-csv": "/koordinator/download/runde/{round}/svar.csv?format=plain&text=1",
    "raw-xlsx": "/koordinator/download/runde/{round}/svar.xlsx?text=1",
    "results-csv": "/koordinator/download/runde/{round}/resultater.csv",
    "results-xlsx": "/koordinator/download/runde/{round}/resultater.xlsx",
    "report-sygehus-pdf": "/koordinator/download/runde/{round}/rapport/{sygehus}.pdf",
}


def make_app(database_url: str):
    import logging

    from surveyapp import create_app

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                       "RATELIMIT_ENABLED": False, "SURVEYAPP_PUBLIC_URL": "http://bench.local"})


def build(database_url: str, sizes: list[int]) -> dict:
    """Organisation, admin and one round per size, filled with Core bulk inserts; returns ids."""
    from sqlalchemy import insert, select

    from surveyapp.extensions import db
    from surveyapp.models import Answer, Item, Response, Unit
    from surveyapp.services import questionnaires
    from surveyapp.services.rounds import create_round
    from surveyapp.services.users import create_user
    from surveyapp.timeutil import utcnow

    app = make_app(database_url)
    with app.app_context():
        db.create_all()
        questionnaires.install_builtin()
        questionnaire = questionnaires.find("patientsikkerhedskultur")
        units = []
        for s in range(4):
            hospital = Unit(code=f"S{s}", name=f"Sygehus {s}", level="sygehus")
            units.append(hospital)
            for d in range(5):
                department = Unit(code=f"S{s}-D{d}", name=f"Afdeling {s}.{d}", level="afdeling", parent=hospital)
                units.append(department)
                units += [Unit(code=f"S{s}-D{d}-A{a}", name=f"Afsnit {s}.{d}.{a}", level="afsnit",
                               parent=department, headcount=60) for a in range(10)]
        db.session.add_all(units)
        create_user(EMAIL, "admin", PASSWORD)
        afsnit = [u for u in units if u.level == "afsnit"]
        items = {item.code: item.id for item in db.session.scalars(
            select(Item).where(Item.questionnaire_id == questionnaire.id))}
        rng = random.Random(2026)
        ids = {"sygehus": units[0].id, "rounds": {}}
        # Posters are printed only for rounds that take answers: the pack is measured on an open round.
        ids["posters"] = create_round(questionnaire, "Bench posters", utcnow() - timedelta(days=1),
                                      utcnow() + timedelta(days=30), afsnit, 0.8, 5).id
        db.session.commit()
        for size in sizes:
            opens = utcnow() - timedelta(days=40)  # closed ten days ago: results are released only then
            round_ = create_round(questionnaire, f"Bench {size}", opens, opens + timedelta(days=30), afsnit, 0.8, 5)
            db.session.commit()
            ids["rounds"][size] = round_.id
            for start in range(0, size, 5000):
                count = min(5000, size - start)
                responses = [{"round_id": round_.id, "unit_id": rng.choice(afsnit).id, "submitted_on": opens.date(),
                              "language": "da", "idempotency_key": uuid.uuid4().hex} for _ in range(count)]
                db.session.execute(insert(Response), responses)
                new_ids = db.session.scalars(select(Response.id).where(Response.round_id == round_.id)
                                             .order_by(Response.id.desc()).limit(count)).all()
                answers = []
                for response_id in new_ids:
                    for code in ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op", "let_at_spoerge",
                                 "svaert_at_sige_til", "forbedringer_bruges"):
                        value = rng.choice((1, 2, 3, 4, 4, 5, 5, 9))
                        answers.append({"response_id": response_id, "item_id": items[code],
                                        "value": None if value == 9 else value, "not_applicable": value == 9,
                                        "text": None})
                    answers.append({"response_id": response_id, "item_id": items["faggruppe"],
                                    "value": rng.randint(1, 6), "not_applicable": False, "text": None})
                    if response_id % 20 == 0:
                        answers.append({"response_id": response_id, "item_id": items["kommentar"], "value": None,
                                        "not_applicable": False, "text": "=mere tid til oplæring"})
                db.session.execute(insert(Answer), answers)
                db.session.commit()
    return ids


def measure(database_url: str, what: str, round_id: int, sygehus: int, heap: bool) -> dict:
    """Run one download (or the poster pack) in this process: time, size and peak RSS, or the heap's peak."""
    app = make_app(database_url)
    client = app.test_client()
    with app.app_context():
        if heap:  # tracemalloc slows Python down: its run gives the heap's peak only, never the time
            tracemalloc.start()
        started = time.perf_counter()
        if what == "posters-200":
            from surveyapp.extensions import db
            from surveyapp.models import Round
            from surveyapp.services.collection.posters import pack_pdf

            size = len(pack_pdf(db.session.get(Round, round_id)))
        else:
            client.post("/login", data={"email": EMAIL, "password": PASSWORD})
            response = client.get(DOWNLOADS[what].format(round=round_id, sygehus=sygehus), buffered=False)
            assert response.status_code == 200, response.status
            size = sum(len(chunk) for chunk in response.response)
            response.close()
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if heap else 0
    return {"what": what, "seconds": round(elapsed, 2), "bytes": size, "python_peak_mb": round(peak / 2**20, 1),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def in_child(database_url: str, what: str, round_id: int, sygehus: int) -> dict:
    """Time and RSS from one fresh process, the heap's peak from another."""
    results = []
    for heap in (False, True):
        command = [sys.executable, "-m", "bench.exports", "--database-url", database_url, "--measure", what,
                   "--round", str(round_id), "--sygehus", str(sygehus)] + (["--heap"] if heap else [])
        output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    return {**results[0], "python_peak_mb": results[1]["python_peak_mb"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--database-url", help="An empty database to fill (default: a temporary SQLite file).")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sygehus", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--heap", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.database_url, args.measure, args.round, args.sygehus, args.heap)))
        return
    workdir = tempfile.mkdtemp(prefix="bench-exports-")
    os.environ.setdefault("SURVEYAPP_INSTANCE", workdir)
    url = args.database_url or f"sqlite:///{workdir}/bench.db"
    started = time.perf_counter()
    ids = build(url, [args.small, args.responses])
    print(f"built {args.small} + {args.responses} responses in {time.perf_counter() - started:.0f} s ({url})")
    print(f"{'download':<20} {'responses':>9} {'seconds':>8} {'MB out':>8} {'heap peak MB':>13} {'max RSS MB':>11}")
    for what in DOWNLOADS:
        for size in (args.small, args.responses):
            row = in_child(url, what, ids["rounds"][size], ids["sygehus"])
            print(f"{what:<20} {size:>9} {row['seconds']:>8} {row['bytes'] / 2**20:>8.1f} "
                  f"{row['python_peak_mb']:>13} {row['max_rss_mb']:>11}")
    row = in_child(url, "posters-200", ids["posters"], ids["sygehus"])
    print(f"{'posters-200 (pack)':<20} {'':>9} {row['seconds']:>8} {row['bytes'] / 2**20:>8.1f} "
          f"{row['python_peak_mb']:>13} {row['max_rss_mb']:>11}")


if __name__ == "__main__":
    main()
