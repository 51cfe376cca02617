"""Administration of the organisation: the tree, one unit, CSV import and export."""
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.admin import ImportConfirmForm, ImportForm, UnitEditForm, UnitForm

from ..extensions import db
from ..services.admin import org_import
from ..services.admin import units as units_admin
from ..services.admin.units import UnitError
from .admin import bp, for_coordinators


def _parent_choices(form, level: str | None, exclude: int | None = None) -> None:
    """The possible parents of a unit of `level` (of any level for a new unit)."""
    levels = [level] if level else ["sygehus", "afdeling", "afsnit"]
    choices = [("", _("(none: a hospital)"))] if "sygehus" in levels else []
    for lvl in levels:
        choices += [(u.id, f"{u.code} · {u.name}") for u in units_admin.parent_choices(lvl) if u.id != exclude]
    form.parent_id.choices = choices


def _parent(form):
    return db.session.get(units_admin.Unit, form.parent_id.data) if form.parent_id.data else None


@bp.get("/units")
@for_coordinators
def units():
    return render_template("admin/units.html", rows=units_admin.tree(current_user))


@bp.route("/units/new", methods=["GET", "POST"])
def unit_new():
    form = UnitForm()
    _parent_choices(form, None)
    if form.validate_on_submit():
        try:
            unit = units_admin.create_unit(current_user, form.code.data, form.name.data, form.level.data,
                                           _parent(form), form.headcount.data)
        except UnitError as exc:
            getattr(form, exc.field).errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("%(code)s was created.", code=unit.code), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    unit = units_admin.get_unit(current_user, unit_id) or abort(404)
    form = UnitEditForm(obj=unit)
    _parent_choices(form, unit.level, exclude=unit.id)
    if form.validate_on_submit():
        try:
            units_admin.update_unit(current_user, unit, form.name.data, _parent(form), form.headcount.data,
                                    form.active.data)
        except UnitError as exc:
            form.parent_id.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("%(code)s was saved.", code=unit.code), "success")
            return redirect(url_for("admin.units"))
    return render_template("admin/unit_form.html", form=form, unit=unit, can_delete=units_admin.can_delete(unit))


@bp.post("/units/<int:unit_id>/delete")
def unit_delete(unit_id: int):
    unit = units_admin.get_unit(current_user, unit_id) or abort(404)
    try:
        units_admin.delete_unit(current_user, unit)
    except UnitError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.unit_edit", unit_id=unit_id))
    db.session.commit()
    flash(_("The unit was deleted."), "success")
    return redirect(url_for("admin.units"))


@bp.get("/units/export.csv")
def units_export():
    return Response(org_import.export_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=organisation.csv"})


@bp.route("/units/import", methods=["GET", "POST"])
def units_import():
    """Step 1: upload and see the dry run. Nothing is written here."""
    form = ImportForm()
    plan = confirm = None
    if form.validate_on_submit():
        text, errors = org_import.decode(form.file.data.read())
        if text is None:
            plan = org_import.ImportPlan(errors=errors)
        else:
            plan = org_import.plan(text, deactivate_missing=form.deactivate_missing.data)
            if plan.ok:
                confirm = ImportConfirmForm(content=text, deactivate_missing="1" if form.deactivate_missing.data else "")
    return render_template("admin/units_import.html", form=form, plan=plan, confirm=confirm)


@bp.post("/units/import/confirm")
def units_import_confirm():
    """Step 2: check the same text again and write it, all or nothing."""
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    deactivate_missing = form.deactivate_missing.data == "1"
    plan = org_import.plan(form.content.data, deactivate_missing=deactivate_missing)
    if not plan.ok:
        return render_template("admin/units_import.html", form=ImportForm(), plan=plan, confirm=None)
    org_import.apply(plan, current_user, deactivate_missing=deactivate_missing)
    db.session.commit()
    flash(_("The organisation was imported: %(created)d created, %(changed)d changed, %(deactivated)d deactivated.",
            created=len(plan.created), changed=len(plan.changed), deactivated=len(plan.deactivated)), "success")
    return redirect(url_for("admin.units"))
