"""Login and logout for coordinators, admins and viewers."""
import hashlib
import hmac
import logging
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forms.auth import LoginForm

from ..extensions import db, limiter, login_manager
from ..models import User
from ..services.users import authenticate

bp = Blueprint("auth", __name__)
logger = logging.getLogger(__name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id))
    # A deactivated user's open sessions end at their next request.
    return user if user is not None and user.active else None


def start_url(user) -> str:
    """Where a logged-in user starts: an auditor at the audits, everyone else at the rounds."""
    return url_for("audits.index") if getattr(user, "role", None) == "auditor" else url_for("coordinator.home")


def _safe_next(target: str | None, user=None) -> str:
    """Only a path on this site; never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return start_url(user)


def _failed(response) -> bool:
    """Only failed attempts count against the limits: a successful login redirects."""
    return response.status_code != 302


def _account_key() -> str:
    """Throttling key per account, so guessing one password from many addresses is slowed down too."""
    email = (request.form.get("email") or "").strip().lower().encode()
    return "login:" + hmac.new(current_app.config["SECRET_KEY"].encode(), email, hashlib.sha256).hexdigest()[:32]


#: Failed logins allowed per client address and per account before the form answers 429 for a while.
CLIENT_LIMIT = "10 per minute;50 per hour"
ACCOUNT_LIMIT = "10 per 15 minutes"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(CLIENT_LIMIT, methods=["POST"], deduct_when=_failed)
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=_account_key, deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(start_url(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            logger.info("user %s logged in", user.id)
            return redirect(_safe_next(request.args.get("next"), user))
        logger.info("failed login attempt")
        form.password.errors.append(_("The email or the password is wrong."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))
