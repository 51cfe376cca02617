"""Loading a round or a unit for a reader (a user or an API token), with the scope checked here, once."""
from __future__ import annotations

from sqlalchemy import exists, select

from ..extensions import db
from ..models import Response, Round, Unit, round_units
from .scopes import child_map, descendants


class NotVisible(LookupError):
    """The object does not exist or lies outside the reader's scope; answer 404 either way."""


def round_for(round_id: int, visible: set[int] | None) -> Round:
    """The round if it touches a unit the reader may see (every round for None); raises NotVisible."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise NotVisible(round_id)
    if visible is not None:
        touches = db.session.scalar(select(
            exists().where(round_units.c.round_id == round_id, round_units.c.unit_id.in_(visible))
            | exists().where(Response.round_id == round_id, Response.unit_id.in_(visible))))
        if not touches:
            raise NotVisible(round_id)
    return round_


def unit_for(unit_id: int, visible: set[int] | None) -> Unit:
    """The unit if the reader may see it; raises NotVisible."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or (visible is not None and unit.id not in visible):
        raise NotVisible(unit_id)
    return unit


def narrow(visible: set[int] | None, unit: Unit | None) -> set[int] | None:
    """The reader's visible units limited to `unit` and everything below it (unchanged without a unit)."""
    if unit is None:
        return visible
    subtree = descendants(child_map(), [unit.id])
    return subtree if visible is None else subtree & visible
