"""Grouped results of a closed round beyond its counts, made once and shared by every worker and instance.

The breakdowns of a unit page (SAQ scale sums, background groups) are grouped self-joins of the answer table:
at a million responses they take seconds. A closed round's answers are final, so `stored_rows` makes such a
result once for the whole round (per afsnit, so any unit sums its afsnit) and keeps it in `round_summary`,
under the round's fingerprint like the counts (`counts.shared_counts`): if the answers changed since (a
response deleted), it is made again. Over the whole round such a query takes as long as the unit pages of
all its afsnit together, too long for a viewer's request: it is made when the round is precomputed, and
until then a unit page counts its own afsnit as before.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import DBAPIError

from ...extensions import db
from ...models import RoundSummary
from .counts import fingerprint_digest

logger = logging.getLogger(__name__)


def _number(value):
    if isinstance(value, Decimal):  # PostgreSQL's SUM of integers
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not a number: {value!r}")


def stored_rows(round_id: int, fingerprint: tuple, name: str,
                make: Callable[[], Iterable] | None = None) -> list[tuple] | None:
    """The rows stored under `name` for the round's current answers; else, with `make` (a grouped query over
    the whole closed round), made now and stored, and without it None.

    The rows are made when the round is precomputed (`precompute.precompute`: at close, or by the
    `precompute-results` command), in a transaction of their own; a stored result of another fingerprint is
    replaced. Rows are tuples of numbers and None."""
    digest = fingerprint_digest(fingerprint)
    stored = db.session.execute(select(RoundSummary.fingerprint, RoundSummary.data)
                                .where(RoundSummary.round_id == round_id, RoundSummary.name == name)).first()
    if stored is not None and stored.fingerprint == digest:
        return [tuple(row) for row in json.loads(stored.data)]
    if make is None:
        return None
    data = json.dumps([list(row) for row in make()], default=_number, separators=(",", ":"))
    try:
        with db.engine.begin() as connection:
            connection.execute(delete(RoundSummary).where(RoundSummary.round_id == round_id,
                                                          RoundSummary.name == name))
            connection.execute(insert(RoundSummary).values(round_id=round_id, name=name, fingerprint=digest,
                                                           data=data))
    except DBAPIError as error:  # stored by another worker just now, or the database is busy: use ours
        logger.info("summary %s of round %s not stored (%s)", name, round_id, type(error).__name__)
    return [tuple(row) for row in json.loads(data)]  # as a later read gets them (Decimal made a number)
