"""Benchmark: the poster pack of a round with 200 afsnit, rendered as one PDF.

Run: .venv/bin/python -m bench.posters [--afsnit 200] [--codes 10] [--out pack.pdf]
Builds a throwaway SQLite database with one hospital of N afsnit, a patient round and a staff round with
open links (and --codes answer codes per afsnit for the staff round), then times posters.pack_html (data +
templates + QR codes) and the WeasyPrint render separately, and prints the page count and PDF size.
"""
import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

from surveyapp import create_app
from surveyapp.extensions import db
from surveyapp.models import Unit
from surveyapp.services import questionnaires
from surveyapp.services.collection import posters
from surveyapp.services.collection.links import add_link
from surveyapp.services.pdf import render_pdf
from surveyapp.services.rounds import create_round
from surveyapp.timeutil import utcnow


def build(afsnit: int, codes: int):
    hospital = Unit(code="BENCH", name="Bench Sygehus", level="sygehus")
    departments = [Unit(code=f"BENCH-D{d:02}", name=f"Afdeling {d}", level="afdeling", parent=hospital)
                   for d in range(1, 21)]
    wards = [Unit(code=f"BENCH-A{n:03}", name=f"Afsnit {n} – Medicinsk sengeafsnit", level="afsnit",
                  parent=departments[n % len(departments)], headcount=25) for n in range(1, afsnit + 1)]
    db.session.add_all([hospital, *departments, *wards])
    now = utcnow()
    patient = create_round(questionnaires.find("hvad-er-vigtigt-for-dig"), "Hvad er vigtigt for dig?-dagen",
                           now, now + timedelta(days=1), wards, 0.8, 5)
    staff = create_round(questionnaires.find("patientsikkerhedskultur"), "Patientsikkerhedskultur",
                         now, now + timedelta(days=30), wards, 0.8, 5)
    for ward in wards:
        for _ in range(codes):
            add_link(staff, ward, "code")
    db.session.commit()
    return patient, staff


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, text=False).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def timed(label: str, round_, with_codes: bool, out: str | None) -> None:
    db.session.expire_all()
    start = time.perf_counter()
    html = posters.pack_html(round_, with_codes=with_codes)
    built = time.perf_counter()
    pdf = render_pdf(html)
    done = time.perf_counter()
    print(f"{label}: {pages(pdf)} pages, {len(pdf) / 1e6:.1f} MB; HTML {built - start:.2f} s + "
          f"WeasyPrint {done - built:.2f} s = {done - start:.2f} s")
    if out:
        with open(out, "wb") as fh:
            fh.write(pdf)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--afsnit", type=int, default=200)
    parser.add_argument("--codes", type=int, default=10, help="answer codes per afsnit in the staff round")
    parser.add_argument("--out", help="also write the patient pack here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{os.path.join(tmp, 'bench.db')}",
                          "SECRET_KEY": "bench", "SURVEYAPP_PUBLIC_URL": "https://survey.example.dk"})
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        logging.getLogger("surveyapp").setLevel(logging.WARNING)
        with app.app_context():
            db.create_all()
            questionnaires.install_builtin()
            patient, staff = build(args.afsnit, args.codes)
            print(f"{args.afsnit} afsnit, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
            timed("patient pack (A4, six languages)", patient, False, args.out)
            timed("staff pack (A4)", staff, False, None)
            timed(f"staff pack + {args.codes} code cards per afsnit", staff, True, None)
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
