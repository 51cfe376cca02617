"""Anonymous responses: open a collection link, store a response exactly once, single-use answer codes.

Nothing here stores or logs who answered: no IP address, user agent, time of day or cookie id, and never an
answer or a free text. The submission date is the day in Copenhagen.
"""
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from ...extensions import db
from ...models import Answer, AnswerScale, CollectionLink, Item, Questionnaire, Response, Round, Unit, round_units
from ...timeutil import utcnow
from .links import add_link
from .materials import require_printable

logger = logging.getLogger(__name__)
LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")
#: The form's one-time key: secrets.token_urlsafe(24) gives 32 characters; accept what a client may echo back.
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_CODES = 1000


class LinkUnavailable(Exception):
    """A collection link that cannot take answers now; `reason` says why and picks the page and status."""

    #: reason -> HTTP status of the page the respondent sees.
    STATUS = {"invalid": 400, "unknown": 404, "planned": 403, "closed": 410, "inactive": 410, "used": 410,
              "codes_only": 403}

    def __init__(self, reason: str, link: CollectionLink | None = None):
        super().__init__(reason)
        self.reason = reason
        self.link = link

    @property
    def status(self) -> int:
        return self.STATUS[self.reason]


class InvalidAnswers(ValueError):
    """Answers that no honest form can send: an unknown item, an option not on the scale, a missing key."""


@dataclass(frozen=True)
class Submission:
    """The stored response's id and whether this request stored it (False: a resubmission found it)."""

    response_id: int
    created: bool


@dataclass(frozen=True)
class RespondentPage:
    """What the top of a respondent page shows."""

    title: str
    intro: str
    unit_name: str
    hospital_name: str | None
    audience: str


@dataclass(frozen=True, eq=False)
class RespondentRound:
    """What the respondent pages read of a link's round; `questionnaire` is the worker's frozen copy."""

    id: int
    opens_at: datetime
    closes_at: datetime
    min_group: int
    codes_only: bool
    questionnaire: Questionnaire

    status = Round.status  # the model's own rule: planned, open or closed by the dates


@dataclass(frozen=True, eq=False)
class RespondentLink:
    """A collection link as the respondent pages need it, read in one query (`find_link`): no ORM object,
    nothing that a commit expires or a later request could see changed under it."""

    id: int
    slug: str
    kind: str
    used: bool
    round_id: int
    unit_id: int
    unit_name: str
    unit_active: bool
    #: The afsnit's sygehus (the top of its tree), None when the link's unit is itself the top.
    hospital_name: str | None
    #: Whether the afsnit is still one of its round's.
    takes_part: bool
    round: RespondentRound


def new_idempotency_key() -> str:
    """A fresh one-time key for a respondent form, from `secrets`."""
    return secrets.token_urlsafe(24)


def today_local(now: datetime | None = None) -> date:
    """Today in Copenhagen: the submission date, day precision only."""
    now = now or utcnow()
    return now.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL_ZONE).date()


def frozen_questionnaire(questionnaire_id: int) -> Questionnaire:
    """The questionnaire with its items, scales and options, loaded once per worker process and kept detached.

    A version that a round uses is frozen (editing makes a new version), and only rounds have links, so what a
    link shows never changes under it: the respondent pages need not load 60-odd rows per request. The copy
    lives in no session, so no commit expires it; responses refer to its items by id only.
    """
    cache = current_app.extensions.setdefault("surveyapp.frozen_questionnaires", {})
    questionnaire = cache.get(questionnaire_id)
    if questionnaire is None:
        # On the request's own connection: a second pooled connection per request starved the pool under a
        # burst on cold workers (every thread holding one and waiting for another).
        with Session(bind=db.session.connection(), expire_on_commit=False) as session:
            questionnaire = session.scalar(
                select(Questionnaire).where(Questionnaire.id == questionnaire_id).options(
                    selectinload(Questionnaire.scales).selectinload(AnswerScale.options),
                    selectinload(Questionnaire.items).joinedload(Item.scale).selectinload(AnswerScale.options)))
        cache[questionnaire_id] = questionnaire
    return questionnaire


def _link_query():
    """The link, its round, its afsnit with two levels of parents, and whether the afsnit takes part: one
    SELECT (built once; the slug is a bound parameter)."""
    link, round_, unit = CollectionLink.__table__, Round.__table__, Unit.__table__
    parent, grandparent = unit.alias("parent"), unit.alias("grandparent")
    takes_part = exists().where(round_units.c.round_id == link.c.round_id, round_units.c.unit_id == link.c.unit_id)
    return (select(link.c.id, link.c.slug, link.c.kind, link.c.used, link.c.round_id, link.c.unit_id,
                   unit.c.name, unit.c.active, parent.c.name, grandparent.c.name, grandparent.c.parent_id,
                   takes_part.label("takes_part"), round_.c.opens_at, round_.c.closes_at, round_.c.min_group,
                   round_.c.codes_only, round_.c.questionnaire_id)
            .select_from(link.join(round_, round_.c.id == link.c.round_id).join(unit, unit.c.id == link.c.unit_id)
                         .outerjoin(parent, parent.c.id == unit.c.parent_id)
                         .outerjoin(grandparent, grandparent.c.id == parent.c.parent_id))
            .where(link.c.slug == bindparam("slug")))


_LINK_QUERY = None


def _hospital_name(unit_id: int, parent_name, grandparent_name, grandparent_has_parent: bool) -> str | None:
    if parent_name is None:
        return None  # the unit is the top of its tree
    if grandparent_name is None:
        return parent_name
    if not grandparent_has_parent:
        return grandparent_name
    hospital = db.session.get(Unit, unit_id)  # deeper than the three levels the data allows: walk up
    while hospital.parent is not None:
        hospital = hospital.parent
    return hospital.name


def find_link(slug: str, with_items: bool = True) -> RespondentLink | None:
    """The link with its round, afsnit names and whether the afsnit takes part, in one Core query, and the
    round's questionnaire with its items, scales and options from the worker's copy (`frozen_questionnaire`).
    Read per request, never cached: a round can close or be edited, a code be used. `with_items` is kept for
    the callers' intent; the copy always holds the items."""
    global _LINK_QUERY
    if not slug or len(slug) > 32:
        return None
    if _LINK_QUERY is None:
        _LINK_QUERY = _link_query()
    row = db.session.connection().execute(_LINK_QUERY, {"slug": slug}).first()
    if row is None:
        return None
    (link_id, slug, kind, used, round_id, unit_id, unit_name, active, parent_name, grandparent_name,
     grandparent_parent, takes_part, opens_at, closes_at, min_group, codes_only, questionnaire_id) = row
    round_ = RespondentRound(id=round_id, opens_at=opens_at, closes_at=closes_at, min_group=min_group,
                             codes_only=bool(codes_only), questionnaire=frozen_questionnaire(questionnaire_id))
    return RespondentLink(id=link_id, slug=slug, kind=kind, used=bool(used), round_id=round_id, unit_id=unit_id,
                          unit_name=unit_name, unit_active=bool(active),
                          hospital_name=_hospital_name(unit_id, parent_name, grandparent_name,
                                                       grandparent_parent is not None),
                          takes_part=bool(takes_part), round=round_)


def check_open(link: RespondentLink | None, now: datetime | None = None) -> RespondentLink:
    """The link if it takes answers now; else raise LinkUnavailable with the reason."""
    if link is None:
        raise LinkUnavailable("unknown")
    status = link.round.status(now)
    if status != "open":
        raise LinkUnavailable(status, link)
    if not link.unit_active or not link.takes_part:
        raise LinkUnavailable("inactive", link)
    if link.kind == "code" and link.used:
        raise LinkUnavailable("used", link)
    if link.round.codes_only and link.kind != "code":
        raise LinkUnavailable("codes_only", link)
    return link



def respondent_page(link: RespondentLink, lang: str) -> RespondentPage:
    """The title, introduction, afsnit and hospital names for the top of the page, in `lang`."""
    questionnaire = link.round.questionnaire
    intro = (questionnaire.intro or {}).get(lang) or (questionnaire.intro or {}).get("da") or ""
    return RespondentPage(
        title=questionnaire.text(lang), intro=intro, unit_name=link.unit_name, hospital_name=link.hospital_name,
        audience=questionnaire.audience,
    )


def _answer(item: Item, value) -> dict:
    if item.kind == "text":
        if not isinstance(value, str) or (item.max_length and len(value) > item.max_length):
            raise InvalidAnswers(f"item {item.code}: not a valid text")
        return {"item_id": item.id, "value": None, "not_applicable": False, "text": value}
    options = {option.value: option for option in item.scale.options}
    if isinstance(value, bool) or value not in options:
        raise InvalidAnswers(f"item {item.code}: not an option of its scale")
    if options[value].not_applicable:
        return {"item_id": item.id, "value": None, "not_applicable": True, "text": None}
    return {"item_id": item.id, "value": value, "not_applicable": False, "text": None}


def build_answers(questionnaire: Questionnaire, answers: dict) -> list[dict]:
    """Answer rows (column values, no response id yet) for {item code: option value or text}; raise
    InvalidAnswers for what a form cannot send."""
    items = {item.code: item for item in questionnaire.items}
    unknown = set(answers) - set(items)
    if unknown:
        raise InvalidAnswers(f"unknown items: {', '.join(sorted(unknown))}")
    missing = [item.code for item in questionnaire.items if item.required and answers.get(item.code) in (None, "")]
    if missing:
        raise InvalidAnswers(f"required items missing: {', '.join(missing)}")
    return [_answer(items[code], value) for code, value in answers.items() if value not in (None, "")]


def stored_key(idempotency_key: str) -> str:
    """What the response stores for the form's key: an HMAC under the app's secret, 64 hex characters.

    The respondent's session holds the form key itself; the database never does, so a copy of the session
    cookie cannot be matched against the stored responses without the server's secret (docs/anonymity.md).
    """
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, b"idempotency:" + idempotency_key.encode(), hashlib.sha256).hexdigest()


def find_by_key(idempotency_key: str):
    """The response a form with this key stored, if any: a row of its id, round_id and unit_id. Also one stored by
    a release before 2026.12.0, which kept the key itself (migration e1a7c0de2b11 hashes those it finds)."""
    table = Response.__table__
    query = select(table.c.id, table.c.round_id, table.c.unit_id).where(
        table.c.idempotency_key.in_((stored_key(idempotency_key), idempotency_key))).limit(1)
    return db.session.connection().execute(query).first()


def already_stored(link: RespondentLink | None, idempotency_key: str | None) -> bool:
    """True if a form with this key already stored its response in this link's round and afsnit (a
    resubmission); responses record the round and afsnit, never which card answered."""
    if link is None or not IDEMPOTENCY_KEY.match(idempotency_key or ""):
        return False
    stored = find_by_key(idempotency_key)
    return stored is not None and (stored.round_id, stored.unit_id) == (link.round_id, link.unit_id)


def _claim_code(link: RespondentLink) -> bool:
    """Mark a single-use code used; False if another response has used it. Serialises a double tap."""
    result = db.session.execute(
        update(CollectionLink).where(CollectionLink.id == link.id, CollectionLink.used.is_(False))
        .values(used=True).execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def submit_response(link: RespondentLink, answers: dict, idempotency_key: str, language: str,
                    today: date | None = None, looked_up: bool = False) -> Submission:
    """Store a response and its answers once per idempotency key (one INSERT each, Core); the caller commits.

    A resubmission with the same key (a double tap, a retry after a timeout, the back button) returns the
    stored response. If two requests with one key race, the database's unique key stops the second; its
    transaction is rolled back (it holds nothing else) and the first one's response is returned. A used
    single-use code raises LinkUnavailable("used"); answers no form can send raise InvalidAnswers.
    `looked_up`: the caller found no response with this key in this transaction just now (`already_stored`),
    so it is not looked up again; one stored since is caught by the unique key as in a race.
    """
    if not IDEMPOTENCY_KEY.match(idempotency_key or ""):
        raise InvalidAnswers("missing or malformed idempotency key")
    stored = None if looked_up else find_by_key(idempotency_key)
    if stored is not None:
        return Submission(stored.id, created=False)
    rows = build_answers(link.round.questionnaire, answers)
    if link.kind == "code" and not _claim_code(link):
        stored = find_by_key(idempotency_key)  # the same form's first submission may have used it
        if stored is not None:
            return Submission(stored.id, created=False)
        raise LinkUnavailable("used", link)
    # A single-use code is marked used on the code; the response does not record which card answered.
    connection = db.session.connection()
    try:
        response_id = connection.execute(insert(Response.__table__), {
            "round_id": link.round_id, "unit_id": link.unit_id, "link_id": None if link.kind == "code" else link.id,
            "submitted_on": today or today_local(), "language": language,
            "idempotency_key": stored_key(idempotency_key)}).inserted_primary_key[0]
    except IntegrityError:
        db.session.rollback()
        stored = find_by_key(idempotency_key)
        if stored is None:
            raise
        return Submission(stored.id, created=False)
    if rows:
        connection.execute(insert(Answer.__table__), [{**row, "response_id": response_id} for row in rows])
    # Deliberately not logged: a log line's timestamp next to the afsnit would record a response's time of day.
    return Submission(response_id, created=True)


def create_codes(round_: Round, unit: Unit, count: int) -> list[CollectionLink]:
    """`count` new single-use answer codes for an afsnit of a round, not tied to any person; raise
    materials.RoundClosed for a closed round, ValueError for a bad count or an afsnit outside the round."""
    if not 1 <= count <= MAX_CODES:
        raise ValueError(f"the number of codes must be between 1 and {MAX_CODES}")
    if unit not in round_.units:
        raise ValueError(f"{unit.code} does not take part in round {round_.id}")
    require_printable(round_)  # a closed round's codes would answer 410
    codes = [add_link(round_, unit, "code") for _ in range(count)]
    db.session.flush()
    logger.info("%d answer codes created for round %s, unit %s", count, round_.id, unit.code)
    return codes
