"""`make bench-results`: the results pages of one closed round with 100 000 (and, with --large, 1 000 000)
responses, cold and warm, on SQLite and on PostgreSQL (TEST_DATABASE_URL, as .ci/with-postgres gives it).

    .venv/bin/python -m bench.results [--large] [--databases sqlite,postgresql]

The seeder writes rows with multi-row statements (sqlite3's executemany; COPY on PostgreSQL), never ORM
objects: 100 000 responses over 30 afsnit (1 sygehus, 3 afdelinger), 1 000 000 over 300 afsnit (3 sygehuse of
10 afdelinger of 10 afsnit, so a sygehus holds 100 afsnit for the PDF report). Each response answers the six
scale items and Faggruppe. Every page is then timed in a fresh Python process through the app (test client,
every chunk read): the first request (cold: nothing cached in the process; the process's first request, to
another page, has compiled the base templates) and the median of the next five (warm). The round is closed,
and is first precomputed as `flask precompute-results` does at close ("precompute": cold is the counting
and storing, warm a second run reading the stored rows back); with --no-precompute the dashboard's first view
is the first view after close (it fills the shared count table) and unit pages count their own afsnit.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

from .exports import EMAIL, PASSWORD, make_app

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    # The first view after close counts the round and stores the counts (round_count); every later view,
    # in any worker, reads them back: "fresh worker" is the same page in the next new process.
    "dashboard": "/koordinator/runde/{round}",
    "dashboard (fresh worker)": "/koordinator/runde/{round}",
    "unit page (afdeling)": "/koordinator/runde/{round}/enhed/{afdeling}",
    "results CSV": "/koordinator/download/runde/{round}/resultater.csv",
    "sygehus PDF": "/koordinator/download/runde/{round}/rapport/{sygehus}.pdf",
}
SCALE_ITEMS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op", "let_at_spoerge",
               "svaert_at_sige_til", "forbedringer_bruges")
BATCH = 20_000


def answer_rows(response_id: int, items: dict[str, int], rng: random.Random) -> list[tuple]:
    """The seven answers of one response: (id-less) response_id, item_id, value, not_applicable, text."""
    rows = []
    for code in SCALE_ITEMS:
        value = rng.choice((1, 2, 3, 4, 4, 5, 5, 9))
        rows.append((response_id, items[code], None if value == 9 else value, value == 9, None))
    rows.append((response_id, items["faggruppe"], rng.randint(1, 6), False, None))
    return rows


def organisation(hospitals: int, departments: int, wards: int) -> list[tuple[str, str, str, str | None]]:
    """(code, name, level, parent code) of a sygehus → afdeling → afsnit tree, parents first."""
    rows = []
    for s in range(hospitals):
        rows.append((f"S{s}", f"Sygehus {s}", "sygehus", None))
        for d in range(departments):
            rows.append((f"S{s}-D{d}", f"Afdeling {s}.{d}", "afdeling", f"S{s}"))
            rows += [(f"S{s}-D{d}-A{a}", f"Afsnit {s}.{d}.{a}", "afsnit", f"S{s}-D{d}") for a in range(wards)]
    return rows


def _bulk(connection, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Many rows in one go: COPY on PostgreSQL, one prepared statement run over all rows on SQLite."""
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                        rows)


def forget_stored(database_url: str) -> None:
    """Empty the tables of stored counts and breakdowns of a reused database, so "cold" is cold again."""
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        names = set(inspect(connection).get_table_names())
        for table in ("round_count_value", "round_count", "round_summary"):
            if table in names:
                connection.execute(text(f"DELETE FROM {table}"))
    engine.dispose()


def build(database_url: str, responses: int, shape: tuple[int, int, int], drop_indexes: tuple[str, ...] = (),
          reuse: Path | None = None) -> dict:
    """Organisation, admin and one closed round with `responses` responses; returns the ids the pages need.

    `reuse`: a file that holds the ids of a database seeded before (SQLite files in --workdir); if it
    exists, the database is brought up to the models (new tables) and its stored counts are forgotten."""
    if reuse is not None and reuse.exists():
        app = make_app(database_url)
        from surveyapp.extensions import db
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        forget_stored(database_url)
        return json.loads(reuse.read_text())
    from sqlalchemy import select, text

    from surveyapp.extensions import db
    from surveyapp.models import Item, Unit
    from surveyapp.services import questionnaires
    from surveyapp.services.rounds import create_round
    from surveyapp.services.users import create_user
    from surveyapp.timeutil import utcnow

    app = make_app(database_url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # a fresh schema for each size (SQLite: a fresh file)
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        db.create_all()
        questionnaires.install_builtin()
        questionnaire = questionnaires.find("patientsikkerhedskultur")
        by_code: dict[str, Unit] = {}
        for code, name, level, parent in organisation(*shape):
            by_code[code] = Unit(code=code, name=name, level=level, parent=by_code.get(parent),
                                 headcount=400 if level == "afsnit" else None)
        db.session.add_all(by_code.values())
        create_user(EMAIL, "admin", PASSWORD)
        afsnit = [u for u in by_code.values() if u.level == "afsnit"]
        opens = utcnow() - timedelta(days=40)
        round_ = create_round(questionnaire, "Bench results", opens, opens + timedelta(days=30), afsnit, 0.8, 5)
        db.session.commit()
        items = {item.code: item.id for item in db.session.scalars(
            select(Item).where(Item.questionnaire_id == questionnaire.id))}
        round_id, afsnit_ids = round_.id, [u.id for u in afsnit]
        ids = {"round": round_id, "sygehus": by_code["S0"].id, "afdeling": "S0-D0"}
    from sqlalchemy import create_engine
    engine = create_engine(database_url)
    rng = random.Random(2026)
    day = opens.date()
    with engine.begin() as connection:
        for index in drop_indexes:  # to time the pages as they were before an index
            connection.execute(text(f"DROP INDEX {index}"))
        next_id = 1
        for start in range(0, responses, BATCH):
            count = min(BATCH, responses - start)
            response_rows, answers = [], []
            for response_id in range(next_id, next_id + count):
                response_rows.append((response_id, round_id, afsnit_ids[response_id % len(afsnit_ids)],
                                      day + timedelta(days=response_id % 30), "da", uuid.uuid4().hex))
                answers += answer_rows(response_id, items, rng)
            next_id += count
            _bulk(connection, "response", ("id", "round_id", "unit_id", "submitted_on", "language", "idempotency_key"),
                  response_rows)
            _bulk(connection, "answer", ("response_id", "item_id", "value", "not_applicable", "text"), answers)
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT setval(pg_get_serial_sequence('response', 'id'), :n)"), {"n": next_id})
    with engine.connect() as connection:  # statistics (and PostgreSQL's visibility map) as a live database has
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
            connection.commit()
    engine.dispose()
    if reuse is not None:
        reuse.write_text(json.dumps(ids))
    return ids


def measure_precompute(database_url: str, ids: dict) -> dict:
    """Time `precompute` of the round in this (fresh) process, as `flask precompute-results` runs it at close:
    first (counts and stores), then again in a worker with nothing in memory (reads the stored rows back)."""
    from surveyapp.extensions import db
    from surveyapp.models import Round
    from surveyapp.services.results import counts, precompute

    app = make_app(database_url)
    times = []
    for _ in range(2):
        counts._CACHE.clear()
        with app.app_context():
            started = time.perf_counter()
            assert precompute.precompute(db.session.get(Round, ids["round"]))
            times.append(time.perf_counter() - started)
    return {"page": "precompute", "cold": round(times[0], 3), "warm": round(times[1], 3), "bytes": 0}


def measure(database_url: str, page: str, ids: dict, repeat: int = 5) -> dict:
    """Time one page in this (fresh) process: the first request, then the median of `repeat` more."""
    if page == "precompute":
        return measure_precompute(database_url, ids)
    app = make_app(database_url)
    client = app.test_client()
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code in (302, 303), response.status
    # The first request of a process compiles templates and loads catalogs: pay that on another page, so
    # "cold" is the page with nothing of this round counted yet.
    assert client.get("/koordinator/").status_code == 200
    times, size = [], 0
    for _ in range(repeat + 1):
        started = time.perf_counter()
        response = client.get(PAGES[page].format(**ids), buffered=False)
        assert response.status_code == 200, response.status
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        times.append(time.perf_counter() - started)
    return {"page": page, "cold": round(times[0], 3), "warm": round(statistics.median(times[1:]), 3), "bytes": size}


def explain(database_url: str, round_id: int) -> str:
    """The database's plan for the grouped count (GROUP BY afsnit, item, value) a closed round stores once
    (`counts.shared_counts`); an open round's count adds item and afsnit filters."""
    from sqlalchemy import create_engine, func, select, text

    from surveyapp.models import Answer, Response

    engine = create_engine(database_url)
    with engine.connect() as connection:
        query = (select(Response.unit_id, Answer.item_id, Answer.value, func.count())
                 .join(Response, Response.id == Answer.response_id)
                 .where(Response.round_id == round_id)
                 .group_by(Response.unit_id, Answer.item_id, Answer.value))
        sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
        if engine.dialect.name == "postgresql":
            rows = connection.execute(text("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)).scalars()
        else:
            rows = (f"{row[0]} {row[1]} {row[3]}" for row in connection.execute(text("EXPLAIN QUERY PLAN " + sql)))
        plan = "\n".join(rows)
    engine.dispose()
    return plan


def in_child(database_url: str, page: str, ids: dict) -> dict:
    command = [sys.executable, "-m", "bench.results", "--database-url", database_url, "--measure", page,
               "--ids", json.dumps(ids)]
    output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.results", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="also 1 000 000 responses over 300 afsnit")
    parser.add_argument("--only-large", action="store_true", help="only 1 000 000 responses over 300 afsnit")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--drop-index", action="append", default=[], metavar="NAME",
                        help="drop this index before seeding (to time the pages without it)")
    parser.add_argument("--explain", action="store_true", help="print the plan of the grouped count")
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--ids", help=argparse.SUPPRESS)
    parser.add_argument("--no-precompute", action="store_true",
                        help="time the pages without precomputing the round first (the first viewers count it)")
    parser.add_argument("--workdir", help="keep the SQLite databases here and reuse them on the next run "
                        "(seeded once; stored counts are emptied before timing)")
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="bench-results-")
    if args.workdir:
        os.makedirs(workdir, exist_ok=True)
    os.environ.setdefault("SURVEYAPP_INSTANCE", workdir)
    if args.measure:
        print(json.dumps(measure(args.database_url, args.measure, json.loads(args.ids))))
        return
    sizes = [] if args.only_large else [(100_000, (1, 3, 10))]
    if args.large or args.only_large:
        sizes.append((1_000_000, (3, 10, 10)))
    databases = [("sqlite", f"sqlite:///{workdir}/bench-{{responses}}.db")]
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        databases.append(("postgresql", os.environ["TEST_DATABASE_URL"]))
    with open("/proc/loadavg") as f:
        print("load average", " ".join(f.read().split()[:3]), f"; {os.cpu_count()} cores")
    print("| database | responses | afsnit | page | cold s | warm s | KB |\n|---|---:|---:|---|---:|---:|---:|")
    for name, base_url in databases:
        if name not in args.databases.split(","):
            continue
        for responses, shape in sizes:
            url = base_url.format(responses=responses)
            started = time.perf_counter()
            reuse = (Path(workdir) / f"bench-{responses}.ids.json"
                     if args.workdir and name == "sqlite" and not args.drop_index else None)
            if reuse is not None and not (Path(workdir) / f"bench-{responses}.db").exists():
                reuse.unlink(missing_ok=True)  # the ids of a database that is gone: seed again
            ids = build(url, responses, shape, tuple(args.drop_index), reuse)
            print(f"<!-- {name}: seeded {responses} responses in {time.perf_counter() - started:.0f} s -->", flush=True)
            if args.explain:
                print(f"```\n{name}, {responses:,} responses:\n{explain(url, ids['round'])}\n```", flush=True)
            for page in ([] if args.no_precompute else ["precompute"]) + list(PAGES):
                row = in_child(url, page, ids)
                print(f"| {name} | {responses:,} | {shape[0] * shape[1] * shape[2]} | {page} | {row['cold']:.3f} | "
                      f"{row['warm']:.3f} | {row['bytes'] / 1024:.0f} |", flush=True)
    with open("/proc/loadavg") as f:
        print("load average", " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
