"""Coordinators' downloads of printable QR posters, poster packs and answer-code cards (PDF)."""
from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from forms.posters import CodeCardsForm

from ..extensions import db
from ..models import CollectionLink, Round, Unit
from ..services.collection import posters
from ..services.collection.materials import RoundClosed
from ..services.collection.responses import create_codes
from ..services.scopes import can_see, visible_unit_ids

bp = Blueprint("posters", __name__, url_prefix="/koordinator/plakater")


@bp.before_request
@login_required
def require_login() -> None:
    """Every download here is for logged-in users; each view checks the unit against the user's scope."""
    if current_user.role == "auditor":
        abort(403)  # auditors see audits only: no survey results, reports, posters or answer codes


def may_make_codes(user) -> bool:
    """Admins and coordinators make answer codes, and only they print the unused ones."""
    return user.role in ("admin", "coordinator")


def _refuse_closed(error: RoundClosed):
    """Back to the round's downloads, saying why: a closed round gets no posters, tents or answer codes."""
    flash(_("The round is closed and takes no more answers, so there is nothing to print for it."), "error")
    return redirect(url_for("downloads.round_downloads", round_id=error.round.id), code=303)


def _pdf(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/link/<int:link_id>.pdf")
def link_poster(link_id: int):
    """The A4 poster (?size=a4) or A5 table tent (?size=a5) of an open collection link."""
    link = db.session.get(CollectionLink, link_id)
    if link is None or not can_see(current_user, link.unit_id):
        abort(404)
    try:
        data = posters.poster_pdf(link, request.args.get("size", "a4"))
    except RoundClosed as error:
        return _refuse_closed(error)
    except posters.PosterError:
        abort(404)
    return _pdf(data, f"plakat-{link.unit.code}-{request.args.get('size', 'a4')}.pdf")


@bp.get("/runde/<int:round_id>.pdf")
def round_pack(round_id: int):
    """One PDF with an A4 poster per afsnit of the round the user may see; ?codes=1 adds the answer-code cards."""
    round_ = db.session.get(Round, round_id) or abort(404)
    with_codes = request.args.get("codes") == "1"
    if with_codes and not may_make_codes(current_user):
        abort(403)
    try:
        data = posters.pack_pdf(round_, visible_unit_ids(current_user), with_codes=with_codes)
    except RoundClosed as error:
        return _refuse_closed(error)
    except posters.PosterError:
        abort(404)
    return _pdf(data, f"plakater-runde-{round_.id}.pdf")


@bp.get("/runde/<int:round_id>/afsnit/<int:unit_id>/svarkoder.pdf")
def code_cards(round_id: int, unit_id: int):
    """The unused answer-code cards of one afsnit in a round: each answers the survey, so only for those who
    may make them."""
    if not may_make_codes(current_user):
        abort(403)
    round_ = db.session.get(Round, round_id)
    unit = db.session.get(Unit, unit_id)
    if round_ is None or unit is None or not can_see(current_user, unit.id):
        abort(404)
    try:
        data = posters.code_cards_pdf(round_, unit)
    except RoundClosed as error:
        return _refuse_closed(error)
    except posters.PosterError:
        abort(404)
    return _pdf(data, f"svarkoder-{round_.id}-{unit.code}.pdf")


def code_cards_form(round_: Round) -> CodeCardsForm:
    """The form that makes answer codes, offering the round's afsnit the user may see."""
    form = CodeCardsForm()
    visible = visible_unit_ids(current_user)
    form.unit.choices = [SelectChoice(u.id, f"{u.name} ({u.code})") for u in round_.units
                         if visible is None or u.id in visible]
    return form


@bp.post("/runde/<int:round_id>/svarkoder")
def create_code_cards(round_id: int):
    """Make N single-use answer codes for an afsnit, then print every unused card of that afsnit."""
    if not may_make_codes(current_user):
        abort(403)
    round_ = db.session.get(Round, round_id) or abort(404)
    form = code_cards_form(round_)
    if not form.validate_on_submit():
        flash(next(iter(form.errors.values()))[0], "error")
        return redirect(url_for("downloads.round_downloads", round_id=round_id))
    unit = db.session.get(Unit, form.unit.data)
    try:
        create_codes(round_, unit, form.count.data)
    except RoundClosed as error:
        return _refuse_closed(error)
    db.session.commit()
    flash(_("%(count)s answer codes made for %(unit)s.", count=form.count.data, unit=unit.name), "info")
    return redirect(url_for(".code_cards", round_id=round_id, unit_id=unit.id))
