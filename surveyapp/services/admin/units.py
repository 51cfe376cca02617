"""Organisation units for administrators: the tree, create, rename, move, deactivate."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from ...extensions import db
from ...models import LEVELS, Response, Unit, User, round_units
from ...models.org import PARENT_LEVEL
from ...scoring import roll_up
from ..scopes import visible_unit_ids
from . import changelog

UNIT_FIELDS = ("code", "name", "level", "parent_id", "headcount", "active")


class UnitError(ValueError):
    """A unit change is not possible; the message says why (translated), `field` which form field it is about."""

    def __init__(self, message: str, field: str = "parent_id"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class TreeRow:
    id: int
    code: str
    name: str
    level: str
    depth: int
    headcount: int | None
    #: Sum of the active afsnit's headcounts below a sygehus or afdeling.
    total_headcount: int
    active: bool
    #: Responses of the unit and every unit below it (responses are stored on afsnit).
    responses: int


def tree(user: User, include_inactive: bool = True) -> list[TreeRow]:
    """The units the user may see, depth first, each with its response count, in two queries."""
    visible = visible_unit_ids(user)
    units = [u for u in db.session.scalars(select(Unit).order_by(Unit.code))
             if (visible is None or u.id in visible) and (include_inactive or u.active)]
    own = dict(db.session.execute(select(Response.unit_id, func.count()).group_by(Response.unit_id)).all())
    ids = {u.id for u in units}
    parent_of = {u.id: u.parent_id if u.parent_id in ids else None for u in units}
    responses = roll_up({i: n for i, n in own.items() if i in ids}, parent_of, 0)
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    totals: dict[int, int] = {}

    def total(unit: Unit) -> int:
        if unit.id not in totals:
            own = (unit.headcount or 0) if unit.level == "afsnit" and unit.active else 0
            totals[unit.id] = own + sum(total(c) for c in children.get(unit.id, []))
        return totals[unit.id]

    rows: list[TreeRow] = []

    def walk(unit: Unit, depth: int) -> None:
        rows.append(TreeRow(unit.id, unit.code, unit.name, unit.level, depth, unit.headcount, total(unit),
                            unit.active, responses.get(unit.id, 0)))
        for child in children.get(unit.id, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    return rows


def get_unit(user: User, unit_id: int) -> Unit | None:
    """The unit if it exists and the user may see it."""
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        return None
    visible = visible_unit_ids(user)
    return unit if visible is None or unit.id in visible else None


def parent_choices(level: str) -> list[Unit]:
    """The active units that can be the parent of a unit of this level."""
    wanted = PARENT_LEVEL.get(level)
    if wanted is None:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.level == wanted, Unit.active).order_by(Unit.code)))


def _check_parent(level: str, parent: Unit | None, unit: Unit | None = None) -> None:
    if level not in LEVELS:
        raise UnitError(_("Choose hospital, department or ward."), "level")
    wanted = PARENT_LEVEL[level]
    if wanted is None and parent is not None:
        raise UnitError(_("A hospital has no parent."))
    if wanted is not None and (parent is None or parent.level != wanted):
        raise UnitError(_("A department must sit below a hospital.") if level == "afdeling"
                        else _("A ward must sit below a department."))
    if unit is not None and parent is not None:
        node = parent
        while node is not None:
            if node.id == unit.id:
                raise UnitError(_("A unit cannot be moved below itself."))
            node = node.parent


def create_unit(actor: User, code: str, name: str, level: str, parent: Unit | None,
                headcount: int | None) -> Unit:
    """A new active unit; raises UnitError on a taken code or a parent of the wrong level."""
    code = code.strip()
    if db.session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise UnitError(_("The code %(code)s is already in use.", code=code), "code")
    _check_parent(level, parent)
    unit = Unit(code=code, name=name.strip(), level=level, parent=parent, headcount=headcount)
    db.session.add(unit)
    db.session.flush()
    changelog.record(actor, "unit.create", unit, None, changelog.snapshot(unit, UNIT_FIELDS))
    return unit


def update_unit(actor: User, unit: Unit, name: str, parent: Unit | None, headcount: int | None,
                active: bool) -> Unit:
    """Rename, move, change the headcount, deactivate or reactivate; one audit entry for the change."""
    before = changelog.snapshot(unit, UNIT_FIELDS)
    if parent is not unit.parent:
        _check_parent(unit.level, parent, unit)
    if active and parent is not None and not parent.active:
        raise UnitError(_("Reactivate %(parent)s first: an active unit cannot sit below an inactive one.",
                          parent=parent.code))
    unit.name, unit.parent, unit.headcount, unit.active = name.strip(), parent, headcount, active
    db.session.flush()
    after = changelog.snapshot(unit, UNIT_FIELDS)
    if after != before:
        action = "unit.deactivate" if before["active"] and not active else "unit.update"
        changelog.record(actor, action, unit, before, after)
    if before["active"] and not active:
        _deactivate_below(actor, unit)
    return unit


def _deactivate_below(actor: User, unit: Unit) -> None:
    """A deactivated afdeling takes its afsnit with it: no active unit sits below an inactive one."""
    for child in unit.children:
        if child.active:
            before = changelog.snapshot(child, UNIT_FIELDS)
            child.active = False
            db.session.flush()
            changelog.record(actor, "unit.deactivate", child, before, changelog.snapshot(child, UNIT_FIELDS))
        _deactivate_below(actor, child)


def can_delete(unit: Unit) -> bool:
    """Only a unit that nothing refers to: no children, no responses, in no round."""
    return not db.session.scalar(select(
        exists().where(Unit.parent_id == unit.id)
        | exists().where(Response.unit_id == unit.id)
        | exists().where(round_units.c.unit_id == unit.id)))


def delete_unit(actor: User, unit: Unit) -> None:
    """Delete a unit created by mistake; raises UnitError if anything refers to it (deactivate it then)."""
    if not can_delete(unit):
        raise UnitError(_("%(code)s has sub-units, rounds or responses: deactivate it instead.", code=unit.code))
    changelog.record(actor, "unit.delete", unit, changelog.snapshot(unit, UNIT_FIELDS), None)
    db.session.delete(unit)
    db.session.flush()
