"""Importing an indicator's data from a report extract: `unit_code;period;numerator;denominator` (a share or a
count, one row per unit and month) or `unit_code;date;done` (a milestone). All or nothing, every error at once;
a row for a unit and period already imported updates it.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Indicator, IndicatorValue, Unit
from . import upsert
from .definitions import find
from .tables import RowError, TableError, normalise, parse_date, read_table

logger = logging.getLogger(__name__)

COUNT_COLUMNS = ("unit_code", "period", "numerator", "denominator")
MILESTONE_COLUMNS = ("unit_code", "date", "done")
TRUE_WORDS = {"1", "ja", "j", "yes", "y", "true", "x", "done", "opfyldt"}
FALSE_WORDS = {"0", "nej", "n", "no", "false", "", "ikke opfyldt"}
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class ValueRow:
    row: int
    unit_id: int
    unit_code: str
    period: date
    numerator: int | None = None
    denominator: int | None = None
    done: bool | None = None


@dataclass
class IndicatorPlan:
    indicator: Indicator | None = None
    rows: list[ValueRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(ValueError):
    """apply() was given a plan with errors."""


def columns_of(indicator: Indicator) -> tuple[str, ...]:
    return MILESTONE_COLUMNS if indicator.kind == "milestone" else COUNT_COLUMNS


def _whole(text: str, name: str, row: int, errors: list[RowError]) -> int | None:
    if text.isdigit() and len(text) < 10:
        return int(text)
    errors.append(RowError(row, str(_l("Bad number %(value)s in %(field)s: use a whole number of 0 or more.",
                                       value=text or '""', field=name))))
    return None


def _period(text: str, row: int, errors: list[RowError]) -> date | None:
    match = _PERIOD.match(text)
    if match and 1 <= int(match.group(2)) <= 12:
        return date(int(match.group(1)), int(match.group(2)), 1)
    errors.append(RowError(row, str(_l("Bad period %(value)s: write YYYY-MM.", value=text or '""'))))
    return None


def _counts(indicator: Indicator, cells: list[str], row: int, errors: list[RowError]) -> dict | None:
    before = len(errors)
    period = _period(cells[1], row, errors)
    numerator = _whole(cells[2], "numerator", row, errors)
    denominator = None
    if indicator.kind == "share":
        denominator = _whole(cells[3], "denominator", row, errors)
        if numerator is not None and denominator is not None and numerator > denominator:
            errors.append(RowError(row, str(_l("The numerator is larger than the denominator."))))
    elif cells[3]:
        errors.append(RowError(row, str(_l("A count has no denominator: leave it empty."))))
    return None if len(errors) > before else {"period": period, "numerator": numerator, "denominator": denominator}


def _milestone(cells: list[str], row: int, errors: list[RowError]) -> dict | None:
    before = len(errors)
    day = parse_date(cells[1])
    if day is None:
        errors.append(RowError(row, str(_l("Bad date %(value)s in %(field)s: write dd-mm-yyyy or yyyy-mm-dd.",
                                           value=cells[1] or '""', field="date"))))
    done = cells[2].lower()
    if done not in TRUE_WORDS | FALSE_WORDS:
        errors.append(RowError(row, str(_l("Bad value %(value)s in done: use 1 or 0.", value=cells[2]))))
    return None if len(errors) > before else {"period": day, "done": done in TRUE_WORDS}


def plan(code: str, data: bytes) -> IndicatorPlan:
    """Check an indicator's data file (CSV with `;`, or Excel) and say what importing it would do."""
    result = IndicatorPlan(indicator=find(code))
    if result.indicator is None:
        result.errors.append(RowError(0, str(_l("There is no indicator %(code)s.", code=code))))
        return result
    indicator, expected = result.indicator, columns_of(result.indicator)
    try:
        table = read_table(data)
    except TableError as exc:
        result.errors.append(RowError(0, exc.message))
        return result
    if [normalise(h) for h in table.header] != list(expected):
        result.errors.append(RowError(1, str(_l("The first row must name the columns: %(columns)s.",
                                                columns=";".join(expected)))))
        return result
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    seen: dict[tuple, int] = {}
    for row, cells in table.rows:
        if len(cells) != len(expected):
            result.errors.append(RowError(row, str(_l("Expected %(expected)d columns but found %(found)d.",
                                                      expected=len(expected), found=len(cells)))))
            continue
        unit = units.get(cells[0])
        if unit is None or unit.level != indicator.level:
            result.errors.append(RowError(row, str(_l("%(code)s is no %(level)s.", code=cells[0] or '""',
                                                      level=indicator.level))))
        values = (_milestone if indicator.kind == "milestone" else
                  lambda c, r, e: _counts(indicator, c, r, e))(cells, row, result.errors)
        if unit is None or unit.level != indicator.level or values is None:
            continue
        key = (unit.id, values["period"])
        if key in seen:
            result.errors.append(RowError(row, str(_l("Duplicate row for %(code)s and %(period)s (also row %(other)d).",
                                                      code=unit.code, period=cells[1], other=seen[key]))))
            continue
        seen[key] = row
        result.rows.append(ValueRow(row, unit.id, unit.code, **values))
    result.errors.sort(key=lambda e: e.row)
    if result.ok:
        _count_changes(result)
    return result


def _changes(result: IndicatorPlan) -> upsert.Changes:
    indicator = result.indicator
    existing = {(r.unit_id, r.period): r for r in db.session.execute(
        select(IndicatorValue.id, IndicatorValue.unit_id, IndicatorValue.period, IndicatorValue.numerator,
               IndicatorValue.denominator, IndicatorValue.done).where(IndicatorValue.indicator_id == indicator.id))}
    return upsert.changes(
        result.rows, existing, key=lambda row: (row.unit_id, row.period),
        values=lambda row: {"indicator_id": indicator.id, "unit_id": row.unit_id, "period": row.period,
                            "numerator": row.numerator, "denominator": row.denominator, "done": row.done},
        stored=lambda old: {"numerator": old.numerator, "denominator": old.denominator, "done": old.done})


def _count_changes(result: IndicatorPlan) -> None:
    found = _changes(result)
    result.created, result.updated, result.unchanged = len(found.new), len(found.changed), found.unchanged


def apply(result: IndicatorPlan) -> tuple[int, int]:
    """Write a plan without errors; (created, updated)."""
    if not result.ok:
        raise ImportRefused("the import has errors; nothing was written")
    created, updated = upsert.write(IndicatorValue, _changes(result))
    logger.info("indicator %s import: %d created, %d updated", result.indicator.code, created, updated)
    return created, updated


def template_csv(indicator: Indicator) -> str:
    """The header row a data file for this indicator starts with."""
    return ";".join(columns_of(indicator)) + "\n"
