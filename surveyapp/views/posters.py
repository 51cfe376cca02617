"""Coordinators' downloads of printable QR posters, poster packs and answer-code cards (PDF)."""
from flask import Blueprint, Response, abort, request
from flask_login import current_user, login_required

from ..extensions import db
from ..models import CollectionLink, Round, Unit
from ..services import posters
from ..services.scopes import can_see, visible_unit_ids

bp = Blueprint("posters", __name__, url_prefix="/koordinator/plakater")


@bp.before_request
@login_required
def require_login() -> None:
    """Every download here is for logged-in users; each view checks the unit against the user's scope."""


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
    except posters.PosterError:
        abort(404)
    return _pdf(data, f"plakat-{link.unit.code}-{request.args.get('size', 'a4')}.pdf")


@bp.get("/runde/<int:round_id>.pdf")
def round_pack(round_id: int):
    """One PDF with an A4 poster per afsnit of the round the user may see; ?codes=1 adds the answer-code cards."""
    round_ = db.session.get(Round, round_id) or abort(404)
    try:
        data = posters.pack_pdf(round_, visible_unit_ids(current_user), with_codes=request.args.get("codes") == "1")
    except posters.PosterError:
        abort(404)
    return _pdf(data, f"plakater-runde-{round_.id}.pdf")


@bp.get("/runde/<int:round_id>/afsnit/<int:unit_id>/svarkoder.pdf")
def code_cards(round_id: int, unit_id: int):
    """The unused answer-code cards of one afsnit in a round."""
    round_ = db.session.get(Round, round_id)
    unit = db.session.get(Unit, unit_id)
    if round_ is None or unit is None or not can_see(current_user, unit.id):
        abort(404)
    try:
        data = posters.code_cards_pdf(round_, unit)
    except posters.PosterError:
        abort(404)
    return _pdf(data, f"svarkoder-{round_.id}-{unit.code}.pdf")
