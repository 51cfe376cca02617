"""Times are stored as naive UTC; Flask-Babel shows them in Europe/Copenhagen."""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")


def utcnow() -> datetime:
    """The current time as naive UTC, the form every datetime column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def last_day(closes_at: datetime, zone: str | None = None) -> date:
    """The last day, in Danish time (or `zone`), that a round closing at `closes_at` (naive UTC, the first moment
    it is closed) takes answers, as posters ("Svar senest 28. december 2026") and every period print it: the last
    day it is open at noon. Closing at midnight or 23:59 makes that day the last; closing at 01:00 (midnight UTC)
    is over before anyone reads a poster that day, so the day before is the last; closing at 16:00 keeps that day."""
    local_close = closes_at.replace(tzinfo=UTC).astimezone(ZoneInfo(zone) if zone else LOCAL_ZONE)
    return (local_close - timedelta(hours=12, microseconds=1)).date()


def local(utc: datetime, zone: str) -> datetime:
    """A stored naive UTC time as naive wall-clock time in `zone`."""
    return utc.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def period_days(opens_at: datetime, closes_at: datetime, zone: str) -> tuple[date, date]:
    """The first and the last day (inclusive, by `last_day`'s one rule) of a round open from `opens_at` until
    `closes_at` (naive UTC, the close exclusive), as days in `zone`: a round closing 28.12. 00.00 (or 01.00)
    ends on the 27th; one closing 28.12. 23.59 ends on the 28th."""
    first = local(opens_at, zone).date()
    return first, max(first, last_day(closes_at, zone))
