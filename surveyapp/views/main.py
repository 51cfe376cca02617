"""The public start page."""
from datetime import date

from flask import Blueprint, current_app, redirect, render_template, url_for
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


@bp.get("/tilgaengelighed")
def accessibility():
    """The accessibility statement (tilgængelighedserklæring) in the EU model's structure."""
    config = current_app.config
    return render_template(
        "main/accessibility.html",
        operator=config["SURVEYAPP_ACCESSIBILITY_OPERATOR"] or config["SURVEYAPP_ORGANISATION"],
        email=config["SURVEYAPP_ACCESSIBILITY_EMAIL"], phone=config["SURVEYAPP_ACCESSIBILITY_PHONE"],
        reviewed=date.fromisoformat(config["SURVEYAPP_ACCESSIBILITY_REVIEWED"]),
        kiosk_seconds=config["SURVEYAPP_KIOSK_RESET_SECONDS"], public_url=config["SURVEYAPP_PUBLIC_URL"])


@bp.get("/was")
def accessibility_short():
    """The address Danish public sites use for their accessibility statement ("web accessibility statement")."""
    return redirect(url_for(".accessibility"))


@bp.get("/healthz")
def health():
    from .. import __version__

    return {"status": "ok", "version": __version__}
