"""Rules of action plans: pure functions, plain data in, plain data out (no Flask, no database).

Dates: an intervention's due date may not lie before its start. Statuses move planlagt → i gang →
implementeret, and any open one may be given up (opgivet); a finished one may be reopened (back to i gang),
since a verification audit can show it did not stick. An audit confirms an intervention when the afsnit's
latest finished audit with its template meets the template's rule; nothing changes status by itself.
The annual report highlights two interventions on each side and says so when there are fewer.
"""
from dataclasses import dataclass
from datetime import date

PLANNED, IN_PROGRESS, IMPLEMENTED, ABANDONED = "planlagt", "i_gang", "implementeret", "opgivet"
STATUSES = (PLANNED, IN_PROGRESS, IMPLEMENTED, ABANDONED)
OPEN_STATUSES = (PLANNED, IN_PROGRESS)
#: The statuses each status may move to.
TRANSITIONS = {
    PLANNED: (IN_PROGRESS, IMPLEMENTED, ABANDONED),
    IN_PROGRESS: (PLANNED, IMPLEMENTED, ABANDONED),
    IMPLEMENTED: (IN_PROGRESS,),
    ABANDONED: (PLANNED, IN_PROGRESS),
}
#: Interventions the annual report highlights on each side.
HIGHLIGHTS_PER_SIDE = 2


def dates_valid(starts_on: date | None, due_on: date | None) -> bool:
    """Whether the due date is on or after the start (either may be missing)."""
    return starts_on is None or due_on is None or due_on >= starts_on


def may_move(current: str, new: str) -> bool:
    """Whether an intervention with status `current` may be given status `new`."""
    return new in TRANSITIONS.get(current, ())


def overdue(status: str, due_on: date | None, today: date) -> bool:
    """An open intervention whose due date has passed."""
    return status in OPEN_STATUSES and due_on is not None and due_on < today


@dataclass(frozen=True)
class Verification:
    """What the latest audit says about an intervention."""

    #: "none" (no audit named), "pending" (not audited yet), "confirmed" or "short".
    state: str
    audited_on: date | None = None
    correct: int | None = None
    applicable: int | None = None

    @property
    def confirmed(self) -> bool:
        return self.state == "confirmed"


@dataclass(frozen=True)
class AuditOutcome:
    """One finished audit, reduced to what verification needs."""

    audited_on: date
    audit_id: int
    implemented: bool
    correct: int
    applicable: int


def verify(template_code: str | None, outcomes: list[AuditOutcome]) -> Verification:
    """The verification of an intervention from the finished audits of its afsnit with its template."""
    if not template_code:
        return Verification("none")
    if not outcomes:
        return Verification("pending")
    latest = max(outcomes, key=lambda o: (o.audited_on, o.audit_id))
    return Verification("confirmed" if latest.implemented else "short", latest.audited_on, latest.correct,
                        latest.applicable)


def offer_implemented(status: str, verification: Verification) -> bool:
    """Whether to offer setting "implementeret": the audit confirms it and the status allows it."""
    return verification.confirmed and may_move(status, IMPLEMENTED)


@dataclass(frozen=True)
class Selection:
    """The interventions an annual report shows on one side, and how many it lacks."""

    chosen: list
    missing: int


def select_highlights(candidates: list, highlighted: set) -> Selection:
    """Up to two of `candidates` (in order) that the coordinator highlighted; `missing` says how many short."""
    chosen = [c for c in candidates if c in highlighted][:HIGHLIGHTS_PER_SIDE]
    return Selection(chosen, HIGHLIGHTS_PER_SIDE - len(chosen))


def implemented(status: str, verification: Verification) -> bool:
    """The one definition of an implemented intervention, for every page, report and download: where an audit
    verifies it and has been made, the latest audit decides (confirmed: implemented, whatever the status; short:
    not, even if the status says implementeret); otherwise the status implementeret."""
    if verification.state in ("confirmed", "short"):
        return verification.confirmed
    return status == IMPLEMENTED


def how_implemented(status: str, verification: Verification) -> str | None:
    """Why an intervention counts as implemented: "audit" (the latest audit confirms it) or "status"
    (set implementeret, no audit made); None when it does not count."""
    if not implemented(status, verification):
        return None
    return "audit" if verification.confirmed else "status"


def needs_plan(key_met: list[bool | None], has_live_plan: bool) -> bool:
    """An afsnit with a shown key item under the target and no live plan: the leaders' overview flags it."""
    return not has_live_plan and any(met is False for met in key_met)


def worst_first(key_met: list[bool | None], key_shares: list[float | None]) -> tuple:
    """Sort key for afsnit, worst first: most key items under the target, then the lowest key-item share;
    afsnit without any shown key item last."""
    shown = [share for share in key_shares if share is not None]
    if not shown:
        return (1, 0, 0.0)
    return (0, -sum(met is False for met in key_met), min(shown))
