"""Helpers for result tests: add responses with chosen answers, and count SQL statements."""
import contextlib
import uuid
from datetime import date

from sqlalchemy import event

from surveyapp.extensions import db
from surveyapp.models import Answer, Response, Round, Unit


def add_responses(round_: Round, unit: Unit, answers: list[dict], on: date | None = None,
                  language: str = "da") -> list[Response]:
    """One response per dict of item code -> value (None = not applicable, str = free text). Flushes."""
    items = {item.code: item for item in round_.questionnaire.items}
    responses = []
    for given in answers:
        response = Response(round_id=round_.id, unit_id=unit.id, submitted_on=on or round_.opens_at.date(),
                            language=language, idempotency_key=uuid.uuid4().hex)
        for code, value in given.items():
            if isinstance(value, str):
                response.answers.append(Answer(item_id=items[code].id, text=value))
            elif value is None:
                response.answers.append(Answer(item_id=items[code].id, not_applicable=True))
            else:
                response.answers.append(Answer(item_id=items[code].id, value=value))
        responses.append(response)
    db.session.add_all(responses)
    db.session.flush()
    return responses


def tryg(*values) -> list[dict]:
    """Responses answering only the key item tryg_som_patient."""
    return [{"tryg_som_patient": v} for v in values]


@contextlib.contextmanager
def count_queries():
    """Count the SQL statements run inside the block: `with count_queries() as counter: ...; counter[0]`."""
    counter = [0]

    def before(*_args, **_kwargs):
        counter[0] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def close_round(round_: Round) -> Round:
    """Close the round now (results are released only once a round has closed); flushes."""
    from datetime import timedelta

    from surveyapp.timeutil import utcnow

    round_.closes_at = max(utcnow() - timedelta(seconds=1), round_.opens_at + timedelta(seconds=1))
    db.session.flush()
    return round_


def closed(days: int = 30) -> dict:
    """make_round(**closed(), ...): a round that opened `days` ago and has just closed, so its results are out."""
    from datetime import datetime, timedelta

    from surveyapp.timeutil import utcnow

    now: datetime = utcnow()
    return {"opens": now - timedelta(days=days), "closes": now - timedelta(seconds=1)}
