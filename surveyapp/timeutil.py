"""Times are stored as naive UTC; Flask-Babel shows them in Europe/Copenhagen."""
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")


def utcnow() -> datetime:
    """The current time as naive UTC, the form every datetime column holds."""
    return datetime.now(UTC).replace(tzinfo=None)


def last_day(closes_at: datetime) -> date:
    """The last day, in Danish time, that a round closing at `closes_at` (naive UTC, the first moment it is
    closed) takes answers, as posters print it ("Svar senest 28. december 2026"): the last day it is open at
    noon. Closing at midnight or 23:59 makes that day the last; closing at 01:00 (midnight UTC) is over before
    anyone reads a poster that day, so the day before is the last; closing at 16:00 keeps that day."""
    local = closes_at.replace(tzinfo=UTC).astimezone(LOCAL_ZONE)
    return (local - timedelta(hours=12, microseconds=1)).date()
