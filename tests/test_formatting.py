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


def test_a_round_closing_at_midnight_ends_the_day_before():
    from datetime import datetime

    from surveyapp.formatting import period

    # Stored UTC: opens 1 Dec 00.00 Danish time, closes 28 Dec 00.00 UTC (01.00 Danish time).
    assert period(datetime(2026, 11, 30, 23), datetime(2026, 12, 28), "da", "Europe/Copenhagen") == "1.–27. dec. 2026"
    assert period(datetime(2026, 11, 30, 23), datetime(2026, 12, 27, 23), "da", "Europe/Copenhagen") == "1.–27. dec. 2026"
    assert period(datetime(2026, 11, 30, 23), datetime(2026, 12, 28), "en", "Europe/Copenhagen") == "Dec 1\u2009–\u200927, 2026"


def test_a_round_closing_late_on_a_day_includes_that_day():
    from datetime import datetime

    from surveyapp.formatting import period

    # A patient day: 00.00 to 23.59 Danish time on 5 June (summer time, UTC+2).
    assert period(datetime(2026, 6, 4, 22), datetime(2026, 6, 5, 21, 59), "da", "Europe/Copenhagen") == "5. jun. 2026"
    assert period(datetime(2026, 11, 20, 8), datetime(2027, 1, 3, 12), "da", "Europe/Copenhagen") == \
        "20. nov. 2026–3. jan. 2027"


def test_period_days_never_ends_before_it_starts():
    from datetime import datetime

    from surveyapp.timeutil import period_days

    first, last = period_days(datetime(2026, 12, 27, 23, 30), datetime(2026, 12, 28, 0, 30), "Europe/Copenhagen")
    assert first == last


def test_a_moment_is_shown_in_danish_time_in_the_date_style_of_the_tables():
    from datetime import datetime

    from surveyapp.formatting import date_time

    assert date_time(datetime(2026, 12, 28), "da") == "28. dec. 2026 01.00"


def test_a_p_value_stays_on_its_side_of_five_percent():
    assert p_value(0.049, locale="da") == "p = 0,049"  # called larger than chance: never "0,05"
    assert p_value(0.0496, locale="da") == "p = 0,0496"
    assert p_value(0.049996, locale="da") == "p < 0,05"
    assert p_value(0.051, locale="da") == "p = 0,05" and p_value(0.05, locale="da") == "p = 0,05"  # chance
    assert p_value(0.0234, locale="da") == "p = 0,02" and p_value(0.0049, locale="da") == "p = 0,005"


def test_ties_round_half_up():
    from surveyapp.formatting import decimal

    assert decimal(76.25, locale="da") == "76,3" and decimal(76.35, locale="da") == "76,4"
    assert points(4.25, locale="da") == "+4,3" and points(-4.25, locale="da") == "−4,3"
    assert percent(76.25, locale="da") == "76,3\xa0%"
