"""cProfile of one coordinator page in this process, on a database `bench.results --workdir` seeded.

    .venv/bin/python -m bench.profile_page DATABASE_URL IDS_JSON PATH [--warm] [--top N]

PATH may name the ids ("/koordinator/runde/{round}/enhed/{afdeling}"). Without --warm the first request to
the page is profiled (after one to the coordinator home page, as bench.results times "cold"); with --warm the
page is requested twice first and the times of five more are printed before the profiled one.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import time

from .exports import EMAIL, PASSWORD, make_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_page", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database_url")
    parser.add_argument("ids")
    parser.add_argument("path")
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    with open(args.ids) as f:
        path = args.path.format(**json.load(f))
    client = make_app(args.database_url).test_client()
    client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    client.get("/koordinator/")
    if args.warm:
        times = []
        for _ in range(7):
            started = time.perf_counter()
            client.get(path).get_data()
            times.append(time.perf_counter() - started)
        print("warm s:", " ".join(f"{t:.3f}" for t in times[2:]))
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    response = client.get(path)
    response.get_data()
    profile.disable()
    print(f"profiled request: {time.perf_counter() - started:.3f} s, status {response.status_code}")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
