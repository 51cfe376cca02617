"""Users and API tokens: admins only."""
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forms.admin import ActionForm, TokenForm, UserEditForm, UserForm

from ..extensions import db
from ..models import ApiToken, User
from ..services.admin import mail, tokens
from ..services.admin import users as users_admin
from ..services.users import UserError
from .admin import bp


def _scope_choices(form) -> None:
    form.units.choices = [(u.id, f"{u.code} · {u.name}") for u in users_admin.scope_choices()]


def _invitation_url(raw: str) -> str:
    return current_app.config["SURVEYAPP_PUBLIC_URL"] + url_for("account.accept_invitation", token=raw)


def _show_invitation(user: User, raw: str):
    """The link on screen, always; by mail too when a mail server is configured."""
    url = _invitation_url(raw)
    mailed = mail.send_invitation(user.email, url, users_admin.INVITATION_DAYS)
    return render_template("admin/invitation.html", user=user, url=url, days=users_admin.INVITATION_DAYS,
                           mailed=mailed)


@bp.get("/users")
def users():
    return render_template("admin/users.html", users=users_admin.all_users())


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    _scope_choices(form)
    if form.validate_on_submit():
        try:
            user, raw = users_admin.invite(current_user, form.email.data, form.role.data, form.units.data)
        except UserError:
            form.email.errors.append(_("A user with this email address already exists."))
        else:
            db.session.commit()
            return _show_invitation(user, raw)
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserEditForm(obj=user, data={"units": [u.id for u in user.units]})
    _scope_choices(form)
    if form.validate_on_submit():
        try:
            users_admin.update_user(current_user, user, form.role.data, form.units.data, form.active.data)
        except UserError as exc:
            form.role.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("%(email)s was saved.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, action=ActionForm())


@bp.post("/users/<int:user_id>/invite")
def user_invite(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    raw = users_admin.new_invitation(current_user, user)
    db.session.commit()
    return _show_invitation(user, raw)


@bp.route("/tokens", methods=["GET", "POST"])
def tokens_page():
    form = TokenForm()
    form.user_id.choices = [("", _("The whole organisation"))] + [
        (u.id, f"{u.email} ({u.role})") for u in users_admin.all_users() if u.active]
    if form.validate_on_submit():
        scope = db.session.get(User, form.user_id.data) if form.user_id.data else None
        token, raw = tokens.create_token(form.name.data, form.can_read_raw.data, scope, actor=current_user)
        db.session.commit()
        return render_template("admin/token_created.html", token=token, raw=raw)
    return render_template("admin/tokens.html", form=form, tokens=tokens.all_tokens(), action=ActionForm())


@bp.post("/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int):
    token = db.session.get(ApiToken, token_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    tokens.revoke_token(token, actor=current_user)
    db.session.commit()
    flash(_("The token %(name)s was revoked.", name=token.name), "success")
    return redirect(url_for("admin.tokens_page"))
