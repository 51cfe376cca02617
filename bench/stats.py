"""Pure helpers: percentiles and run summaries (no server, no database)."""
import math
from dataclasses import dataclass


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by the nearest-rank method; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class RunSummary:
    """One load run: completed flows a second and flow latency percentiles in milliseconds."""

    target: str
    clients: int
    flows: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int
    #: Server CPU (master and workers, user + system) per completed flow, in milliseconds.
    cpu_ms: float = 0.0

    @property
    def rate(self) -> float:
        return self.flows / self.seconds if self.seconds else 0.0


def summarize(target: str, clients: int, durations_ms: list[float], seconds: float, errors: int = 0,
              cpu_seconds: float = 0.0) -> RunSummary:
    """A RunSummary of the completed flows' wall times and the server CPU they took."""
    return RunSummary(target, clients, len(durations_ms), seconds, percentile(durations_ms, 50),
                      percentile(durations_ms, 95), percentile(durations_ms, 99), errors,
                      cpu_ms_per_flow(cpu_seconds, len(durations_ms)))


def ratio(ours: RunSummary, bare: RunSummary) -> float:
    """Our flow rate as a share of the bare app's (0 when the bare app completed nothing)."""
    return ours.rate / bare.rate if bare.rate else 0.0


def cpu_ratio(ours: RunSummary, bare: RunSummary) -> float:
    """Our server CPU per flow as a multiple of the bare app's (0 when the bare app's is unknown)."""
    return ours.cpu_ms / bare.cpu_ms if bare.cpu_ms else 0.0


def markdown_table(pairs: list[tuple[RunSummary, RunSummary]], database: str = "") -> str:
    """The result table of docs/benchmarks.md: one row per app and client count."""
    lines = ["| database | app | clients | flows/s | p50 ms | p95 ms | p99 ms | errors | CPU ms/flow "
             "| share of bare's flows/s | CPU × bare |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for ours, bare in pairs:
        for run, share, cpu in ((ours, f"{ratio(ours, bare):.0%}", f"{cpu_ratio(ours, bare):.1f}"), (bare, "", "")):
            lines.append(f"| {database} | {run.target} | {run.clients} | {run.rate:.0f} | {run.p50:.1f} | "
                         f"{run.p95:.1f} | {run.p99:.1f} | {run.errors} | {run.cpu_ms:.2f} | {share} | {cpu} |")
    return "\n".join(lines)


def stat_cpu_ticks(stat: str) -> int:
    """utime + stime (clock ticks) from the text of /proc/<pid>/stat; the name in parentheses may hold spaces."""
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5), counted from the state field (3)


def process_tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its live children (a gunicorn master and its workers)."""
    import os

    ticks = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/stat") as f:
                ticks += stat_cpu_ticks(f.read())
            with open(f"/proc/{current}/task/{current}/children") as f:
                pending += [int(child) for child in f.read().split()]
        except FileNotFoundError:
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_ms_per_flow(cpu_seconds: float, flows: int) -> float:
    """Server CPU milliseconds per completed flow (0.0 when nothing completed)."""
    return cpu_seconds * 1000 / flows if flows else 0.0


#: Frames every sample holds (the server's loop): left out of the top entries.
FRAMING = ("gunicorn/", "<frozen ", "whitenoise/", "flask/app.py", "werkzeug/")


def top_entries(collapsed: str, n: int = 15, by_own: bool = False) -> list[tuple[str, float, float]]:
    """(function, inclusive share, own share) of the n functions most present in py-spy's collapsed stacks
    ("frame;frame;frame count" lines), sorted by inclusive share (or by own share); a frame counted once per
    sample; the server's framing (FRAMING) left out."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = [_short_frame(frame) for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + samples
        own[frames[-1]] = own.get(frames[-1], 0) + samples
    if not total:
        return []
    ranked = sorted(((frame, count) for frame, count in inclusive.items()
                     if not any(f"({marker}" in frame for marker in FRAMING)),
                    key=lambda kv: -(own.get(kv[0], 0) if by_own else kv[1]))[:n]
    return [(frame, count / total, own.get(frame, 0) / total) for frame, count in ranked]


def _short_frame(frame: str) -> str:
    """'render (jinja2/environment.py:1295)' -> 'render (jinja2/environment.py)': lines split one function."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/work/wt/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})" if where else name
