"""Writing and reading action plans. Services flush; the view commits; every change goes into the change log.

Scope is checked here, when a plan or intervention is loaded: outside the user's units it does not exist.
Coordinators (and admins) write the plans of their afsnit; viewers and auditors read them.
"""
import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import plan_rules as rules
from ...extensions import db
from ...models import ActionPlan, Audit, AuditSample, AuditTemplate, Intervention, InterventionNote, InterventionStatus, Item, Round, Unit, User
from ...models.plans import INTERVENTION_KINDS, RCA_ACTION
from ..admin.changelog import record, snapshot
from ..audits.recording import result_of
from ...timeutil import utcnow
from ..scopes import can_see, visible_unit_ids

logger = logging.getLogger(__name__)
FIELDS = ("title", "description", "responsible", "starts_on", "due_on", "status", "audit_template_code", "highlight",
          "kind")


class PlanError(ValueError):
    """A plan cannot be changed as asked; `code` names the reason for the view's message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def may_write(user: User, unit_id: int) -> bool:
    """Coordinators and admins write the plans of the afsnit in their scope."""
    return user.role in ("admin", "coordinator") and can_see(user, unit_id)


def may_change(user: User, plan: ActionPlan) -> bool:
    """Whether the user may change this plan: a writer of its afsnit, and the plan is live."""
    return plan.closed_at is None and may_write(user, plan.unit_id)


def live_plan(unit_id: int) -> ActionPlan | None:
    """The afsnit's live plan (not closed), if it has one: there is at most one."""
    return db.session.scalar(select(ActionPlan).where(ActionPlan.unit_id == unit_id, ActionPlan.closed_at.is_(None)))


def start_plan(round_: Round, unit: Unit, actor: User) -> ActionPlan:
    """The afsnit's live plan; made now from the round's challenges when it has none (never a second one)."""
    if unit.level != "afsnit" or unit not in round_.units:
        raise PlanError("not_in_round")
    plan = live_plan(unit.id)
    if plan is None:
        plan = ActionPlan(round_id=round_.id, unit_id=unit.id, created_by_id=actor.id)
        db.session.add(plan)
        db.session.flush()
        record(actor, "action_plan.create", plan, after={"unit": unit.code, "round": round_.id})
        logger.info("action plan %s started by %s", plan.id, actor.id)
    return plan


def close_plan(plan: ActionPlan, actor: User) -> None:
    """Close the plan explicitly: it becomes read-only and the afsnit may start a new one."""
    if plan.closed_at is not None:
        raise PlanError("closed")
    plan.closed_at = utcnow()
    plan.closed_by_id = actor.id
    db.session.flush()
    record(actor, "action_plan.close", plan, after={"closed_at": plan.closed_at})
    logger.info("action plan %s closed by %s", plan.id, actor.id)


def load_plan(plan_id: int, user: User) -> ActionPlan | None:
    """The plan with its interventions, or None when it does not exist or lies outside the user's scope."""
    plan = db.session.scalar(
        select(ActionPlan).where(ActionPlan.id == plan_id)
        .options(selectinload(ActionPlan.interventions).selectinload(Intervention.items),
                 selectinload(ActionPlan.interventions).selectinload(Intervention.history),
                 selectinload(ActionPlan.interventions).selectinload(Intervention.notes)))
    if plan is None or not can_see(user, plan.unit_id):
        return None
    return plan


def load_intervention(intervention_id: int, user: User) -> Intervention | None:
    """The intervention, or None outside the user's scope."""
    intervention = db.session.get(Intervention, intervention_id)
    if intervention is None or not can_see(user, intervention.plan.unit_id):
        return None
    return intervention


def round_items(round_: Round) -> list[Item]:
    """The round's scale items, which an intervention may address."""
    return [item for item in round_.questionnaire.items if item.kind == "scale"]


def _apply(intervention: Intervention, data: dict) -> None:
    if not rules.dates_valid(data.get("starts_on"), data.get("due_on")):
        raise PlanError("dates")
    kind = data.get("kind") or "indsats"
    if kind not in INTERVENTION_KINDS or (kind == RCA_ACTION and data.get("due_on") is None):
        raise PlanError("kind")  # a root-cause analysis action is counted against its due date
    intervention.kind = kind
    allowed = {item.id: item for item in round_items(intervention.plan.round)}
    if any(item_id not in allowed for item_id in data["item_ids"]):
        raise PlanError("items")
    if data.get("audit_template_code") and not db.session.scalar(
            select(AuditTemplate.id).where(AuditTemplate.code == data["audit_template_code"]).limit(1)):
        raise PlanError("template")
    for name in ("title", "description", "responsible", "starts_on", "due_on", "highlight"):
        setattr(intervention, name, data.get(name) or (None if name in ("starts_on", "due_on", "highlight") else ""))
    intervention.audit_template_code = data.get("audit_template_code") or None
    intervention.items = [allowed[i] for i in data["item_ids"]]


def add_intervention(plan: ActionPlan, data: dict, actor: User, today: date) -> Intervention:
    """A new intervention ("planlagt" from today); data holds the form's fields and `item_ids`."""
    with db.session.no_autoflush:  # the checks query before the new row is complete
        intervention = Intervention(plan=plan, status=rules.PLANNED)
        db.session.add(intervention)
        _apply(intervention, data)
    intervention.history.append(InterventionStatus(status=rules.PLANNED, set_on=today, set_by_id=actor.id))
    db.session.flush()
    record(actor, "intervention.create", intervention,
           after={**snapshot(intervention, FIELDS), "items": [i.code for i in intervention.items]})
    return intervention


def edit_intervention(intervention: Intervention, data: dict, actor: User) -> None:
    """Change an intervention's fields (its status has its own action)."""
    before = {**snapshot(intervention, FIELDS), "items": [i.code for i in intervention.items]}
    with db.session.no_autoflush:
        _apply(intervention, data)
    db.session.flush()
    record(actor, "intervention.edit", intervention, before=before,
           after={**snapshot(intervention, FIELDS), "items": [i.code for i in intervention.items]})


def set_status(intervention: Intervention, status: str, actor: User, today: date) -> None:
    """Give the intervention a new status, dated today; refuses a move the rules do not allow."""
    if not rules.may_move(intervention.status, status):
        raise PlanError("status")
    before = intervention.status
    intervention.status = status
    intervention.history.append(InterventionStatus(status=status, set_on=today, set_by_id=actor.id))
    db.session.flush()
    record(actor, "intervention.status", intervention, before={"status": before},
           after={"status": status, "set_on": today})


def add_note(intervention: Intervention, text: str, actor: User) -> InterventionNote:
    """One line in the intervention's progress log."""
    note = InterventionNote(intervention=intervention, text=text.strip(), author_id=actor.id)
    db.session.add(note)
    db.session.flush()
    record(actor, "intervention.note", intervention, after={"note": note.text})
    return note


def verifications(unit_id: int, interventions: list[Intervention]) -> dict[int, rules.Verification]:
    """Intervention id -> what the afsnit's latest finished audit with its template says, in one query."""
    codes = {i.audit_template_code for i in interventions if i.audit_template_code}
    outcomes: dict[str, list[rules.AuditOutcome]] = {code: [] for code in codes}
    if codes:
        audits = db.session.scalars(
            select(Audit).join(Audit.template)
            .where(Audit.unit_id == unit_id, Audit.finished_at.is_not(None), AuditTemplate.code.in_(codes))
            .options(selectinload(Audit.template).selectinload(AuditTemplate.criteria),
                     selectinload(Audit.samples).selectinload(AuditSample.answers)))
        for audit in audits:
            result = result_of(audit)
            outcomes[audit.template.code].append(rules.AuditOutcome(
                audit.audited_on, audit.id, result.implemented, result.overall.correct, result.overall.applicable))
    return {i.id: rules.verify(i.audit_template_code, outcomes.get(i.audit_template_code, [])) for i in interventions}


@dataclass(frozen=True)
class InterventionLine:
    intervention: Intervention
    item_labels: list[str]
    template_name: str | None
    verification: rules.Verification
    offer_implemented: bool
    overdue: bool
    next_statuses: tuple[str, ...]


def intervention_lines(plan: ActionPlan, lang: str, today: date) -> list[InterventionLine]:
    """The plan's interventions, finished for the page: items, verification, overdue, allowed statuses."""
    checked = verifications(plan.unit_id, plan.interventions)
    names = {t.code: t.text(lang) for t in db.session.scalars(select(AuditTemplate).order_by(AuditTemplate.version))}
    return [InterventionLine(i, [item.label(lang) for item in i.items], names.get(i.audit_template_code),
                             checked[i.id], rules.offer_implemented(i.status, checked[i.id]),
                             rules.overdue(i.status, i.due_on, today), rules.TRANSITIONS[i.status])
            for i in plan.interventions]


def verified_by_audits(user: User, lang: str, today: date) -> list[tuple[ActionPlan, InterventionLine]]:
    """For an auditor: the interventions in their scope that an audit template verifies."""
    plans = db.session.scalars(
        select(ActionPlan).join(Intervention).where(Intervention.audit_template_code.is_not(None)).distinct()
        .options(selectinload(ActionPlan.interventions).selectinload(Intervention.items)))
    visible = visible_unit_ids(user)
    rows = []
    for plan in plans:
        if visible is None or plan.unit_id in visible:
            rows.extend((plan, line) for line in intervention_lines(plan, lang, today)
                        if line.intervention.audit_template_code)
    return rows
