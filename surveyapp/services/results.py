"""Round results from grouped queries, suppressed for anonymity and scoped to the user.

The interface the dashboard, the exports (CSV, Excel, PDF) and the JSON API share:

    data = load_round(round_)                      # a handful of grouped queries for the whole round
    rows = round_results(round_, level=None, visible_unit_ids=visible_unit_ids(user), data=data)

`round_results` returns `ResultRow`s in the hierarchy's order (sygehus, its afdelinger, each one's afsnit),
for each unit first every scale item (questionnaire order), then every dimension. Numbers are None when a
row is suppressed. `percent`, `ci_low`, `ci_high`, `target` and `response_rate` are percentages 0-100,
unrounded: format them for display, never for computation. Suppression (fewer respondents than the round's
`min_group`, plus complementary cover) is decided on the whole organisation before the scope filter, so
every user and every export hides exactly the same cells.

`RoundData` (from `load_round`) answers `item_score`, `dimension_score`, `respondents`, `response_rate` for
any unit of the round; `round_table` is the dashboard's hierarchy table built from it.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Answer, AnswerScale, Item, Response, Round, Unit, round_units
from ..scoring import ItemSpec, Score, Tally, dimension_tallies, roll_up, score, suppress, tally_values

#: The top of the suppression tree: the round's total over all sygehuse.
ROOT = -1


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    headcount: int | None


@dataclass(frozen=True)
class ResultRow:
    """One unit's result on one item or dimension; the row every view and export of results uses."""

    round_id: int
    unit_id: int
    unit_code: str
    unit_name: str
    level: str
    parent_code: str | None
    #: "item" or "dimension".
    measure: str
    #: The item's code, or the dimension's name when measure is "dimension".
    item_code: str
    dimension: str | None
    key: bool
    respondents: int
    headcount: int | None
    response_rate: float | None
    n: int | None
    positive: int | None
    percent: float | None
    ci_low: float | None
    ci_high: float | None
    target: float
    met: bool | None
    suppressed: bool


@dataclass
class RoundData:
    """Everything counted for one round over the whole organisation; scope is applied on output."""

    round_id: int
    target: float
    min_group: int
    items: list[ItemSpec]
    units: dict[int, UnitInfo]
    #: Unit ids in hierarchy order: each sygehus, then its afdelinger each followed by its afsnit.
    order: list[int]
    respondents: dict[int, int]
    headcount: dict[int, int | None]
    tallies: dict[int, dict[str, Tally]]
    hidden: frozenset[int]
    dimensions: list[str] = field(default_factory=list)

    def children(self, unit_id: int) -> list[int]:
        return [u for u in self.order if self.units[u].parent_id == unit_id]

    def item_score(self, unit_id: int, code: str) -> Score:
        return score(self.tallies.get(unit_id, {}).get(code, Tally()), self.target, unit_id in self.hidden)

    def dimension_score(self, unit_id: int, dimension: str) -> Score:
        tallies = dimension_tallies(self.items, self.tallies.get(unit_id, {}))
        return score(tallies.get(dimension, Tally()), self.target, unit_id in self.hidden)

    def response_rate(self, unit_id: int) -> float | None:
        """Respondents per head of staff, in percent; None without a headcount."""
        headcount = self.headcount.get(unit_id)
        return self.respondents.get(unit_id, 0) / headcount * 100 if headcount else None

    def visible_order(self, visible_unit_ids: set[int] | None, level: str | None = None) -> list[int]:
        return [u for u in self.order if (visible_unit_ids is None or u in visible_unit_ids)
                and (level is None or self.units[u].level == level)]


def item_spec(item: Item) -> ItemSpec:
    """The scoring view of a scale item."""
    options = item.scale.options
    return ItemSpec(code=item.code, positive_values=frozenset(o.value for o in options if o.positive),
                    valid_values=frozenset(o.value for o in options if not o.not_applicable),
                    reverse=item.reverse, dimension=item.dimension, key=item.key)


def scale_items(questionnaire_id: int) -> list[Item]:
    """The questionnaire's scale items with their scales, in order (two queries)."""
    return list(db.session.scalars(
        select(Item).where(Item.questionnaire_id == questionnaire_id, Item.kind == "scale")
        .options(selectinload(Item.scale).selectinload(AnswerScale.options)).order_by(Item.position)))


def _units_of_round(round_id: int, extra: Iterable[int]) -> tuple[dict[int, UnitInfo], list[int]]:
    """The round's afsnit (and any afsnit with responses) with their ancestors, and the leaf ids."""
    all_units = {row.id: UnitInfo(row.id, row.code, row.name, row.level, row.parent_id, row.headcount)
                 for row in db.session.execute(
                     select(Unit.id, Unit.code, Unit.name, Unit.level, Unit.parent_id, Unit.headcount))}
    leaves = set(db.session.scalars(select(round_units.c.unit_id).where(round_units.c.round_id == round_id)))
    leaves |= set(extra)
    units: dict[int, UnitInfo] = {}
    for leaf in leaves:
        node = all_units.get(leaf)
        while node is not None and node.id not in units:
            units[node.id] = node
            node = all_units.get(node.parent_id) if node.parent_id is not None else None
    return units, sorted(leaves)


def _tree_order(units: dict[int, UnitInfo]) -> list[int]:
    children: dict[int | None, list[UnitInfo]] = defaultdict(list)
    for unit in units.values():
        children[unit.parent_id if unit.parent_id in units else None].append(unit)
    order: list[int] = []

    def walk(parent: int | None) -> None:
        for unit in sorted(children[parent], key=lambda u: (u.name, u.code)):
            order.append(unit.id)
            walk(unit.id)

    walk(None)
    return order


def _headcounts(units: dict[int, UnitInfo], leaves: list[int]) -> dict[int, int | None]:
    """Headcount of each unit as the sum of its participating afsnit; None if any of them lacks one."""
    parent_of = {u.id: u.parent_id for u in units.values()}
    known = roll_up({leaf: units[leaf].headcount or 0 for leaf in leaves}, parent_of, 0)
    missing = roll_up({leaf: int(units[leaf].headcount is None) for leaf in leaves}, parent_of, 0)
    return {u: (known[u] if not missing[u] else None) for u in units}


def hierarchy_relations(units: dict[int, UnitInfo]) -> list[tuple[int, list[int]]]:
    """(total, parts) for every unit with children, and ROOT over the sygehuse."""
    parts: dict[int, list[int]] = defaultdict(list)
    for unit in units.values():
        parts[unit.parent_id if unit.parent_id in units else ROOT].append(unit.id)
    return list(parts.items())


def load_round(round_: Round) -> RoundData:
    """Count the round's answers with one grouped query and decide suppression over the whole tree."""
    items = scale_items(round_.questionnaire_id)
    specs = {item.id: item_spec(item) for item in items}
    respondents_by_leaf = dict(db.session.execute(
        select(Response.unit_id, func.count()).where(Response.round_id == round_.id).group_by(Response.unit_id)).all())
    units, leaves = _units_of_round(round_.id, respondents_by_leaf)
    counts: dict[int, dict[str, dict[int | None, int]]] = defaultdict(lambda: defaultdict(dict))
    if specs:
        query = (select(Response.unit_id, Answer.item_id, Answer.value, func.count())
                 .join(Response, Response.id == Answer.response_id)
                 .where(Response.round_id == round_.id, Answer.item_id.in_(specs))
                 .group_by(Response.unit_id, Answer.item_id, Answer.value))
        for unit_id, item_id, value, count in db.session.execute(query):
            counts[unit_id][specs[item_id].code][value] = count
    leaf_tallies = {leaf: {spec.code: tally_values(spec, counts[leaf].get(spec.code, {})) for spec in specs.values()}
                    for leaf in leaves}
    parent_of = {u.id: u.parent_id for u in units.values()}
    respondents = roll_up({leaf: respondents_by_leaf.get(leaf, 0) for leaf in leaves}, parent_of, 0)
    tallies = {u: {} for u in units}
    for spec in specs.values():
        for unit_id, tally in roll_up({leaf: t[spec.code] for leaf, t in leaf_tallies.items()},
                                      parent_of, Tally()).items():
            tallies[unit_id][spec.code] = tally
    order = _tree_order(units)
    position = {unit_id: i for i, unit_id in enumerate(order)}
    hidden = suppress(respondents, hierarchy_relations(units), round_.min_group, order=position.get)
    dimensions = list(dict.fromkeys(s.dimension for s in specs.values() if s.dimension))
    return RoundData(round_.id, round_.target, round_.min_group, list(specs.values()), units, order, respondents,
                     _headcounts(units, leaves), tallies, hidden, dimensions)


def _row(data: RoundData, unit_id: int, measure: str, code: str, dimension: str | None, key: bool,
         result: Score) -> ResultRow:
    unit = data.units[unit_id]
    parent = data.units.get(unit.parent_id) if unit.parent_id is not None else None
    return ResultRow(data.round_id, unit.id, unit.code, unit.name, unit.level, parent.code if parent else None,
                     measure, code, dimension, key, data.respondents.get(unit_id, 0), data.headcount.get(unit_id),
                     data.response_rate(unit_id), result.n, result.positive, result.percent, result.ci_low,
                     result.ci_high, result.target, result.met, result.suppressed)


def round_results(round_: Round, level: str | None = None, visible_unit_ids: set[int] | None = None,
                  data: RoundData | None = None) -> list[ResultRow]:
    """Every item and dimension result of every unit the user may see (None = all), optionally one level."""
    data = data or load_round(round_)
    rows: list[ResultRow] = []
    for unit_id in data.visible_order(visible_unit_ids, level):
        for spec in data.items:
            rows.append(_row(data, unit_id, "item", spec.code, spec.dimension, spec.key,
                             data.item_score(unit_id, spec.code)))
        for dimension in data.dimensions:
            rows.append(_row(data, unit_id, "dimension", dimension, dimension, False,
                             data.dimension_score(unit_id, dimension)))
    return rows


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
