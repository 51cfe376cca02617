"""The round dashboard's hierarchy table, built from the counted round (services.results)."""
from __future__ import annotations

from dataclasses import dataclass

from ...scoring import Score, rate_looks_wrong
from .counts import RoundData, UnitInfo


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

    @property
    def rate_looks_wrong(self) -> bool:
        """More responses than staff: flagged with its likely cause beside the rate."""
        return rate_looks_wrong(self.response_rate)


@dataclass(frozen=True)
class RoundTable:
    key_items: list[str]
    rows: list[TableRow]
    min_group: int
    target: float


DEPTH = {"sygehus": 0, "afdeling": 1, "afsnit": 2}


def round_table(data: RoundData, visible_unit_ids: set[int] | None) -> RoundTable:
    """The hierarchy of visible units with the key items' scores (all scale items if none is key)."""
    key = [s.code for s in data.items if s.key] or [s.code for s in data.items]
    rows = [TableRow(data.units[u], DEPTH.get(data.units[u].level, 0), data.respondents.get(u, 0),
                     data.headcount.get(u), data.response_rate(u), u in data.hidden,
                     [data.item_score(u, code) for code in key])
            for u in data.visible_order(visible_unit_ids)]
    return RoundTable(key, rows, data.min_group, data.target * 100)
