"""The results' charts with translated, Babel-formatted texts; the PDF export can call the same functions."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ...charts import Bar, Column, bar_chart, column_chart
from ...formatting import percent, short_date
from ...scoring import Score
from .followup import FollowUp
from .unit_report import UnitReport

MET, MISSED = "✓", "✗"
#: The note a reverse-scored item carries wherever its share is shown.
REVERSE_NOTE = _l("reverse-scored: disagreeing counts as positive")


def score_text(result: Score, min_group: int) -> str:
    """"82,4 % ✓", "64,0 % ✗", or why there is no number."""
    if result.suppressed:
        return _("hidden (< %(n)s)", n=min_group)
    if result.percent is None:
        return _("no answers")
    return f"{percent(result.percent, target=result.target)} {MET if result.met else MISSED}"


def item_chart(report: UnitReport) -> Markup:
    """Every item of the unit as a bar with its interval and the target line; challenges marked."""
    bars = [Bar(label=f"{line.label} ({REVERSE_NOTE})" if line.reverse else line.label, percent=line.score.percent, ci_low=line.score.ci_low, ci_high=line.score.ci_high,
                value_text=score_text(line.score, report.min_group), met=line.score.met, marked=line.challenge,
                mark_text="▲ " + _("Challenge:"))
            for line in report.items]
    title = _("Share of positive answers per item, with the %(level)s interval and the target line",
              level=percent(95, 0))
    return Markup(bar_chart(bars, report.target, title, _("Target %(target)s", target=percent(report.target, 0))))


def days_chart(follow: FollowUp) -> Markup:
    """Responses per day as columns."""
    columns = [Column(short_date(day.day), day.responses, str(day.responses)) for day in follow.days]
    return Markup(column_chart(columns, _("Responses per day")))
