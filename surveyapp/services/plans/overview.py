"""The leaders' overview of an afdeling or sygehus: which afsnit have a plan, interventions by status,
overdue ones, and the key items' movement from the plan's round to the repeat round.

The numbers come from the results service (counts and suppression decided there), never from averaged
percentages: a hidden afsnit shows no figure in either round.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ... import plan_rules as rules
from ...extensions import db
from ...models import ActionPlan, Questionnaire, Round, Unit
from ...scoring import Score
from ..results.counts import load_round
from ..results.unit_report import subtree
from .exports import plans_in_scope


@dataclass(frozen=True)
class KeyMove:
    code: str
    label: str
    before: Score
    after: Score | None


@dataclass(frozen=True)
class AfsnitLine:
    unit: Unit
    plan: ActionPlan | None
    by_status: dict[str, int]
    overdue: int
    moves: list[KeyMove]


@dataclass(frozen=True)
class PlansOverview:
    round: Round
    repeat: Round | None
    unit: Unit
    lines: list[AfsnitLine]
    by_status: dict[str, int]
    overdue: int


def repeat_round(round_: Round) -> Round | None:
    """The next round of the same questionnaire code that opened after this one: the repeat measurement."""
    return db.session.scalar(
        select(Round).join(Questionnaire, Questionnaire.id == Round.questionnaire_id)
        .where(Questionnaire.code == round_.questionnaire.code, Round.opens_at > round_.opens_at)
        .order_by(Round.opens_at, Round.id).limit(1))


def plans_overview(round_: Round, unit: Unit, visible: set[int] | None, lang: str, today: date) -> PlansOverview:
    """The overview of the round's afsnit below `unit` within the reader's scope."""
    within = subtree(unit.id) if visible is None else subtree(unit.id) & visible
    afsnit = [u for u in round_.units if u.level == "afsnit" and u.id in within]
    plans = {p.unit_id: p for p in plans_in_scope(within, round_.id)}
    data = load_round(round_, within)
    repeat = repeat_round(round_)
    later = load_round(repeat, within) if repeat is not None else None
    keys = [(i.code, i.label(lang)) for i in round_.questionnaire.items if i.key]
    total, overdue_total, lines = Counter(), 0, []
    for u in sorted(afsnit, key=lambda x: x.name):
        plan = plans.get(u.id)
        interventions = plan.interventions if plan else []
        counts = Counter(i.status for i in interventions)
        overdue = sum(rules.overdue(i.status, i.due_on, today) for i in interventions)
        total.update(counts)
        overdue_total += overdue
        moves = [KeyMove(code, label, data.item_score(u.id, code),
                         later.item_score(u.id, code) if later is not None and u.id in later.units else None)
                 for code, label in keys]
        lines.append(AfsnitLine(u, plan, {s: counts.get(s, 0) for s in rules.STATUSES}, overdue, moves))
    return PlansOverview(round_, repeat, unit, lines, {s: total.get(s, 0) for s in rules.STATUSES}, overdue_total)
