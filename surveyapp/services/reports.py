"""PDF reports of a round (WeasyPrint): one for an afsnit, one for an afdeling or a whole sygehus.

The afsnit report shows its items as bars with the 95 % interval and the target line, the three biggest
challenges, the change since the previous round of the same questionnaire, the response rate and room for
the ward's action plan. The overview report shows the unit's key items and the table of every unit below
it. All numbers come from `services.results`, suppression included; templates only lay them out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import render_template
from flask_babel import force_locale, format_decimal
from markupsafe import Markup
from sqlalchemy import select

from ..extensions import db
from ..models import Questionnaire, Round, Unit, round_units
from ..scoring import Change, Score, Tally, two_proportion_test, weakest
from ..timeutil import utcnow
from .pdf import render_pdf
from .results import RoundData, UnitInfo, load_round, round_table
from .scopes import child_map, descendants

REPORT_LANGUAGES = ("da", "en")
CHALLENGES = 3


@dataclass(frozen=True)
class ReportUnit:
    """A unit a report can be made for, in hierarchy order."""

    id: int
    code: str
    name: str
    level: str


@dataclass(frozen=True)
class ItemLine:
    """One item of a report: its text, its score, its bar, and its change since the previous round."""

    code: str
    text: str
    key: bool
    score: Score
    bar: Markup
    previous: Score | None = None
    change: Change | None = None


@dataclass
class Report:
    """Everything a report prints."""

    round: Round
    unit: UnitInfo
    path: str
    lang: str
    printed_on: date
    respondents: int
    headcount: int | None
    response_rate: float | None
    suppressed: bool
    items: list[ItemLine]
    challenges: list[ItemLine] = field(default_factory=list)
    previous_round: Round | None = None
    table: object | None = None
    table_items: list[str] = field(default_factory=list)

    @property
    def target(self) -> float:
        """The round's target as a percentage."""
        return self.round.target * 100


def report_units(round_: Round, visible: set[int] | None, data: RoundData | None = None) -> list[ReportUnit]:
    """Every unit of the round the reader may see, sygehus first, each afdeling followed by its afsnit."""
    data = data or load_round(round_)
    return [ReportUnit(u, data.units[u].code, data.units[u].name, data.units[u].level)
            for u in data.visible_order(visible)]


def previous_round(round_: Round, unit_id: int) -> Round | None:
    """The latest earlier round of the same questionnaire (any version) that included the unit or below."""
    subtree = descendants(child_map(), [unit_id])
    return db.session.scalar(
        select(Round).join(Questionnaire, Questionnaire.id == Round.questionnaire_id)
        .join(round_units, round_units.c.round_id == Round.id)
        .where(Questionnaire.code == round_.questionnaire.code, Round.opens_at < round_.opens_at,
               Round.id != round_.id, round_units.c.unit_id.in_(subtree))
        .order_by(Round.opens_at.desc(), Round.id.desc()).limit(1))


def format_pct(value: float | None) -> str:
    """A percentage 0-100 for print, one decimal in the locale's style ("83,3 %"); a dash for none."""
    return "–" if value is None else format_decimal(value, format="0.0") + "\u00a0%"


def bar_svg(score: Score) -> Markup:
    """A horizontal bar 0-100 % with the 95 % interval as a whisker and the target as a dashed line."""
    target = f'<line x1="{score.target:.2f}" y1="0" x2="{score.target:.2f}" y2="12" class="target"/>'
    frame = '<rect x="0" y="2" width="100" height="8" class="track"/>'
    if score.percent is None:
        return Markup(f'<svg viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true">{frame}{target}</svg>')
    state = "met" if score.met else "not-met"
    bar = f'<rect x="0" y="2" width="{score.percent:.2f}" height="8" class="bar {state}"/>'
    whisker = (f'<line x1="{score.ci_low:.2f}" y1="6" x2="{score.ci_high:.2f}" y2="6" class="ci"/>'
               f'<line x1="{score.ci_low:.2f}" y1="4" x2="{score.ci_low:.2f}" y2="8" class="ci"/>'
               f'<line x1="{score.ci_high:.2f}" y1="4" x2="{score.ci_high:.2f}" y2="8" class="ci"/>')
    return Markup(f'<svg viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true">'
                  f'{frame}{bar}{whisker}{target}</svg>')


def _path(data: RoundData, unit: UnitInfo) -> str:
    names = []
    node = data.units.get(unit.parent_id) if unit.parent_id is not None else None
    while node is not None:
        names.append(node.name)
        node = data.units.get(node.parent_id) if node.parent_id is not None else None
    return " › ".join(reversed(names))


def _change(previous: Score | None, current: Score) -> Change | None:
    if previous is None or previous.n is None or current.n is None:
        return None
    return two_proportion_test(Tally(previous.n, previous.positive), Tally(current.n, current.positive))


def _item_lines(round_: Round, data: RoundData, unit_id: int, lang: str, previous: RoundData | None,
                only_key: bool = False) -> list[ItemLine]:
    texts = {item.code: item.label(lang) for item in round_.questionnaire.items}
    lines = []
    for spec in data.items:
        if only_key and not spec.key:
            continue
        current = data.item_score(unit_id, spec.code)
        before = None
        if previous is not None and unit_id in previous.units and any(s.code == spec.code for s in previous.items):
            before = previous.item_score(unit_id, spec.code)
        lines.append(ItemLine(spec.code, texts.get(spec.code, spec.code), spec.key, current, bar_svg(current),
                              before, _change(before, current)))
    return lines


def build_report(round_: Round, unit: Unit, visible: set[int] | None, lang: str) -> Report:
    """The report of `unit` in `round_`: an afsnit report, or an overview for an afdeling or a sygehus."""
    data = load_round(round_)
    info = data.units.get(unit.id) or UnitInfo(unit.id, unit.code, unit.name, unit.level, unit.parent_id,
                                               unit.headcount)
    earlier = previous_round(round_, unit.id)
    previous = load_round(earlier) if earlier is not None else None
    report = Report(round_, info, _path(data, info), lang, utcnow().date(), data.respondents.get(unit.id, 0),
                    data.headcount.get(unit.id), data.response_rate(unit.id), unit.id in data.hidden,
                    [], previous_round=earlier)
    if unit.level == "afsnit":
        report.items = _item_lines(round_, data, unit.id, lang, previous)
        by_code = {line.code: line for line in report.items}
        report.challenges = [by_code[c] for c in weakest({l.code: l.score for l in report.items}, CHALLENGES)]
    else:
        report.items = _item_lines(round_, data, unit.id, lang, previous, only_key=True) or \
            _item_lines(round_, data, unit.id, lang, previous)
        below = _subtree(data, unit.id)
        table = round_table(data, below if visible is None else below & visible)
        report.table = table
        texts = {item.code: item.label(lang) for item in round_.questionnaire.items}
        report.table_items = [texts.get(code, code) for code in table.key_items]
    return report


def _subtree(data: RoundData, unit_id: int) -> set[int]:
    found, stack = set(), [unit_id]
    while stack:
        current = stack.pop()
        found.add(current)
        stack.extend(data.children(current))
    return found


def format_points(value: float) -> str:
    """A change in percentage points with its sign, one decimal ("+4,2")."""
    return format_decimal(value, format="+0.0;-0.0")


def report_html(report: Report) -> str:
    """The report's HTML in its language."""
    template = "pdf/report_afsnit.html" if report.unit.level == "afsnit" else "pdf/report_overview.html"
    with force_locale(report.lang):
        return render_template(template, report=report, pct=format_pct, pp=format_points)


def report_pdf(round_: Round, unit: Unit, visible: set[int] | None, lang: str = "da") -> bytes:
    """The PDF report of `unit` in `round_` in Danish or English (see build_report)."""
    return render_pdf(report_html(build_report(round_, unit, visible, lang)))
