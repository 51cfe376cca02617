"""Anonymised raw responses (admins and tokens with the raw-data permission only), k-anonymous.

Raw data is served only once the round has closed, and then it is k-anonymous with k = the round's
threshold (docs/anonymity.md): every combination of unit, language and background answers it shows covers
at least k respondents.

- A response is reported under its afsnit when the results show that afsnit, else under the nearest unit
  above it that is shown; a unit whose reported rows would still be fewer than k passes them on to its
  parent, and rows that reach the top under k are left out.
- Within each reported unit, language and then each background item (kind "choice") are blanked where
  their group is under k; the blanked rows are a group too, so more values are blanked until it holds at
  least k (or the whole column of that unit is blank).
- No per-response date (the round says when), rows in a pseudonymous order and ids that are an HMAC of the
  response, not its database id, so neither order nor id tells who answered first.
- Staff comments never travel in raw data; patients' free texts only when asked for.
- A scope (a coordinator's token) sees the rows reported under its units, so a narrow scope never singles
  out a small afsnit; the generalisation is decided on the whole round, the same for everyone.
"""
from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import Answer, Item, Response, Round
from ..spreadsheets import Column
from .counts import RoundData, load_round

#: Responses whose answers are fetched in one query while streaming.
BATCH = 1000


class NotReleased(Exception):
    """The round is not closed: no raw data is served before its results are released."""


@dataclass(frozen=True)
class RawResponse:
    """One anonymised response: answers map item code -> value, None for not applicable, or a free text."""

    #: A pseudonym of the response (HMAC), stable for the round, unrelated to submission order.
    response_id: int
    round_id: int
    unit_code: str
    #: None where blanked for k-anonymity.
    language: str | None
    answers: dict[str, int | str | None]
    #: Item codes answered "ved ikke / ikke relevant" (None in `answers`, like an item left unanswered).
    not_applicable: frozenset[str] = frozenset()


def raw_items(round_: Round, with_text: bool) -> list[Item]:
    """The items that get a column: scale and background items; patients' free texts only when asked for."""
    text_allowed = with_text and round_.questionnaire.audience != "staff"
    return [item for item in round_.questionnaire.items if text_allowed or item.kind != "text"]


def pseudonym(round_id: int, response_id: int) -> int:
    """A stable 48-bit pseudonym of a response, keyed with the app's secret: nobody can order or invert it."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, f"raw:{round_id}:{response_id}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:6], "big")


def reported_units(data: RoundData) -> dict[int, int]:
    """Afsnit id -> the unit id its responses are reported under: itself or the nearest shown ancestor,
    moved further up while the rows reported under a unit are fewer than k; missing if none holds k."""
    k = data.min_group
    label: dict[int, int | None] = {}
    for unit_id, unit in data.units.items():
        if unit.level != "afsnit":
            continue
        node = unit
        while node is not None and node.id in data.hidden:
            node = data.units.get(node.parent_id) if node.parent_id is not None else None
        label[unit_id] = node.id if node is not None else None
    changed = True
    while changed:
        changed = False
        rows: dict[int, int] = defaultdict(int)
        for leaf, target in label.items():
            if target is not None:
                rows[target] += data.respondents.get(leaf, 0)
        for leaf, target in label.items():
            if target is not None and 0 < rows[target] < k:
                label[leaf] = data.units[target].parent_id if data.units[target].parent_id in data.units else None
                changed = True
    return {leaf: target for leaf, target in label.items() if target is not None}


def blank_small_groups(values: list, k: int) -> list[bool]:
    """Which of `values` (one column of rows that form a group of at least k) to blank so every value shown
    and the blanked rows together each hold at least k rows (or none)."""
    counts: dict = defaultdict(int)
    for value in values:
        counts[value] += 1
    blanked = {v for v, n in counts.items() if n < k}
    kept = sorted((n, repr(v), v) for v, n in counts.items() if v not in blanked)
    while 0 < sum(counts[v] for v in blanked) < k and kept:
        blanked.add(kept.pop(0)[2])
    return [value in blanked for value in values]


@dataclass
class _Row:
    real_id: int
    pseudo: int
    unit_id: int
    language: str | None
    background: dict[str, int | None]


def _anonymised_rows(round_: Round, data: RoundData) -> list[_Row]:
    """Every reported response of the round with its unit generalised and small groups blanked, by pseudonym."""
    reported = reported_units(data)
    background = {item.id: item.code for item in round_.questionnaire.items if item.kind == "choice"}
    rows = {rid: _Row(rid, pseudonym(round_.id, rid), reported[unit_id], language, dict.fromkeys(background.values()))
            for rid, unit_id, language in db.session.execute(
                select(Response.id, Response.unit_id, Response.language).where(Response.round_id == round_.id))
            if unit_id in reported}
    if background:
        for rid, item_id, value in db.session.execute(
                select(Answer.response_id, Answer.item_id, Answer.value)
                .join(Response, Response.id == Answer.response_id)
                .where(Response.round_id == round_.id, Answer.item_id.in_(list(background)))):
            if rid in rows:
                rows[rid].background[background[item_id]] = value
    by_unit: dict[int, list[_Row]] = defaultdict(list)
    for row in rows.values():
        by_unit[row.unit_id].append(row)
    for group in by_unit.values():
        _refine(group, ["language", *background.values()], data.min_group)
    return sorted(rows.values(), key=lambda r: r.pseudo)


def _refine(group: list[_Row], columns: list[str], k: int) -> None:
    """Blank column by column within blocks of equal shown values, so every block stays at least k."""
    blocks = [group]
    for column in columns:
        refined = []
        for block in blocks:
            get = (lambda r: r.language) if column == "language" else (lambda r, c=column: r.background[c])
            blank = blank_small_groups([get(r) for r in block], k)
            parts: dict = defaultdict(list)
            for row, is_blank in zip(block, blank):
                if is_blank:
                    if column == "language":
                        row.language = None
                    else:
                        row.background[column] = None
                parts[("blank",) if is_blank else ("value", get(row))].append(row)
            refined += parts.values()
        blocks = refined


def iter_raw_responses(round_: Round, visible: set[int] | None, with_text: bool = False,
                       after: int | None = None, limit: int | None = None,
                       data: RoundData | None = None) -> Iterator[RawResponse]:
    """Responses in pseudonym order (after `after`, at most `limit`); raises NotReleased for an open round
    at once (not on the first row), so a view can answer with an error before it streams."""
    if round_.status() != "closed":
        raise NotReleased(round_.id)
    return _iter_raw(round_, visible, with_text, after, limit, data or load_round(round_))


def _iter_raw(round_: Round, visible: set[int] | None, with_text: bool, after: int | None, limit: int | None,
              data: RoundData) -> Iterator[RawResponse]:
    codes = {u: info.code for u, info in data.units.items()}
    rows = [r for r in _anonymised_rows(round_, data)
            if (visible is None or r.unit_id in visible) and (after is None or r.pseudo > after)]
    if limit is not None:
        rows = rows[:limit]
    items = {item.id: item for item in raw_items(round_, with_text) if item.kind != "choice"}
    for start in range(0, len(rows), BATCH):
        batch = rows[start:start + BATCH]
        answers: dict[int, dict[str, int | str | None]] = defaultdict(dict)
        not_applicable: dict[int, set[str]] = defaultdict(set)
        for rid, item_id, value, text, na in db.session.execute(
                select(Answer.response_id, Answer.item_id, Answer.value, Answer.text, Answer.not_applicable)
                .where(Answer.response_id.in_([r.real_id for r in batch]), Answer.item_id.in_(list(items) or [-1]))):
            answers[rid][items[item_id].code] = text if text is not None else value
            if na:
                not_applicable[rid].add(items[item_id].code)
        for row in batch:
            values = {**answers[row.real_id], **{c: v for c, v in row.background.items() if v is not None}}
            yield RawResponse(row.pseudo, round_.id, codes[row.unit_id], row.language, values,
                              frozenset(not_applicable[row.real_id]))


def raw_columns(round_: Round, with_text: bool) -> list[Column]:
    """One column per response fact, then one per item (its code as header, in questionnaire order)."""
    columns = [Column("response_id", "response_id", kind="int"), Column("round_id", "round_id", kind="int"),
               Column("unit_code", "unit_code"), Column("language", "language", width=8)]
    for item in raw_items(round_, with_text):
        # "Ved ikke" is written as the scale's own not-applicable value (9), an unanswered item stays empty.
        na = item.scale.not_applicable_value if item.scale is not None else None
        columns.append(Column(item.code, item.code, kind="text" if item.kind == "text" else "int",
                              get=lambda r, code=item.code, na=na: na if code in r.not_applicable else r.answers.get(code),
                              width=40 if item.kind == "text" else 8))
    return columns
