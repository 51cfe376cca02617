"""Recording audits and reading their results. Services flush; the view commits."""
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...audit_scoring import (ANSWERS, AuditResult, Signal, Tally, evaluate, implemented_count, median, meets,
                             missing_samples, pool, run_chart_signals, workflow_key)
from ...extensions import db
from ...models import Audit, AuditAnswer, AuditSample, AuditSchedule, AuditTemplate, Unit, User
from ...privacy import contains_cpr
from ...timeutil import utcnow
from ..scopes import child_map, descendants, visible_unit_ids
from .templates import rule_of

logger = logging.getLogger(__name__)
#: How far ahead the list of audits due looks.
DUE_WINDOW = timedelta(days=14)


class AuditError(ValueError):
    """An audit cannot be changed as asked; `code` names the reason for the view's message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def start_audit(template: AuditTemplate, unit: Unit, user: User, audited_on: date, workflow: str | None = None) -> Audit:
    """A new audit of an afsnit with a template."""
    if unit.level != "afsnit" or not unit.active:
        raise AuditError("unit")
    if template.asks_workflow and not (workflow or "").strip():
        raise AuditError("workflow")
    if contains_cpr(workflow):
        raise AuditError("cpr")
    audit = Audit(template=template, unit=unit, started_by=user, audited_on=audited_on,
                  workflow=(workflow or "").strip() or None)
    db.session.add(audit)
    db.session.flush()
    logger.debug("audit %s of unit %s with %s started by user %s", audit.id, unit.code, template.code, user.id)
    return audit


def load_audit(audit_id: int, user: User) -> Audit | None:
    """The audit with its template, criteria and samples, if the user may see its afsnit."""
    audit = db.session.scalar(
        select(Audit).where(Audit.id == audit_id).options(
            selectinload(Audit.template).selectinload(AuditTemplate.criteria),
            selectinload(Audit.samples).selectinload(AuditSample.answers), selectinload(Audit.unit)))
    if audit is None:
        return None
    visible = visible_unit_ids(user)
    return audit if visible is None or audit.unit_id in visible else None


def save_sample(audit: Audit, number: int, answers: dict[int, str], note: str | None) -> AuditSample:
    """Store (or correct) sample `number`: criterion id -> "yes" / "no" / "na", and an optional note."""
    if audit.finished:
        raise AuditError("finished")
    if not 1 <= number <= audit.template.sample_size:
        raise AuditError("number")
    criteria = {c.id for c in audit.template.criteria}
    if set(answers) != criteria or any(a not in ANSWERS for a in answers.values()):
        raise AuditError("answers")
    if contains_cpr(note):
        raise AuditError("cpr")
    sample = next((s for s in audit.samples if s.number == number), None)
    if sample is None:
        sample = AuditSample(number=number)
        audit.samples.append(sample)
    sample.note = (note or "").strip() or None
    existing = {a.criterion_id: a for a in sample.answers}
    for criterion_id, answer in answers.items():
        if criterion_id in existing:
            existing[criterion_id].answer = answer
        else:
            sample.answers.append(AuditAnswer(criterion_id=criterion_id, answer=answer))
    db.session.flush()
    return sample


def next_open_sample(audit: Audit) -> int | None:
    """The lowest sample number not yet recorded, or None when all are."""
    done = {s.number for s in audit.samples}
    return next((n for n in range(1, audit.template.sample_size + 1) if n not in done), None)


def finish(audit: Audit, reaudit_on: date | None) -> None:
    """Close the audit; set the afsnit's next audit date for this template when given."""
    if audit.finished:
        return
    if not audit.samples:
        raise AuditError("empty")
    audit.finished_at = utcnow()
    if reaudit_on is not None:
        set_reaudit(audit.unit, audit.template.code, reaudit_on)
    db.session.flush()
    logger.debug("audit %s finished", audit.id)


def set_reaudit(unit: Unit, template_code: str, due_on: date) -> AuditSchedule:
    """Set when an afsnit is to be audited again with a template."""
    schedule = db.session.scalar(select(AuditSchedule).where(
        AuditSchedule.unit_id == unit.id, AuditSchedule.template_code == template_code))
    if schedule is None:
        schedule = AuditSchedule(unit=unit, template_code=template_code, due_on=due_on)
        db.session.add(schedule)
    schedule.due_on = due_on
    db.session.flush()
    return schedule


def sample_answers(audit: Audit) -> list[dict[str, str]]:
    """The audit's samples as criterion code -> answer, for the scoring module."""
    codes = {c.id: c.code for c in audit.template.criteria}
    return [{codes[a.criterion_id]: a.answer for a in s.answers} for s in audit.samples]


def result_of(audit: Audit) -> AuditResult:
    """The audit's result under its template's rule."""
    return evaluate(sample_answers(audit), [c.code for c in audit.template.criteria], rule_of(audit.template))


@dataclass(frozen=True)
class RunChartPoint:
    audit_id: int
    audited_on: date
    share: float
    implemented: bool
    correct: int
    applicable: int


@dataclass(frozen=True)
class RunChart:
    points: list[RunChartPoint]
    median: float | None
    target: float
    signals: list[Signal]
    #: The workflow the chart follows (templates that ask for one), and every workflow audited with the template.
    workflow: str | None = None
    workflows: tuple[str, ...] = ()


def workflows_of(audits: list[Audit]) -> list[str]:
    """The workflows named in audits (as first spelt), the most recently audited first."""
    names: dict[str, str] = {}
    for audit in reversed(audits):
        if audit.workflow:
            names.setdefault(workflow_key(audit.workflow), audit.workflow)
    return list(names.values())


def one_workflow(audits: list[Audit], workflow: str | None) -> tuple[list[Audit], str | None, list[str]]:
    """For a template that asks for the workflow: the audits of `workflow` (by default the latest audited one),
    the workflow chosen and every workflow; other templates' audits pass unchanged."""
    if not audits or not audits[-1].template.asks_workflow:
        return audits, None, []
    names = workflows_of(audits)
    wanted = workflow_key(workflow)
    chosen = next((n for n in names if workflow_key(n) == wanted), names[0] if names else None)
    return [a for a in audits if workflow_key(a.workflow) == workflow_key(chosen)], chosen, names


def _finished_audits(unit_ids, template_code: str | None = None) -> list[Audit]:
    query = (select(Audit).join(Audit.template).where(Audit.finished_at.is_not(None))
             .options(selectinload(Audit.template).selectinload(AuditTemplate.criteria),
                      selectinload(Audit.samples).selectinload(AuditSample.answers))
             .order_by(Audit.audited_on, Audit.id))
    if unit_ids is not None:
        query = query.where(Audit.unit_id.in_(unit_ids))
    if template_code is not None:
        query = query.where(AuditTemplate.code == template_code)
    return list(db.session.scalars(query))


def latest_template_code(user: User) -> str | None:
    """The template of the newest finished audit the user can see, or None when there is none."""
    query = (select(AuditTemplate.code).join(Audit, Audit.template_id == AuditTemplate.id)
             .where(Audit.finished_at.is_not(None)).order_by(Audit.audited_on.desc(), Audit.id.desc()).limit(1))
    visible = visible_unit_ids(user)
    if visible is not None:
        query = query.where(Audit.unit_id.in_(visible))
    return db.session.scalar(query)


def run_chart(unit: Unit, template_code: str, workflow: str | None = None) -> RunChart | None:
    """Share correct per finished audit in date order, with the median, the target and the run-chart signals;
    one workflow's audits for a template that asks for the workflow."""
    audits, chosen, names = one_workflow(_finished_audits([unit.id], template_code), workflow)
    if not audits:
        return None
    points = []
    for audit in audits:
        result = result_of(audit)
        if result.overall.share is not None:
            points.append(RunChartPoint(audit.id, audit.audited_on, result.overall.share, result.implemented,
                                        result.overall.correct, result.overall.applicable))
    shares = [p.share for p in points]
    return RunChart(points=points, median=median(shares), target=float(rule_of(audits[-1].template).threshold),
                    signals=run_chart_signals(shares), workflow=chosen, workflows=tuple(names))


@dataclass(frozen=True)
class ResultRow:
    unit_id: int
    unit_code: str
    unit_name: str
    level: str
    depth: int
    template_code: str
    template_name: str
    audited_on: date | None  # the latest audit's date (afsnit), None for roll-ups
    audits: int
    tally: Tally
    implemented: bool
    #: Afsnit below (or the afsnit itself) whose latest audit is implemented, of `audits` measured.
    implemented_afsnit: int = 0
    #: Applicable samples the pooled counts still lack before the rule can decide.
    missing: int = 0


def latest_results(user: User, template_code: str, lang: str = "da",
                   workflow: str | None = None) -> tuple[list[ResultRow], str | None, list[str]]:
    """The latest finished audit per afsnit with a template (of one workflow, for a template that asks for it),
    rolled up to afdeling and sygehus from raw counts; with the workflow shown and every workflow audited."""
    visible = visible_unit_ids(user)
    audits, chosen, names = one_workflow(_finished_audits(visible, template_code), workflow)
    latest: dict[int, Audit] = {}
    for audit in audits:
        latest[audit.unit_id] = audit  # in date order: the last one wins
    if not latest:
        return [], chosen, names
    tallies = {unit_id: result_of(audit).overall for unit_id, audit in latest.items()}
    template = audits[-1].template
    rule = rule_of(template)
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    children = child_map()
    rows = []

    def walk(unit_id: int, depth: int) -> None:
        unit = units[unit_id]
        below = descendants(children, [unit_id])
        measured = [tallies[i] for i in below if i in tallies]
        if not measured or (visible is not None and unit_id not in visible):
            for child in sorted(children.get(unit_id, ()), key=lambda i: units[i].name):
                walk(child, depth)
            return
        tally = pool(measured)
        rows.append(ResultRow(unit.id, unit.code, unit.name, unit.level, depth, template.code, template.text(lang),
                              latest[unit_id].audited_on if unit_id in latest else None, len(measured), tally,
                              meets(rule, tally), implemented_count(rule, measured)[0],
                              missing_samples(rule, tally)))
        for child in sorted(children.get(unit_id, ()), key=lambda i: units[i].name):
            walk(child, depth + 1)

    for root in sorted(children.get(None, ()), key=lambda i: units[i].name):
        walk(root, 0)
    return rows, chosen, names


@dataclass(frozen=True)
class DueRow:
    unit: Unit
    template: AuditTemplate | None
    template_code: str
    due_on: date
    overdue: bool


def audits_due(user: User, today: date | None = None) -> list[DueRow]:
    """Re-audits due within the next two weeks or overdue, in the user's scope, soonest first."""
    today = today or utcnow().date()
    visible = visible_unit_ids(user)
    query = (select(AuditSchedule).options(selectinload(AuditSchedule.unit))
             .where(AuditSchedule.due_on <= today + DUE_WINDOW).order_by(AuditSchedule.due_on))
    if visible is not None:
        query = query.where(AuditSchedule.unit_id.in_(visible))
    templates = {}
    for template in db.session.scalars(select(AuditTemplate).order_by(AuditTemplate.version)):
        templates[template.code] = template
    return [DueRow(s.unit, templates.get(s.template_code), s.template_code, s.due_on, s.due_on < today)
            for s in db.session.scalars(query)]


def open_audits(user: User) -> list[Audit]:
    """Unfinished audits in the user's scope, newest first: the ones to resume."""
    visible = visible_unit_ids(user)
    query = (select(Audit).where(Audit.finished_at.is_(None))
             .options(selectinload(Audit.unit), selectinload(Audit.template), selectinload(Audit.samples))
             .order_by(Audit.created_at.desc()))
    if visible is not None:
        query = query.where(Audit.unit_id.in_(visible))
    return list(db.session.scalars(query))
