"""The annual report ("årsrapport") of an afsnit or an afdeling for a year: the key items against the target
over the year's rounds, the patient question of "Hvad er vigtigt for dig?"-dagen, the audits with their run
charts, and two interventions implemented and two new ones, as the coordinator highlighted them.

Numbers come from the results service and the audit service; a hidden unit shows no figure.
"""
from dataclasses import dataclass
from datetime import date, datetime

from flask import render_template
from sqlalchemy import select

from ... import plan_rules as rules
from ...extensions import db
from ...models import AuditTemplate, Round, Unit, User
from ...scoring import Score
from ...timeutil import utcnow
from ..audits.pages import run_chart_page_data
from ..pdf import render_pdf
from ..results.counts import load_round
from ..results.unit_report import subtree
from .exports import plans_in_scope
from .plans import InterventionLine, intervention_lines


@dataclass(frozen=True)
class RoundScores:
    round: Round
    scores: list[tuple[str, Score]]  # (item label, score) of the key items


@dataclass(frozen=True)
class AnnualReport:
    unit: Unit
    year: int
    staff_rounds: list[RoundScores]
    patient_rounds: list[RoundScores]
    audits: list[dict]  # run chart page data per afsnit and template
    implemented: rules.Selection
    new: rules.Selection
    lines: dict[int, InterventionLine]


def _rounds_of_year(year: int, audience: str, unit_ids: set[int]) -> list[Round]:
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    rounds = db.session.scalars(select(Round).where(Round.opens_at >= start, Round.opens_at < end)
                                .order_by(Round.opens_at, Round.id))
    return [r for r in rounds if r.questionnaire.audience == audience and any(u.id in unit_ids for u in r.units)]


def _scores(round_: Round, unit_id: int, within: set[int], lang: str) -> RoundScores:
    data = load_round(round_, within)
    keys = [i for i in round_.questionnaire.items if i.key]
    return RoundScores(round_, [(i.label(lang), data.item_score(unit_id, i.code)) for i in keys])


def annual_report(unit: Unit, year: int, user: User, lang: str, today: date) -> AnnualReport:
    """The year's report of an afsnit or afdeling (scope is the caller's: the unit must be visible)."""
    within = subtree(unit.id)
    staff = [_scores(r, unit.id, within, lang) for r in _rounds_of_year(year, "staff", within)]
    patient = [_scores(r, unit.id, within, lang) for r in _rounds_of_year(year, "patient", within)]
    plans = [p for p in plans_in_scope(within) if p.round.opens_at.year in (year, year - 1)]
    lines: dict[int, InterventionLine] = {}
    for plan in plans:
        for line in intervention_lines(plan, lang, today):
            lines[line.intervention.id] = line
    ordered = sorted(lines.values(), key=lambda l: l.intervention.id)
    implemented = rules.select_highlights(
        [l.intervention.id for l in ordered if l.intervention.status == rules.IMPLEMENTED],
        {l.intervention.id for l in ordered if l.intervention.highlight == "implemented"})
    new = rules.select_highlights([l.intervention.id for l in ordered],
                                  {l.intervention.id for l in ordered if l.intervention.highlight == "new"})
    codes = sorted({l.intervention.audit_template_code for l in ordered if l.intervention.audit_template_code})
    afsnit = sorted({p.unit_id for p in plans})
    charts = [run_chart_page_data(user, unit_id, code, lang) for unit_id in afsnit for code in codes]
    charts = [c for c in charts if c is not None and c["chart"] is not None
              and any(p.audited_on.year == year for p in c["chart"].points)]
    return AnnualReport(unit, year, staff, patient, charts, implemented, new, lines)


def annual_report_pdf(report: AnnualReport, status_names: dict) -> bytes:
    """The report as an A4 PDF."""
    html = render_template("pdf/annual_report.html", report=report, status_names=status_names,
                           printed_on=utcnow().date())
    return render_pdf(html)
