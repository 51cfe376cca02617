"""Survey rounds: list, create (or clone), add units, close early, reopen. Coordinators too, in their scope."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.admin import ActionForm, AddUnitsForm, ReopenForm, RoundEditForm, RoundForm
from forms.patient_day import PatientDayForm

from ..inputs import db_int
from ..extensions import db
from ..i18n import LANGUAGE_NAMES
from ..models import Questionnaire
from ..services.admin import rounds as rounds_admin
from ..services.admin.rounds import RoundError
from ..services.collection.links import link_url
from ..services.collection.responses import today_local
from ..services.results import precompute
from .admin import bp, for_coordinators


@bp.get("/rounds")
@for_coordinators
def rounds():
    return render_template("admin/rounds.html", rows=rounds_admin.rounds_for(current_user))


def _round_form(source=None) -> RoundForm:
    defaults = rounds_admin.clone_defaults(source) if source is not None else {}
    if source is None and request.method == "GET":
        from flask import current_app
        defaults = {"target": round(current_app.config["SURVEYAPP_TARGET"] * 100),
                    "min_group": current_app.config["SURVEYAPP_MIN_GROUP"]}
    form = RoundForm(data=defaults) if request.method == "GET" else RoundForm()
    form.questionnaire_id.choices = [
        (q.id, f"{q.text('da')} · v{q.version}") for q in rounds_admin.questionnaire_choices()]
    return form


@bp.route("/rounds/new", methods=["GET", "POST"])
@for_coordinators
def round_new():
    source_id = request.args.get("from", type=db_int)
    source = rounds_admin.get_round(current_user, source_id) if source_id else None
    if source_id and source is None:
        abort(404)
    form = _round_form(source)
    if request.method == "POST" and "pick" in request.form:
        # "The whole sygehus or afdeling": tick every afsnit below the chosen ones, then let the user untick.
        form.units.data = sorted(set(form.units.data or []) | set(
            rounds_admin.afsnit_below(request.form.getlist("whole", type=db_int))))
    elif form.validate_on_submit():
        try:
            round_ = rounds_admin.create(
                current_user, db.session.get(Questionnaire, form.questionnaire_id.data) or abort(400), form.name.data,
                rounds_admin.to_utc(form.opens_at.data), rounds_admin.to_utc(form.closes_at.data), form.units.data,
                form.target.data / 100, form.min_group.data, cloned_from=source, codes_only=form.codes_only.data)
        except RoundError as exc:
            form.units.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The round %(name)s was created with %(count)d wards.", name=round_.name,
                    count=len(round_.units)), "success")
            return redirect(url_for("admin.round_view", round_id=round_.id))
    return render_template("admin/round_form.html", form=form, source=source,
                           choices=rounds_admin.unit_choices(current_user), ticked=set(form.units.data or []))


@bp.route("/rounds/patient-day", methods=["GET", "POST"])
@for_coordinators
def round_patient_day():
    """"Hvad er vigtigt for dig?"-dagen in one step: the patient round for the chosen afsnit and days."""
    defaults = rounds_admin.patient_day_defaults(today_local())
    form = PatientDayForm(data=defaults) if request.method == "GET" else PatientDayForm()
    patient_questionnaires = rounds_admin.patient_questionnaires()
    form.questionnaire_id.choices = [(q.id, f"{q.text('da')} · v{q.version}") for q in patient_questionnaires]
    if request.method == "POST" and "pick" in request.form:
        form.units.data = sorted(set(form.units.data or []) | set(
            rounds_admin.afsnit_below(request.form.getlist("whole", type=db_int))))
    elif form.validate_on_submit():
        try:
            round_ = rounds_admin.create_patient_day(
                current_user, db.session.get(Questionnaire, form.questionnaire_id.data) or abort(400),
                form.name.data, form.first_day.data, form.last_day.data, form.units.data, form.target.data / 100,
                form.min_group.data)
        except RoundError as exc:
            form.units.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The round %(name)s was created with %(count)d wards, each with a QR link and a kiosk link.",
                    name=round_.name, count=len(round_.units)), "success")
            return redirect(url_for("admin.round_view", round_id=round_.id))
    return render_template("admin/round_patient_day.html", form=form, unreviewed=_unreviewed(patient_questionnaires),
                           choices=rounds_admin.unit_choices(current_user), ticked=set(form.units.data or []))


def _unreviewed(questionnaires) -> list[tuple]:
    """(questionnaire, its machine-made languages by name) for those a translator has not checked."""
    return [(q, ", ".join(LANGUAGE_NAMES.get(lang, lang) for lang in q.unreviewed_languages))
            for q in questionnaires if q.unreviewed_languages]


def _posters_url(round_id: int) -> str | None:
    """The round's poster pack, where the posters blueprint is installed (it is built alongside this one)."""
    if "posters.round_pack" not in current_app.view_functions:
        return None
    return url_for("posters.round_pack", round_id=round_id)


@bp.get("/rounds/<int:round_id>")
@for_coordinators
def round_view(round_id: int):
    round_ = rounds_admin.get_round(current_user, round_id) or abort(404)
    in_round = {u.id for u in round_.units}
    addable = [c for c in rounds_admin.unit_choices(current_user) if c.level == "afsnit" and c.id not in in_round]
    reopen = ReopenForm(data={"closes_at": rounds_admin.to_local(round_.closes_at)})
    responses = rounds_admin.response_counts(round_)
    return render_template("admin/round.html", round=round_, status=round_.status(), action=ActionForm(),
                           released=round_.status() == "closed" and bool(responses),
                           beyond=rounds_admin.beyond_headcount(round_, responses),
                           reopen=reopen, add=AddUnitsForm(), addable=addable,
                           links=rounds_admin.link_counts(round_), responses=responses,
                           posters_url=_posters_url(round_.id),
                           kiosks=[(unit, link_url(link.slug)) for unit, link in rounds_admin.kiosk_links(round_)])


def _act(round_id: int, action, done):
    """Run a change to a round: commit and say done(result), or show why it was refused; back to the round."""
    try:
        result = action()
    except RoundError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(done(result), "success")
    return redirect(url_for("admin.round_view", round_id=round_id))


@bp.post("/rounds/<int:round_id>/units")
@for_coordinators
def round_add_units(round_id: int):
    round_ = rounds_admin.get_round(current_user, round_id) or abort(404)
    form = AddUnitsForm()
    if not form.validate_on_submit():
        flash(form.units.errors[0] if form.units.errors else _("Please try again."), "error")
        return redirect(url_for("admin.round_view", round_id=round_id))
    return _act(round_id, lambda: rounds_admin.add_units(current_user, round_, form.units.data),
                lambda added: _("%(count)d wards added, each with its link.", count=len(added)))


@bp.get("/rounds/<int:round_id>/close")
@for_coordinators
def round_close_confirm(round_id: int):
    """Closing early cannot be undone silently: a page of its own says what happens before the button."""
    round_ = rounds_admin.get_round(current_user, round_id) or abort(404)
    if round_.status() != "open":
        return redirect(url_for("admin.round_view", round_id=round_id))
    return render_template("admin/round_close.html", round=round_, action=ActionForm(),
                           responses=sum(rounds_admin.response_counts(round_).values()))


@bp.post("/rounds/<int:round_id>/close")
@for_coordinators
def round_close(round_id: int):
    round_ = rounds_admin.get_round(current_user, round_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    was_open = round_.status() == "open"
    response = _act(round_id, lambda: rounds_admin.close_early(current_user, round_),
                    lambda _r: _("The round is closed."))
    if was_open and round_.status() == "closed":  # committed: count the final data now, not at the first view
        precompute.precompute_after_close(round_)
    return response


@bp.post("/rounds/<int:round_id>/reopen")
@for_coordinators
def round_reopen(round_id: int):
    round_ = rounds_admin.get_round(current_user, round_id) or abort(404)
    form = ReopenForm()
    if not form.validate_on_submit():
        flash(form.closes_at.errors[0] if form.closes_at.errors else _("Please try again."), "error")
        return redirect(url_for("admin.round_view", round_id=round_id))
    return _act(round_id, lambda: rounds_admin.reopen(current_user, round_, rounds_admin.to_utc(form.closes_at.data)),
                lambda _r: _("The round is open again."))


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@for_coordinators
def round_edit(round_id: int):
    round_ = rounds_admin.get_round(current_user, round_id) or abort(404)
    data = {"name": round_.name, "opens_at": rounds_admin.to_local(round_.opens_at),
            "closes_at": rounds_admin.to_local(round_.closes_at), "target": round(round_.target * 100),
            "min_group": round_.min_group, "codes_only": round_.codes_only}
    form = RoundEditForm(data=data) if request.method == "GET" else RoundEditForm()
    if form.validate_on_submit():
        try:
            rounds_admin.update(current_user, round_, form.name.data, rounds_admin.to_utc(form.opens_at.data),
                                rounds_admin.to_utc(form.closes_at.data), form.target.data / 100, form.min_group.data,
                                codes_only=form.codes_only.data)
        except RoundError as exc:
            form.opens_at.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("The round was saved."), "success")
            return redirect(url_for("admin.round_view", round_id=round_id))
    return render_template("admin/round_edit.html", form=form, round=round_,
                           answered=rounds_admin.has_responses(round_), released=rounds_admin.released(round_))
