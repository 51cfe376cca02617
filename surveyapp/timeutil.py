"""Times are stored as naive UTC; Flask-Babel shows them in Europe/Copenhagen."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: A round that closes this early on a day (local time) takes no answers that day worth naming: one closing at
#: midnight UTC closes 01.00 or 02.00 Danish time, and its last day is the day before.
_NIGHT = time(2, 0)


def utcnow() -> datetime:
    """The current time as naive UTC, the form every datetime column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def local(utc: datetime, zone: str) -> datetime:
    """A stored naive UTC time as naive wall-clock time in `zone`."""
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def period_days(opens_at: datetime, closes_at: datetime, zone: str) -> tuple[date, date]:
    """The first and the last day (inclusive) of a round open from `opens_at` until `closes_at` (naive UTC,
    the close exclusive), as days in `zone`: a round closing 28.12. 00.00 (or 01.00) ends on the 27th;
    one closing 28.12. 23.59 ends on the 28th."""
    first, end = local(opens_at, zone), local(closes_at, zone)
    last = end.date() - timedelta(days=1) if end.time() <= _NIGHT else end.date()
    return first.date(), max(first.date(), last)
