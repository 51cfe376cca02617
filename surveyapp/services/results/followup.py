"""Following a round while it is open (responses per day, response rate per afsnit) and the free-text
answers, which only the afsnit's coordinators (and admins) may read once the round has closed.

Anonymity (docs/anonymity.md): the per-day series is shown only for a group of at least the round's
threshold; free texts appear only after the round closes; staff comments only for an afsnit at or above the
threshold, and never with a day or language; patients' texts of an afsnit under the threshold lose theirs.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from ...extensions import db
from ...models import Answer, Item, Response, Round, User
from ...scoring import rate_looks_wrong
from ...timeutil import utcnow
from ..scopes import can_see
from .counts import UnitInfo, units_of_round


@dataclass(frozen=True)
class DayCount:
    day: date
    responses: int


@dataclass(frozen=True)
class RateRow:
    unit: UnitInfo
    parent_name: str
    respondents: int
    headcount: int | None
    #: Percent 0-100; None without a headcount.
    response_rate: float | None

    @property
    def rate_looks_wrong(self) -> bool:
        """More responses than staff: flagged with its likely cause beside the rate."""
        return rate_looks_wrong(self.response_rate)


@dataclass(frozen=True)
class FollowUp:
    days: list[DayCount]
    #: The visible afsnit, lowest response rate (patients: fewest responses) first: where reminding helps most.
    afsnit: list[RateRow]
    respondents: int
    headcount: int | None
    response_rate: float | None
    #: True when the series per day is left out: the group followed is under the threshold.
    days_hidden: bool = False

    @property
    def rate_looks_wrong(self) -> bool:
        """More responses than staff: flagged with its likely cause beside the rate."""
        return rate_looks_wrong(self.response_rate)


def follow_up(round_: Round, visible_unit_ids: set[int] | None) -> FollowUp:
    """Responses per day from the opening until today and each visible afsnit's response rate."""
    per_unit = select(Response.unit_id, func.count()).where(Response.round_id == round_.id)
    per_day = select(Response.submitted_on, func.count()).where(Response.round_id == round_.id)
    if visible_unit_ids is not None:
        per_unit = per_unit.where(Response.unit_id.in_(visible_unit_ids))
        per_day = per_day.where(Response.unit_id.in_(visible_unit_ids))
    respondents = dict(db.session.execute(per_unit.group_by(Response.unit_id)).all())
    by_day = dict(db.session.execute(per_day.group_by(Response.submitted_on)).all())
    units, leaves = units_of_round(round_.id, respondents)
    leaves = [u for u in leaves if visible_unit_ids is None or u in visible_unit_ids]
    staff = round_.questionnaire.audience == "staff"  # headcount is the staff number, no patient count
    rows = []
    for leaf in leaves:
        unit, n = units[leaf], respondents.get(leaf, 0)
        parent = units.get(unit.parent_id) if unit.parent_id else None
        headcount = unit.headcount if staff else None
        rows.append(RateRow(unit, parent.name if parent else "", n, headcount,
                            n / headcount * 100 if headcount else None))
    rows.sort(key=lambda r: (r.response_rate is None, r.response_rate or 0, r.respondents, r.unit.name))
    total = sum(r.respondents for r in rows)
    known = [r.headcount for r in rows]
    headcount = sum(known) if rows and all(h is not None for h in known) else None
    # A day series of a small group tells on which day each of its few respondents answered.
    days_hidden = sum(by_day.values()) < round_.min_group
    return FollowUp([] if days_hidden else _days(round_, by_day), rows, total, headcount,
                    total / headcount * 100 if headcount else None, days_hidden)


def _days(round_: Round, by_day: dict[date, int]) -> list[DayCount]:
    first = round_.opens_at.date()
    last = min(utcnow(), round_.closes_at).date()
    last = max([last, *by_day]) if by_day else last
    count = max(0, (last - first).days) + 1
    return [DayCount(first + timedelta(days=i), by_day.get(first + timedelta(days=i), 0)) for i in range(count)]


@dataclass(frozen=True)
class FreeText:
    #: None where the day or language could point at a respondent (staff comments, small afsnit).
    day: date | None
    language: str | None
    question: str
    text: str


@dataclass(frozen=True)
class FreeTexts:
    """What the free-text page shows: the texts, or why there are none."""

    #: False while the round is open: nothing is released before it closes.
    released: bool
    #: False for staff comments of an afsnit under the threshold: they are not shown at all.
    shown: bool
    texts: list[FreeText]


def may_read_free_text(user: User, unit_id: int) -> bool:
    """Free texts are for the afsnit's coordinators and admins; viewers see numbers only."""
    return user.is_admin or (user.role == "coordinator" and can_see(user, unit_id))


def free_texts(round_: Round, unit_id: int, lang: str) -> FreeTexts:
    """The afsnit's free-text answers once the round has closed, within the anonymity rules above.

    Patients' texts of an afsnit at or above the threshold come newest first with day and language; every
    other text comes shuffled, without either, so neither order nor date ties a text to a response.
    """
    if round_.status() != "closed":
        return FreeTexts(False, False, [])
    respondents = db.session.scalar(select(func.count()).select_from(Response)
                                    .where(Response.round_id == round_.id, Response.unit_id == unit_id))
    small = respondents < round_.min_group
    staff = round_.questionnaire.audience == "staff"
    if staff and small:
        return FreeTexts(True, False, [])
    rows = db.session.execute(
        select(Response.submitted_on, Response.language, Item.text, Answer.text)
        .join(Response, Response.id == Answer.response_id).join(Item, Item.id == Answer.item_id)
        .where(Response.round_id == round_.id, Response.unit_id == unit_id, Item.kind == "text",
               Answer.text.is_not(None))
        .order_by(Response.submitted_on.desc(), Response.id.desc()))
    detailed = not (staff or small)
    texts = [FreeText(day if detailed else None, language if detailed else None,
                      question.get(lang) or question.get("da", ""), text)
             for day, language, question, text in rows]
    if not detailed:
        random.SystemRandom().shuffle(texts)
    return FreeTexts(True, True, texts)
