"""What a coordinator prints or opens for one afsnit: per round it takes part in, its poster, table tent,
kiosk link and answer-code cards; and the rule that print material is made only for rounds that take answers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import CollectionLink, Round
from .links import link_url


class RoundClosed(ValueError):
    """Print material (a QR poster, a table tent, answer codes or their cards) asked for a closed round."""

    def __init__(self, round_: Round):
        super().__init__(f"round {round_.id} ({round_.name}) is closed and takes no more answers: "
                         "no posters, table tents or answer codes are made for it")
        self.round = round_


def printable(round_: Round, now: datetime | None = None) -> bool:
    """Whether a round gets print material: only while it takes answers or will (planned or open). A closed
    round's codes and links answer 410, so a poster or card for it would send people nowhere."""
    return round_.status(now) != "closed"


def require_printable(round_: Round, now: datetime | None = None) -> None:
    """Raise RoundClosed unless the round gets print material (`printable`)."""
    if not printable(round_, now):
        raise RoundClosed(round_)


@dataclass(frozen=True)
class RoundMaterials:
    round: Round
    status: str
    #: Whether posters, tents and answer-code cards are offered (`printable`).
    printable: bool
    #: The afsnit's open link (QR poster), if any.
    open_link_id: int | None
    open_url: str | None
    #: A5 table tents exist for patient questionnaires only.
    table_tent: bool
    kiosk_url: str | None
    #: Answer codes not used yet.
    unused_codes: int


def afsnit_materials(unit_id: int) -> list[RoundMaterials]:
    """Every round the afsnit has links in, newest opening first, with what can be printed or opened (2 queries)."""
    links = db.session.scalars(
        select(CollectionLink).where(CollectionLink.unit_id == unit_id, CollectionLink.kind.in_(("open", "kiosk")))
        .options(joinedload(CollectionLink.round).joinedload(Round.questionnaire))).all()
    codes = dict(db.session.execute(
        select(CollectionLink.round_id, func.count()).where(CollectionLink.unit_id == unit_id,
                                                            CollectionLink.kind == "code", CollectionLink.used.is_(False))
        .group_by(CollectionLink.round_id)).all())
    by_round: dict[int, dict[str, CollectionLink]] = {}
    rounds: dict[int, Round] = {}
    for link in links:
        by_round.setdefault(link.round_id, {}).setdefault(link.kind, link)
        rounds[link.round_id] = link.round
    result = []
    for round_id, kinds in by_round.items():
        round_ = rounds[round_id]
        open_link, kiosk = kinds.get("open"), kinds.get("kiosk")
        result.append(RoundMaterials(
            round_, round_.status(), printable(round_), open_link.id if open_link else None,
            link_url(open_link.slug) if open_link else None,
            open_link is not None and round_.questionnaire.audience == "patient",
            link_url(kiosk.slug) if kiosk else None, codes.get(round_id, 0)))
    result.sort(key=lambda m: (m.round.opens_at, m.round.id), reverse=True)
    return result
