"""The coordinator's start page: rounds with their respondent counts, within the user's scope."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import Response, Round, User, round_units
from ...timeutil import utcnow
from ..collection.materials import printable
from ..scopes import visible_unit_ids


@dataclass(frozen=True)
class RoundRow:
    id: int
    name: str
    questionnaire: str
    audience: str
    status: str
    opens_at: datetime
    closes_at: datetime
    units: int
    responses: int
    #: Whether the round gets QR posters and answer codes (`materials.printable`).
    printable: bool = True


def rounds_overview(user: User) -> list[RoundRow]:
    """Rounds that touch the user's units, newest first, counting only responses the user may see."""
    visible = visible_unit_ids(user)
    unit_counts = select(round_units.c.round_id, func.count().label("n")).group_by(round_units.c.round_id)
    response_counts = select(Response.round_id, func.count().label("n")).group_by(Response.round_id)
    if visible is not None:
        unit_counts = unit_counts.where(round_units.c.unit_id.in_(visible))
        response_counts = response_counts.where(Response.unit_id.in_(visible))
    units = dict(db.session.execute(unit_counts).all())
    responses = dict(db.session.execute(response_counts).all())
    now = utcnow()
    rounds = db.session.scalars(
        select(Round).options(joinedload(Round.questionnaire)).order_by(Round.opens_at.desc(), Round.id.desc()))
    return [
        RoundRow(r.id, r.name, r.questionnaire.code, r.questionnaire.audience, r.status(now), r.opens_at, r.closes_at,
                 units.get(r.id, 0), responses.get(r.id, 0), printable(r, now))
        for r in rounds
        if visible is None or units.get(r.id)
    ]
