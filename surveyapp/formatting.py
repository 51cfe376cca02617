"""Numbers and dates for people, in the user's language through Babel: "82,4 %" and "6. juni 2026" in Danish,
"82.4%" and "June 6, 2026" in English. Shares are percentages 0-100 as the results service gives them."""
from __future__ import annotations

import functools
from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, parse_pattern
from flask_babel import get_locale

from .scoring import change_mark, display_percent


def _locale() -> Locale:
    return get_locale() or Locale.parse("da")


def percent(value: float | None, decimals: int = 1, locale: Locale | str | None = None,
            target: float | None = None) -> str:
    """A percentage 0-100 in the locale's pattern with `decimals` decimals, rounded by
    `scoring.display_percent` (half up; never up to `target`, a percentage, from below); "–" for None."""
    if value is None:
        return "–"
    loc = Locale.parse(locale) if locale else _locale()
    return _percent_text(display_percent(value, decimals, target), decimals, str(loc))


@functools.lru_cache(maxsize=8192)
def _percent_text(shown: float, decimals: int, locale: str) -> str:
    # Remembered: a dashboard of 300 afsnit formats a thousand cells, nearly all with one of the few hundred
    # values a rounded percentage can take, and Babel's pattern formatting costs about 50 µs a call.
    loc = Locale.parse(locale)
    pattern = loc.percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("0", "0." + "0" * decimals, 1) if "0." not in pattern else pattern
    return format_percent(shown / 100, pattern, locale=loc, decimal_quantization=True)


def percent_formatter(decimals: int = 1, locale: Locale | str | None = None):
    """`percent` with the locale and pattern looked up once: for pages that format thousands of shares
    (the dashboard's trends). Returns f(value, target=None) -> str, the same text as `percent`."""
    loc = Locale.parse(locale) if locale else _locale()
    text = loc.percent_formats[None].pattern
    if decimals:
        text = text.replace("0", "0." + "0" * decimals, 1) if "0." not in text else text
    pattern = parse_pattern(text)

    def format_one(value: float | None, target: float | None = None) -> str:
        if value is None:
            return "–"
        return pattern.apply(display_percent(value, decimals, target) / 100, loc, decimal_quantization=True)

    return format_one


def points(value: float, locale: Locale | str | None = None) -> str:
    """A change in percentage points with its sign: "+4,2" / "−3,0"."""
    loc = Locale.parse(locale) if locale else _locale()
    text = format_decimal(abs(value), "0.0", locale=loc)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


def decimal(value: float | None, decimals: int = 1, locale: Locale | str | None = None) -> str:
    """A number with a fixed count of decimals, "–" for None."""
    if value is None:
        return "–"
    loc = Locale.parse(locale) if locale else _locale()
    return format_decimal(value, "#,##0." + "0" * decimals if decimals else "#,##0", locale=loc)


def p_value(value: float, locale: Locale | str | None = None) -> str:
    """A p-value as a reader expects it, with its relation: "p < 0,001", "p = 0,04", "p = 0,167"."""
    loc = Locale.parse(locale) if locale else _locale()
    if value < 0.001:
        return "p < " + format_decimal(0.001, "0.000", locale=loc)
    return "p = " + format_decimal(value, "0.00" if value >= 0.01 else "0.000", locale=loc)


def long_date(value: date | None, locale: Locale | str | None = None) -> str:
    """A date in words: "6. juni 2026" / "June 6, 2026"."""
    if value is None:
        return ""
    loc = Locale.parse(locale) if locale else _locale()
    return format_date(value, "long", locale=loc)


def short_date(value: date, locale: Locale | str | None = None) -> str:
    """Day and month, for chart labels: "6. jun." / "Jun 6"."""
    loc = Locale.parse(locale) if locale else _locale()
    return format_date(value, "d. MMM" if loc.language == "da" else "MMM d", locale=loc)


FILTERS = {"percent": percent, "points": points, "decimal": decimal, "p_value": p_value,
           "long_date": long_date, "short_date": short_date, "change_mark": change_mark}
