"""The strategy page of an afsnit, afdeling or sygehus, finished for the template: every measure grouped by
the strategy's areas, each with its latest value, target and met / not met, and a run chart or its history."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from ... import indicator_rules as rules
from ...indicator_rules import month_of
from ...audit_scoring import median, run_chart_signals
from ...formatting import percent
from ...models import AREAS, Unit
from ...runchart import ChartText, runchart_svg
from .figures import Item, strategy_items, uth_items


_MONTH = re.compile(r"^\d{4}-\d{2}$")


def area_title(area: str) -> str:
    return {
        "kultur": _("Patient safety culture (indsats 1)"),
        "uth": _("Learning from adverse events (indsats 2)"),
        "faste": _("Fixed measures: documentation and audits"),
        "sektor": _("Transitions between sectors"),
        "fb": _("Shared decision-making"),
    }[area]


def severity_name(code: str) -> str:
    return {"ingen": _("None"), "lettere": _("Minor"), "alvorlig_risiko": _("Serious patient safety risk"),
            "alvorlig": _("Serious"), "doedelig": _("Fatal")}[code]


@dataclass
class Measure:
    code: str
    name: str
    kind: str
    value: str
    target: str
    met: bool | None
    period: str
    about: str | None = None
    chart: Markup | None = None
    #: (period, value) of every period, oldest first: the history when there is no chart.
    history: list[tuple[str, str]] = field(default_factory=list)
    #: (month, this year, the same month last year) for the count that should rise.
    trend: list[tuple[str, int, int]] = field(default_factory=list)
    #: (severity name, cases) of the year.
    severities: list[tuple[str, int]] = field(default_factory=list)


def value_text(item: Item) -> str:
    """An item's value in words: a percentage, a number, a milestone's state; a dash without data."""
    if item.value is None:
        return "–"
    if item.kind == "share":
        return share_text(item.value, item.target)
    if item.kind == "milestone":
        if item.denominator and item.denominator > 1:
            return ngettext("%(done)s of %(num)s departments", "%(done)s of %(num)s departments", item.denominator,
                            done=item.numerator)
        return _("Done") if item.numerator else _("Not done")
    return format_decimal(item.value)


def share_text(value: float | None, target: float | None = None) -> str:
    """A share (0-1) as the results show percentages: one decimal, never rounded up to the target."""
    return percent(value * 100 if value is not None else None, 1, target=target * 100 if target is not None else None)


def target_text(item: Item) -> str:
    if item.kind == "share" and item.target is not None:
        return share_text(item.target)
    if item.indicator == "uth_reported":
        return _("More than the same months last year")
    if item.kind == "milestone":
        return _("Done")
    return "–"


def _chart(items: list[Item], name: str, number: int) -> Markup | None:
    points = [i for i in items if i.value is not None]
    if len(points) < 2 or points[-1].target is None:
        return None
    shares = [p.value for p in points]
    highlighted = {i for s in run_chart_signals(shares) for i in s.points}
    middle = median(shares)
    text = ChartText(title=_("Run chart: %(name)s", name=name),
                     median=_("Median %(share)s", share=share_text(middle)),
                     target=_("Target %(share)s", share=share_text(points[-1].target)),
                     point_labels=[p.period for p in points],
                     value_labels=[share_text(p.value, p.target) for p in points])
    return runchart_svg(shares, middle, points[-1].target, highlighted, text, chart_id=f"chart-{number}")


def _reported_so_far(items: list[Item], last_year: dict[str, int], today: date) -> Item:
    """The headline of reported cases: the year's complete months against the same months last year."""
    so_far = rules.reported_so_far({i.period: int(i.value or 0) for i in items}, last_year, month_of(today))
    months = so_far.months
    period = months[0] if len(months) == 1 else f"{months[0]} – {months[-1]}"
    return Item(items[0].indicator, items[0].name, "count", items[0].area, period, so_far.reported, None,
                so_far.reported, None, so_far.met)


def _measure(items: list[Item], number: int, last_year: dict[str, int], today: date) -> Measure:
    latest = next((i for i in reversed(items) if i.value is not None), items[-1])
    if latest.indicator == "uth_reported":
        latest = _reported_so_far(items, last_year, today)
    measure = Measure(latest.indicator, latest.name, latest.kind, value_text(latest), target_text(latest), latest.met,
                      latest.period, latest.about)
    if latest.kind == "share" and all(_MONTH.match(i.period) for i in items):
        measure.chart = _chart(items, latest.name, number)  # a survey item's history is a list of its rounds
    if measure.chart is None and latest.indicator != "uth_reported":
        measure.history = [(i.period, value_text(i)) for i in items]
    if latest.indicator == "uth_reported":
        measure.trend = [(i.period, int(i.value or 0), last_year.get(rules.same_month_last_year(i.period), 0))
                         for i in items]
    return measure


def strategy_page(unit: Unit, year: int, today: date, lang: str) -> dict:
    """The page's data: the unit, the year and its measures by area (no case is listed, only counts)."""
    items = strategy_items(unit, year, today, lang)
    last_year = {i.period: int(i.value or 0) for i in uth_items(unit, year - 1, today) if i.indicator == "uth_reported"}
    #: One series per measure: the generic audit's workflows share its code but not its name.
    by_code: dict[tuple, list[Item]] = defaultdict(list)
    severities: dict[str, int] = defaultdict(int)
    for item in items:
        if item.indicator.startswith("uth_severity_"):
            severities[item.indicator.removeprefix("uth_severity_")] += int(item.value or 0)
        else:
            by_code[(item.indicator, item.name, item.about)].append(item)
    groups = {area: [] for area in AREAS}
    for number, series in enumerate(by_code.values()):
        groups[series[0].area].append(_measure(series, number, last_year, today))
    if any(severities.values()):
        groups["uth"].append(Measure("uth_severity", _("Adverse events by severity"), "count",
                                     format_decimal(sum(severities.values())), "–", None, str(year),
                                     severities=[(severity_name(c), severities[c]) for c in rules.SEVERITIES]))
    return {"unit": unit, "year": year, "groups": [(area, area_title(area), groups[area]) for area in AREAS],
            "children": sorted((c for c in unit.children if c.active), key=lambda c: c.name),
            "has_figures": any(groups.values())}
