"""DPSD import at scale (issue 26: 100 000 cases in under 30 s).

Writes a Report Centre extract of N cases ("kun data": `;`, UTF-8 with a BOM, dd-mm-yyyy dates, DPSD's own
header) over 30 afsnit, then times `flask import-dpsd`'s two steps in process: the plan (read, check every row,
compare with the database) and the apply (bulk insert or update), first into an empty table, then the same file
again with a tenth of the cases changed (closed, re-categorised): the re-import that updates by case id.

    .venv/bin/python -m bench.dpsd [--cases 100000] [--database URL]

Without --database a temporary SQLite file is used; with TEST_DATABASE_URL (as .ci/with-postgres sets it) pass
`--database "$TEST_DATABASE_URL"` for PostgreSQL.
"""
import argparse
import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HEADER = ("ID;Opret-dato;Hændelsesdato;Hændelsessted/Lokation;Faktisk konsekvens;Mulig konsekvens;"
          "Samlet alvorlighedskategori;DPSD klassifikation - Hovedgruppe;Status;Afsluttet dato;Dage til sagsafslutning")
SEVERITIES = ("ingen", "lettere", "alvorlig patientsikkerhedsrisiko", "alvorlig", "dødelig")


def extract(cases: int, wards: list[str], changed: float = 0.0, seed: int = 26) -> bytes:
    """A Report Centre CSV of `cases` cases; `changed` of them closed later and re-categorised."""
    rng, lines = random.Random(seed), ["\ufeff" + HEADER]
    start = date(2025, 1, 1)
    for number in range(cases):
        created = start + timedelta(days=rng.randrange(700))
        days = rng.randint(2, 150) + (30 if rng.random() < changed else 0)
        closed = created + timedelta(days=days)
        severity = SEVERITIES[(number + (1 if rng.random() < changed else 0)) % 5]
        lines.append(f"{9_000_000 + number};{created:%d-%m-%Y};{created:%d-%m-%Y};{rng.choice(wards)};Ingen skade;"
                     f"Ingen skade;{severity};Medicinering;Afsluttet;{closed:%d-%m-%Y};{days}")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ.update(DATABASE_URL=args.database or f"sqlite:///{folder / 'bench.db'}", SURVEYAPP_INSTANCE=str(folder))
    from surveyapp import create_app
    from surveyapp.extensions import db
    from surveyapp.models import Unit
    from surveyapp.services.strategy import dpsd_import

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
        hospital = Unit(code="SLA", name="Slagelse Sygehus", level="sygehus")
        department = Unit(code="SLA-MED", name="Medicinsk afdeling", level="afdeling", parent=hospital)
        wards = [Unit(code=f"SLA-M{n}", name=f"Medicinsk afsnit {n}", level="afsnit", parent=department)
                 for n in range(1, 31)]
        db.session.add_all([hospital, department, *wards])
        db.session.commit()
        names = [w.name for w in wards]
        print(f"| step | cases | plan (s) | apply + commit (s) | total (s) | created | updated |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for label, data in (("first import", extract(args.cases, names)),
                            ("re-import, the same cases, some closed later or re-categorised", extract(args.cases, names, changed=0.1))):
            started = time.perf_counter()
            plan = dpsd_import.plan(data)
            planned = time.perf_counter()
            assert plan.ok, plan.errors[:5]
            created, updated = dpsd_import.apply(plan)
            db.session.commit()
            done = time.perf_counter()
            print(f"| {label} | {len(plan.rows):,} | {planned - started:.1f} | {done - planned:.1f} | "
                  f"{done - started:.1f} | {created:,} | {updated:,} |")
        db.drop_all()
        db.engine.dispose()


if __name__ == "__main__":
    main()
