"""The leaders' documents on the plans blueprint: the annual report of a sygehus, afdeling or afsnit (screen,
A4 PDF, every afsnit's as a zip) and an afdeling's meeting deck. Access is the blueprint's (`views.plans`)."""
from flask import Response, abort, current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from ..models import Unit
from ..services.plans.annual import annual_report, annual_report_pdf
from ..services.plans.annual_words import STATUS_NAMES, WORDS
from ..services.plans.batch import annual_reports_zip
from ..services.plans.deck import meeting_deck_pdf
from ..services.results.unit_report import load_round_with_questionnaire
from ..services.scopes import can_see
from .plans import _lang, _today, bp


@bp.get("/runde/<int:round_id>/moede/<code>.pdf")
def meeting_deck(round_id: int, code: str):
    """The afdeling's meeting deck for a closed round: each afsnit's key-item chart and challenges, 16:9."""
    round_ = load_round_with_questionnaire(round_id)
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if round_ is None or round_.status() != "closed" or unit is None or unit.level != "afdeling" \
            or not can_see(current_user, unit.id):
        abort(404)
    return Response(meeting_deck_pdf(round_, unit, current_user, _lang()), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="moede-{round_id}-{code}.pdf"', "Cache-Control": "no-store"})


def _annual_unit_or_404(code: str) -> Unit:
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or unit.level not in ("afsnit", "afdeling", "sygehus") or not can_see(current_user, unit.id):
        abort(404)
    return unit


def _annual_or_404(code: str, year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    return annual_report(_annual_unit_or_404(code), year, current_app.config["SURVEYAPP_ORGANISATION"], _lang(),
                         _today())


@bp.get("/aarsrapport/<code>/<int:year>")
def annual(code: str, year: int):
    """The annual report of a sygehus, afdeling or afsnit on screen."""
    return render_template("plans/annual.html", report=_annual_or_404(code, year), status_names=STATUS_NAMES,
                           w=WORDS)


@bp.get("/aarsrapport/<code>/<int:year>.pdf")
def annual_pdf(code: str, year: int):
    report = _annual_or_404(code, year)
    return Response(annual_report_pdf(report, STATUS_NAMES), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="aarsrapport-{code}-{year}.pdf"',
                             "Cache-Control": "no-store"})


@bp.get("/aarsrapport/<code>/<int:year>/afsnit.zip")
def annual_batch(code: str, year: int):
    """Every visible afsnit's annual report below the unit, one PDF each, in a zip."""
    unit = _annual_unit_or_404(code)
    if not 2000 <= year <= 2100:
        abort(404)
    body = annual_reports_zip(unit, year, current_user, current_app.config["SURVEYAPP_ORGANISATION"], _lang(),
                              _today(), STATUS_NAMES)
    return Response(body, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="aarsrapporter-{code}-{year}.zip"', "Cache-Control": "no-store"})
