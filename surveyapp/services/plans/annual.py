"""The annual report ("årsrapport") of a sygehus, an afdeling or an afsnit for a calendar year: a board document.

A one-page summary first (afsnit meeting the target on all three key items, now and at the baseline, and what
changed), then the key items from the baseline to the year's latest round as a chart and a table, the patient
question, the audits as one small chart per workflow, the interventions implemented (one definition,
`plan_rules.implemented`), the new ones chosen, the overdue ones, and each afsnit's "two and two". A sygehus
report has one section per afdeling.

The baseline is the last staff round before the year (so a 2025 baseline stands in the 2026 report), or the
year's first round when there is none. An open round shows no figure: its results are released when it closes.
Figures come from the results services (`load_round`, `round_table`, `history_chart`), so suppression is theirs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import render_template
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import plan_rules as rules
from ...audit_scoring import median
from ...extensions import db
from ...formatting import percent
from ...models import ActionPlan, Audit, AuditSample, AuditTemplate, Intervention, Round, Unit
from ...runchart import ChartText, runchart_svg
from ...scoring import Change, Score, two_proportion_test
from ...timeutil import utcnow
from ..audits.recording import result_of
from ..audits.templates import rule_of
from ..pdf import render_pdf
from ..results.charts import history_chart
from ..results.counts import RoundData, load_round, questionnaire_items
from ..results.dashboard import Headline, headlines, round_table
from ..results.history import History, HistoryRow
from ..results.unit_report import subtree
from .annual_words import WORDS
from .plans import InterventionLine, intervention_lines

#: A workflow's chart needs this many points (audits, or months where several afsnit are pooled) to say
#: something; with fewer the report gives the audits in words.
MIN_CHART_POINTS = 3


@dataclass(frozen=True)
class KeyChange:
    label: str
    before: Score | None
    after: Score | None
    change: Change | None


@dataclass(frozen=True)
class KeyItems:
    #: The rounds of the table, oldest first: the baseline, then the year's rounds.
    rounds: list[Round]
    #: Round id -> the round is still open: its results are released when it closes.
    open: set[int]
    #: (item label, one score per round, None for an open round).
    rows: list[tuple[str, list[Score | None]]]
    baseline: Round | None
    latest: Round | None
    chart: Markup | None
    changes: list[KeyChange]
    #: Afsnit meeting the target on every key item, of those with results: at the baseline and at the latest.
    met_baseline: Headline | None
    met_latest: Headline | None


@dataclass(frozen=True)
class PatientLine:
    round: Round
    label: str
    score: Score | None  # None while the round is open


@dataclass(frozen=True)
class AuditChart:
    template_name: str
    audits: int
    correct: int
    applicable: int
    latest_on: date
    svg: Markup | None


@dataclass(frozen=True)
class ImplementedLine:
    line: InterventionLine
    unit_name: str
    #: "audit" (the latest audit confirms it) or "status" (set implementeret, no audit made).
    how: str
    on: date | None
    #: The audit confirms it but the status is not implementeret yet: the plan page offers it to the owner.
    status_offered: bool


@dataclass(frozen=True)
class TwoAndTwo:
    unit: Unit
    implemented: list[InterventionLine]
    new: list[InterventionLine]
    missing_implemented: int
    missing_new: int


@dataclass(frozen=True)
class Section:
    unit: Unit
    key: KeyItems
    patient: list[PatientLine]
    audits: list[AuditChart]
    implemented: list[ImplementedLine]
    new: list[InterventionLine]
    overdue: list[InterventionLine]
    two_and_two: list[TwoAndTwo]
    afsnit: int


@dataclass(frozen=True)
class AnnualReport:
    organisation: str
    unit: Unit
    year: int
    top: Section
    #: A sygehus report's sections, one per afdeling (empty below the sygehus).
    sections: list[Section] = field(default_factory=list)
    printed_on: date | None = None


def _staff_rounds(unit_ids: set[int], year: int, now: datetime) -> tuple[Round | None, list[Round]]:
    """The baseline and the year's staff rounds in which a unit of `unit_ids` took part, oldest first."""
    rounds = db.session.scalars(select(Round).where(Round.opens_at < datetime(year + 1, 1, 1))
                                .order_by(Round.opens_at, Round.id))
    ours = [r for r in rounds if r.questionnaire.audience == "staff" and any(u.id in unit_ids for u in r.units)]
    before = [r for r in ours if r.opens_at < datetime(year, 1, 1) and r.closes_at <= now]
    during = [r for r in ours if r.opens_at >= datetime(year, 1, 1)]
    if before:
        return before[-1], during
    closed = [r for r in during if r.closes_at <= now]
    return (closed[0] if closed else None), during


def _load(round_: Round, within: set[int], cache: dict) -> RoundData:
    """The round counted over `within`. A batch passes a `cache` with a "scope" (a subtree holding every report's
    units): each round is then counted once over it and shared, since the scores of a unit do not depend on how
    much else was counted (suppression always looks at the whole tree). Each questionnaire's items are loaded once."""
    items = cache.setdefault("items", {})
    if round_.questionnaire_id not in items:
        items[round_.questionnaire_id] = questionnaire_items(round_.questionnaire_id)
    scope = cache.get("scope")
    if scope is None or not within <= scope:
        return load_round(round_, within, items[round_.questionnaire_id])
    rounds = cache.setdefault("rounds", {})
    if round_.id not in rounds:
        rounds[round_.id] = load_round(round_, scope, items[round_.questionnaire_id])
    return rounds[round_.id]


def _afsnit_headline(data: RoundData, within: set[int]) -> Headline | None:
    lines = [h for h in headlines([row for row in round_table(data, within).rows if row.unit.id in within])
             if h.level == "afsnit"]
    return lines[0] if lines else None


def _change(before: RoundData, after: RoundData, unit_id: int, code: str) -> Change | None:
    if unit_id in before.hidden or unit_id in after.hidden or unit_id not in before.tallies \
            or unit_id not in after.tallies or code not in before.tallies[unit_id] or code not in after.tallies[unit_id]:
        return None
    return two_proportion_test(before.tallies[unit_id][code], after.tallies[unit_id][code])


def key_items(unit: Unit, within: set[int], year: int, lang: str, now: datetime, items: dict) -> KeyItems:
    """The unit's key items from the baseline to the year's latest closed round."""
    baseline, during = _staff_rounds(within, year, now)
    rounds = ([baseline] if baseline is not None and baseline not in during else []) + during
    open_ids = {r.id for r in rounds if r.closes_at > now}
    loaded = {r.id: _load(r, within, items) for r in rounds if r.id not in open_ids}
    closed = [r for r in rounds if r.id not in open_ids]
    latest = closed[-1] if closed else None
    first = loaded[closed[0].id] if closed else None
    codes = [s.code for s in first.items if s.key] if first is not None else []
    labels = {i.code: i.label(lang) for r in rounds for i in r.questionnaire.items}
    rows = [(labels.get(code, code), [loaded[r.id].item_score(unit.id, code) if r.id in loaded
                                      and unit.id in loaded[r.id].units else None for r in rounds])
            for code in codes]
    history = History(codes, [HistoryRow(r.id, r.name, r.opens_at, [loaded[r.id].item_score(unit.id, c) for c in codes])
                              for r in closed if unit.id in loaded[r.id].units])
    chart = history_chart(history, labels, loaded[closed[0].id].target * 100) if len(history.rows) > 1 else None
    changes = []
    if baseline is not None and latest is not None and latest.id != baseline.id:
        before, after = loaded[baseline.id], loaded[latest.id]
        changes = [KeyChange(labels.get(code, code), before.item_score(unit.id, code) if unit.id in before.units else None,
                             after.item_score(unit.id, code) if unit.id in after.units else None,
                             _change(before, after, unit.id, code)) for code in codes]
    return KeyItems(rounds, open_ids, rows, baseline, latest, chart, changes,
                    _afsnit_headline(loaded[baseline.id], within) if baseline is not None else None,
                    _afsnit_headline(loaded[latest.id], within) if latest is not None else None)


def patient_lines(unit: Unit, within: set[int], year: int, lang: str, now: datetime,
                  items: dict) -> list[PatientLine]:
    """The patient question of the year's "Hvad er vigtigt for dig?" rounds (key items, else every scale item)."""
    rounds = db.session.scalars(select(Round).where(Round.opens_at >= datetime(year, 1, 1),
                                                    Round.opens_at < datetime(year + 1, 1, 1))
                                .order_by(Round.opens_at, Round.id))
    lines = []
    for round_ in rounds:
        if round_.questionnaire.audience != "patient" or not any(u.id in within for u in round_.units):
            continue
        asked = [i for i in round_.questionnaire.items if i.key] or \
            [i for i in round_.questionnaire.items if i.kind == "scale"]
        data = _load(round_, within, items) if round_.closes_at <= now else None
        for item in asked:
            score = data.item_score(unit.id, item.code) if data is not None and unit.id in data.units else None
            lines.append(PatientLine(round_, item.label(lang), score if data is not None else None))
    return lines


def audit_charts(within: set[int], year: int, lang: str) -> list[AuditChart]:
    """One small chart per workflow (audit template): each audit of an afsnit, or, where several afsnit are
    audited, the share correct pooled per month, over the year."""
    audits = db.session.scalars(
        select(Audit).join(Audit.template)
        .where(Audit.unit_id.in_(within), Audit.finished_at.is_not(None),
               Audit.audited_on >= date(year, 1, 1), Audit.audited_on <= date(year, 12, 31))
        .options(selectinload(Audit.template).selectinload(AuditTemplate.criteria),
                 selectinload(Audit.samples).selectinload(AuditSample.answers))
        .order_by(Audit.audited_on, Audit.id))
    by_code: dict[str, list] = defaultdict(list)
    for audit in audits:
        by_code[audit.template.code].append((audit, result_of(audit)))
    charts = []
    for number, (code, done) in enumerate(sorted(by_code.items()), start=1):
        template = done[-1][0].template
        pooled = len({a.unit_id for a, _ in done}) > 1
        points: dict[object, list[int]] = {}
        for audit, result in done:
            key = (audit.audited_on.year, audit.audited_on.month) if pooled else (audit.audited_on, audit.id)
            tally = points.setdefault(key, [0, 0])
            tally[0] += result.overall.correct
            tally[1] += result.overall.applicable
        kept = [(k, c, n) for k, (c, n) in points.items() if n]
        correct, applicable = sum(c for _, c, _ in kept), sum(n for _, _, n in kept)
        svg = None
        if len(kept) >= MIN_CHART_POINTS:
            shares = [c / n for _, c, n in kept]
            labels = [format_date(date(k[0], k[1], 1), "MMM") if pooled else format_date(k[0], "d. MMM")
                      for k, _, _ in kept]
            target = float(rule_of(template).threshold)
            text = ChartText(_("%(workflow)s: share correct", workflow=template.text(lang)),
                             _("Median %(share)s", share=percent(median(shares) * 100, 0)),
                             _("Target %(share)s", share=percent(target * 100, 0)), labels,
                             [percent(s * 100, 0) for s in shares])
            svg = runchart_svg(shares, median(shares), target, set(), text, chart_id=f"audit-{number}")
        charts.append(AuditChart(template.text(lang), len(done), correct, applicable, done[-1][0].audited_on, svg))
    return charts


def _implemented_on(line: InterventionLine) -> date | None:
    if line.verification.confirmed:
        return line.verification.audited_on
    dates = [s.set_on for s in line.intervention.history if s.status == rules.IMPLEMENTED]
    return dates[-1] if dates else None


def _plans(within: set[int]) -> list[ActionPlan]:
    return list(db.session.scalars(
        select(ActionPlan).where(ActionPlan.unit_id.in_(within))
        .options(selectinload(ActionPlan.unit), selectinload(ActionPlan.round),
                 selectinload(ActionPlan.interventions).selectinload(Intervention.items),
                 selectinload(ActionPlan.interventions).selectinload(Intervention.history))
        .order_by(ActionPlan.id)))


def interventions(within: set[int], year: int, lang: str, today: date):
    """The interventions implemented in the year (one definition), the new ones chosen, the overdue ones, and
    each afsnit's two and two."""
    implemented, new, overdue, by_unit = [], [], [], defaultdict(list)
    as_of = min(today, date(year, 12, 31))
    for plan in _plans(within):
        for line in intervention_lines(plan, lang, today):
            i = line.intervention
            by_unit[plan.unit].append(line)
            how = rules.how_implemented(i.status, line.verification)
            on = _implemented_on(line) if how else None
            if how and on is not None and on.year == year:
                implemented.append(ImplementedLine(line, plan.unit.name, how, on,
                                                   how == "audit" and i.status != rules.IMPLEMENTED))
            if i.highlight == "new":
                new.append(line)
            if rules.overdue(i.status, i.due_on, as_of):
                overdue.append(line)
    two = []
    for unit in sorted(by_unit, key=lambda u: u.name):
        lines = by_unit[unit]
        done = [l.intervention.id for l in lines if rules.implemented(l.intervention.status, l.verification)]
        chosen = rules.select_highlights(done, {l.intervention.id for l in lines
                                                if l.intervention.highlight == "implemented"})
        fresh = rules.select_highlights([l.intervention.id for l in lines],
                                        {l.intervention.id for l in lines if l.intervention.highlight == "new"})
        by_id = {l.intervention.id: l for l in lines}
        two.append(TwoAndTwo(unit, [by_id[i] for i in chosen.chosen], [by_id[i] for i in fresh.chosen],
                             chosen.missing, fresh.missing))
    return implemented, new, overdue, two


def section(unit: Unit, year: int, lang: str, today: date, now: datetime, items: dict) -> Section:
    """One unit's part of the report."""
    within = subtree(unit.id)
    implemented, new, overdue, two = interventions(within, year, lang, today)
    afsnit = db.session.scalar(select(db.func.count(Unit.id)).where(Unit.id.in_(within), Unit.level == "afsnit",
                                                                   Unit.active.is_(True)))
    return Section(unit, key_items(unit, within, year, lang, now, items),
                   patient_lines(unit, within, year, lang, now, items),
                   audit_charts(within, year, lang), implemented, new, overdue, two, afsnit or 0)


def annual_report(unit: Unit, year: int, organisation: str, lang: str, today: date,
                  items: dict | None = None) -> AnnualReport:
    """The year's report of a sygehus, afdeling or afsnit (scope is the caller's: the unit must be visible).
    `items` is a batch's cache (see `_load`)."""
    now, items = utcnow(), items if items is not None else {}
    top = section(unit, year, lang, today, now, items)
    parts = []
    if unit.level == "sygehus":
        parts = [section(child, year, lang, today, now, items) for child in unit.children
                 if child.active and child.level == "afdeling"]
    return AnnualReport(organisation, unit, year, top, parts, today)


def annual_report_pdf(report: AnnualReport, status_names: dict) -> bytes:
    """The report as an A4 PDF."""
    return render_pdf(annual_report_html(report, status_names))


def annual_report_html(report: AnnualReport, status_names: dict) -> str:
    """The PDF's HTML (the batch joins several into one document)."""
    return render_template("pdf/annual_report.html", report=report, status_names=status_names, w=WORDS)
