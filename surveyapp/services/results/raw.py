"""Anonymised raw responses (admins and tokens with the raw-data permission only), streamed from the database.

A response carries its round, its afsnit's code, its day, its language and its answers; nothing else is
stored. Suppression holds here too: a response from an afsnit the dashboard hides (a small group or its
cover) is reported under the nearest unit above it that is shown, and left out when none is, so the raw
file cannot reveal a group the aggregated results hide. Free texts only when asked for.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select

from ...extensions import db
from ...models import Answer, Item, Response, Round
from ..spreadsheets import Column
from .counts import RoundData, load_round

#: Rows fetched from the database at a time while streaming.
YIELD_PER = 2000


@dataclass(frozen=True)
class RawResponse:
    """One anonymised response: answers map item code -> value, None for not applicable, or a free text."""

    response_id: int
    round_id: int
    unit_code: str
    date: date
    language: str
    answers: dict[str, int | str | None]
    #: Item codes answered "ved ikke / ikke relevant" (None in `answers`, like an item left unanswered).
    not_applicable: frozenset[str] = frozenset()


def raw_items(round_: Round, with_text: bool) -> list[Item]:
    """The items that get a column: scale and background items, free-text items only when asked for."""
    return [item for item in round_.questionnaire.items if with_text or item.kind != "text"]


def reported_units(data: RoundData) -> dict[int, str]:
    """Afsnit id -> the code its responses are reported under: its own, or the nearest shown ancestor's."""
    reported: dict[int, str] = {}
    for unit_id, unit in data.units.items():
        node = unit
        while node is not None and node.id in data.hidden:
            node = data.units.get(node.parent_id) if node.parent_id is not None else None
        if node is not None:
            reported[unit_id] = node.code
    return reported


def _filters(round_: Round, visible: set[int] | None, reported: dict[int, str], after: int | None) -> list:
    filters = [Response.round_id == round_.id, Response.unit_id.in_(list(reported))]
    if visible is not None:
        filters.append(Response.unit_id.in_(visible))
    if after is not None:
        filters.append(Response.id > after)
    return filters


def iter_raw_responses(round_: Round, visible: set[int] | None, with_text: bool = False,
                       after: int | None = None, limit: int | None = None,
                       data: RoundData | None = None) -> Iterator[RawResponse]:
    """Responses in id order (after `after`, at most `limit`), streamed in batches; scope and suppression applied."""
    items = {item.id: item for item in raw_items(round_, with_text)}
    reported = reported_units(data or load_round(round_))
    filters = _filters(round_, visible, reported, after)
    if limit is not None:
        ids = select(Response.id).where(*filters).order_by(Response.id).limit(limit).scalar_subquery()
        filters = [Response.id.in_(ids)]
    query = (select(Response.id, Response.unit_id, Response.submitted_on, Response.language,
                    Answer.item_id, Answer.value, Answer.text, Answer.not_applicable)
             .outerjoin(Answer, and_(Answer.response_id == Response.id, Answer.item_id.in_(list(items) or [-1])))
             .where(*filters).order_by(Response.id)
             .execution_options(yield_per=YIELD_PER))
    rows = db.session.execute(query)
    for (response_id, unit_id, day, language), answers in itertools.groupby(rows, key=lambda r: tuple(r[:4])):
        values: dict[str, int | str | None] = {}
        not_applicable = set()
        for *_, item_id, value, text, na in answers:
            if item_id is not None:
                values[items[item_id].code] = text if text is not None else value
                if na:
                    not_applicable.add(items[item_id].code)
        yield RawResponse(response_id, round_.id, reported[unit_id], day, language, values, frozenset(not_applicable))


def raw_columns(round_: Round, with_text: bool) -> list[Column]:
    """One column per response fact, then one per item (its code as header, in questionnaire order)."""
    columns = [Column("response_id", "response_id", kind="int"), Column("round_id", "round_id", kind="int"),
               Column("unit_code", "unit_code"), Column("date", "date", kind="date"),
               Column("language", "language", width=8)]
    for item in raw_items(round_, with_text):
        # "Ved ikke" is written as the scale's own not-applicable value (9), an unanswered item stays empty.
        na = item.scale.not_applicable_value if item.scale is not None else None
        columns.append(Column(item.code, item.code, kind="text" if item.kind == "text" else "int",
                              get=lambda r, code=item.code, na=na: na if code in r.not_applicable else r.answers.get(code),
                              width=40 if item.kind == "text" else 8))
    return columns
