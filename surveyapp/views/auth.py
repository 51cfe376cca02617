"""Login and logout for coordinators, admins and viewers."""
import hashlib
import hmac
import logging
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from forms.auth import LoginForm

from ..extensions import db, limiter, login_manager
from ..inputs import DB_INT_MAX
from ..models import User
from ..services.users import authenticate

bp = Blueprint("auth", __name__)
logger = logging.getLogger(__name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session or remember-me cookie holding "<id>:<session version>"; an older version (the
    user logged out or changed password since) or a deactivated user is nobody."""
    user_key, _sep, version = (user_id or "").partition(":")
    if not (user_key.isdigit() and version.isdigit()) or int(user_key) > DB_INT_MAX:
        return None
    user = db.session.get(User, int(user_key))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def start_session(user: User, remember: bool = False) -> None:
    """Log in with a fresh CSRF secret: nothing from before the login is carried into the session."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    login_user(user, remember=remember)


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
    """Throttling key per (account, client address) pair: failed logins from an attacker's address slow that
    address's tries at the account, never the owner's own logins from their ward."""
    email = (request.form.get("email") or "").strip().lower()
    pair = f"{email}\n{request.remote_addr or ''}".encode()
    return "login:" + hmac.new(current_app.config["SECRET_KEY"].encode(), pair, hashlib.sha256).hexdigest()[:32]


#: Failed logins allowed per client address, and per account from one address, before the form answers 429.
CLIENT_LIMIT = "30 per minute;200 per hour"
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
            start_session(user, remember=form.remember.data)
            logger.info("user %s logged in", user.id)
            return redirect(_safe_next(request.args.get("next"), user))
        logger.info("failed login attempt")
        form.password.errors.append(_("The email or the password is wrong."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    current_user.end_sessions()  # every other browser and remember-me cookie of this user too
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))
