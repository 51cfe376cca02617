"""Auditors: start, record, resume and finish audits on a phone; everyone logged in: audit results."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forms.audits import FinishAuditForm, StartAuditForm, TemplateForm, make_sample_form

from ..inputs import db_int
from ..extensions import db
from ..models import AuditTemplate, Unit
from ..services.audits import recording as audits
from ..services.audits import templates as audit_templates
from ..services.audits.exports import audit_columns, audit_rows, rollup_columns, rollup_rows
from ..services.audits.pages import (
    audit_page_data,
    results_page_data,
    run_chart_page_data,
    run_chart_pdf,
    start_choices,
    template_data_from_form,
    template_form_data,
)
from ..services.results.slides import chart_slide, slide_response
from ..services.scopes import visible_unit_ids
from ..services.spreadsheets import FLAVOURS, Sheet, iter_csv, iter_xlsx
from ..timeutil import utcnow

bp = Blueprint("audits", __name__, url_prefix="/audit")
RECORDING_ROLES = ("admin", "coordinator", "auditor")


@bp.before_request
@login_required
def require_login() -> None:
    """Every audit page is for logged-in users; recording is checked per view."""


def _lang() -> str:
    return get_locale().language if get_locale() else "da"


def _require_recorder() -> None:
    if current_user.role not in RECORDING_ROLES:
        abort(403)


def _audit_or_404(audit_id: int):
    audit = audits.load_audit(audit_id, current_user)
    if audit is None:
        abort(404)
    return audit


def _error_message(code: str) -> str:
    return {
        "finished": _("This audit is finished and can no longer be changed."),
        "number": _("There is no such sample in this audit."),
        "answers": _("Answer every question of the sample."),
        "cpr": _("Please leave out CPR numbers and names: samples are numbered, never named."),
        "unit": _("Audits are recorded for an active ward."),
        "workflow": _("Name the workflow you are asking about."),
        "empty": _("Record at least one sample before finishing the audit."),
    }[code]


@bp.get("/")
def index():
    return render_template("audits/index.html", due=audits.audits_due(current_user),
                           open_audits=audits.open_audits(current_user),
                           templates=audit_templates.active_templates(), can_record=current_user.role in RECORDING_ROLES)


@bp.route("/ny", methods=["GET", "POST"])
def start():
    _require_recorder()
    form = StartAuditForm(data={"audited_on": utcnow().date()} if request.method == "GET" else None)
    form.template.choices, form.unit.choices = start_choices(current_user, _lang())
    if request.method == "GET":  # "audit again" links preselect the template and the ward
        preselected = audit_templates.find(request.args.get("template", ""))
        form.template.data = preselected.id if preselected else None
        form.unit.data = request.args.get("unit", type=db_int)
    if form.validate_on_submit():
        template, unit = db.session.get(AuditTemplate, form.template.data), db.session.get(Unit, form.unit.data)
        try:
            audit = audits.start_audit(template, unit, current_user, form.audited_on.data, form.workflow.data)
        except audits.AuditError as error:
            form.workflow.errors.append(_error_message(error.code))
        else:
            db.session.commit()
            return redirect(url_for(".sample", audit_id=audit.id, number=1))
    return render_template("audits/start.html", form=form)


@bp.get("/<int:audit_id>")
def show(audit_id: int):
    audit = _audit_or_404(audit_id)
    return render_template("audits/show.html", **audit_page_data(audit, _lang()), finish_form=FinishAuditForm(),
                           can_record=current_user.role in RECORDING_ROLES)


@bp.route("/<int:audit_id>/stikproeve/<int:number>", methods=["GET", "POST"])
def sample(audit_id: int, number: int):
    _require_recorder()
    audit = _audit_or_404(audit_id)
    if audit.finished:
        flash(_error_message("finished"), "info")
        return redirect(url_for(".show", audit_id=audit.id))
    if not 1 <= number <= audit.template.sample_size:
        abort(404)
    stored = next((s for s in audit.samples if s.number == number), None)
    data = {f"c{a.criterion_id}": a.answer for a in stored.answers} | {"note": stored.note} if stored else None
    form = make_sample_form(audit.template.criteria, _lang(), data=data)
    if form.validate_on_submit():
        answers = {c.id: form[f"c{c.id}"].data for c in audit.template.criteria}
        audits.save_sample(audit, number, answers, form.note.data)
        db.session.commit()
        following = audits.next_open_sample(audit)
        flash(_("Sample %(number)s saved.", number=number), "info")
        if following is None:
            return redirect(url_for(".show", audit_id=audit.id))
        return redirect(url_for(".sample", audit_id=audit.id, number=following))
    return render_template("audits/sample.html", audit=audit, number=number, form=form,
                           criteria_fields=[form[f"c{c.id}"] for c in audit.template.criteria],
                           recorded={s.number for s in audit.samples})


@bp.post("/<int:audit_id>/afslut")
def finish(audit_id: int):
    _require_recorder()
    audit = _audit_or_404(audit_id)
    form = FinishAuditForm()
    if form.validate_on_submit():
        try:
            audits.finish(audit, form.reaudit_on.data)
        except audits.AuditError as error:
            flash(_error_message(error.code), "error")
        else:
            db.session.commit()
            flash(_("The audit is finished."), "info")
    else:
        flash(_("Enter the date as day, month and year."), "error")
    return redirect(url_for(".show", audit_id=audit.id))


@bp.get("/resultater")
def results():
    return render_template("audits/results.html", **results_page_data(current_user, request.args.get("template"), _lang(),
                                                                       request.args.get("workflow")))


@bp.get("/resultater/<int:unit_id>/<template_code>")
def run_chart(unit_id: int, template_code: str):
    data = run_chart_page_data(current_user, unit_id, template_code, _lang(), request.args.get("workflow"))
    if data is None:
        abort(404)
    return render_template("audits/run_chart.html", **data)


@bp.get("/resultater/<int:unit_id>/<template_code>.pdf")
def run_chart_download(unit_id: int, template_code: str):
    pdf = run_chart_pdf(current_user, unit_id, template_code, _lang(), request.args.get("workflow"))
    if pdf is None:
        abort(404)
    filename = f"audit-{template_code}-{unit_id}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/resultater/<int:unit_id>/<template_code>/diagram.<any(svg, png):fmt>")
def run_chart_slide(unit_id: int, template_code: str, fmt: str):
    """The run chart on a 16:9 slide, as SVG or PNG; 404 if not visible or without finished audits."""
    data = run_chart_page_data(current_user, unit_id, template_code, _lang(), request.args.get("workflow"))
    if data is None or data["chart"] is None:
        abort(404)
    svg = chart_slide(data["svg"], data["template_name"], f"{data['unit'].name} · {data['rule']}")
    return slide_response(svg, fmt, f"run-chart-{template_code}-{unit_id}")


def _download(body, mimetype: str, filename: str) -> Response:
    return Response(stream_with_context(body), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _template_or_404():
    template = audit_templates.find(request.args.get("template", ""))
    if template is None:
        abort(404)
    return template


@bp.get("/resultater.csv")
def results_csv():
    """Every finished audit with a template in the user's scope; ?format=excel (Danish Excel) or plain."""
    template, flavour = _template_or_404(), FLAVOURS.get(request.args.get("format", "excel"))
    if flavour is None:
        abort(400)
    rows = audit_rows(visible_unit_ids(current_user), template.code, lang=_lang())
    return _download(iter_csv(audit_columns(), rows, flavour), "text/csv", f"audits-{template.code}.csv")


@bp.get("/resultater.xlsx")
def results_xlsx():
    """The roll-up per afsnit, afdeling and sygehus and every finished audit, as two sheets."""
    template = _template_or_404()
    sheets = [Sheet(_("Results"), rollup_columns(), rollup_rows(current_user, template.code, _lang(),
                                                             request.args.get("workflow")), "implemented"),
              Sheet(_("Audits"), audit_columns(), audit_rows(visible_unit_ids(current_user), template.code,
                                                             lang=_lang()), "implemented")]
    return _download(iter_xlsx(sheets), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"audits-{template.code}.xlsx")


def _require_editor() -> None:
    if current_user.role not in ("admin", "coordinator"):
        abort(403)


@bp.get("/skabeloner")
def templates():
    _require_editor()
    found = audit_templates.active_templates()
    return render_template("audits/templates.html", templates=found,
                           editable={t.id for t in found if audit_templates.may_edit(t, current_user)})


@bp.route("/skabeloner/ny", methods=["GET", "POST"])
@bp.route("/skabeloner/<int:template_id>", methods=["GET", "POST"])
def edit_template(template_id: int | None = None):
    """Create a template, or change one (a new version once an audit has used it, so results stay comparable)."""
    _require_editor()
    existing = db.session.get(AuditTemplate, template_id) if template_id else None
    if template_id and existing is None:
        abort(404)
    if not audit_templates.may_edit(existing, current_user):
        abort(403)  # a shared template changes what every hospital's auditors are offered
    form = TemplateForm(data=template_form_data(existing) if existing and request.method == "GET" else None)
    if form.validate_on_submit():
        data = template_data_from_form(form)
        data["code"] = existing.code if existing else audit_templates.code_for(data["name"]["da"])
        try:
            saved = audit_templates.save(data, current_user, existing)
        except audit_templates.TemplateError as error:
            form.criteria.errors.append("; ".join(error.errors))
        else:
            db.session.commit()
            flash(_("The audit template is saved (version %(version)s).", version=saved.version), "info")
            return redirect(url_for(".templates"))
    used = audit_templates.is_used(existing) if existing else False
    return render_template("audits/template_form.html", form=form, template=existing, used=used)
