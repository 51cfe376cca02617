"""The strategy page: every measure of the quality strategy for an afsnit, afdeling or sygehus on one screen.

For those who read results (admins, coordinators, viewers) within their units; a unit outside the scope is 404.
"""
from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..inputs import db_int
from ..models import Unit
from ..services.scopes import visible_unit_ids
from ..services.strategy.page import strategy_page
from ..timeutil import utcnow

bp = Blueprint("strategy", __name__, url_prefix="/strategi")


@bp.before_request
@login_required
def require_reader():
    """Survey results are part of the page: auditors (audits only) are refused."""
    if current_user.role == "auditor":
        abort(403)
    g.visible_units = visible_unit_ids(current_user)


def _year() -> int:
    year = request.args.get("year", type=db_int)
    if year is None:
        return utcnow().year
    if not 2000 <= year <= 2100:
        abort(400)
    return year


@bp.get("/")
def index():
    """The units the user sees, as links to their strategy pages (sygehus, afdeling, afsnit)."""
    query = select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)
    if g.visible_units is not None:
        query = query.where(Unit.id.in_(g.visible_units))
    units = list(db.session.scalars(query))
    ids = {u.id for u in units}
    roots = [u for u in units if u.parent_id not in ids]
    if len(roots) == 1 and request.args.get("all") is None:
        return redirect(url_for(".unit_strategy", code=roots[0].code))
    return render_template("strategy/index.html", roots=roots)


@bp.get("/<code>")
def unit_strategy(code: str):
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or (g.visible_units is not None and unit.id not in g.visible_units):
        abort(404)
    locale = get_locale()
    data = strategy_page(unit, _year(), utcnow().date(), locale.language if locale else "da")
    visible_children = [c for c in data["children"] if g.visible_units is None or c.id in g.visible_units]
    parent = unit.parent if unit.parent and (g.visible_units is None or unit.parent.id in g.visible_units) else None
    return render_template("strategy/unit.html", **{**data, "children": visible_children}, parent=parent)
