"""Action plans as rows: one per intervention, for the CSV and Excel downloads and the API."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ... import plan_rules as rules
from ...extensions import db
from ...models import ActionPlan, Intervention, Unit
from ..spreadsheets import Column
from .plans import verifications


@dataclass(frozen=True)
class InterventionRow:
    plan_id: int
    round_id: int
    round_name: str
    unit_code: str
    unit_name: str
    intervention_id: int
    title: str
    description: str
    responsible: str
    items: str  # item codes, comma-separated
    starts_on: date | None
    due_on: date | None
    status: str
    status_set_on: date | None
    audit_template_code: str | None
    verified: bool | None  # None when no audit names it or none was made
    verified_on: date | None
    highlight: str | None
    #: By the one definition (`plan_rules.implemented`): the latest audit where one was made, else the status.
    implemented: bool = False


def plans_in_scope(visible: set[int] | None, round_id: int | None = None, unit_code: str | None = None) -> list[ActionPlan]:
    """The plans of the afsnit the reader may see, in round and unit order; optional round and unit filters."""
    query = (select(ActionPlan).join(Unit, Unit.id == ActionPlan.unit_id)
             .options(joinedload(ActionPlan.unit), joinedload(ActionPlan.round),
                      selectinload(ActionPlan.interventions).selectinload(Intervention.items),
                      selectinload(ActionPlan.interventions).selectinload(Intervention.history))
             .order_by(ActionPlan.round_id, Unit.code))
    if visible is not None:
        query = query.where(ActionPlan.unit_id.in_(visible))
    if round_id is not None:
        query = query.where(ActionPlan.round_id == round_id)
    if unit_code:
        query = query.where(Unit.code == unit_code)
    return list(db.session.scalars(query))


def intervention_rows(visible: set[int] | None, round_id: int | None = None, unit_code: str | None = None,
                      status: str | None = None) -> list[InterventionRow]:
    """One row per intervention of the plans in scope, with its latest audit's verdict."""
    rows = []
    for plan in plans_in_scope(visible, round_id, unit_code):
        checked = verifications(plan.unit_id, plan.interventions)
        for i in plan.interventions:
            if status and i.status != status:
                continue
            v = checked[i.id]
            rows.append(InterventionRow(
                plan.id, plan.round_id, plan.round.name, plan.unit.code, plan.unit.name, i.id, i.title,
                i.description, i.responsible, ",".join(item.code for item in i.items), i.starts_on, i.due_on,
                i.status, i.history[-1].set_on if i.history else None, i.audit_template_code,
                None if v.state in ("none", "pending") else v.confirmed, v.audited_on, i.highlight,
                rules.implemented(i.status, v)))
    return rows


def api_plans(visible: set[int] | None, round_id: int | None, unit_code: str | None, status: str | None) -> list[dict]:
    """Plans with their interventions for the API; with a status, only plans that have one of it."""
    by_plan: dict[int, dict] = {}
    for row in intervention_rows(visible, round_id, unit_code, status):
        plan = by_plan.setdefault(row.plan_id, {"id": row.plan_id, "round_id": row.round_id,
                                                 "unit_code": row.unit_code, "closed_at": None, "interventions": []})
        plan["interventions"].append({
            "id": row.intervention_id, "title": row.title, "description": row.description,
            "responsible": row.responsible, "items": row.items.split(",") if row.items else [],
            "starts_on": _iso(row.starts_on), "due_on": _iso(row.due_on), "status": row.status,
            "status_set_on": _iso(row.status_set_on), "audit_template_code": row.audit_template_code,
            "verified": row.verified, "verified_on": _iso(row.verified_on), "highlight": row.highlight,
            "implemented": row.implemented})
    for plan in plans_in_scope(visible, round_id, unit_code):
        if status is None:  # plans without interventions yet are listed too
            by_plan.setdefault(plan.id, {"id": plan.id, "round_id": plan.round_id, "unit_code": plan.unit.code,
                                         "closed_at": None, "interventions": []})
        if plan.id in by_plan:
            by_plan[plan.id]["closed_at"] = plan.closed_at.isoformat() if plan.closed_at else None
    return sorted(by_plan.values(), key=lambda p: p["id"])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def intervention_columns() -> list[Column]:
    """The columns of the downloads."""
    return [
        Column("plan_id", _l("Plan"), kind="int", width=8),
        Column("round_name", _l("Round"), width=24),
        Column("unit_code", _l("Unit code"), width=14),
        Column("unit_name", _l("Unit"), width=28),
        Column("title", _l("Title"), width=36),
        Column("description", _l("Description"), width=48),
        Column("responsible", _l("Responsible"), width=24),
        Column("items", _l("Items"), width=36),
        Column("starts_on", _l("Start date"), kind="date", width=12),
        Column("due_on", _l("Due date"), kind="date", width=12),
        Column("status", _l("Status"), width=14),
        Column("status_set_on", _l("Status set on"), kind="date", width=12),
        Column("audit_template_code", _l("Verified by the audit"), width=24),
        Column("verified", _l("Confirmed by audit"), kind="bool", width=10),
        Column("verified_on", _l("Audit date"), kind="date", width=12),
        Column("highlight", _l("Annual report"), width=14),
        Column("implemented", _l("Implemented (the latest audit, or the status)"), kind="bool", width=12),
    ]
