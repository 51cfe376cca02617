"""Action plans ("handlingsplaner"): coordinators write their afsnit's plans; viewers read them; auditors see
only the interventions their audits verify (a plan shows survey results, which auditors do not read).

A plan or intervention outside the user's scope answers 404; writing without the right answers 403.
"""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from forms.plans import CloseForm, InterventionForm, NoteForm, StatusForm

from ..extensions import db
from ..models import Unit
from ..services.audits.templates import active_templates
from ..services.plans import plans
from ..services.plans.exports import intervention_columns, intervention_rows
from ..services.plans.overview import leaders_overview, overview_columns, overview_rows
from ..services.plans.progress import later_closed_round, plan_progress
from ..services.plans.annual_words import STATUS_NAMES
from ..services.results.unit_report import load_round_with_questionnaire
from ..services.scopes import can_see, visible_unit_ids
from ..services.spreadsheets import FLAVOURS, Sheet, iter_csv, iter_xlsx

bp = Blueprint("plans", __name__, url_prefix="/handlingsplaner")
ERRORS = {"dates": _l("The due date cannot lie before the start."),
          "items": _l("Choose items of the round's questionnaire."),
          "template": _l("Choose one of the audits."),
          "status": _l("That status cannot follow the current one."),
          "not_in_round": _l("Plans are made for a ward of the round."),
          "kind": _l("An action from a root-cause analysis needs a due date."),
          "closed": _l("The action plan is already closed.")}


@bp.before_request
@login_required
def require_login() -> None:
    """Every plan page is for logged-in users; writing is checked per view."""
    if current_user.role == "auditor" and request.endpoint != "plans.verified":
        abort(403)


def _lang() -> str:
    return get_locale().language if get_locale() else "da"


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/Copenhagen")).date()


def _require_writer(plan) -> None:
    if not plans.may_change(current_user, plan):
        abort(403)


def _plan_or_404(plan_id: int):
    plan = plans.load_plan(plan_id, current_user)
    if plan is None:
        abort(404)
    return plan


def _intervention_or_404(intervention_id: int):
    intervention = plans.load_intervention(intervention_id, current_user)
    if intervention is None:
        abort(404)
    return intervention


@bp.post("/runde/<int:round_id>/enhed/<code>")
def start(round_id: int, code: str):
    round_ = load_round_with_questionnaire(round_id)
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if round_ is None or unit is None or not can_see(current_user, unit.id):
        abort(404)
    if not plans.may_write(current_user, unit.id):
        abort(403)
    try:
        plan = plans.start_plan(round_, unit, current_user)
    except plans.PlanError as error:
        flash(str(ERRORS[error.code]), "error")
        return redirect(url_for("coordinator.unit_results", round_id=round_id, code=code))
    db.session.commit()
    return redirect(url_for(".show", plan_id=plan.id))


@bp.get("/<int:plan_id>")
def show(plan_id: int):
    plan = _plan_or_404(plan_id)
    progress = plan_progress(plan, _lang(), later_closed_round(plan))
    return render_template("plans/show.html", plan=plan, progress=progress, status_names=STATUS_NAMES,
                           lines=plans.intervention_lines(plan, _lang(), _today()),
                           may_write=plans.may_change(current_user, plan),
                           may_close=plans.may_change(current_user, plan),
                           status_form=StatusForm(), note_form=NoteForm(), close_form=CloseForm(),
                           report_year=_today().year)


@bp.post("/<int:plan_id>/luk")
def close(plan_id: int):
    """Close the plan explicitly (a confirmation box on the plan page); the afsnit may then start a new one."""
    plan = _plan_or_404(plan_id)
    if not plans.may_change(current_user, plan):
        abort(403)
    if not CloseForm().validate_on_submit():
        abort(400)
    plans.close_plan(plan, current_user)
    db.session.commit()
    flash(_("The action plan is closed. The ward can start a new one from a round's results."), "info")
    return redirect(url_for(".show", plan_id=plan.id))


def _fill_choices(form: InterventionForm, plan) -> None:
    form.items.choices = [SelectChoice(i.id, i.label(_lang())) for i in plans.round_items(plan.round)]
    form.audit_template.choices = [SelectChoice("", _("No audit"))] + [
        SelectChoice(t.code, t.text(_lang())) for t in active_templates()]


def _form_data(form: InterventionForm) -> dict:
    return {"title": form.title.data.strip(), "description": (form.description.data or "").strip(),
            "responsible": (form.responsible.data or "").strip(), "starts_on": form.starts_on.data,
            "due_on": form.due_on.data, "audit_template_code": form.audit_template.data or None,
            "highlight": form.highlight.data or None, "item_ids": form.items.data or [], "kind": form.kind.data}


@bp.route("/<int:plan_id>/indsats/ny", methods=["GET", "POST"])
def new_intervention(plan_id: int):
    plan = _plan_or_404(plan_id)
    _require_writer(plan)
    form = InterventionForm()
    _fill_choices(form, plan)
    if form.validate_on_submit():
        try:
            plans.add_intervention(plan, _form_data(form), current_user, _today())
        except plans.PlanError as error:
            flash(str(ERRORS[error.code]), "error")
        else:
            db.session.commit()
            flash(_("The intervention is added."), "info")
            return redirect(url_for(".show", plan_id=plan.id))
    return render_template("plans/intervention_form.html", plan=plan, form=form)


@bp.route("/indsats/<int:intervention_id>/rediger", methods=["GET", "POST"])
def edit_intervention(intervention_id: int):
    intervention = _intervention_or_404(intervention_id)
    _require_writer(intervention.plan)
    form = InterventionForm(data={**{name: getattr(intervention, name) for name in
                                     ("title", "description", "responsible", "starts_on", "due_on")},
                                  "items": [i.id for i in intervention.items],
                                  "audit_template": intervention.audit_template_code or "",
                                  "highlight": intervention.highlight or "", "kind": intervention.kind})
    _fill_choices(form, intervention.plan)
    if form.validate_on_submit():
        try:
            plans.edit_intervention(intervention, _form_data(form), current_user)
        except plans.PlanError as error:
            flash(str(ERRORS[error.code]), "error")
        else:
            db.session.commit()
            flash(_("The intervention is saved."), "info")
            return redirect(url_for(".show", plan_id=intervention.plan_id))
    return render_template("plans/intervention_form.html", plan=intervention.plan, form=form,
                           intervention=intervention)


@bp.post("/indsats/<int:intervention_id>/status")
def set_status(intervention_id: int):
    intervention = _intervention_or_404(intervention_id)
    _require_writer(intervention.plan)
    form = StatusForm()
    form.status.choices = [SelectChoice(code, name) for code, name in STATUS_NAMES.items()]
    if form.validate_on_submit():
        try:
            plans.set_status(intervention, form.status.data, current_user, _today())
        except plans.PlanError as error:
            flash(str(ERRORS[error.code]), "error")
        else:
            db.session.commit()
            flash(_("The status is now “%(status)s”.", status=STATUS_NAMES[form.status.data]), "info")
    return redirect(url_for(".show", plan_id=intervention.plan_id))


@bp.post("/indsats/<int:intervention_id>/note")
def add_note(intervention_id: int):
    intervention = _intervention_or_404(intervention_id)
    _require_writer(intervention.plan)
    form = NoteForm()
    if form.validate_on_submit():
        plans.add_note(intervention, form.text.data, current_user)
        db.session.commit()
        flash(_("The note is added."), "info")
    else:
        flash(" ".join(str(e) for e in form.text.errors), "error")
    return redirect(url_for(".show", plan_id=intervention.plan_id))


@bp.get("/verificeret-af-audit")
def verified():
    return render_template("plans/verified.html", rows=plans.verified_by_audits(current_user, _lang(), _today()),
                           status_names=STATUS_NAMES)


def _download(body, mimetype: str, filename: str) -> Response:
    return Response(stream_with_context(body), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/indsatser.csv")
def interventions_csv():
    """Every intervention in the user's scope; ?format=excel (Danish Excel, the default) or plain; ?round=<id>."""
    flavour = FLAVOURS.get(request.args.get("format", "excel"))
    if flavour is None:
        abort(400)
    rows = intervention_rows(visible_unit_ids(current_user), request.args.get("round", type=int))
    return _download(iter_csv(intervention_columns(), rows, flavour), "text/csv", "handlingsplaner.csv")


@bp.get("/indsatser.xlsx")
def interventions_xlsx():
    rows = intervention_rows(visible_unit_ids(current_user), request.args.get("round", type=int))
    return _download(iter_xlsx([Sheet(_("Interventions"), intervention_columns(), rows)]),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "handlingsplaner.xlsx")


@bp.get("")
def index():
    """"Handlingsplaner": every afsnit of the user's scope, worst first; ?afdeling=<code> keeps one afdeling."""
    data = leaders_overview(current_user, _lang(), _today(), request.args.get("afdeling"))
    sygehuse = sorted({a.parent for a in data.afdelinger if a.parent is not None and can_see(current_user, a.parent_id)},
                      key=lambda u: u.name)
    return render_template("plans/overview.html", overview=data, status_names=STATUS_NAMES, year=_today().year,
                           sygehuse=sygehuse)


@bp.get("/overblik.<any(csv, xlsx):fmt>")
def index_download(fmt: str):
    """The overview as CSV (?format=excel, the default, or plain) or Excel, in the page's order."""
    rows = overview_rows(leaders_overview(current_user, _lang(), _today(), request.args.get("afdeling")))
    if fmt == "xlsx":
        return _download(iter_xlsx([Sheet(_("Action plans"), overview_columns(), rows)]),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "handlingsplaner-overblik.xlsx")
    flavour = FLAVOURS.get(request.args.get("format", "excel")) or abort(400)
    return _download(iter_csv(overview_columns(), rows, flavour), "text/csv", "handlingsplaner-overblik.csv")


@bp.get("/runde/<int:round_id>/overblik/<code>")
def overview(round_id: int, code: str):
    """The former per-round overview: plans follow the afsnit now, so it is the overview of that unit."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or not can_see(current_user, unit.id):
        abort(404)
    return redirect(url_for(".index", afdeling=code if unit.level == "afdeling" else None))


# The annual reports and the meeting deck: their own module on this blueprint (registered on import).
from . import plan_reports  # noqa: E402,F401
