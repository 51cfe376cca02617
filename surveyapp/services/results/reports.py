"""PDF reports of a round (WeasyPrint): one for an afsnit, one for an afdeling or a whole sygehus.

The afsnit report shows its items as bars with the 95 % interval and the target line, the three biggest
challenges, the change since the previous round of the same questionnaire, the response rate and room for
the ward's action plan. The overview report shows the unit's key items and the table of every unit below
it. The numbers, challenges, changes and the chart are the dashboard's own (`services.unit_report`,
`results.dashboard.round_table`, `results.charts.item_chart`), so a report equals the unit's page.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from ...formatting import percent, points
from ...models import Round, Unit
from ...timeutil import utcnow
from ..pdf import render_pdf
from .charts import item_chart  # the unit page's chart, drawn the same in the PDF
from .counts import RoundData, load_round
from .dashboard import RoundTable, round_table
from .unit_report import UnitReport, subtree, unit_report

REPORT_LANGUAGES = ("da", "en")


class NoReport(LookupError):
    """The unit takes no part in the round."""


@dataclass(frozen=True)
class ReportUnit:
    """A unit a report can be made for, in hierarchy order."""

    id: int
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class Report:
    """Everything a report prints: the unit's dashboard data, its chart, and for an overview the units below."""

    round: Round
    lang: str
    printed_on: date
    path: str
    unit: UnitReport
    chart: Markup
    table: RoundTable | None = None
    table_items: tuple[str, ...] = ()

    @property
    def is_afsnit(self) -> bool:
        return self.unit.unit.level == "afsnit"


def report_units(round_: Round, visible: set[int] | None, data: RoundData | None = None) -> list[ReportUnit]:
    """Every unit of the round the reader may see, sygehus first, each afdeling followed by its afsnit."""
    data = data or load_round(round_, visible)
    return [ReportUnit(u, data.units[u].code, data.units[u].name, data.units[u].level)
            for u in data.visible_order(visible)]


def _path(data: RoundData, unit_id: int) -> str:
    names, node = [], data.units[unit_id]
    while node.parent_id is not None and node.parent_id in data.units:
        node = data.units[node.parent_id]
        names.append(node.name)
    return " › ".join(reversed(names))


def build_report(round_: Round, unit: Unit, visible: set[int] | None, lang: str) -> Report:
    """The report of `unit`: an afsnit report, or an overview (key items, units below) for an afdeling or sygehus."""
    dashboard = unit_report(round_, unit.id, lang)
    if dashboard is None:
        raise NoReport(unit.id)
    within = subtree(unit.id) if visible is None else subtree(unit.id) & visible
    data = load_round(round_, within)
    printed_on = utcnow().date()
    if unit.level == "afsnit":
        return Report(round_, lang, printed_on, _path(data, unit.id), dashboard, item_chart(dashboard))
    key = [line for line in dashboard.items if line.key] or dashboard.items
    shown = replace(dashboard, items=key)
    table = round_table(data, within)
    labels = {line.code: line.label for line in dashboard.items}
    return Report(round_, lang, printed_on, _path(data, unit.id), shown, item_chart(shown), table,
                  tuple(labels.get(code, code) for code in table.key_items))


def report_html(report: Report) -> str:
    """The report's HTML in its language."""
    template = "pdf/report_afsnit.html" if report.is_afsnit else "pdf/report_overview.html"
    return render_template(template, report=report, pct=percent, pp=points)


def report_pdf(round_: Round, unit: Unit, visible: set[int] | None, lang: str = "da") -> bytes:
    """The PDF report of `unit` in `round_` in Danish or English (see build_report)."""
    with force_locale(lang):
        return render_pdf(report_html(build_report(round_, unit, visible, lang)))
