"""The round dashboard's hierarchy table, built from the counted round (services.results).

Pure over `RoundData`: the caller counts the round (and the previous round of the same questionnaire) and
passes the user's scope; this module decides rows, headlines per level, the afdeling filter and sorting.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ...scoring import Change, Score, rate_looks_wrong
from .counts import RoundData, UnitInfo
from .unit_report import _change


@dataclass(frozen=True)
class TableRow:
    """A line of the dashboard's hierarchy table."""

    unit: UnitInfo
    depth: int
    respondents: int
    headcount: int | None
    response_rate: float | None
    suppressed: bool
    cells: list[Score]
    #: Per key item, the change since the previous round (None when there is none to show).
    changes: list[Change | None]
    #: Per key item, its score in each closed round up to this one, oldest first; None where the unit was
    #: not counted in a round or the item was not asked (see `trend_of`).
    trend: list[list[Score | None]] = field(default_factory=list)

    @property
    def met_all(self) -> bool:
        return bool(self.cells) and all(score.met for score in self.cells)

    @property
    def scored(self) -> bool:
        """Every key item has a shown result (not hidden, not empty)."""
        return bool(self.cells) and all(score.percent is not None for score in self.cells)

    @property
    def rate_looks_wrong(self) -> bool:
        """More responses than staff: flagged with its likely cause beside the rate."""
        return rate_looks_wrong(self.response_rate)


@dataclass(frozen=True)
class Headline:
    """How many units of a level meet the target on every key item, of those with results."""

    level: str
    met_all: int
    scored: int
    #: Units of the level in the table, with or without results.
    total: int


@dataclass(frozen=True)
class RoundTable:
    key_items: list[str]
    rows: list[TableRow]
    min_group: int
    target: float
    headlines: list[Headline]
    #: The afdelinger the user may filter by: (id, name), in hierarchy order.
    afdelinger: list[tuple[int, str]]
    #: Whether a previous round of the same questionnaire was compared.
    compared: bool = False
    #: The closed rounds in each row's trend, oldest first (none when there is only this one).
    trend_rounds: int = 0


DEPTH = {"sygehus": 0, "afdeling": 1, "afsnit": 2}
#: Sort keys besides the key items' positions ("item0", "item1", ...).
SORT_KEYS = ("unit", "respondents", "rate")


def _in_afdeling(data: RoundData, unit_id: int, afdeling: int) -> bool:
    unit = data.units[unit_id]
    return unit_id == afdeling or unit.parent_id == afdeling


def trend_of(history: Sequence[RoundData], unit_id: int, codes: list[str]) -> list[list[Score | None]]:
    """The unit's score on each key item in each counted round (oldest first), None where there is none."""
    return [[data.item_score(unit_id, code) if unit_id in data.complete and code in data.item_ids else None
             for data in history] for code in codes]


def headlines(rows: list[TableRow]) -> list[Headline]:
    """One headline per level present, top level first."""
    result = []
    for level in DEPTH:
        of_level = [row for row in rows if row.unit.level == level]
        if of_level:
            result.append(Headline(level, sum(r.met_all for r in of_level), sum(r.scored for r in of_level),
                                   len(of_level)))
    return result


def sort_rows(rows: list[TableRow], key: str, descending: bool) -> list[TableRow]:
    """The afsnit alone, ordered by a column; rows without a value last either way."""
    afsnit = [row for row in rows if row.unit.level == "afsnit"]

    def value(row: TableRow):
        if key == "unit":
            return row.unit.name.casefold()
        if key == "respondents":
            return row.respondents
        if key == "rate":
            return row.response_rate
        index = int(key.removeprefix("item"))
        return row.cells[index].percent if index < len(row.cells) else None

    present = [row for row in afsnit if value(row) is not None]
    missing = [row for row in afsnit if value(row) is None]
    present.sort(key=lambda row: (value(row), row.unit.name.casefold()), reverse=descending)
    return present + missing


def valid_sort(key: str | None, key_items: int) -> str | None:
    """The sort key if it names a column of the table, else None (the hierarchy order)."""
    if key in SORT_KEYS:
        return key
    if key and key.startswith("item") and key[4:].isdigit() and int(key[4:]) < key_items:
        return key
    return None


def round_table(data: RoundData, visible_unit_ids: set[int] | None, previous: RoundData | None = None,
                afdeling: int | None = None, sort: str | None = None, descending: bool = False,
                history: Sequence[RoundData] = ()) -> RoundTable:
    """The hierarchy of visible units with the key items' scores (all scale items if none is key).

    `previous` is the previous round of the same questionnaire, counted over the same scope; `afdeling`
    keeps that afdeling and its afsnit; `sort` (see `valid_sort`) lists the afsnit alone in that order;
    `history` are the closed rounds up to this one, counted over the same scope, for each row's trend.
    """
    key = [s.code for s in data.items if s.key] or [s.code for s in data.items]
    order = data.visible_order(visible_unit_ids)
    afdelinger = [(u, data.units[u].name) for u in order if data.units[u].level == "afdeling"]
    if afdeling is not None and any(a == afdeling for a, _ in afdelinger):
        order = [u for u in order if _in_afdeling(data, u, afdeling)]
    rows = [TableRow(data.units[u], DEPTH.get(data.units[u].level, 0), data.respondents.get(u, 0),
                     data.headcount.get(u), data.response_rate(u), u in data.hidden,
                     [data.item_score(u, code) for code in key],
                     [_change(data, previous, u, code)[1] for code in key],
                     trend_of(history, u, key) if len(history) > 1 else [])
            for u in order]
    sort = valid_sort(sort, len(key))
    shown = sort_rows(rows, sort, descending) if sort else rows
    return RoundTable(key, shown, data.min_group, data.target * 100, headlines(rows), afdelinger,
                      previous is not None, len(history) if len(history) > 1 else 0)
