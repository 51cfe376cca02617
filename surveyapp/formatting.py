"""Numbers and dates for people, in the user's language through Babel: "82,4 %" and "6. juni 2026" in Danish,
"82.4%" and "June 6, 2026" in English. Shares are percentages 0-100 as the results service gives them."""
from __future__ import annotations

import functools
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.numbers import format_decimal, format_percent, parse_pattern
from flask import current_app
from flask_babel import get_locale

from .scoring import change_mark, display_percent
from .timeutil import local, period_days


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
    """A change in percentage points with its sign, ties rounded half up: "+4,3" for 4.25 / "−3,0"."""
    loc = Locale.parse(locale) if locale else _locale()
    shown = display_percent(abs(value), 1)
    text = format_decimal(shown, "0.0", locale=loc)
    return ("+" if shown and value > 0 else "−" if shown and value < 0 else "±") + text


def decimal(value: float | None, decimals: int = 1, locale: Locale | str | None = None) -> str:
    """A number with a fixed count of decimals, ties rounded half up (76.25 -> "76,3"); "–" for None."""
    if value is None:
        return "–"
    loc = Locale.parse(locale) if locale else _locale()
    shown = display_percent(value, decimals) if value >= 0 else -display_percent(-value, decimals)
    return format_decimal(shown, "#,##0." + "0" * decimals if decimals else "#,##0", locale=loc)


#: The level below which a change is called larger than chance (`scoring.two_proportion_test`).
SIGNIFICANCE = 0.05


def p_value(value: float, locale: Locale | str | None = None) -> str:
    """A p-value as a reader expects it, with its relation: "p < 0,001", "p = 0,04", "p = 0,005"; shown with as
    many decimals as keep it on its side of 0,05 ("p = 0,049", never "p = 0,05" for a change called real)."""
    loc = Locale.parse(locale) if locale else _locale()
    if value < 0.001:
        return "p < " + format_decimal(0.001, "0.000", locale=loc)
    decimals = p_value_decimals(value)
    if decimals is None:
        return "p < " + format_decimal(SIGNIFICANCE, "0.00", locale=loc)
    return "p = " + format_decimal(display_percent(value, decimals), "0." + "0" * decimals, locale=loc)


def p_value_decimals(value: float, limit: float = SIGNIFICANCE) -> int | None:
    """Decimals for a p-value: 2 (3 below 0.01), more while rounding half up would move it across `limit`;
    None when even 4 decimals would (0.04999...), to be shown as "p < 0,05"."""
    decimals = 2 if value >= 0.01 else 3
    while decimals <= 4:
        if (float(display_percent(value, decimals)) < limit) == (value < limit):
            return decimals
        decimals += 1
    return None


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


def period(opens_at: datetime, closes_at: datetime, locale: Locale | str | None = None,
           zone: str | None = None) -> str:
    """A round's period with its inclusive last day, as one Babel interval: "1.–27. dec. 2026",
    "20. nov.–27. dec. 2026" / "Dec 1 – 27, 2026". The one text for a period on every page and PDF."""
    loc = Locale.parse(locale) if locale else _locale()
    first, last = period_days(opens_at, closes_at, zone or _zone())
    if first == last:
        return format_date(first, "medium", locale=loc)
    return format_interval(first, last, "yMMMd", locale=loc)


def medium_date(value: date | datetime | None, locale: Locale | str | None = None) -> str:
    """A date as every table shows it: "27. dec. 2026" / "Dec 27, 2026"; a datetime (UTC) as its local day."""
    if value is None:
        return ""
    loc = Locale.parse(locale) if locale else _locale()
    if isinstance(value, datetime):
        value = local(value, _zone()).date()
    return format_date(value, "medium", locale=loc)


def date_time(value: datetime | None, locale: Locale | str | None = None) -> str:
    """A moment (naive UTC) as local time, in the same date style: "28. dec. 2026 01.00" / "Dec 28, 2026, 01:00"."""
    if value is None:
        return ""
    loc = Locale.parse(locale) if locale else _locale()
    moment = local(value, _zone())
    return str(loc.datetime_formats["medium"]).format(format_time(moment, "HH:mm" if loc.language != "da" else "HH.mm",
                                                                  locale=loc), format_date(moment, "medium", locale=loc))


def _zone() -> str:
    try:
        return current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Copenhagen")
    except RuntimeError:  # outside an app: the product's own zone
        return "Europe/Copenhagen"


FILTERS.update(period=period, medium_date=medium_date, date_time=date_time)
