"""Audit results and run-chart rules: pure functions, plain data in, dataclasses out.

An audit asks n staff (or looks at n records) about each criterion: yes, no or not applicable. A sample is
correct when every applicable criterion is answered yes; a sample where nothing applies is left out. The
share correct is taken over applicable samples only, and the template's rule decides "implemented":
"k of n" (9 of 10: the share must reach k/n over at least n applicable samples) or a target share (90 %).
"""
from dataclasses import dataclass, field
from fractions import Fraction
from statistics import median as _median

YES, NO, NOT_APPLICABLE = "yes", "no", "na"
ANSWERS = (YES, NO, NOT_APPLICABLE)


@dataclass(frozen=True)
class Rule:
    """A completion rule: `k` of `n` correct, or a target `share` (0-1) of applicable samples."""

    kind: str  # "k_of_n" or "share"
    k: int | None = None
    n: int | None = None
    share: float | None = None

    @property
    def threshold(self) -> Fraction:
        """The share correct the rule asks for, exactly (9/10, 90/100)."""
        if self.kind == "k_of_n":
            return Fraction(self.k, self.n)
        return Fraction(round(self.share * 1000), 1000)

    @property
    def minimum_samples(self) -> int:
        """Applicable samples needed before the rule can say "implemented"."""
        return self.n if self.kind == "k_of_n" else 1


@dataclass(frozen=True)
class Tally:
    """Counts for one criterion, or overall."""

    applicable: int
    correct: int

    @property
    def share(self) -> float | None:
        return self.correct / self.applicable if self.applicable else None


@dataclass(frozen=True)
class AuditResult:
    samples: int  # samples recorded
    overall: Tally
    criteria: dict[str, Tally]
    implemented: bool
    #: True when the rule has enough applicable samples to decide.
    decided: bool


def sample_correct(answers: dict[str, str]) -> bool | None:
    """True if every applicable criterion is yes, False if any is no, None if nothing applies."""
    applicable = [a for a in answers.values() if a in (YES, NO)]
    if not applicable:
        return None
    return all(a == YES for a in applicable)


def meets(rule: Rule, tally: Tally) -> bool:
    """Whether counts satisfy the rule (exact arithmetic, so 9 of 10 is exactly 90 %)."""
    if tally.applicable < rule.minimum_samples or tally.applicable == 0:
        return False
    return Fraction(tally.correct, tally.applicable) >= rule.threshold


def missing_samples(rule: Rule, tally: Tally) -> int:
    """Applicable samples still needed before the rule can decide (9 of 10 with 9 applicable: 1)."""
    return max(0, rule.minimum_samples - tally.applicable)


def implemented_count(rule: Rule, tallies: list[Tally]) -> tuple[int, int]:
    """(afsnit implemented, afsnit measured) under a roll-up: shown beside the pooled share ("3 af 4 afsnit")."""
    return sum(meets(rule, t) for t in tallies), len(tallies)


def tally_samples(samples: list[dict[str, str]], criteria: list[str]) -> tuple[Tally, dict[str, Tally]]:
    """Overall and per-criterion counts of applicable and correct answers over samples."""
    per_criterion = {}
    for code in criteria:
        answers = [s.get(code) for s in samples]
        per_criterion[code] = Tally(applicable=sum(a in (YES, NO) for a in answers),
                                    correct=sum(a == YES for a in answers))
    verdicts = [sample_correct({c: s.get(c) for c in criteria}) for s in samples]
    overall = Tally(applicable=sum(v is not None for v in verdicts), correct=sum(v is True for v in verdicts))
    return overall, per_criterion


def evaluate(samples: list[dict[str, str]], criteria: list[str], rule: Rule) -> AuditResult:
    """The result of one audit: samples are criterion code -> "yes" / "no" / "na"."""
    overall, per_criterion = tally_samples(samples, criteria)
    return AuditResult(samples=len(samples), overall=overall, criteria=per_criterion,
                       implemented=meets(rule, overall), decided=overall.applicable >= rule.minimum_samples)


def pool(tallies: list[Tally]) -> Tally:
    """Counts of several audits or units added up: a roll-up from raw counts, never an average of shares."""
    return Tally(applicable=sum(t.applicable for t in tallies), correct=sum(t.correct for t in tallies))


# Run charts -------------------------------------------------------------------------------------------------

#: Points in a row on one side of the median that make a shift, and points rising or falling that make a trend.
SHIFT_LENGTH = 6
TREND_LENGTH = 5
#: Below this many points the rules cannot find a shift, so "no shift, no trend" would say nothing true.
MINIMUM_POINTS = max(SHIFT_LENGTH, TREND_LENGTH)


def enough_points(count: int) -> bool:
    """Whether a run chart has enough points for its rules to say anything ("for få målinger" below)."""
    return count >= MINIMUM_POINTS


def workflow_key(name: str | None) -> str:
    """The workflow an audit names, compared without case and extra spaces: one run chart per workflow."""
    return " ".join((name or "").split()).casefold()


@dataclass(frozen=True)
class Signal:
    kind: str  # "shift" or "trend"
    direction: str  # "up" or "down" (above/below the median for a shift)
    start: int  # index of the first point
    end: int  # index of the last point, inclusive
    #: The indexes of the points that make the signal: without the points on the median (shift) or the
    #: repeated values (trend) between start and end, which neither count nor break it.
    points: tuple[int, ...] = field(default=(), compare=False)

    @property
    def length(self) -> int:
        """How many points make the signal: the number its words give ("6 audits in a row")."""
        return len(self.points) if self.points else self.end - self.start + 1


def median(values: list[float]) -> float | None:
    return _median(values) if values else None


def shifts(values: list[float], center: float | None = None, length: int = SHIFT_LENGTH) -> list[Signal]:
    """Runs of `length` or more points on one side of the median; points on the median neither count nor break."""
    center = median(values) if center is None else center
    if center is None:
        return []
    found, run_side, run = [], None, []
    for index, value in enumerate(values):
        if value == center:
            continue
        side = "up" if value > center else "down"
        if side != run_side:
            if len(run) >= length:
                found.append(Signal("shift", run_side, run[0], run[-1], tuple(run)))
            run_side, run = side, []
        run.append(index)
    if len(run) >= length:
        found.append(Signal("shift", run_side, run[0], run[-1], tuple(run)))
    return found


def trends(values: list[float], length: int = TREND_LENGTH) -> list[Signal]:
    """Runs of `length` or more points each higher (or lower) than the last; repeated values are skipped."""
    points = [(i, v) for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
    found, direction, run = [], None, points[:1]
    for (i0, v0), (i1, v1) in zip(points, points[1:]):
        step = "up" if v1 > v0 else "down"
        if step != direction:
            if len(run) >= length:
                found.append(Signal("trend", direction, run[0][0], run[-1][0], tuple(i for i, _ in run)))
            direction, run = step, [(i0, v0)]
        run.append((i1, v1))
    if direction and len(run) >= length:
        found.append(Signal("trend", direction, run[0][0], run[-1][0], tuple(i for i, _ in run)))
    return found


def run_chart_signals(values: list[float]) -> list[Signal]:
    """Every shift and trend in a series of shares, in order of their first point."""
    return sorted(shifts(values) + trends(values), key=lambda s: (s.start, s.kind))
