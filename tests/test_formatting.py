"""Numbers and dates through Babel: Danish by default, English when chosen."""
from datetime import date

from surveyapp.formatting import long_date, p_value, percent, points, short_date


def test_danish_numbers_and_dates():
    assert percent(82.44, locale="da") == "82,4\xa0%"
    assert percent(80, 0, locale="da") == "80\xa0%"
    assert long_date(date(2026, 6, 6), locale="da") == "6. juni 2026"
    assert short_date(date(2026, 6, 6), locale="da") == "6. jun."
    assert points(4.26, locale="da") == "+4,3" and points(-3, locale="da") == "−3,0"
    assert p_value(0.0234, locale="da") == "p = 0,02" and p_value(0.0004, locale="da") == "p < 0,001"
    assert percent(None) == "–"


def test_english_numbers_and_dates():
    assert percent(82.44, locale="en") == "82.4%"
    assert long_date(date(2026, 6, 6), locale="en") == "June 6, 2026"
    assert short_date(date(2026, 6, 6), locale="en") == "Jun 6"
    assert points(0, locale="en") == "±0.0"


def test_the_percent_formatter_gives_the_same_text_as_percent():
    from surveyapp.formatting import percent, percent_formatter

    for locale in ("da", "en"):
        for decimals in (0, 1):
            fast = percent_formatter(decimals, locale)
            for value, target in ((79.96, 80.0), (80.0, 80.0), (72.449, None), (0.0, None), (100.0, 80.0), (None, None)):
                assert fast(value, target=target) == percent(value, decimals, locale, target=target)
