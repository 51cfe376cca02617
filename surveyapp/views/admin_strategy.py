"""Administration of the strategy's data: DPSD extracts and indicators (upload → dry run → confirm)."""
import base64

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.strategy import DpsdConfirmForm, DpsdUploadForm, IndicatorConfirmForm, IndicatorForm, IndicatorUploadForm

from ..extensions import db
from ..services.strategy import definitions, dpsd_import, indicator_import
from ..services.strategy.tables import RowError
from .admin import bp


def _text(upload) -> str | None:
    return upload.data.read().decode("utf-8-sig", "replace") if upload.data else None


@bp.route("/strategy/dpsd", methods=["GET", "POST"])
def dpsd_import_page():
    """Step 1: upload and see the preview and the dry run. Nothing is written here."""
    form = DpsdUploadForm()
    plan = confirm = None
    if form.validate_on_submit():
        plan = dpsd_import.plan(form.file.data.read(), _text(form.mapping), _text(form.locations))
        if plan.ok:
            confirm = DpsdConfirmForm(content=dpsd_import.kept_csv(plan))
    return render_template("strategy/dpsd_import.html", form=form, plan=plan, confirm=confirm)


@bp.post("/strategy/dpsd/confirm")
def dpsd_import_confirm():
    """Step 2: check the kept cases again and write them, all or nothing."""
    form = DpsdConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    plan = dpsd_import.plan(form.content.data, dpsd_import.kept_mapping_text())
    if not plan.ok:
        return render_template("strategy/dpsd_import.html", form=DpsdUploadForm(), plan=plan, confirm=None)
    created, updated = dpsd_import.apply(plan)
    db.session.commit()
    flash(_("The DPSD cases were imported: %(created)d new, %(updated)d updated.", created=created, updated=updated),
          "success")
    return redirect(url_for("admin.dpsd_import_page"))


@bp.route("/strategy/indicators", methods=["GET", "POST"])
def indicators():
    """The indicators, and a form to define a new one."""
    form = IndicatorForm()
    if form.validate_on_submit():
        data = {**form.data, "target": form.target_percent.data / 100 if form.target_percent.data is not None else None}
        try:
            indicator = definitions.define(data, current_user)
        except definitions.IndicatorError as error:
            form.code.errors.append(_("This code is taken.") if error.code == "taken" else
                                    _("Use 2 to 60 of a-z, 0-9 and _, and not a built-in code."))
        else:
            db.session.commit()
            flash(_("The indicator %(name)s was defined.", name=indicator.name), "success")
            return redirect(url_for("admin.indicators"))
    return render_template("strategy/indicators.html", form=form, indicators=definitions.indicators(),
                           computed=definitions.COMPUTED)


@bp.route("/strategy/indicators/import", methods=["GET", "POST"])
def indicator_import_page():
    """Step 1: upload an indicator's data and see the dry run."""
    form = IndicatorUploadForm()
    form.indicator.choices = [(i.code, i.name) for i in definitions.indicators()]
    plan = confirm = None
    if form.validate_on_submit():
        data = form.file.data.read()
        plan = indicator_import.plan(form.indicator.data, data)
        if plan.ok:
            confirm = IndicatorConfirmForm(indicator=form.indicator.data,
                                           content=base64.b64encode(data).decode("ascii"))
    return render_template("strategy/indicator_import.html", form=form, plan=plan, confirm=confirm)


@bp.post("/strategy/indicators/import/confirm")
def indicator_import_confirm():
    """Step 2: check the same file again and write it, all or nothing."""
    form = IndicatorConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data = base64.b64decode(form.content.data, validate=True)
    except ValueError:
        abort(400)
    plan = indicator_import.plan(form.indicator.data, data)
    if not plan.ok:
        form = IndicatorUploadForm()
        form.indicator.choices = [(i.code, i.name) for i in definitions.indicators()]
        return render_template("strategy/indicator_import.html", form=form, plan=plan, confirm=None)
    created, updated = indicator_import.apply(plan)
    db.session.commit()
    flash(_("%(name)s: %(created)d values new, %(updated)d updated.", name=plan.indicator.name, created=created,
            updated=updated), "success")
    return redirect(url_for("admin.indicators"))


@bp.app_template_filter("row_error")
def row_error(error: RowError) -> str:
    """A strategy import error with its row (and side file) in the reader's language."""
    if error.file:
        return _("%(file)s, line %(row)d: %(message)s", file=error.file, row=error.row, message=error.message)
    return _("Row %(row)d: %(message)s", row=error.row, message=error.message) if error.row else error.message
