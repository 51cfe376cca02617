"""The strategy's indicator arithmetic: pure functions, plain data in, dataclasses out (no Flask, no database).

UTH (utilsigtede hændelser) from DPSD: a case counts in the month it was created. "Closed within 90 days"
is decided per case: closed on or before day 90 after creation is on time; closed later, or still open after
day 90, is late; open and 90 days old or younger is not decided yet and counts in no share. Shares roll up by
adding numerators and denominators, never by averaging shares.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from statistics import median

#: DPSD's "Samlet alvorlighedskategori", as stored: ingen, lettere, alvorlig patientsikkerhedsrisiko, alvorlig,
#: dødelig.
SEVERITIES = ("ingen", "lettere", "alvorlig_risiko", "alvorlig", "doedelig")
#: The words DPSD writes for each severity (lower case), with and without "skade".
SEVERITY_WORDS = {
    "ingen": "ingen", "ingen skade": "ingen",
    "lettere": "lettere", "lettere skade": "lettere",
    "alvorlig patientsikkerhedsrisiko": "alvorlig_risiko",
    "alvorlig": "alvorlig", "alvorlig skade": "alvorlig",
    "dødelig": "doedelig", "dødelig skade": "doedelig", "død": "doedelig",
}
#: The legal deadline for the local handling of a case, and the strategy's target share within it.
CLOSE_DEADLINE_DAYS = 90
CLOSED_TARGET = Fraction(95, 100)
#: Root-cause analysis actions done on time, target.
RCA_TARGET = Fraction(90, 100)
UP, DOWN = "up", "down"


def severity_code(text: str) -> str | None:
    """The stored code of a DPSD severity text, or None when it is not one of DPSD's five."""
    return SEVERITY_WORDS.get(" ".join(text.strip().lower().split()))


def month_of(day: date) -> str:
    """"YYYY-MM" of a date: the period of monthly indicators."""
    return f"{day.year:04d}-{day.month:02d}"


def months_of_year(year: int, until: date | None = None) -> list[str]:
    """The months of a year as "YYYY-MM", up to and including `until`'s month when it falls in the year."""
    last = until.month if until is not None and until.year == year else 12
    if until is not None and until.year < year:
        return []
    return [f"{year:04d}-{m:02d}" for m in range(1, last + 1)]


def same_month_last_year(month: str) -> str:
    """"2026-03" -> "2025-03"."""
    year, number = month.split("-")
    return f"{int(year) - 1:04d}-{number}"


def closed_in_time(created_on: date, closed_on: date | None, today: date) -> bool | None:
    """True: closed within 90 days of creation; False: closed later or open past day 90; None: not decided yet."""
    deadline = created_on + timedelta(days=CLOSE_DEADLINE_DAYS)
    if closed_on is not None:
        return closed_on <= deadline
    return False if today > deadline else None


@dataclass(frozen=True)
class Share:
    """A numerator over a denominator; `value` is None without a denominator (nothing to divide)."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def met(self, target: float | Fraction | None, direction: str = UP) -> bool | None:
        """Whether the share reaches the target (exactly: 19 of 20 is 95 %); None without data or target."""
        if not self.denominator or target is None:
            return None
        exact, wanted = Fraction(self.numerator, self.denominator), Fraction(target).limit_denominator(10_000)
        return exact >= wanted if direction == UP else exact <= wanted


def pool(shares: Iterable[Share]) -> Share:
    """Several units' or months' shares added up from their counts: a roll-up, never an average of shares."""
    shares = list(shares)
    return Share(sum(s.numerator for s in shares), sum(s.denominator for s in shares))


def count_met(value: int | None, compared: int | None, direction: str = UP) -> bool | None:
    """A count against the same period before: a rise (or fall) is met; None when either is missing."""
    if value is None or compared is None:
        return None
    return value > compared if direction == UP else value < compared


@dataclass(frozen=True)
class SoFar:
    """Reported cases of the year's complete months against the same months of the year before."""

    months: list[str]
    reported: int
    #: None when the year before has no case at all (nothing to compare with).
    before: int | None

    @property
    def met(self) -> bool | None:
        return count_met(self.reported, self.before)


def reported_so_far(this_year: dict[str, int], last_year: dict[str, int], current_month: str) -> SoFar:
    """The rise the strategy asks for, over complete months only: a month just begun is not set against a
    whole one (in January, the month so far is all there is)."""
    months = sorted(m for m in this_year if m < current_month) or sorted(this_year)[:1]
    before = sum(last_year.get(same_month_last_year(m), 0) for m in months)
    return SoFar(months, sum(this_year[m] for m in months), before if any(last_year.values()) else None)


@dataclass(frozen=True)
class Case:
    """A DPSD case reduced to what the indicators need."""

    created_on: date
    closed_on: date | None
    severity: str | None


@dataclass(frozen=True)
class UthMonth:
    """The UTH figures of the cases created in one month."""

    month: str
    reported: int
    closed_90d: Share
    #: Median days from creation to closure of the month's closed cases; None when none has closed.
    median_days: float | None
    #: Cases per severity code (None: not categorised yet).
    by_severity: dict = field(default_factory=dict)


def days_to_close(case: Case) -> int | None:
    return (case.closed_on - case.created_on).days if case.closed_on is not None else None


def uth_month(month: str, cases: Sequence[Case], today: date) -> UthMonth:
    """The month's figures from the cases created in it (one unit or pooled: the rule is the same)."""
    verdicts = [closed_in_time(c.created_on, c.closed_on, today) for c in cases]
    days = [d for d in (days_to_close(c) for c in cases) if d is not None]
    return UthMonth(month, len(cases), Share(sum(v is True for v in verdicts), sum(v is not None for v in verdicts)),
                    median(days) if days else None, dict(Counter(c.severity for c in cases)))


def uth_months(cases: Iterable[Case], months: Sequence[str], today: date) -> dict[str, UthMonth]:
    """Each month's figures from every case, grouped by the month of creation."""
    grouped: dict[str, list[Case]] = {m: [] for m in months}
    for case in cases:
        key = month_of(case.created_on)
        if key in grouped:
            grouped[key].append(case)
    return {m: uth_month(m, grouped[m], today) for m in months}


def on_time(due_on: date, done_on: date | None, today: date) -> bool | None:
    """A root-cause analysis action: done by its due date (True), not done and past it or done late (False),
    or not yet due and not done (None, counts in no share)."""
    if done_on is not None:
        return done_on <= due_on
    return False if today > due_on else None


def milestone_met(done: bool, done_on: date, due_on: date | None) -> bool:
    """A milestone is met when it is done, by its deadline when it has one."""
    return done and (due_on is None or done_on <= due_on)


def latest(values: dict[str, object]) -> tuple[str, object] | tuple[None, None]:
    """The latest period with a value (periods sort as text: "YYYY-MM")."""
    filled = [k for k, v in values.items() if v is not None]
    return (max(filled), values[max(filled)]) if filled else (None, None)
