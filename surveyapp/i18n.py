"""Languages and locale selection: ?lang= -> session -> Accept-Language -> Danish."""
from functools import lru_cache

from babel import Locale
from flask import g, has_request_context, request, session

#: Languages of the staff and coordinator UI, Danish first.
UI_LANGUAGES = ("da", "en")
#: Languages a patient may answer in.
PATIENT_LANGUAGES = ("da", "en", "de", "pl", "uk", "ar")
RTL_LANGUAGES = frozenset({"ar"})
#: Each language's name written in that language, for pickers (never flags).
LANGUAGE_NAMES = {
    "da": "Dansk",
    "en": "English",
    "de": "Deutsch",
    "pl": "Polski",
    "uk": "Українська",
    "ar": "العربية",
}


def allowed_languages() -> tuple[str, ...]:
    """The languages the current page offers; a blueprint may widen them in before_request."""
    return getattr(g, "languages", UI_LANGUAGES)


def select_locale() -> str | None:
    if not has_request_context():
        return None  # commands and background work: the default locale
    allowed = allowed_languages()
    requested = request.args.get("lang")
    if requested in allowed:
        session["lang"] = requested
        return requested
    remembered = session.get("lang")
    if remembered in allowed:
        return remembered
    return request.accept_languages.best_match(allowed, default=allowed[0])


@lru_cache(maxsize=64)
def _parsed_locale(code: str) -> Locale:
    return Locale.parse(code)


def select_locale_object() -> Locale | None:
    """`select_locale`'s choice as a babel Locale, parsed once per language and worker: Flask-Babel would
    parse the code again on every request (a Locale passes through its parse unchanged)."""
    code = select_locale()
    return None if code is None else _parsed_locale(code)


def text_direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"
