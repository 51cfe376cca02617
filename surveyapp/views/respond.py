"""The public respondent pages: /s/<slug> for every collection link, its QR codes and the thank-you page.

No login, no JavaScript needed. The page's languages are the questionnaire's (`?lang=` picks one). Failed
tries of unknown links are throttled, so single-use codes cannot be guessed.
"""

from flask import Blueprint, abort, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import get_locale

from forms.respond import make_response_form

from ..extensions import db, limiter
from ..services import responses
from ..services.links import link_url
from ..services.qr import qr_png, qr_svg

bp = Blueprint("respond", __name__)

#: Failed tries (404s) per client before 429; a ward's staff share one Wi-Fi address, so not too tight.
CODE_TRIES = "20 per minute;100 per hour"
QR_MAX_AGE = 24 * 3600
#: The session remembers the form key of the last few links answered in this browser, nothing else.
REMEMBERED_KEYS = 8


def _failed(response) -> bool:
    return response.status_code == 404


throttled = limiter.limit(CODE_TRIES, deduct_when=_failed, scope="respond-slug")


@bp.before_request
def load_link() -> None:
    """Find the link once per request and offer the questionnaire's languages."""
    slug = (request.view_args or {}).get("slug")
    g.link = responses.find_link(slug, with_items=request.endpoint == "respond.answer") if slug else None
    if g.link is not None:
        g.languages = tuple(g.link.round.questionnaire.languages)


def _lang() -> str:
    return get_locale().language


def _unavailable(error: responses.LinkUnavailable):
    page = responses.respondent_page(error.link, _lang()) if error.link is not None else None
    return render_template("respond/unavailable.html", reason=error.reason, page=page), error.status


def _invalid(link):
    """A post no honest form can send (a value off the scale, a malformed key): 400, in the page's language."""
    return _unavailable(responses.LinkUnavailable("invalid", link))


def _form_key(slug: str, fresh: bool) -> str:
    """The form's one-time key, kept in the session so that a page fetched again (the back button) carries
    the same key as the one already submitted; `fresh` starts a new answer (someone else on this device)."""
    keys = dict(session.get("respond_keys") or {})
    key = None if fresh else keys.get(slug)
    if key is None:
        key = responses.new_idempotency_key()
        keys.pop(slug, None)
        keys[slug] = key
        session["respond_keys"] = dict(list(keys.items())[-REMEMBERED_KEYS:])
    return key


def _render_form(link, form, status: int = 200):
    page = responses.respondent_page(link, _lang())
    return render_template("respond/form.html", link=link, page=page, form=form), status


@bp.route("/s/<slug>", methods=["GET", "POST"])
@throttled
def answer(slug: str):
    if request.method == "POST":
        key = request.form.get("idempotency_key")
    else:
        key = _form_key(slug, fresh=bool(request.args.get("new")))
    if responses.already_stored(g.link, key):
        # Submitted before (a double tap, a retry, the back button): the thank-you page again, even if the
        # code is used or the round has closed since.
        if request.method == "POST":
            return redirect(url_for(".thanks", slug=slug), code=303)
        return _render_thanks(g.link)
    try:
        link = responses.check_open(g.link)
    except responses.LinkUnavailable as error:
        return _unavailable(error)
    form = make_response_form(link.round.questionnaire, _lang())()
    if request.method == "GET":
        form.idempotency_key.data = key
        return _render_form(link, form)
    if form.tampered():
        return _invalid(link)
    if not form.validate():
        return _render_form(link, form, 422)
    try:
        responses.submit_response(link, form.answers(), form.idempotency_key.data, _lang())
    except responses.InvalidAnswers:
        return _invalid(link)
    except responses.LinkUnavailable as error:
        return _unavailable(error)
    db.session.commit()
    return redirect(url_for(".thanks", slug=slug), code=303)


@bp.get("/s/<slug>/tak")
@throttled
def thanks(slug: str):
    if g.link is None:
        abort(404)
    return _render_thanks(g.link)


def _render_thanks(link):
    page = responses.respondent_page(link, _lang())
    return render_template("respond/thanks.html", link=link, page=page, open_link=link.kind != "code")


def _qr_response(body, mimetype: str):
    response = make_response(body)
    response.mimetype = mimetype
    response.cache_control.public = True
    response.cache_control.max_age = QR_MAX_AGE
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/s/<slug>/qr.png")
@throttled
def qr_code_png(slug: str):
    if g.link is None:
        abort(404)
    box_size = request.args.get("box", default=10, type=int)
    return _qr_response(qr_png(link_url(slug), box_size=min(max(box_size, 1), 40)), "image/png")


@bp.get("/s/<slug>/qr.svg")
@throttled
def qr_code_svg(slug: str):
    if g.link is None:
        abort(404)
    return _qr_response(qr_svg(link_url(slug)), "image/svg+xml")
