"""The public respondent pages: /s/<slug> for every collection link, its QR codes and the thank-you page.

No login, no JavaScript needed. The page's languages are the questionnaire's (`?lang=` picks one). Failed
tries of unknown links are throttled, so single-use codes cannot be guessed.

Staff questionnaires are one page. Patient questionnaires (audience "patient") get the patient presentation
on the same mechanism: a language picker first (skipped by `?lang=xx`), then one question per screen. The
answers of the other screens travel in the form as hidden fields: nothing is stored before the final
submit, which goes through the same exactly-once `submit_response`. A `kiosk` link (a ward tablet) starts
every patient with a fresh one-time key, returns to the start by itself after the thank-you screen and
links nowhere else in the app. Answer pages are never cached (`no-store`).
"""

from dataclasses import replace
from functools import wraps

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf

from forms.respond import NoCprNumber, make_response_form, plain_answers

from ..database import DatabaseBusy, commit_with_retries
from ..inputs import db_int
from ..extensions import limiter
from ..i18n import LANGUAGE_NAMES, PATIENT_LANGUAGES
from ..services.collection import responses
from ..services.collection.links import link_url
from ..services.collection.qr import qr_png, qr_svg

bp = Blueprint("respond", __name__)

#: Failed tries (404s) per client before 429; a ward's staff share one Wi-Fi address, so not too tight.
CODE_TRIES = "20 per minute;100 per hour"
QR_MAX_AGE = 24 * 3600
#: The session remembers the form key of the last few links answered in this browser, nothing else.
REMEMBERED_KEYS = 8
#: A kiosk's thank-you screen returns to the start after this many seconds (SURVEYAPP_KIOSK_RESET_SECONDS).
KIOSK_RESET_SECONDS = 8
#: A kiosk's question screen left alone this long (a patient who walked away) returns to the start
#: (SURVEYAPP_KIOSK_ABANDON_SECONDS).
KIOSK_ABANDON_SECONDS = 15 * 60
#: Seconds a respondent is asked to wait before sending again when the database stayed busy (Retry-After).
RETRY_AFTER_SECONDS = 5
#: Every respondent form refuses a CPR number in a free text.
TEXT_VALIDATORS = (NoCprNumber(),)
#: Stand-ins rendered into a worker's copy of a page where each request's own values go: the link's slug, the
#: CSRF token and the one-time key. Letters only, so neither HTML escaping nor URL quoting changes them.
SLUG_MARK, CSRF_MARK, KEY_MARK = "SURVEYAPPSLUGMARK", "SURVEYAPPCSRFMARK", "SURVEYAPPKEYMARK"
#: Rendered pages kept per worker (each a few tens of KB); past this the copies are dropped and made again.
PAGE_CACHE_SIZE = 256


def _failed(response) -> bool:
    return response.status_code == 404


def _known_link() -> bool:
    """A valid open or kiosk link is never throttled: only guesses count, and a ward behind one address keeps
    answering. A single-use code is the secret being guessed, so once an address is throttled a right guess
    is refused like a wrong one (429), or the throttle would tell right from wrong at full speed."""
    link = g.get("link")
    return link is not None and link.kind != "code"


def throttled(view):
    """Count failed tries (404) per client and refuse past CODE_TRIES (429) for single-use codes and unknown
    links; a known open or kiosk link does not touch the limiter at all (it could never be refused)."""
    limited = limiter.limit(CODE_TRIES, deduct_when=_failed, scope="respond-slug", exempt_when=_known_link)(view)

    @wraps(view)
    def answer_or_throttle(*args, **kwargs):
        return view(*args, **kwargs) if _known_link() else limited(*args, **kwargs)

    return answer_or_throttle


@bp.before_request
def load_link() -> None:
    """Find the link once per request and offer the questionnaire's languages."""
    slug = (request.view_args or {}).get("slug")
    g.link = responses.find_link(slug, with_items=request.endpoint == "respond.answer") if slug else None
    if g.link is None:
        g.languages = PATIENT_LANGUAGES  # an unknown link may be a patient's QR code: their language if we can
        return
    g.languages = tuple(g.link.round.questionnaire.languages)
    if _is_patient(g.link) and _shows_picker():
        # The language picker is each patient's first screen: the last patient's choice (a kiosk) is forgotten.
        session.pop("lang", None)


@bp.after_request
def no_store(response):
    """Answer pages hold answers: no browser or proxy may keep them (the back button, a shared tablet)."""
    if request.endpoint in ("respond.answer", "respond.thanks"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _is_patient(link) -> bool:
    return link.round.questionnaire.audience == "patient"


def _shows_picker() -> bool:
    """A patient GET without a language of the questionnaire: the language picker."""
    return (request.method in ("GET", "HEAD") and request.endpoint == "respond.answer"
            and request.args.get("lang") not in g.languages)


def _lang() -> str:
    return get_locale().language


def _unavailable(error: responses.LinkUnavailable):
    page = responses.respondent_page(error.link, _lang()) if error.link is not None else None
    kiosk = error.link is not None and error.link.kind == "kiosk"
    return render_template("respond/unavailable.html", reason=error.reason, page=page, kiosk=kiosk), error.status


def _invalid(link):
    """A post no honest form can send (a value off the scale, a malformed key): 400, in the page's language."""
    return _unavailable(responses.LinkUnavailable("invalid", link))


def _form_key(slug: str, fresh: bool) -> tuple[str, bool]:
    """The form's one-time key, kept in the session so that a page fetched again (the back button) carries
    the same key as the one already submitted; `fresh` starts a new answer (someone else on this device).
    Returns the key and whether it was made just now (then no response can hold it yet)."""
    keys = dict(session.get("respond_keys") or {})
    key = None if fresh else keys.get(slug)
    if key is not None:
        return key, False
    key = responses.new_idempotency_key()
    keys.pop(slug, None)
    keys[slug] = key
    session["respond_keys"] = dict(list(keys.items())[-REMEMBERED_KEYS:])
    return key, True


def _form_class(questionnaire, lang: str):
    """The generated form class of a questionnaire in a language, built once per worker: the questionnaire is
    the worker's frozen copy (`responses.frozen_questionnaire`), and its messages are lazy, so one class
    serves every request in that language."""
    cache = current_app.extensions.setdefault("surveyapp.response_forms", {})
    form_class = cache.get((questionnaire.id, lang))
    if form_class is None:
        form_class = cache[(questionnaire.id, lang)] = make_response_form(questionnaire, lang, TEXT_VALIDATORS)
    return form_class


def _render_form(link, form, status: int = 200, busy: bool = False):
    page = responses.respondent_page(link, _lang())
    return render_template("respond/form.html", link=link, page=page, form=form, busy=busy), status


def _kept_page(name: str, link, page, render, **facts) -> str:
    """The worker's copy of a respondent page that depends only on its `facts`, the language, the languages
    offered, the questionnaire version, the round's minimum group, the page's names and the link's kind;
    `render(marked_link, page)` makes it (with SLUG_MARK for the slug) the first time. The copy is keyed by
    every one of these, so an edited round or renamed afsnit gets a new one: nothing is ever stale."""
    if "_flashes" in session:  # a message waiting to be shown: this page is not the usual one
        return render(link, page)
    cache = current_app.extensions.setdefault("surveyapp.respondent_pages", {})
    key = (name, _lang(), g.languages, link.round.questionnaire.id, link.round.min_group, link.kind, page,
           request.script_root, tuple(sorted(facts.items())))
    html = cache.get(key)
    if html is None:
        if len(cache) >= PAGE_CACHE_SIZE:
            cache.clear()
        html = cache[key] = render(replace(link, slug=SLUG_MARK), page)
    return html.replace(SLUG_MARK, link.slug)


def _fresh_page(name: str, link, key: str, render, **facts) -> str:
    """A page with an empty form (the staff form, a patient's first question): the worker's copy with this
    request's CSRF token and one-time key filled in, the same HTML the full render gives."""
    page = responses.respondent_page(link, _lang())

    def marked(marked_link, page):
        form = _form_class(link.round.questionnaire, _lang())()
        form.idempotency_key.data = KEY_MARK
        return render(marked_link, page, form)

    html = _kept_page(name, link, page, marked, **facts)
    return html.replace(CSRF_MARK, generate_csrf()).replace(KEY_MARK, key)


def _fresh_form(link, key: str):
    return _fresh_page("form", link, key, lambda marked_link, page, form: render_template(
        "respond/form.html", link=marked_link, page=page, form=form, busy=False, csrf_token=lambda: CSRF_MARK))


def _store(link, answers: dict, key: str | None):
    """Store the answers and commit, trying again while SQLite's write lock is held (a resend by the same
    one-time key stores nothing twice). Raises what `submit_response` raises, and DatabaseBusy. The view has
    just looked the key up (`already_stored`): the first try does not look again, a retry does."""
    tries = iter((True,))
    commit_with_retries(lambda: responses.submit_response(link, answers, key, _lang(),
                                                          looked_up=next(tries, False)))


def _send_again(rendered):
    """The form again, every answer kept, with "send again" (503): the database stayed busy, nothing stored."""
    response = make_response(rendered)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@bp.route("/s/<slug>", methods=["GET", "POST"])
@throttled
def answer(slug: str):
    made_now = False
    if request.method == "POST":
        key = request.form.get("idempotency_key")
    else:
        # A kiosk's start screen is a new patient: a fresh key, never the last patient's.
        kiosk_start = g.link is not None and g.link.kind == "kiosk" and _shows_picker()
        key, made_now = _form_key(slug, fresh=bool(request.args.get("new")) or kiosk_start)
    if not made_now and responses.already_stored(g.link, key):
        # Submitted before (a double tap, a retry, the back button): the thank-you page again, even if the
        # code is used or the round has closed since.
        if request.method == "POST":
            return redirect(url_for(".thanks", slug=slug), code=303)
        return _render_thanks(g.link)
    try:
        link = responses.check_open(g.link)
    except responses.LinkUnavailable as error:
        return _unavailable(error)
    if _is_patient(link):
        return _patient_answer(link, key)
    if request.method != "POST":  # GET, and HEAD as GET
        return _fresh_form(link, key)
    form_class = _form_class(link.round.questionnaire, _lang())
    # A post that is plainly valid is checked in plain Python against the frozen questionnaire; anything else
    # (an error to show, a value off the scale, a CPR number) goes through the form, which says what is wrong.
    answers = plain_answers(form_class, request.form)
    form = None
    if answers is None:
        form = form_class()
        if form.tampered():
            return _invalid(link)
        if not form.validate():
            return _render_form(link, form, 422)
        answers = form.answers()
    try:
        _store(link, answers, key)
    except responses.InvalidAnswers:
        return _invalid(link)
    except responses.LinkUnavailable as error:
        return _unavailable(error)
    except DatabaseBusy:
        return _send_again(_render_form(link, form or form_class(), 503, busy=True))
    return redirect(url_for(".thanks", slug=slug), code=303)


@bp.get("/s/<slug>/tak")
@throttled
def thanks(slug: str):
    if g.link is None:
        abort(404)
    return _render_thanks(g.link)


def _render_thanks(link):
    """The thank-you page from the worker's copy for this link's kind, language and names."""
    reset_after = current_app.config.get("SURVEYAPP_KIOSK_RESET_SECONDS", KIOSK_RESET_SECONDS)
    return _kept_page("thanks", link, responses.respondent_page(link, _lang()), lambda marked_link, page: (
        render_template("respond/thanks.html", link=marked_link, page=page, open_link=link.kind == "open",
                        kiosk=link.kind == "kiosk", patient=_is_patient(link), reset_after=reset_after)),
                      reset_after=reset_after)


def _patient_answer(link, key: str):
    """The patient presentation: the language picker, then one question per screen, then the submit."""
    if request.method != "POST":  # GET, and HEAD as GET
        if _shows_picker():
            return _render_picker(link)
        return _fresh_step(link, key)
    form = _form_class(link.round.questionnaire, _lang())()
    if form.tampered():
        return _invalid(link)
    count = len(form.items)
    step = min(max(request.form.get("step", default=0, type=db_int), 0), count - 1)
    go = request.form.get("go")
    if go == "back":
        return _render_step(link, form, max(step - 1, 0))
    if go == "next" and step < count - 1:
        if not form.validate_item(step):
            return _render_step(link, form, step, 422)
        return _render_step(link, form, step + 1)
    if not form.validate():
        first = form.first_error()
        return _render_step(link, form, step if first is None else first, 422)
    try:
        _store(link, form.answers(), form.idempotency_key.data)
    except responses.InvalidAnswers:
        return _invalid(link)
    except responses.LinkUnavailable as error:
        return _unavailable(error)
    except DatabaseBusy:
        return _send_again(_render_step(link, form, step, 503, busy=True))
    return redirect(url_for(".thanks", slug=link.slug, lang=_lang()), code=303)


def _render_picker(link):
    questionnaire = link.round.questionnaire
    choices = [(code, LANGUAGE_NAMES.get(code, code), questionnaire.text(code)) for code in questionnaire.languages]
    return _kept_page("picker", link, responses.respondent_page(link, _lang()), lambda marked_link, page: (
        render_template("respond/patient_languages.html", link=marked_link, choices=choices, page=page,
                        kiosk=link.kind == "kiosk")))


def _abandon_after() -> int:
    return current_app.config.get("SURVEYAPP_KIOSK_ABANDON_SECONDS", KIOSK_ABANDON_SECONDS)


def _step_page(link, page, form, step: int, busy: bool = False, **context) -> str:
    return render_template("respond/patient_step.html", link=link, page=page, form=form, step=step, busy=busy,
                           count=len(form.items), kiosk=link.kind == "kiosk", abandon_after=_abandon_after(),
                           **context)


def _fresh_step(link, key: str):
    """A patient's first question, empty: from the worker's copy."""
    return _fresh_page("step", link, key, lambda marked_link, page, form: _step_page(
        marked_link, page, form, 0, csrf_token=lambda: CSRF_MARK), abandon_after=_abandon_after())


def _render_step(link, form, step: int, status: int = 200, busy: bool = False):
    return _step_page(link, responses.respondent_page(link, _lang()), form, step, busy), status


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
    box_size = request.args.get("box", default=10, type=db_int)
    return _qr_response(qr_png(link_url(slug), box_size=min(max(box_size, 1), 40)), "image/png")


@bp.get("/s/<slug>/qr.svg")
@throttled
def qr_code_svg(slug: str):
    if g.link is None:
        abort(404)
    return _qr_response(qr_svg(link_url(slug)), "image/svg+xml")
