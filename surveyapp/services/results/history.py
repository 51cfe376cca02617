"""A unit's key items across every round of the same questionnaire up to a round: the trend the staff see."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import Questionnaire, Round
from ...scoring import Score
from .counts import RoundData, load_round


@dataclass(frozen=True)
class HistoryRow:
    round_id: int
    round_name: str
    opens_at: object
    #: One score per key item, in the order of `History.key_items`; a hidden or empty score shows no number.
    scores: list[Score]


@dataclass(frozen=True)
class History:
    key_items: list[str]
    rows: list[HistoryRow]


def earlier_rounds(round_: Round) -> list[Round]:
    """Every round of the same questionnaire code that opened no later than this one, oldest first."""
    return list(db.session.scalars(
        select(Round).join(Questionnaire, Questionnaire.id == Round.questionnaire_id)
        .where(Questionnaire.code == round_.questionnaire.code, Round.opens_at <= round_.opens_at)
        .order_by(Round.opens_at, Round.id)))


def closed_rounds_up_to(round_: Round) -> list[Round]:
    """The closed rounds of the same questionnaire code up to this one, oldest first: the ones with results."""
    return [r for r in earlier_rounds(round_) if r.status() == "closed"]


def trend_data(round_: Round, within: set[int] | None, loaded: dict[int, RoundData]) -> list[RoundData]:
    """Each closed round of the questionnaire up to this one counted once over `within` (for every unit at
    once), oldest first; rounds already counted (`loaded`, by round id) are reused."""
    if round_.status() != "closed":
        return []
    return [loaded[r.id] if r.id in loaded else load_round(r, within) for r in closed_rounds_up_to(round_)]


def key_item_history(round_: Round, unit_id: int, within: set[int]) -> History:
    """The unit's key-item scores in each round of the questionnaire it took part in (a few queries a round)."""
    rows, key = [], None
    for earlier in earlier_rounds(round_):
        data = load_round(earlier, within)
        if unit_id not in data.units or unit_id not in data.complete:
            continue
        codes = [s.code for s in data.items if s.key] or [s.code for s in data.items]
        key = key or codes
        rows.append(HistoryRow(earlier.id, earlier.name, earlier.opens_at,
                               [data.item_score(unit_id, code) if code in codes else Score(None, None, None, None, None,
                                data.target * 100, None, False) for code in key]))
    return History(key or [], rows)
