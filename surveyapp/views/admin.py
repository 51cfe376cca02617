"""Administration: organisation, rounds, users, tokens, questionnaires and the change log.

The access rule is applied once, here: admins may use every page; coordinators only the pages marked
`for_coordinators` (rounds, and the units within their scope); viewers none. Object-level checks
(a coordinator's scope) live in the services that load the objects.
"""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..inputs import db_int
from ..services.admin import changelog, changelog_words

bp = Blueprint("admin", __name__, url_prefix="/admin")


def for_coordinators(view):
    """Mark a view as open to coordinators too (within their scope)."""
    view.for_coordinators = True
    return view


@bp.before_request
@login_required
def require_role() -> None:
    if current_user.role == "admin":
        return
    view = current_app.view_functions.get(request.endpoint)
    if current_user.role != "coordinator" or not getattr(view, "for_coordinators", False):
        abort(403)


@bp.get("/")
@for_coordinators
def home():
    return render_template("admin/home.html")


@bp.get("/changelog")
def change_log():
    page = request.args.get("page", 1, type=db_int) or 1
    entries, more = changelog.entries(page=max(page, 1), target_type=request.args.get("type") or None,
                                      target_id=request.args.get("id", type=db_int))
    rows = changelog_words.entries_text(entries, changelog.changes)
    return render_template("admin/changelog.html", rows=rows, page=page, more=more)


@bp.get("/audit")
def change_log_old_address():
    """The change log's first address, kept for bookmarks; "audit" now means the clinical audits."""
    return redirect(url_for("admin.change_log", **request.args), code=301)


# The other admin pages register their routes on `bp`.
from . import admin_imports, admin_questionnaires, admin_rounds, admin_strategy, admin_units, admin_users  # noqa: E402,F401
