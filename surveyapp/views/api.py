"""The read-only JSON API for BI tools: `Authorization: Bearer <token>`, paginated lists, JSON errors.

Described by surveyapp/openapi.json (served at /api/v1/openapi.json). Lists answer
`{"items": [...], "next": <absolute url or null>}`; a token made for a user sees that user's units only.
"""
import json
import logging
from datetime import datetime
from importlib import resources
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, g, request, stream_with_context, url_for

from ..inputs import DB_INT_MAX, db_int
from ..extensions import csrf, db
from ..models import LEVELS, STATUSES, Unit
from ..services.access import NotVisible, round_for
from ..services.admin.tokens import verify_token
from ..services.audits.exports import audit_dict, audit_rows
from ..services.plans.exports import api_plans
from ..services.results import api_data
from ..services.results.exports import API_RESULT_COLUMNS, api_result_dict, api_result_rows
from ..services.results.raw import NotReleased, iter_raw_responses
from ..services.scopes import visible_unit_ids
from ..services.spreadsheets import PLAIN, iter_csv
from ..services.strategy.definitions import api_definitions
from ..services.strategy.figures import strategy_items
from ..timeutil import utcnow

logger = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PUBLIC_ENDPOINTS = {"api.openapi"}
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
RESPONSES_MAX_LIMIT = 5000


def _error(status: int, message: str, **headers) -> Response:
    body = json.dumps({"error": {401: "Unauthorized", 403: "Forbidden"}.get(status, "Error"),
                       "message": message, "status": status})
    return Response(body, status=status, mimetype="application/json", headers=headers)


@bp.before_request
def authenticate():
    """Every resource but the description needs a valid, unrevoked bearer token."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    token = verify_token(raw.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        return _error(401, "A valid API token is required: Authorization: Bearer <token>.",
                      **{"WWW-Authenticate": 'Bearer realm="surveyapp"'})
    db.session.commit()  # last_used_at
    g.api_token = token
    g.visible = visible_unit_ids(token.user) if token.user is not None else None
    return None


@bp.after_request
def no_store(response: Response) -> Response:
    """Results are not for shared caches or the browser's disk."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _absolute(endpoint: str, **args) -> str:
    """An absolute URL on the public base (the app may sit behind a proxy)."""
    return current_app.config["SURVEYAPP_PUBLIC_URL"].rstrip("/") + url_for(endpoint, **args)


#: ?after= of the raw responses is a 48-bit pseudonym.
PSEUDONYM_MAX = 2**48 - 1
#: ?text= of the raw responses: with free texts ("1", "true") or without ("0", "false").
TEXT_FLAGS = {"1": True, "true": True, "0": False, "false": False}
#: ?lang= of the audits: the languages of template names.
AUDIT_LANGUAGES = ("da", "en")


def _bad_request(message: str):
    """Stop with a 400 whose JSON says which parameter is wrong and what it takes (the OpenAPI document
    declares the same bounds and enums; tests/test_api_parameters.py holds them to each other)."""
    abort(_error(400, message))


def _limit(maximum: int = MAX_LIMIT) -> int:
    return _int_arg("limit", DEFAULT_LIMIT, minimum=1, maximum=maximum)


def _pseudonym(value: str) -> int:
    """`type=` for ?after= of the raw responses: a 48-bit pseudonym, compared in Python, never a database id."""
    number = int(value)
    if not 0 <= number <= PSEUDONYM_MAX:
        raise ValueError(value)
    return number


def _int_arg(name: str, default: int | None = None, kind=db_int, minimum: int = 0,
             maximum: int = DB_INT_MAX) -> int | None:
    """An optional integer query parameter from `minimum` to `maximum`; anything else is a 400 saying so."""
    if name not in request.args:
        return default
    value = request.args.get(name, type=kind)
    if value is None or not minimum <= value <= maximum:
        _bad_request(f"{name} must be a whole number from {minimum} to {maximum}.")
    return value


def _choice(name: str, choices, default=None):
    """An optional query parameter that must be one of `choices` when given; anything else is a 400."""
    if name not in request.args:
        return default
    value = request.args[name]
    if value not in choices:
        _bad_request(f"{name} must be one of: {', '.join(choices)}.")
    return value


def _next(**changes) -> str:
    args = {**request.args.to_dict(), **{k: str(v) for k, v in changes.items()}}
    return _absolute(request.endpoint, **request.view_args) + "?" + urlencode(args)


def _paginated(items: list) -> dict:
    """One page of a list by ?offset= and ?limit=, with the next page's URL."""
    limit, offset = _limit(), _int_arg("offset", 0)
    page = items[offset:offset + limit]
    more = offset + limit < len(items)
    return {"items": page, "next": _next(offset=offset + limit, limit=limit) if more else None}


def _round(round_id: int):
    try:
        return round_for(round_id, g.visible)
    except NotVisible:
        abort(404)


def _level() -> str | None:
    """?level=: only rows of that level (afsnit, afdeling, sygehus); all levels when left out."""
    return _choice("level", LEVELS)


def iso(value: datetime) -> str:
    """A stored naive-UTC time as ISO 8601 with its zone."""
    return value.isoformat(timespec="seconds") + "Z"


@bp.get("/openapi.json")
def openapi():
    spec = json.loads(resources.files("surveyapp").joinpath("openapi.json").read_text("utf-8"))
    spec["servers"] = [{"url": current_app.config["SURVEYAPP_PUBLIC_URL"].rstrip("/") + "/api/v1"}]
    return spec


@bp.get("/units")
def units():
    return _paginated(api_data.units(g.visible))


@bp.get("/questionnaires/<code>")
def questionnaire(code: str):
    found = api_data.questionnaire(code, _int_arg("version"), request.args.get("lang", "da"))
    return found if found is not None else abort(404)


@bp.get("/rounds")
def rounds():
    return _paginated([{**row, "opens_at": iso(row["opens_at"]), "closes_at": iso(row["closes_at"])}
                       for row in api_data.rounds(g.visible)])


@bp.get("/rounds/<int:round_id>/results")
def results(round_id: int):
    round_ = _round(round_id)
    return _paginated([api_result_dict(row) for row in api_result_rows(round_, _level(), g.visible)])


@bp.get("/rounds/<int:round_id>/results.csv")
def results_csv(round_id: int):
    round_ = _round(round_id)
    rows = api_result_rows(round_, _level(), g.visible)
    return Response(stream_with_context(iter_csv(API_RESULT_COLUMNS, rows, PLAIN)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="results-{round_.id}.csv"'})


@bp.get("/rounds/<int:round_id>/responses")
def responses(round_id: int):
    """Anonymised responses in id order; ?after=<id> continues, ?text=1 adds free texts."""
    if not g.api_token.can_read_raw:
        return _error(403, "This token may not read raw responses.")
    round_ = _round(round_id)
    limit = _limit(RESPONSES_MAX_LIMIT)
    after = _int_arg("after", kind=_pseudonym, maximum=PSEUDONYM_MAX)
    with_text = TEXT_FLAGS[_choice("text", tuple(TEXT_FLAGS), default="0")]
    try:
        page = list(iter_raw_responses(round_, g.visible, with_text, after=after, limit=limit + 1))
    except NotReleased:
        return _error(409, "Raw responses are served once the round has closed.")
    more = len(page) > limit
    page = page[:limit]
    logger.info("raw responses of round %s read by token %s", round_.id, g.api_token.id)
    return {"items": [api_data.response_dict(r) for r in page],
            "next": _next(after=page[-1].response_id, limit=limit) if more else None}


@bp.get("/audits")
def audits():
    """Finished audits with their results, oldest first; ?template=<code> and ?unit=<code> narrow the list."""
    rows = audit_rows(g.visible, request.args.get("template") or None, request.args.get("unit") or None,
                      lang=_choice("lang", AUDIT_LANGUAGES, default="da"))
    return _paginated([audit_dict(row) for row in rows])


@bp.get("/action-plans")
def action_plans():
    """Action plans with their interventions; ?round=<id>, ?unit=<code> and ?status=<status> narrow the list."""
    status = _choice("status", STATUSES)
    round_id = _int_arg("round")  # bounded like every id: a number past 2**31 is a 400, not a 500
    return _paginated(api_plans(g.visible, round_id, request.args.get("unit") or None, status))


@bp.get("/indicators")
def indicators():
    """The strategy's indicator definitions."""
    return _paginated(api_definitions())


@bp.get("/units/<code>/strategy")
def unit_strategy(code: str):
    """Every figure of the strategy for a unit and ?year= (default this year), as the strategy page shows it."""
    year = _int_arg("year", utcnow().year, minimum=2000, maximum=2100)
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None or (g.visible is not None and unit.id not in g.visible):
        abort(404)
    items = strategy_items(unit, year, utcnow().date(), request.args.get("lang", "da"))
    return {"unit": unit.code, "year": year, "items": [item.api() for item in items]}
