"""A unit's page: every item with its interval, the biggest challenges, dimensions, SAQ scale scores,
background groups and the change since the previous round of the same questionnaire."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import Questionnaire, Round
from ...scoring import (Change, ScaleScore, Score, Tally, biggest_challenges, challenges as rank_challenges,
                        rate_looks_wrong,
                        two_proportion_test)
from ..scopes import child_map, descendants
from .breakdowns import Breakdown, background_breakdown, saq_scores
from .counts import RoundData, UnitInfo, load_round, questionnaire_items


@dataclass(frozen=True)
class ItemLine:
    code: str
    label: str
    dimension: str | None
    key: bool
    score: Score
    #: The rank (1 = lowest) among the unit's biggest challenges (`scoring.biggest_challenges`), or None.
    challenge: int | None
    previous: Score | None
    change: Change | None
    #: Reverse-scored ("Det er svært at sige til, …"): disagreeing counts as positive.
    reverse: bool = False


@dataclass(frozen=True)
class DimensionLine:
    name: str
    score: Score
    scale: ScaleScore


@dataclass(frozen=True)
class UnitReport:
    round_id: int
    unit: UnitInfo
    parent: UnitInfo | None
    children: list[UnitInfo]
    respondents: int
    headcount: int | None
    response_rate: float | None
    suppressed: bool
    min_group: int
    target: float
    items: list[ItemLine]
    dimensions: list[DimensionLine]
    #: The codes of the three lowest items, lowest first (ties in questionnaire order).
    challenges: list[str]
    previous_round: Round | None
    breakdowns: list[Breakdown]
    #: The lines of `challenges`, lowest first.
    lowest: list[ItemLine] = ()
    #: Every item meets the target (the three lowest are still the biggest challenges, each marked "✓").
    all_meet: bool = False

    @property
    def rate_looks_wrong(self) -> bool:
        """More responses than staff: flagged with its likely cause beside the rate."""
        return rate_looks_wrong(self.response_rate)


def previous_round(round_: Round) -> Round | None:
    """The latest round of the same questionnaire code (any version) that opened before this one."""
    return db.session.scalar(
        select(Round).join(Questionnaire, Questionnaire.id == Round.questionnaire_id)
        .where(Questionnaire.code == round_.questionnaire.code, Round.opens_at < round_.opens_at,
               Round.id != round_.id)
        .order_by(Round.opens_at.desc(), Round.id.desc()).limit(1))


def subtree(unit_id: int) -> set[int]:
    """The unit and every unit below it."""
    return descendants(child_map(), [unit_id])


def _change(current: RoundData, previous: RoundData | None, unit_id: int, code: str) -> tuple[Score | None, Change | None]:
    if previous is None or unit_id not in previous.units or unit_id not in previous.complete:
        return None, None
    before = previous.item_score(unit_id, code)
    if unit_id in previous.hidden or unit_id in current.hidden or code not in previous.tallies[unit_id]:
        return before, None
    return before, two_proportion_test(previous.tallies[unit_id][code], current.tallies[unit_id].get(code, Tally()))


def unit_report(round_: Round, unit_id: int, lang: str) -> UnitReport | None:
    """The unit's results in the round, or None when the unit takes no part in it. Scope is the caller's."""
    within = subtree(unit_id)
    all_items = questionnaire_items(round_.questionnaire_id)
    data = load_round(round_, within, all_items)
    if unit_id not in data.units:
        return None
    before_round = previous_round(round_)
    before = None
    if before_round is not None:
        same = before_round.questionnaire_id == round_.questionnaire_id
        before = load_round(before_round, within, all_items if same else None)
    labels = {item.code: item.label(lang) for item in all_items}
    scores = {spec.code: data.item_score(unit_id, spec.code) for spec in data.items}
    ranked = rank_challenges(scores)
    rank = {c.code: c.rank for c in biggest_challenges(scores)}
    items = []
    for spec in data.items:
        previous, change = _change(data, before, unit_id, spec.code)
        items.append(ItemLine(spec.code, labels.get(spec.code, spec.code), spec.dimension, spec.key,
                              scores[spec.code], rank.get(spec.code), previous, change,
                              spec.reverse))
    scale = saq_scores(round_, data, unit_id) if data.dimensions else {}
    dimensions = [DimensionLine(d, data.dimension_score(unit_id, d), scale[d]) for d in data.dimensions]
    unit = data.units[unit_id]
    by_code = {line.code: line for line in items}
    breakdowns = [background_breakdown(round_, data, unit_id, item, lang, labels)
                  for item in all_items if item.kind == "choice"]
    return UnitReport(round_.id, unit, data.units.get(unit.parent_id) if unit.parent_id else None,
                      [data.units[c] for c in data.children(unit_id)], data.respondents.get(unit_id, 0),
                      data.headcount.get(unit_id), data.response_rate(unit_id), unit_id in data.hidden,
                      data.min_group, data.target * 100, items, dimensions, list(ranked.lowest), before_round, breakdowns,
                      [by_code[code] for code in ranked.lowest], ranked.all_meet)


def load_round_with_questionnaire(round_id: int) -> Round | None:
    """The round with its questionnaire loaded, or None."""
    return db.session.scalar(select(Round).options(joinedload(Round.questionnaire)).where(Round.id == round_id))
