"""Survey rounds for administrators and coordinators: create, clone, add units, close early, reopen.

A round's state is derived from its dates, so closing early moves `closes_at` to now and reopening moves
it to a new time; the change log keeps the times before and after.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import CollectionLink, Questionnaire, Response, Round, Unit, User
from ...timeutil import utcnow
from ..collection.links import add_link
from ..rounds import create_round
from ..scopes import child_map, descendants, visible_unit_ids
from . import changelog

ROUND_FIELDS = ("name", "questionnaire_id", "opens_at", "closes_at", "target", "min_group", "codes_only")


class RoundError(ValueError):
    """A round change is not possible; the message says why (translated)."""


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Copenhagen"))


def to_utc(local: datetime) -> datetime:
    """A naive Danish wall-clock time as the naive UTC the database holds."""
    return local.replace(tzinfo=_zone()).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def to_local(utc: datetime) -> datetime:
    """A stored naive UTC time as naive Danish wall-clock time, for a form."""
    return utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(_zone()).replace(tzinfo=None, second=0, microsecond=0)


def _state(round_: Round) -> dict:
    state = changelog.snapshot(round_, ROUND_FIELDS)
    state["units"] = sorted(u.code for u in round_.units)
    return state


@dataclass(frozen=True)
class UnitChoice:
    """A line of the unit picker: a sygehus or afdeling (pick all below) or an afsnit (tick)."""
    id: int
    code: str
    name: str
    level: str
    depth: int
    #: For a sygehus or afdeling: the ids of the active afsnit below it.
    afsnit_ids: tuple[int, ...]


def unit_choices(user: User) -> list[UnitChoice]:
    """The active units the user may put in a round, depth first."""
    visible = visible_unit_ids(user)
    units = [u for u in db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.code))
             if visible is None or u.id in visible]
    ids = {u.id for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    rows: list[UnitChoice] = []

    def afsnit_below(unit: Unit) -> tuple[int, ...]:
        if unit.level == "afsnit":
            return (unit.id,)
        return tuple(i for child in children.get(unit.id, []) for i in afsnit_below(child))

    def walk(unit: Unit, depth: int) -> None:
        rows.append(UnitChoice(unit.id, unit.code, unit.name, unit.level, depth,
                               afsnit_below(unit) if unit.level != "afsnit" else ()))
        for child in children.get(unit.id, []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    return rows


def afsnit_below(unit_ids: list[int]) -> list[int]:
    """The active afsnit under (and among) the given units: what "the whole sygehus" means."""
    ids = descendants(child_map(), list(unit_ids))
    return list(db.session.scalars(
        select(Unit.id).where(Unit.id.in_(ids), Unit.level == "afsnit", Unit.active).order_by(Unit.code)))


def questionnaire_choices() -> list[Questionnaire]:
    """The complete questionnaire versions a round can use, by code and newest version first."""
    from .questionnaire_editor import usable_ids

    usable = usable_ids()
    return [q for q in db.session.scalars(select(Questionnaire).order_by(Questionnaire.code, Questionnaire.version.desc()))
            if q.id in usable]


def manageable(user: User, round_: Round, visible: set[int] | None = None) -> bool:
    """Admins manage every round; a coordinator a round whose afsnit all lie within their scope."""
    if visible is None:
        visible = visible_unit_ids(user)
    return visible is None or (bool(round_.units) and all(u.id in visible for u in round_.units))


def rounds_for(user: User) -> list[tuple[Round, int, bool]]:
    """The rounds touching the user's units (the same the coordinator's round list shows), newest opening first,
    each with its response count and whether the user may manage it, in a few queries."""
    visible = visible_unit_ids(user)
    counts = dict(db.session.execute(select(Response.round_id, func.count()).group_by(Response.round_id)).all())
    rounds = db.session.scalars(select(Round).options(selectinload(Round.units), selectinload(Round.questionnaire))
                                .order_by(Round.opens_at.desc(), Round.id.desc()))
    return [(r, counts.get(r.id, 0), manageable(user, r, visible)) for r in rounds
            if visible is None or any(u.id in visible for u in r.units)]


def get_round(user: User, round_id: int) -> Round | None:
    """The round if it exists and the user may manage it."""
    round_ = db.session.get(Round, round_id)
    return round_ if round_ is not None and manageable(user, round_) else None


def _units_for(user: User, unit_ids: list[int]) -> list[Unit]:
    visible = visible_unit_ids(user)
    if visible is not None and not set(unit_ids) <= visible:
        raise RoundError(_("You may only choose units within your scope."))
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids), Unit.level == "afsnit", Unit.active)))
    if len(units) != len(set(unit_ids)):
        raise RoundError(_("Only active wards can take part in a round."))
    return units


def create(actor: User, questionnaire: Questionnaire, name: str, opens_at: datetime, closes_at: datetime,
           unit_ids: list[int], target: float, min_group: int, cloned_from: Round | None = None,
           link_kinds: tuple[str, ...] = ("open",), preset: str | None = None, codes_only: bool = False) -> Round:
    """A new round with a link of each of `link_kinds` per afsnit; times in UTC. Raises RoundError on units
    outside the scope. `preset` (e.g. "patient_day") is recorded in the change log."""
    from .questionnaire_editor import problems

    if closes_at <= opens_at:
        raise RoundError(_("The round must close after it opens."))
    if not questionnaire.items or problems(questionnaire):
        raise RoundError(_("This questionnaire version is not complete; finish it before a round uses it."))
    units = _units_for(actor, unit_ids)
    round_ = create_round(questionnaire, name.strip(), opens_at, closes_at, units, target, min_group,
                          link_kinds=link_kinds)
    round_.codes_only = codes_only
    db.session.flush()
    after = _state(round_)
    if cloned_from is not None:
        after["cloned_from"] = cloned_from.id
    if link_kinds != ("open",):
        after["link_kinds"] = list(link_kinds)
    if preset is not None:
        after["preset"] = preset
    changelog.record(actor, "round.create", round_, None, after)
    return round_


def clone_defaults(round_: Round) -> dict:
    """The form data for the repeat measurement: the same units, questionnaire, target and threshold, a year on."""
    year = timedelta(days=364)  # whole weeks: the repeat opens on the same weekday
    return {
        "name": _("%(name)s (repeat)", name=round_.name),
        "questionnaire_id": round_.questionnaire_id,
        "opens_at": to_local(round_.opens_at + year),
        "closes_at": to_local(round_.closes_at + year),
        "target": round(round_.target * 100),
        "min_group": round_.min_group,
        "codes_only": round_.codes_only,
        "units": [u.id for u in round_.units if u.active],
    }


def has_responses(round_: Round) -> bool:
    """Whether any answer has come in to the round."""
    return db.session.scalar(select(func.count()).select_from(Response).where(Response.round_id == round_.id)) > 0


def released(round_: Round) -> bool:
    """Whether the round's results are released: it has closed with answers. Its data is final from then on."""
    return round_.status() == "closed" and has_responses(round_)


def update(actor: User, round_: Round, name: str, opens_at: datetime, closes_at: datetime, target: float,
           min_group: int, codes_only: bool | None = None) -> None:
    """Change name, times (UTC), target, threshold and answer-codes-only, within the anonymity rules (docs/anonymity.md).

    Once answers have come in the opening time stays and the threshold can only be raised (respondents were
    promised at least the threshold they saw). Once the results are released (closed with answers) the
    closing time and the threshold are frozen: reopening would let new answers move the cover, and a second,
    different suppression of the same final data could be combined with the first.
    """
    if closes_at <= opens_at:
        raise RoundError(_("The round must close after it opens."))
    answered = has_responses(round_)
    if answered and opens_at != round_.opens_at:
        raise RoundError(_("Answers have come in: the opening time can no longer change."))
    if round_.source == "surveyxact" and closes_at > utcnow():
        raise RoundError(_("A baseline imported from SurveyXact stays closed: its answers came from there."))
    if answered and min_group < round_.min_group:
        raise RoundError(_("Answers have come in: the anonymity threshold can be raised but never lowered, "
                           "since respondents were promised at least %(n)d.", n=round_.min_group))
    if answered and round_.status() == "closed":
        if closes_at != round_.closes_at:
            raise RoundError(_("The results of this round are released: it cannot be reopened. "
                               "A repeat is a new round."))
        if min_group != round_.min_group:
            raise RoundError(_("The results of this round are released: the anonymity threshold is frozen."))
    before = _state(round_)
    round_.name, round_.opens_at, round_.closes_at = name.strip(), opens_at, closes_at
    round_.target, round_.min_group = target, min_group
    if codes_only is not None:
        round_.codes_only = codes_only
    db.session.flush()
    after = _state(round_)
    if after != before:
        changelog.record(actor, "round.update", round_, before, after)


def add_units(actor: User, round_: Round, unit_ids: list[int]) -> list[Unit]:
    """Add wards to a round that has not closed, with a link of each kind the round uses."""
    if round_.status() == "closed":
        raise RoundError(_("A closed round takes no new units; reopen it first."))
    before = _state(round_)
    units = [u for u in _units_for(actor, unit_ids) if u not in round_.units]
    kinds = sorted({link.kind for link in round_.links if link.kind != "code"}) or ["open"]
    for unit in units:
        round_.units.append(unit)
        for kind in kinds:
            add_link(round_, unit, kind)
    db.session.flush()
    changelog.record(actor, "round.add_units", round_, before, _state(round_))
    return units


def close_early(actor: User, round_: Round) -> None:
    """Close an open round now."""
    if round_.status() != "open":
        raise RoundError(_("Only an open round can be closed early."))
    before = _state(round_)
    round_.closes_at = max(utcnow(), round_.opens_at + timedelta(seconds=1))
    db.session.flush()
    changelog.record(actor, "round.close", round_, before, _state(round_))


def reopen(actor: User, round_: Round, closes_at: datetime) -> None:
    """Open a closed round again until `closes_at` (UTC, in the future)."""
    if round_.status() != "closed":
        raise RoundError(_("Only a closed round can be reopened."))
    if round_.source == "surveyxact":
        raise RoundError(_("A baseline imported from SurveyXact stays closed: its answers came from there."))
    if has_responses(round_):
        raise RoundError(_("The results of this round are released: it cannot be reopened. "
                           "A repeat is a new round."))
    if closes_at <= utcnow():
        raise RoundError(_("The new closing time must be in the future."))
    before = _state(round_)
    round_.closes_at = closes_at
    db.session.flush()
    changelog.record(actor, "round.reopen", round_, before, _state(round_))


def link_counts(round_: Round) -> dict[int, int]:
    """unit id -> number of collection links, for the round page."""
    return dict(db.session.execute(select(CollectionLink.unit_id, func.count())
                                   .where(CollectionLink.round_id == round_.id)
                                   .group_by(CollectionLink.unit_id)).all())


def beyond_headcount(round_: Round, responses: dict[int, int]) -> list[tuple[Unit, int]]:
    """(afsnit, answers beyond its headcount) of a staff round: a warning sign of padding (docs/anonymity.md)."""
    if round_.questionnaire.audience != "staff":
        return []
    return [(unit, responses[unit.id] - unit.headcount) for unit in round_.units
            if unit.headcount is not None and responses.get(unit.id, 0) > unit.headcount]


def response_counts(round_: Round) -> dict[int, int]:
    """unit id -> responses in this round."""
    return dict(db.session.execute(select(Response.unit_id, func.count()).where(Response.round_id == round_.id)
                                   .group_by(Response.unit_id)).all())




#: "Hvad er vigtigt for dig?"-dagen: a QR link per afsnit for phones and a kiosk link for the ward's tablet.
PATIENT_DAY_LINKS = ("open", "kiosk")
#: The day's usual date; it has moved between 6 and 9 June over the years, so it is only the form's default.
PATIENT_DAY = (6, 6)


def patient_questionnaires() -> list[Questionnaire]:
    """The complete patient questionnaire versions, the newest version of each first."""
    return [q for q in questionnaire_choices() if q.audience == "patient"]


def patient_day_defaults(today: date) -> dict:
    """The form's defaults: this year's 6 June (next year's once it has passed), the whole day."""
    day = date(today.year, *PATIENT_DAY)
    if day < today:
        day = date(today.year + 1, *PATIENT_DAY)
    questionnaires = patient_questionnaires()
    return {"name": _("\"What matters to you?\" day %(year)d", year=day.year), "first_day": day, "last_day": day,
            "questionnaire_id": questionnaires[0].id if questionnaires else None,
            "target": round(current_app.config["SURVEYAPP_TARGET"] * 100),
            "min_group": current_app.config["SURVEYAPP_MIN_GROUP"]}


def day_span(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """00:00 on the first day to 23:59 on the last, Danish time, as the UTC the database holds."""
    return to_utc(datetime.combine(first_day, time(0, 0))), to_utc(datetime.combine(last_day, time(23, 59)))


def create_patient_day(actor: User, questionnaire: Questionnaire, name: str, first_day: date, last_day: date,
                       unit_ids: list[int], target: float, min_group: int) -> Round:
    """The patient round for the chosen afsnit in one step: open 00:00-23:59 Danish time over the days, with a
    QR link and a kiosk link per afsnit. Raises RoundError for a staff questionnaire or units out of scope."""
    if questionnaire.audience != "patient":
        raise RoundError(_("Choose a patient questionnaire."))
    opens_at, closes_at = day_span(first_day, last_day)
    return create(actor, questionnaire, name, opens_at, closes_at, unit_ids, target, min_group,
                  link_kinds=PATIENT_DAY_LINKS, preset="patient_day")


def kiosk_links(round_: Round) -> list[tuple[Unit, CollectionLink]]:
    """(afsnit, kiosk link) of a round, by afsnit code: the addresses to open on the wards' tablets."""
    rows = db.session.execute(select(Unit, CollectionLink).join(CollectionLink.unit)
                              .where(CollectionLink.round_id == round_.id, CollectionLink.kind == "kiosk")
                              .order_by(Unit.code))
    return [(unit, link) for unit, link in rows]
