"""The results' charts with translated, Babel-formatted texts; the PDF export can call the same functions."""
from __future__ import annotations

from flask import g
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ...charts import Bar, Column, bar_chart, column_chart
from ...linecharts import Series, line_chart, sparkline
from ...formatting import decimal, long_date, percent, percent_formatter, short_date
from ...scoring import Score
from .dashboard import RoundTable
from .followup import FollowUp
from .history import History
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


def item_chart(report: UnitReport, for_slide: bool = False) -> Markup:
    """Every item of the unit as a bar with its interval and the target line; challenges marked. For a slide the
    labels stand beside the bars, so the chart is wide and low and fills 16:9 with large type."""
    bars = [Bar(label=f"{line.label} ({REVERSE_NOTE})" if line.reverse else line.label, percent=line.score.percent, ci_low=line.score.ci_low, ci_high=line.score.ci_high,
                value_text=score_text(line.score, report.min_group), met=line.score.met, marked=line.challenge,
                mark_text=_("Challenge %(rank)s:", rank=line.challenge) if line.challenge else "")
            for line in report.items]
    title = _("Share of positive answers per item, with the %(level)s interval and the target line",
              level=percent(95, 0))
    shape = {"width": 860, "wrap": 44, "label_width": 330} if for_slide else {}
    return Markup(bar_chart(bars, report.target, title, _("Target %(target)s", target=percent(report.target, 0)),
                            **shape))


def days_chart(follow: FollowUp) -> Markup:
    """Responses per day as columns."""
    columns = [Column(short_date(day.day), day.responses, str(day.responses)) for day in follow.days]
    return Markup(column_chart(columns, _("Responses per day"), tick_text=lambda n: decimal(n, 0)))


def _point_text(result: Score | None, words: dict[str, str], share) -> str:
    """A point of a trend in words: its share, or why it has none (never a hidden group's number)."""
    if result is None:
        return words["absent"]
    if result.suppressed:
        return words["hidden"]
    if result.percent is None:
        return words["empty"]
    return share(result.percent, target=result.target)


def _point_words() -> dict[str, str]:
    return {"absent": _("not in the round"), "hidden": _("hidden"), "empty": _("no answers")}


def _shown(result: Score | None) -> float | None:
    return None if result is None or result.suppressed else result.percent


def trend_charts(table: RoundTable) -> dict[int, Markup]:
    """Per row of the dashboard, a sparkline of its key items across the closed rounds, with the numbers
    in its text alternative ("Key item 1: 72 % → 81 %"); none when there is a single round."""
    charts, point_words, share = {}, _point_words(), percent_formatter(1)
    heading = _("Trend over %(n)s rounds, oldest first.", n=table.trend_rounds)
    item_words = _("Key item %(n)s: %(points)s")  # translated once, filled in per row (hundreds of rows)
    for row in table.rows:
        if not row.trend:
            continue
        words = [item_words % {"n": i, "points": " → ".join(_point_text(s, point_words, share) for s in scores)}
                 for i, scores in enumerate(row.trend, start=1)]
        label = heading + " " + "; ".join(words)
        series = [Series(str(i), [_shown(s) for s in scores]) for i, scores in enumerate(row.trend, start=1)]
        charts[row.unit.id] = Markup(sparkline(series, table.target, label))
    return charts


def history_chart(history: History, labels: dict[str, str], target: float, for_slide: bool = False) -> Markup:
    """The unit's key items across the rounds as lines against the target; hidden rounds are gaps. For a slide
    the chart is wider with a one-line legend, so it fills 16:9 with large type."""
    point_words, share = _point_words(), percent_formatter(1)
    series = [Series(str(k), [_shown(row.scores[k - 1]) for row in history.rows], labels.get(code, code),
                     [_point_text(row.scores[k - 1], point_words, share) if _shown(row.scores[k - 1]) is not None
                      else "" for row in history.rows])
              for k, code in enumerate(history.key_items, start=1)]
    x_labels = [(f"{row.round_name}\n{long_date(row.opens_at)}", format_date(row.opens_at, "MMM y"))
                for row in history.rows]
    title = _("The key items across the rounds: share of positive answers, with the target line")
    shape = {"width": 900, "plot_height": 220, "wrap": 110} if for_slide else {}
    return Markup(line_chart(series, x_labels, target, title, _("Target %(target)s", target=percent(target, 0)),
                             tick_text=lambda v: percent(v, 0), **shape))


def result_words(min_group: int) -> dict[str, str]:
    """The words of a result cell (templates/coordinator/results_macros.html), translated once per request: a
    dashboard of 300 afsnit has over a thousand cells, and a gettext call costs more than the rest of a cell."""
    key = (min_group, str(get_locale()))
    cache = g.setdefault("result_words", {})
    if key not in cache:
        cache[key] = {"hidden": _("hidden: fewer than %(n)s respondents", n=min_group), "empty": _("no answers"),
                      "met": _("meets the target"), "missed": _("below the target"), "item": _("Item %(n)s"),
                      "points": _("points"), "more": _("more than chance"), "chance": _("could be chance")}
    return cache[key]
