"""Count a closed round and make its unit-page breakdowns once, when it closes, for every worker and instance.

Results are released only when a round has closed, and a closed round takes no answers: its counts
(`counts.shared_counts`) and breakdowns (`summaries.stored_rows`) are made from the final data once.
`precompute` does it for one round: from the admin's close action (for rounds up to IN_REQUEST_UP_TO
responses, to keep that request short) and from `flask precompute-results` (every closed round; run it from
cron or a systemd timer for rounds that close by date, see docs/deploy.md).
"""
from __future__ import annotations

import logging
import time

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from ...extensions import db
from ...models import Response, Round
from ...timeutil import utcnow
from . import counts
from .breakdowns import store_breakdowns

logger = logging.getLogger(__name__)
#: The admin's close request precomputes rounds up to this many responses (about a second on the build
#: machine, docs/benchmarks.md); larger ones are left to `flask precompute-results`.
IN_REQUEST_UP_TO = 100_000


def precompute(round_: Round) -> bool:
    """Store the closed round's counts and breakdowns now; False (nothing stored) for an open round or one
    below counts.SHARED_FROM responses, whose results are counted per view in milliseconds."""
    if round_.status() != "closed":
        return False
    started = time.perf_counter()
    items = counts.questionnaire_items(round_.questionnaire_id)
    data = counts.load_round(round_, None, items)
    if not data.shared:
        return False
    store_breakdowns(round_, data, items)
    logger.info("results of round %s precomputed in %.1f s", round_.id, time.perf_counter() - started)
    return True


def responses_of(round_: Round) -> int:
    """How many responses the round holds."""
    return db.session.scalar(select(func.count()).select_from(Response).where(Response.round_id == round_.id))


def precompute_after_close(round_: Round) -> bool:
    """Precompute a round the admin has just closed (after the close is committed), unless it is so large
    that the request would take long: then `flask precompute-results` or the first viewers do it."""
    if responses_of(round_) > IN_REQUEST_UP_TO:
        logger.info("round %s is large: its results are precomputed by `flask precompute-results`", round_.id)
        return False
    try:
        return precompute(round_)
    except DBAPIError:  # the close is committed already: the timer or the first viewers count it instead
        db.session.rollback()
        logger.exception("results of round %s not precomputed at close", round_.id)
        return False


def closed_rounds(now=None) -> list[Round]:
    """Every round that has closed, oldest first."""
    return list(db.session.scalars(select(Round).where(Round.closes_at <= (now or utcnow())).order_by(Round.id)))
