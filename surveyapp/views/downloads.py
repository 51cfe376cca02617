"""Coordinators' downloads of a round: results as CSV and Excel, PDF reports, raw responses (admins)."""
import logging

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..inputs import db_int
from ..models import LEVELS
from ..services.access import NotVisible, narrow, round_for, unit_for
from ..services.collection.materials import printable
from ..services.results import reports
from ..services.results.exports import ResultDownload
from ..services.results.raw import NotReleased, iter_raw_responses, raw_columns
from ..services.scopes import visible_unit_ids
from ..services.spreadsheets import FLAVOURS, Sheet, iter_csv, iter_xlsx
from ..timeutil import last_day

logger = logging.getLogger(__name__)
bp = Blueprint("downloads", __name__, url_prefix="/koordinator/download")

# Werkzeug appends "; charset=utf-8" to every text/* mimetype: naming it here too sent it twice.
CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.before_request
@login_required
def require_login() -> None:
    """Every download is for logged-in users; the services check the round and unit against their scope."""
    if current_user.role == "auditor":
        abort(403)  # auditors see audits only: no survey results, reports, posters or answer codes


def _attachment(body, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _round_and_scope(round_id: int):
    """The round and the units the user may download, narrowed to ?unit=<id>; 404 outside their scope."""
    visible = visible_unit_ids(current_user)
    try:
        round_ = round_for(round_id, visible)
        unit = unit_for(request.args.get("unit", type=db_int), visible) if request.args.get("unit") else None
    except NotVisible:
        abort(404)
    return round_, narrow(visible, unit), unit


def _suffix(unit) -> str:
    return f"-{unit.code}" if unit is not None else ""


@bp.get("/runde/<int:round_id>")
def round_downloads(round_id: int):
    round_, visible, _unit = _round_and_scope(round_id)
    from .posters import code_cards_form

    prints = printable(round_)
    return render_template("downloads/round.html", round=round_, units=reports.report_units(round_, visible),
                           levels=LEVELS, can_read_raw=current_user.is_admin, printable=prints,
                           released=round_.status() == "closed", last_day=last_day(round_.closes_at),
                           codes_form=code_cards_form(round_) if prints and current_user.role in ("admin", "coordinator")
                           and round_.questionnaire.audience == "staff" else None)


@bp.get("/runde/<int:round_id>/resultater.csv")
def results_csv(round_id: int):
    """?format=excel (default; semicolons, decimal commas, BOM) or plain; ?level=...; ?unit=<id>."""
    round_, visible, unit = _round_and_scope(round_id)
    flavour = FLAVOURS.get(request.args.get("format", "excel")) or abort(400)
    level = request.args.get("level") or None
    if level is not None and level not in LEVELS:
        abort(400)
    download = ResultDownload.load(round_, visible)
    body = iter_csv(download.columns, download.rows(level), flavour)
    return _attachment(stream_with_context(body), CSV_MIMETYPE,
                       f"resultater-{round_.id}-{level or 'alle'}{_suffix(unit)}-{flavour.name}.csv")


@bp.get("/runde/<int:round_id>/resultater.xlsx")
def results_xlsx(round_id: int):
    """A sheet per level, a metadata sheet; ?unit=<id> limits it to a unit and what lies below."""
    round_, visible, unit = _round_and_scope(round_id)
    download = ResultDownload.load(round_, visible)
    return _attachment(stream_with_context(iter_xlsx(download.sheets())), XLSX_MIMETYPE,
                       f"resultater-{round_.id}{_suffix(unit)}.xlsx")


@bp.get("/runde/<int:round_id>/rapport/<int:unit_id>.pdf")
def report_pdf(round_id: int, unit_id: int):
    """The afsnit report, or the overview report of an afdeling or sygehus; ?lang=da|en."""
    visible = visible_unit_ids(current_user)
    try:
        round_ = round_for(round_id, visible)
        unit = unit_for(unit_id, visible)
    except NotVisible:
        abort(404)
    lang = request.args.get("lang", "da")
    if lang not in reports.REPORT_LANGUAGES:
        abort(400)
    try:
        data = reports.report_pdf(round_, unit, visible, lang)
    except reports.NoReport:
        abort(404)
    return _attachment(data, "application/pdf", f"rapport-{round_.id}-{unit.code}-{lang}.pdf")


@bp.get("/runde/<int:round_id>/svar.<fmt>")
def raw_responses(round_id: int, fmt: str):
    """Anonymised raw responses, one row per response; admins only; ?text=1 adds the free texts."""
    if not current_user.is_admin:
        abort(403)
    round_, visible, unit = _round_and_scope(round_id)
    with_text = request.args.get("text") == "1"
    columns = raw_columns(round_, with_text)
    try:
        rows = iter_raw_responses(round_, visible, with_text)
    except NotReleased:
        abort(409, _("Raw data is served once the round has closed."))
    name = f"svar-{round_.id}{_suffix(unit)}{'-fritekst' if with_text else ''}"
    logger.info("raw responses of round %s (free text: %s) downloaded by user %s", round_.id, with_text,
                current_user.id)
    if fmt == "xlsx":
        body = iter_xlsx([Sheet(round_.name, columns, rows)])
        return _attachment(stream_with_context(body), XLSX_MIMETYPE, f"{name}.xlsx")
    if fmt != "csv":
        abort(404)
    flavour = FLAVOURS.get(request.args.get("format", "excel")) or abort(400)
    return _attachment(stream_with_context(iter_csv(columns, rows, flavour)), CSV_MIMETYPE,
                       f"{name}-{flavour.name}.csv")
