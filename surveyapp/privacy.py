"""Guards against personal data in free text."""
import re

#: ddmmyy-xxxx or ddmmyyxxxx (a space also accepted), with a plausible day and month, not inside a longer number.
_CPR = re.compile(r"(?<![\d])(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-\s\u2010-\u2015]?\d{4}(?![\d])")


def contains_cpr(text: str | None) -> bool:
    """Whether the text holds something shaped like a Danish CPR number."""
    return bool(text) and _CPR.search(text) is not None
