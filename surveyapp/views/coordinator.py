"""Coordinators, admins and viewers: the rounds they follow."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..services.overview import rounds_overview

bp = Blueprint("coordinator", __name__, url_prefix="/koordinator")


@bp.before_request
@login_required
def require_login() -> None:
    """Every page of this blueprint is for logged-in users."""


@bp.get("/")
def home():
    return render_template("coordinator/home.html", rounds=rounds_overview(current_user))
