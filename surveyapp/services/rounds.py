"""Survey rounds: creation with a collection link per participating afsnit."""
import logging
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Questionnaire, Round, Unit
from .collection.links import add_link

logger = logging.getLogger(__name__)


def create_round(
    questionnaire: Questionnaire,
    name: str,
    opens_at: datetime,
    closes_at: datetime,
    units: list[Unit],
    target: float,
    min_group: int,
    link_kinds: tuple[str, ...] = ("open",),
) -> Round:
    """A new round for the afsnit among `units`, with one link of each kind per afsnit."""
    if closes_at <= opens_at:
        raise ValueError("a round must close after it opens")
    afsnit = [unit for unit in units if unit.level == "afsnit"]
    round_ = Round(questionnaire=questionnaire, name=name, opens_at=opens_at, closes_at=closes_at,
                   target=target, min_group=min_group, units=afsnit)
    db.session.add(round_)
    for unit in afsnit:
        for kind in link_kinds:
            add_link(round_, unit, kind)
    db.session.flush()
    logger.info("round %s (%s) created with %d afsnit", round_.id, name, len(afsnit))
    return round_


def rounds_in_order() -> list[Round]:
    """Every round, newest opening first."""
    return list(db.session.scalars(select(Round).order_by(Round.opens_at.desc(), Round.id.desc())))
