"""Importing a baseline: a SurveyXact dataset export as a closed round (upload → matching and dry run → confirm)."""
from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.admin import SurveyXactConfirmForm, SurveyXactImportForm

from ..extensions import db
from ..models import Questionnaire
from ..services.admin import rounds as rounds_admin
from ..services.admin import surveyxact as importer
from .admin import bp


def _request(data: bytes, questionnaire_id, name, opens, closes, unit_variable, mapping_text):
    return importer.ImportRequest(data, db.session.get(Questionnaire, int(questionnaire_id)), name, opens, closes,
                                  unit_variable.strip(), mapping_text or None)


@bp.route("/imports/surveyxact", methods=["GET", "POST"])
def surveyxact_import():
    """Step 1: upload and see the matching and the dry run. Nothing is written to the database here."""
    form = SurveyXactImportForm()
    form.questionnaire_id.choices = [(q.id, f"{q.text('da')} · v{q.version}")
                                     for q in rounds_admin.questionnaire_choices()]
    plan = confirm = None
    if form.validate_on_submit():
        data = form.file.data.read()
        mapping_text = form.mapping.data.read().decode("utf-8-sig", "replace") if form.mapping.data else None
        plan = importer.plan(_request(data, form.questionnaire_id.data, form.name.data, form.opens.data,
                                      form.closes.data, form.unit_variable.data, mapping_text))
        if plan.ok:
            confirm = SurveyXactConfirmForm(
                checksum=importer.keep_upload(data), mapping_text=mapping_text or "",
                questionnaire_id=form.questionnaire_id.data, name=form.name.data, opens=form.opens.data.isoformat(),
                closes=form.closes.data.isoformat(), unit_variable=form.unit_variable.data)
    return render_template("admin/surveyxact_import.html", form=form, plan=plan, confirm=confirm)


@bp.post("/imports/surveyxact/confirm")
def surveyxact_import_confirm():
    """Step 2: check the kept upload again and write the round, all or nothing."""
    form = SurveyXactConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    data = importer.take_upload(form.checksum.data)
    if data is None:
        flash(_("The uploaded file has expired; upload it again."), "error")
        return redirect(url_for("admin.surveyxact_import"))
    try:
        opens, closes = date.fromisoformat(form.opens.data), date.fromisoformat(form.closes.data)
    except ValueError:
        abort(400)
    request = _request(data, form.questionnaire_id.data, form.name.data, opens, closes, form.unit_variable.data,
                       form.mapping_text.data)
    plan = importer.plan(request)
    if not plan.ok:
        return render_template("admin/surveyxact_import.html", form=None, plan=plan, confirm=None)
    round_ = importer.apply(request, plan, current_user)
    db.session.commit()
    importer.forget_upload(form.checksum.data)
    flash(_("The baseline was imported as a closed round with %(count)d responses.", count=len(plan.respondents)),
          "success")
    return redirect(url_for("admin.round_view", round_id=round_.id))


@bp.app_template_filter("import_error")
def import_error(error) -> str:
    """A SurveyXact import error with its sheet and row, in the reader's language (the CLI prints the English)."""
    return error.text(_)
