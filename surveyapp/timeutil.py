"""Times are stored as naive UTC; Flask-Babel shows them in Europe/Copenhagen."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time as naive UTC, the form every datetime column holds."""
    return datetime.now(UTC).replace(tzinfo=None)
