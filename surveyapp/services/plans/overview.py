"""The leaders' overview ("Handlingsplaner" in the menu): every afsnit in the user's scope, worst first, with its
latest closed staff round's key items against the target and their change, its live plan's state, interventions
overdue and verified by audit, and a flag where an afsnit is under the target with no plan.

The figures come from the results services (`load_round` and `round_table`, counts and suppression decided
there): a hidden afsnit shows no figure.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import plan_rules as rules
from ...extensions import db
from ...models import ActionPlan, Intervention, Round, Unit, User
from ...scoring import Change, Score
from ...timeutil import utcnow
from ..results.counts import load_round
from ..results.dashboard import TableRow, round_table
from ..results.unit_report import previous_round
from ..scopes import visible_unit_ids
from ..spreadsheets import Column
from .plans import verifications


@dataclass(frozen=True)
class KeyCell:
    label: str
    score: Score
    change: Change | None


@dataclass(frozen=True)
class AfsnitLine:
    unit: Unit
    afdeling: Unit | None
    #: The newest closed staff round the afsnit took part in, or None.
    round: Round | None
    hidden: bool
    keys: list[KeyCell]
    plan: ActionPlan | None
    by_status: dict[str, int]
    overdue: int
    verified: int
    #: Under the target on a key item, with no live plan.
    needs_plan: bool


@dataclass(frozen=True)
class LeadersOverview:
    lines: list[AfsnitLine]
    #: The afdelinger the user may filter by.
    afdelinger: list[Unit]
    afdeling: Unit | None
    by_status: dict[str, int]
    overdue: int
    needs_plan: int
    #: The key items' labels, numbered as the columns (from the newest round shown).
    key_labels: list[str]
    #: The rounds the lines' figures come from, newest first.
    rounds: list[Round]


def _afsnit_in_scope(visible: set[int] | None) -> list[Unit]:
    query = select(Unit).where(Unit.level == "afsnit", Unit.active.is_(True)).order_by(Unit.name)
    if visible is not None:
        query = query.where(Unit.id.in_(visible))
    return list(db.session.scalars(query.options(selectinload(Unit.parent))))


def _latest_rounds(afsnit_ids: set[int]) -> dict[int, Round]:
    """Afsnit id -> the newest closed staff round it took part in."""
    rounds = db.session.scalars(select(Round).where(Round.closes_at <= utcnow())
                                .order_by(Round.opens_at.desc(), Round.id.desc()))
    latest: dict[int, Round] = {}
    for round_ in rounds:
        if round_.questionnaire.audience != "staff":
            continue
        for unit in round_.units:
            if unit.id in afsnit_ids:
                latest.setdefault(unit.id, round_)
        if len(latest) == len(afsnit_ids):
            break
    return latest


def _rows(round_: Round, visible: set[int] | None, lang: str) -> tuple[dict[int, TableRow], list[str]]:
    """The round's dashboard rows by unit id (key items and change since the previous round), and key labels."""
    data = load_round(round_, visible)
    before = previous_round(round_)
    table = round_table(data, visible, load_round(before, visible) if before is not None else None)
    labels = {item.code: item.label(lang) for item in round_.questionnaire.items}
    return {row.unit.id: row for row in table.rows}, [labels.get(code, code) for code in table.key_items]


def live_plans(afsnit_ids: set[int]) -> dict[int, ActionPlan]:
    """Afsnit id -> its live plan, with interventions and their items loaded."""
    plans = db.session.scalars(
        select(ActionPlan).where(ActionPlan.closed_at.is_(None), ActionPlan.unit_id.in_(afsnit_ids))
        .options(selectinload(ActionPlan.round),
                 selectinload(ActionPlan.interventions).selectinload(Intervention.items)))
    return {plan.unit_id: plan for plan in plans}


def leaders_overview(user: User, lang: str, today: date, afdeling_code: str | None = None) -> LeadersOverview:
    """The afsnit of the user's scope (or of one afdeling in it), worst first."""
    visible = visible_unit_ids(user)
    afsnit = _afsnit_in_scope(visible)
    afdelinger = sorted({u.parent for u in afsnit if u.parent is not None}, key=lambda u: u.name)
    chosen = next((a for a in afdelinger if a.code == afdeling_code), None)
    if chosen is not None:
        afsnit = [u for u in afsnit if u.parent_id == chosen.id]
    ids = {u.id for u in afsnit}
    latest = _latest_rounds(ids)
    tables = {r.id: _rows(r, visible, lang) for r in {r.id: r for r in latest.values()}.values()}
    plans = live_plans(ids)
    total, overdue_total, lines = Counter(), 0, []
    for unit in afsnit:
        round_ = latest.get(unit.id)
        rows, labels = tables[round_.id] if round_ is not None else ({}, [])
        row = rows.get(unit.id)
        keys = [KeyCell(label, score, change) for label, score, change in zip(labels, row.cells, row.changes)] \
            if row is not None else []
        plan = plans.get(unit.id)
        interventions = plan.interventions if plan else []
        checked = verifications(unit.id, interventions) if interventions else {}
        counts = Counter(i.status for i in interventions)
        overdue = sum(rules.overdue(i.status, i.due_on, today) for i in interventions)
        total.update(counts)
        overdue_total += overdue
        met = [k.score.met for k in keys]
        lines.append(AfsnitLine(unit, unit.parent, round_, bool(row and row.suppressed), keys, plan,
                                {s: counts.get(s, 0) for s in rules.STATUSES}, overdue,
                                sum(v.confirmed for v in checked.values()), rules.needs_plan(met, plan is not None)))
    lines.sort(key=lambda line: rules.worst_first([k.score.met for k in line.keys],
                                                  [k.score.percent for k in line.keys]))
    rounds = sorted({r.id: r for r in latest.values()}.values(), key=lambda r: (r.opens_at, r.id), reverse=True)
    key_labels = tables[rounds[0].id][1] if rounds else []
    return LeadersOverview(lines, afdelinger, chosen, {s: total.get(s, 0) for s in rules.STATUSES},
                           overdue_total, sum(line.needs_plan for line in lines), key_labels, rounds)


@dataclass(frozen=True)
class OverviewRow:
    """One afsnit of the overview as a download row; key items by position (1-3)."""

    afdeling: str
    unit_code: str
    unit_name: str
    round_name: str | None
    key: list[KeyCell]
    plan_id: int | None
    plan_round: str | None
    planned: int
    in_progress: int
    implemented: int
    abandoned: int
    overdue: int
    verified: int
    needs_plan: bool


def overview_rows(overview: LeadersOverview) -> list[OverviewRow]:
    """The overview's lines for CSV and Excel, in the page's order."""
    return [OverviewRow(line.afdeling.name if line.afdeling else "", line.unit.code, line.unit.name,
                        line.round.name if line.round else None, line.keys, line.plan.id if line.plan else None,
                        line.plan.round.name if line.plan else None, line.by_status[rules.PLANNED],
                        line.by_status[rules.IN_PROGRESS], line.by_status[rules.IMPLEMENTED],
                        line.by_status[rules.ABANDONED], line.overdue, line.verified, line.needs_plan)
            for line in overview.lines]


def _key(position: int, part: str):
    def get(row: OverviewRow):
        if position >= len(row.key):
            return None
        cell = row.key[position]
        if part == "label":
            return str(cell.label)
        if part == "percent":
            return cell.score.percent
        if part == "met":
            return cell.score.met
        return cell.change.difference if cell.change is not None else None
    return get


def overview_columns(key_items: int = 3) -> list[Column]:
    """The download's columns: the afsnit, its key items (share, target met, change in points), its plan."""
    columns = [Column("afdeling", _l("Department"), width=24), Column("unit_code", _l("Unit code"), width=14),
               Column("unit_name", _l("Unit"), width=28), Column("round_name", _l("Round"), width=24)]
    for n in range(key_items):
        number = n + 1
        columns += [
            Column(f"key_item_{number}", _l("Key item %(n)s", n=number), get=_key(n, "label"), width=36),
            Column(f"key_item_{number}_percent", _l("Key item %(n)s: share positive", n=number), kind="percent",
                   get=_key(n, "percent"), width=12),
            Column(f"key_item_{number}_met", _l("Key item %(n)s: target met", n=number), kind="bool",
                   get=_key(n, "met"), width=10),
            Column(f"key_item_{number}_change", _l("Key item %(n)s: change in points", n=number), kind="number",
                   get=_key(n, "change"), width=12)]
    return columns + [
        Column("plan_id", _l("Plan"), kind="int", width=8),
        Column("plan_round", _l("Plan made from"), width=24),
        Column("planned", _l("Planned"), kind="int", width=10),
        Column("in_progress", _l("In progress"), kind="int", width=10),
        Column("implemented", _l("Implemented"), kind="int", width=10),
        Column("abandoned", _l("Given up"), kind="int", width=10),
        Column("overdue", _l("Overdue"), kind="int", width=10),
        Column("verified", _l("Verified by audit"), kind="int", width=10),
        Column("needs_plan", _l("Under the target with no plan"), kind="bool", width=10)]
