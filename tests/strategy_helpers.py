"""A unit tree with a year of strategy data: DPSD cases, indicator values, a root-cause analysis action."""
from datetime import date, timedelta

from surveyapp.extensions import db
from surveyapp.models import DpsdCase, IndicatorValue
from surveyapp.models.plans import RCA_ACTION
from surveyapp.services.plans import plans
from surveyapp.services.strategy.definitions import find, install_builtin


def add_cases(unit, created: list[date], closed_after: list[int | None], severity: str = "ingen", prefix: str = "C"):
    """Cases of an afsnit created on each date, closed that many days later (None: still open)."""
    start = db.session.query(DpsdCase).count()
    for n, (day, after) in enumerate(zip(created, closed_after)):
        db.session.add(DpsdCase(case_id=f"{prefix}{start + n}", unit_id=unit.id, created_on=day, severity=severity,
                                closed_on=day + timedelta(days=after) if after is not None else None))
    db.session.flush()


def strategy_data(org, round_, admin):
    """Figures for 2026 on H-A1 and H-A2 (afdeling H-A): cases, documentation shares, an FB milestone, an RCA
    action. Returns nothing; commits."""
    install_builtin()
    a1, a2 = org["H-A1"], org["H-A2"]
    add_cases(a1, [date(2026, 3, 1)] * 4, [10, 90, 91, None], prefix="A1-")
    add_cases(a2, [date(2026, 3, 5)] * 2, [5, 20], severity="alvorlig", prefix="A2-")
    add_cases(a1, [date(2025, 3, 2)] * 3, [10, 10, 10], prefix="OLD-")
    indicator = find("dok_ews")
    db.session.add_all([
        IndicatorValue(indicator_id=indicator.id, unit_id=a1.id, period=date(2026, 1, 1), numerator=8, denominator=10),
        IndicatorValue(indicator_id=indicator.id, unit_id=a1.id, period=date(2026, 2, 1), numerator=19,
                       denominator=20),
        IndicatorValue(indicator_id=indicator.id, unit_id=a2.id, period=date(2026, 2, 1), numerator=1, denominator=2),
        IndicatorValue(indicator_id=find("fb_tovholdere").id, unit_id=org["H-A"].id, period=date(2026, 6, 1),
                       done=True),
    ])
    plan = plans.start_plan(round_, a1, admin)
    plans.add_intervention(plan, {"title": "Dobbeltkontrol af insulin", "item_ids": [], "kind": RCA_ACTION,
                                  "due_on": date(2026, 4, 30)}, admin, date(2026, 3, 1))
    db.session.commit()
