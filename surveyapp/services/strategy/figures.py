"""The strategy's figures for a unit and year, as plain items: the one source of the strategy page, the API and
the annual report, so they carry the same numbers.

An item is one measure in one period: `indicator` (its code), `name`, `kind` (share, count, milestone),
`period` ("YYYY-MM", or the round's name), `numerator`, `denominator`, `value`, `target`, `met`. Afdeling and
sygehus figures are rolled up from the counts of the afsnit below (never averaged). No case is ever listed.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import indicator_rules as rules
from ...audit_scoring import meets, pool
from ...extensions import db
from ...models import (ActionPlan, Audit, AuditSample, AuditTemplate, DpsdCase, Indicator, IndicatorValue,
                       Intervention, Questionnaire, Round, Unit)
from ...models.plans import RCA_ACTION
from ..audits.recording import result_of
from ..audits.templates import rule_of
from ..results.counts import load_round
from ..results.history import closed_rounds_up_to
from ..results.unit_report import subtree
from .definitions import COMPUTED
from .dpsd_import import SEVERITY_TEXT


@dataclass(frozen=True)
class Item:
    indicator: str
    name: str
    kind: str
    area: str
    period: str
    numerator: int | None
    denominator: int | None
    value: float | None
    target: float | None
    met: bool | None
    #: Who the figure is about when it is not the unit itself (an afsnit's afdeling milestones).
    about: str | None = None

    def api(self) -> dict:
        """The item as the API serves it."""
        data = asdict(self)
        data.pop("about")
        return data


def _share_item(code: str, name: str, area: str, period: str, share: rules.Share, target: float | None,
                direction: str = rules.UP, about: str | None = None) -> Item:
    return Item(code, name, "share", area, period, share.numerator, share.denominator, share.value, target,
                share.met(target, direction), about)


def _count_item(code: str, name: str, area: str, period: str, value: float | None, met: bool | None = None) -> Item:
    return Item(code, name, "count", area, period, None if value is None else int(value), None, value, None, met)


def _computed(code: str):
    return next(c for c in COMPUTED if c.code == code)


def _afsnit_below(unit: Unit) -> set[int]:
    below = subtree(unit.id)
    return set(db.session.scalars(select(Unit.id).where(Unit.id.in_(below), Unit.level == "afsnit")))


# UTH from DPSD ----------------------------------------------------------------------------------------------

def uth_items(unit: Unit, year: int, today: date) -> list[Item]:
    """Reported cases, the share closed within 90 days, the median days to closure and the cases by severity,
    per month of creation, pooled over the afsnit below the unit."""
    afsnit = _afsnit_below(unit)
    rows = db.session.execute(select(DpsdCase.created_on, DpsdCase.closed_on, DpsdCase.severity).where(
        DpsdCase.unit_id.in_(afsnit), DpsdCase.created_on >= date(year - 1, 1, 1),
        DpsdCase.created_on < date(year + 1, 1, 1)))
    cases = [rules.Case(*row) for row in rows]
    months = rules.months_of_year(year, today)
    this = rules.uth_months(cases, months, today)
    before = rules.uth_months(cases, [rules.same_month_last_year(m) for m in months], today)
    had_last_year = any(m.reported for m in before.values())
    reported, closed, median_days = (_computed(c) for c in ("uth_reported", "uth_closed_90d", "uth_median_days"))
    items = []
    for month in months:
        figures, compared = this[month], before[rules.same_month_last_year(month)]
        items.append(_count_item(reported.code, str(reported.name), reported.area, month, figures.reported,
                                 rules.count_met(figures.reported, compared.reported if had_last_year else None)))
        items.append(_share_item(closed.code, str(closed.name), closed.area, month, figures.closed_90d,
                                 closed.target))
        items.append(_count_item(median_days.code, str(median_days.name), median_days.area, month,
                                 figures.median_days))
        for severity in rules.SEVERITIES:
            items.append(_count_item(f"uth_severity_{severity}", f"UTH: {SEVERITY_TEXT[severity]}", "uth", month,
                                     figures.by_severity.get(severity, 0)))
    return items


# Root-cause analysis actions ----------------------------------------------------------------------------------

def rca_items(unit: Unit, year: int, today: date) -> list[Item]:
    """The share of root-cause analysis actions done by their due date, per month of the due date."""
    interventions = db.session.scalars(
        select(Intervention).join(ActionPlan).where(
            ActionPlan.unit_id.in_(subtree(unit.id)), Intervention.kind == RCA_ACTION,
            Intervention.due_on >= date(year, 1, 1), Intervention.due_on < date(year + 1, 1, 1))
        .options(selectinload(Intervention.history)))
    by_month: dict[str, list[bool | None]] = defaultdict(list)
    for intervention in interventions:
        done = [h.set_on for h in intervention.history if h.status == "implementeret"]
        done_on = done[-1] if done and intervention.status == "implementeret" else None
        if intervention.status == "opgivet":
            continue  # given up: no action left to be done on time
        by_month[rules.month_of(intervention.due_on)].append(rules.on_time(intervention.due_on, done_on, today))
    spec = _computed("rca_on_time")
    return [_share_item(spec.code, str(spec.name), spec.area, month,
                        rules.Share(sum(v is True for v in verdicts), sum(v is not None for v in verdicts)), spec.target)
            for month, verdicts in sorted(by_month.items())]


# Imported indicators --------------------------------------------------------------------------------------------

def _milestone_item(indicator: Indicator, values: list[IndicatorValue], units: int, about: str | None) -> Item:
    """A milestone: for one afdeling, its latest report; rolled up, how many afdelinger have met it."""
    latest: dict[int, IndicatorValue] = {}
    for value in sorted(values, key=lambda v: v.period):
        latest[value.unit_id] = value
    met = sum(rules.milestone_met(bool(v.done), v.period, indicator.due_on) for v in latest.values())
    period = max(v.period for v in latest.values())
    if units == 1:
        only = next(iter(latest.values()))
        return Item(indicator.code, indicator.name, "milestone", indicator.area, rules.month_of(only.period),
                    int(bool(only.done)), 1, 1.0 if only.done else 0.0, 1.0, bool(met), about)
    return Item(indicator.code, indicator.name, "milestone", indicator.area, rules.month_of(period), met, units,
                met / units if units else None, 1.0, met == units, about)


def imported_items(unit: Unit, year: int) -> list[Item]:
    """The imported indicators' figures: shares and counts per month pooled over the units below, milestones of
    the afdelinger (an afsnit sees its afdeling's)."""
    below = subtree(unit.id)
    afdeling = unit.parent if unit.level == "afsnit" else None
    wanted = below | ({afdeling.id} if afdeling is not None else set())
    values = db.session.scalars(
        select(IndicatorValue).where(IndicatorValue.unit_id.in_(wanted), IndicatorValue.period < date(year + 1, 1, 1))
        .options(selectinload(IndicatorValue.indicator), selectinload(IndicatorValue.unit)))
    grouped: dict[Indicator, list[IndicatorValue]] = defaultdict(list)
    for value in values:
        if value.indicator.kind == "milestone" or value.period.year == year:
            grouped[value.indicator].append(value)
    afdelinger = (db.session.scalar(select(db.func.count()).select_from(Unit).where(
        Unit.id.in_(below), Unit.level == "afdeling", Unit.active.is_(True))) if unit.level == "sygehus" else 1)
    items = []
    for indicator, found in sorted(grouped.items(), key=lambda pair: (pair[0].area, pair[0].name)):
        about = afdeling.name if afdeling is not None and all(v.unit_id == afdeling.id for v in found) else None
        if indicator.kind == "milestone":
            items.append(_milestone_item(indicator, found, max(afdelinger, 1), about))
            continue
        by_month: dict[str, list[IndicatorValue]] = defaultdict(list)
        for value in found:
            by_month[rules.month_of(value.period)].append(value)
        for month, month_values in sorted(by_month.items()):
            if indicator.kind == "share":
                share = rules.pool(rules.Share(v.numerator, v.denominator) for v in month_values)
                items.append(_share_item(indicator.code, indicator.name, indicator.area, month, share,
                                         indicator.target, indicator.direction, about))
            else:
                items.append(_count_item(indicator.code, indicator.name, indicator.area, month,
                                         sum(v.numerator for v in month_values)))
    return items


# The survey, the patient question and the audits ---------------------------------------------------------------

def _latest_closed_round(unit: Unit, audience: str, year: int, within: set[int]) -> Round | None:
    rounds = db.session.scalars(
        select(Round).join(Questionnaire).where(Questionnaire.audience == audience,
                                               Round.closes_at < datetime(year + 1, 1, 1))
        .order_by(Round.closes_at.desc(), Round.id.desc()))
    return next((r for r in rounds if r.status() == "closed" and any(u.id in within for u in r.units)), None)


def survey_items(unit: Unit, year: int, lang: str) -> list[Item]:
    """The key items of the staff survey (kultur) and the patient question, for the unit: the latest closed round
    of each audience and the closed rounds of its questionnaire before it (the round history), oldest first."""
    within = subtree(unit.id)
    items = []
    for audience in ("staff", "patient"):
        latest = _latest_closed_round(unit, audience, year, within)
        if latest is None:
            continue
        keys = [i for i in latest.questionnaire.items if i.key]
        rounds = [(r, load_round(r, within)) for r in closed_rounds_up_to(latest)]
        for item in keys:
            for round_, data in rounds:
                if unit.id not in data.complete or item.code not in {spec.code for spec in data.items}:
                    continue
                score = data.item_score(unit.id, item.code)
                shown = score.percent is not None
                items.append(Item(f"survey_{item.code}", item.label(lang), "share", "kultur", round_.name,
                                  score.positive if shown else None, score.n if shown else None,
                                  score.percent / 100 if shown else None, round_.target,
                                  score.met if shown else None))
    return items


def audit_items(unit: Unit, year: int, lang: str) -> list[Item]:
    """Per audit template (and workflow, for the generic one): the latest finished audit of each afsnit below,
    pooled, against the template's rule."""
    audits = db.session.scalars(
        select(Audit).where(Audit.unit_id.in_(subtree(unit.id)), Audit.finished_at.is_not(None),
                            Audit.audited_on < date(year + 1, 1, 1))
        .options(selectinload(Audit.template).selectinload(AuditTemplate.criteria),
                 selectinload(Audit.samples).selectinload(AuditSample.answers))
        .order_by(Audit.audited_on, Audit.id))
    latest: dict[tuple, Audit] = {}
    for audit in audits:
        latest[(audit.template.code, audit.workflow or "", audit.unit_id)] = audit
    grouped: dict[tuple, list[Audit]] = defaultdict(list)
    for (code, workflow, _unit), audit in latest.items():
        grouped[(code, workflow)].append(audit)
    items = []
    for (code, workflow), found in sorted(grouped.items()):
        template = found[-1].template
        tally = pool([result_of(a).overall for a in found])
        rule = rule_of(template)
        name = template.text(lang) + (f": {workflow}" if workflow else "")
        period = rules.month_of(max(a.audited_on for a in found))
        items.append(Item(f"audit_{code}", name, "share", "faste", period, tally.correct, tally.applicable,
                          tally.share, float(rule.threshold), meets(rule, tally) if tally.applicable else None))
    return items


def strategy_items(unit: Unit, year: int, today: date, lang: str = "da") -> list[Item]:
    """Every figure of the strategy for a unit (afsnit, afdeling or sygehus) and year, in the strategy's order.
    The annual report and the API call this; scope is the caller's (the unit must be visible)."""
    items = (survey_items(unit, year, lang) + audit_items(unit, year, lang) + uth_items(unit, year, today)
             + rca_items(unit, year, today) + imported_items(unit, year))
    order = {area: n for n, area in enumerate(("kultur", "uth", "faste", "sektor", "fb"))}
    return sorted(items, key=lambda i: order[i.area])
