"""A user's own account: set a password from an invitation link, change one's password."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forms.admin import ChangePasswordForm, SetPasswordForm

from ..extensions import db
from ..services.admin import users as users_admin
from .auth import start_session

bp = Blueprint("account", __name__, url_prefix="/konto")


@bp.after_request
def no_referrer(response):
    # The invitation token is in the URL: never send it on to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = users_admin.find_invitation(token)
    if invitation is None:
        abort(404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        user = users_admin.accept_invitation(invitation, form.password.data)
        db.session.commit()
        start_session(user)
        flash(_("Your password is set. Welcome."), "success")
        return redirect(url_for("coordinator.home"))
    return render_template("account/set_password.html", form=form, email=invitation.user.email)


@bp.route("/adgangskode", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if users_admin.change_password(current_user, form.current.data, form.password.data):
            db.session.commit()
            start_session(current_user._get_current_object())  # this browser stays in; the others are out
            flash(_("Your password is changed."), "success")
            return redirect(url_for("coordinator.home"))
        form.current.errors.append(_("The current password is wrong."))
    return render_template("account/change_password.html", form=form)
