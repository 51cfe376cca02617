"""A plan beside the results of later rounds: the challenges the plan was made for, with their shares in the
round it started from and in a later closed round ("Tryg som patient: 62 % → 78 %").

The shares come from the results service (`unit_report`), so a hidden cell shows no figure in either round.
"""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...models import ActionPlan, Questionnaire, Round
from ...scoring import Score
from ...timeutil import utcnow
from ..results.unit_report import ItemLine, unit_report


@dataclass(frozen=True)
class PlanProgress:
    plan: ActionPlan
    #: The biggest challenges of the plan's round, lowest first (empty when hidden or unanswered).
    challenges: list[ItemLine]
    #: The afsnit's results were hidden in the plan's round.
    suppressed: bool
    #: A later closed round whose results stand beside the challenges, or None.
    later: Round | None = None
    #: Item code -> the afsnit's share in `later`.
    later_scores: dict[str, Score] = field(default_factory=dict)


def later_closed_round(plan: ActionPlan, now: datetime | None = None) -> Round | None:
    """The newest closed round of the plan's questionnaire (any version) that opened after the plan's round and
    in which the afsnit took part: the repeat measurement to set beside the plan."""
    now = now or utcnow()
    rounds = db.session.scalars(
        select(Round).join(Questionnaire, Questionnaire.id == Round.questionnaire_id)
        .where(Questionnaire.code == plan.round.questionnaire.code, Round.opens_at > plan.round.opens_at,
               Round.closes_at <= now)
        .order_by(Round.opens_at.desc(), Round.id.desc()))
    return next((r for r in rounds if plan.unit in r.units), None)


def plan_progress(plan: ActionPlan, lang: str, later: Round | None = None) -> PlanProgress:
    """The plan's challenges, and their shares in `later` when it is a closed round after the plan's round."""
    made = unit_report(plan.round, plan.unit_id, lang)
    lines = list(made.lowest) if made is not None and not made.suppressed else []
    suppressed = made is None or made.suppressed
    if later is None or later.id == plan.round_id or later.opens_at <= plan.round.opens_at \
            or later.status() != "closed":
        return PlanProgress(plan, lines, suppressed)
    after = unit_report(later, plan.unit_id, lang)
    scores = {line.code: line.score for line in after.items} if after is not None else {}
    return PlanProgress(plan, lines, suppressed, later, scores)
