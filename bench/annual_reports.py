"""Benchmark: `flask annual-reports` for a sygehus of 100 afsnit (the issue asks for under 60 s).

Run: .venv/bin/python -m bench.annual_reports [--responses 20000] [--wards 10]
Seeds a throwaway SQLite database with one sygehus of 10 afdelinger × --wards afsnit and one closed staff round
(bench.results.build), then runs the command as an operator would and prints its wall time and the PDFs'
count. Prints the load average before and after: the machine is shared, so read the time against it.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import build


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.annual_reports", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--wards", type=int, default=10, help="afsnit per afdeling (10 afdelinger)")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-annual-"))
    os.environ.setdefault("SURVEYAPP_INSTANCE", str(workdir))
    url = f"sqlite:///{workdir}/annual.db"
    build(url, args.responses, (1, 10, args.wards))
    with open("/proc/loadavg") as f:
        print("load average", " ".join(f.read().split()[:3]), f"; {os.cpu_count()} cores")
    year = time.gmtime().tm_year
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "annual-reports", "--unit", "S0",
                             "--year", str(year), "--out", str(workdir / "out")],
                            env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - started
    print(result.stdout.strip().splitlines()[-1])
    print(f"{len(list((workdir / 'out').glob('*.pdf')))} PDFs for {10 * args.wards} afsnit in {elapsed:.1f} s "
          "(the command, start-up included)")
    with open("/proc/loadavg") as f:
        print("load average", " ".join(f.read().split()[:3]))


if __name__ == "__main__":
    main()
