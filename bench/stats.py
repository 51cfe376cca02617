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

    @property
    def rate(self) -> float:
        return self.flows / self.seconds if self.seconds else 0.0


def summarize(target: str, clients: int, durations_ms: list[float], seconds: float, errors: int = 0) -> RunSummary:
    """A RunSummary of the completed flows' wall times."""
    return RunSummary(target, clients, len(durations_ms), seconds, percentile(durations_ms, 50),
                      percentile(durations_ms, 95), percentile(durations_ms, 99), errors)


def ratio(ours: RunSummary, bare: RunSummary) -> float:
    """Our flow rate as a share of the bare app's (0 when the bare app completed nothing)."""
    return ours.rate / bare.rate if bare.rate else 0.0


def markdown_table(pairs: list[tuple[RunSummary, RunSummary]]) -> str:
    """The result table of docs/benchmarks.md: one row per app and client count."""
    lines = ["| app | clients | flows/s | p50 ms | p95 ms | p99 ms | errors | share of bare |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for ours, bare in pairs:
        for run, share in ((ours, f"{ratio(ours, bare):.0%}"), (bare, "")):
            lines.append(f"| {run.target} | {run.clients} | {run.rate:.0f} | {run.p50:.1f} | {run.p95:.1f} | "
                         f"{run.p99:.1f} | {run.errors} | {share} |")
    return "\n".join(lines)
