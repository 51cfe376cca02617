"""The public start page."""
from flask import Blueprint, redirect, render_template
from flask_babel import get_locale
from flask_login import current_user

from .auth import start_url

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    # A logged-in user has nothing to do on the public page (its button is the login): go to their own start.
    if current_user.is_authenticated:
        get_locale()  # a ?lang= on the way is remembered, as on every other page
        return redirect(start_url(current_user))
    return render_template("main/index.html")


@bp.get("/healthz")
def health():
    from .. import __version__

    return {"status": "ok", "version": __version__}
