"""Coordinators, admins and viewers: the rounds they follow and their results, within their scope.

A unit or round outside the user's scope answers 404, whether its id or code exists or not, so guessing
URLs tells nothing. Free-text answers need `may_read_free_text` (the afsnit's coordinators and admins): 403.
"""
from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..formatting import FILTERS
from ..i18n import LANGUAGE_NAMES
from ..models import Round, Unit
from ..services.plans.plans import may_write as may_write_plan
from ..services.plans.plans import live_plan
from ..services.plans.progress import plan_progress
from ..services.collection.materials import afsnit_materials
from ..services.results.charts import days_chart, history_chart, item_chart, trend_charts
from ..services.results.counts import load_round
from ..services.results.dashboard import round_table
from ..services.pdf import render_pdf
from ..services.results.slides import chart_slide, slide_response
from ..services.results.history import key_item_history, trend_data
from ..services.results.followup import follow_up, free_texts, may_read_free_text
from ..services.results.overview import rounds_overview
from ..services.results.unit_report import load_round_with_questionnaire, previous_round, subtree, unit_report
from ..services.scopes import visible_unit_ids

bp = Blueprint("coordinator", __name__, url_prefix="/koordinator")
for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


@bp.before_request
@login_required
def require_login():
    """Every page of this blueprint is for logged-in users who read survey results: auditors see audits only
    (their start page is the audits)."""
    if current_user.role == "auditor":
        if request.endpoint == "coordinator.home":
            return redirect(url_for("audits.index"))
        abort(403)
    return None


def _visible() -> set[int] | None:
    if "visible_units" not in g:
        g.visible_units = visible_unit_ids(current_user)
    return g.visible_units


def _lang() -> str:
    locale = get_locale()
    return locale.language if locale else "da"


def _round_or_404(round_id: int) -> Round:
    """The round, if it has an afsnit in the user's scope."""
    round_ = load_round_with_questionnaire(round_id)
    visible = _visible()
    if round_ is None or (visible is not None and not any(u.id in visible for u in round_.units)):
        abort(404)
    return round_


def _unit_or_404(code: str) -> Unit:
    """The unit with this code, if the user may see it."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    visible = _visible()
    if unit is None or (visible is not None and unit.id not in visible):
        abort(404)
    return unit


def _labels(round_: Round) -> dict[str, str]:
    return {item.code: item.label(_lang()) for item in round_.questionnaire.items}


@bp.get("/")
def home():
    return render_template("coordinator/home.html", rounds=rounds_overview(current_user))


@bp.get("/runde/<int:round_id>")
def round_results(round_id: int):
    round_ = _round_or_404(round_id)
    before = previous_round(round_)
    loaded = {round_.id: load_round(round_, _visible())}
    if before is not None:
        loaded[before.id] = load_round(before, _visible())
    table = round_table(loaded[round_.id], _visible(), loaded[before.id] if before is not None else None,
                        afdeling=request.args.get("afdeling", type=int), sort=request.args.get("sort"),
                        descending=request.args.get("dir") == "desc",
                        history=trend_data(round_, _visible(), loaded))
    readable = {row.unit.id for row in table.rows
                if row.unit.level == "afsnit" and may_read_free_text(current_user, row.unit.id)}
    return render_template("coordinator/round_results.html", round=round_, table=table, labels=_labels(round_),
                           readable=readable if round_.status() == "closed" else set(),
                           previous=before, sort=request.args.get("sort"), descending=request.args.get("dir") == "desc",
                           afdeling=request.args.get("afdeling", type=int), trends=trend_charts(table))


@bp.get("/runde/<int:round_id>/enhed/<code>")
def unit_results(round_id: int, code: str):
    round_ = _round_or_404(round_id)
    unit = _unit_or_404(code)
    report = unit_report(round_, unit.id, _lang())
    if report is None:
        abort(404)
    may_read = (round_.status() == "closed" and unit.level == "afsnit"
                and may_read_free_text(current_user, unit.id))
    plan = live_plan(unit.id) if unit.level == "afsnit" and round_.status() == "closed" else None
    progress = plan_progress(plan, _lang(), round_) if plan is not None and plan.round_id != round_.id else None
    may_plan = unit.level == "afsnit" and unit in round_.units and may_write_plan(current_user, unit.id)
    history = key_item_history(round_, unit.id, subtree(unit.id))
    return render_template("coordinator/unit_results.html", round=round_, report=report,
                           chart=item_chart(report), may_read=may_read, plan=plan, may_plan=may_plan,
                           progress=progress,
                           labels=_labels(round_), history=history,
                           history_chart=history_chart(history, _labels(round_), report.target)
                           if len(history.rows) > 1 else None)


@bp.get("/runde/<int:round_id>/opfoelgning")
def round_follow_up(round_id: int):
    round_ = _round_or_404(round_id)
    follow = follow_up(round_, _visible())
    return render_template("coordinator/round_follow_up.html", round=round_, follow=follow, chart=days_chart(follow))


@bp.get("/runde/<int:round_id>/enhed/<code>/fritekst")
def unit_free_texts(round_id: int, code: str):
    round_ = _round_or_404(round_id)
    unit = _unit_or_404(code)
    # Staff comments too, within the rules of followup.free_texts (docs/anonymity.md).
    if unit.level != "afsnit" or unit not in round_.units:
        abort(404)
    if not may_read_free_text(current_user, unit.id):
        abort(403)
    return render_template("coordinator/unit_free_texts.html", round=round_, unit=unit,
                           texts=free_texts(round_, unit.id, _lang()), language_names=LANGUAGE_NAMES)


@bp.get("/afsnit/<code>/materialer")
def unit_materials(code: str):
    """The afsnit's print material and links for every round it takes part in."""
    unit = _unit_or_404(code)
    if unit.level != "afsnit":
        abort(404)
    return render_template("coordinator/unit_materials.html", unit=unit, materials=afsnit_materials(unit.id))


@bp.get("/runde/<int:round_id>/enhed/<code>/diagram.<any(svg, png):fmt>")
def unit_chart_slide(round_id: int, code: str, fmt: str):
    """The unit page's chart on a 16:9 slide, as SVG or PNG, for the staff meeting."""
    round_ = _round_or_404(round_id)
    unit = _unit_or_404(code)
    report = unit_report(round_, unit.id, _lang()) or abort(404)
    svg = chart_slide(item_chart(report, for_slide=True), report.unit.name, round_.name)
    return slide_response(svg, fmt, f"diagram-{round_.id}-{unit.code}")


@bp.get("/runde/<int:round_id>/enhed/<code>/udvikling.<any(svg, png):fmt>")
def unit_history_slide(round_id: int, code: str, fmt: str):
    """The unit's key items across the rounds on a 16:9 slide; 404 while there is one round or none closed."""
    round_ = _round_or_404(round_id)
    unit = _unit_or_404(code)
    report = unit_report(round_, unit.id, _lang()) or abort(404)
    history = key_item_history(round_, unit.id, subtree(unit.id))
    if round_.status() != "closed" or report.suppressed or len(history.rows) < 2:
        abort(404)
    svg = chart_slide(history_chart(history, _labels(round_), report.target, for_slide=True), report.unit.name,
                      _("The key items across the rounds"))
    return slide_response(svg, fmt, f"udvikling-{round_.id}-{unit.code}")


@bp.get("/runde/<int:round_id>/opfoelgning/diagram.<any(svg, png):fmt>")
def follow_up_slide(round_id: int, fmt: str):
    """The follow-up's responses per day on a 16:9 slide; 404 where the page hides them."""
    round_ = _round_or_404(round_id)
    follow = follow_up(round_, _visible())
    if follow.days_hidden:
        abort(404)
    return slide_response(chart_slide(days_chart(follow), _("Responses per day"), round_.name), fmt,
                          f"besvarelser-pr-dag-{round_.id}")


@bp.get("/runde/<int:round_id>/enhed/<code>/personalemoede.pdf")
def unit_meeting_pdf(round_id: int, code: str):
    """"Til personalemødet": the key items against the target, the change, the challenges, room to discuss."""
    round_ = _round_or_404(round_id)
    unit = _unit_or_404(code)
    report = unit_report(round_, unit.id, _lang()) or abort(404)
    html = render_template("pdf/meeting.html", round=round_, report=report, lang=_lang(),
                           key_lines=[line for line in report.items if line.key] or report.items[:3],
                           challenge_lines=report.lowest)
    return Response(render_pdf(html), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="personalemoede-{round_.id}-{unit.code}.pdf"',
        "Cache-Control": "no-store"})
