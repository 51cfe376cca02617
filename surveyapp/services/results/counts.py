"""Round results from grouped queries, suppressed for anonymity and scoped to the user.

The interface the dashboard, the exports (CSV, Excel, PDF) and the JSON API share:

    visible = visible_unit_ids(user)                       # services.scopes; None = everything (admin)
    rows = round_results(round_, level=None, visible_unit_ids=visible)   # level: "sygehus"/"afdeling"/"afsnit"

or, to reuse one count for several outputs, `data = load_round(round_, within=visible)` and pass `data=data`.
`load_round` runs a handful of grouped queries (respondents per afsnit; GROUP BY afsnit, item, value),
cached per round until a response is added or deleted; `within` limits the counting to a scope.

`round_results` returns `ResultRow`s in the hierarchy's order (sygehus, its afdelinger, each one's afsnit),
for each unit first every scale item (questionnaire order), then every dimension. Numbers are None when a
row is suppressed. `percent`, `ci_low`, `ci_high`, `target` and `response_rate` are percentages 0-100,
unrounded: format them for display, never for computation. Suppression (fewer respondents than the round's
`min_group`, plus complementary cover) is decided on the whole organisation before the scope filter, so
every user and every export hides exactly the same cells.

`RoundData` (from `load_round`) answers `item_score`, `dimension_score`, `respondents`, `response_rate` for
any unit of the round; `services.dashboard.round_table` builds the dashboard's hierarchy table from it.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (Answer, AnswerScale, Item, Response, Round, RoundCount, RoundCountValue, RoundSummary, Unit,
                       round_units)
from ...scoring import (ItemSpec, Score, Tally, attribute_suppress, dimension_tallies, roll_up, score, suppress,
                        tally_values)

logger = logging.getLogger(__name__)
#: Closed rounds with at least this many responses have their counts stored and shared (`shared_counts`);
#: smaller ones count in milliseconds, and storing would cost more than it saves.
SHARED_FROM = 2000
#: How long a worker keeps a shared closed round's counted data without looking at its answers (`load_round`).
ROUND_DATA_SECONDS = 60

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
    #: Units whose answers were all counted (see `within` in load_round); others have no scores.
    complete: frozenset[int] = frozenset()
    #: item code -> item id, for the round's scale items.
    item_ids: dict[str, int] = field(default_factory=dict)
    #: Identifies the answers counted, for caching further grouped queries (see `cached`).
    fingerprint: tuple = ()
    #: True once the round has closed: answer results are released only then, on the final data.
    released: bool = True
    #: item code or dimension -> the units whose cell of it is hidden (groups in `hidden`, plus attribute
    #: disclosure: see scoring.attribute_suppress).
    hidden_cells: dict[str, frozenset[int]] = field(default_factory=dict)
    #: A closed round of at least SHARED_FROM responses: its counts and breakdowns are made once over the
    #: whole round and stored for every worker (`shared_counts`, `summaries.stored_rows`).
    shared: bool = False

    def children(self, unit_id: int) -> list[int]:
        return [u for u in self.order if self.units[u].parent_id == unit_id]

    def _check(self, unit_id: int) -> None:
        if unit_id not in self.complete:
            raise ValueError(f"unit {unit_id} was not counted in full; load the round with a wider `within`")

    def item_score(self, unit_id: int, code: str) -> Score:
        self._check(unit_id)
        return score(self.tallies.get(unit_id, {}).get(code, Tally()), self.target, self.cell_hidden(unit_id, code))

    def dimension_score(self, unit_id: int, dimension: str) -> Score:
        self._check(unit_id)
        tallies = dimension_tallies(self.items, self.tallies.get(unit_id, {}))
        return score(tallies.get(dimension, Tally()), self.target, self.cell_hidden(unit_id, dimension))

    def cell_hidden(self, unit_id: int, code: str) -> bool:
        """Whether the unit's result on an item or dimension is hidden (its group, or attribute disclosure)."""
        return unit_id in self.hidden or unit_id in self.hidden_cells.get(code, frozenset())

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


def questionnaire_items(questionnaire_id: int) -> list[Item]:
    """All the questionnaire's items with their scales and options, in order (three queries)."""
    return list(db.session.scalars(
        select(Item).where(Item.questionnaire_id == questionnaire_id)
        .options(selectinload(Item.scale).selectinload(AnswerScale.options)).order_by(Item.position)))


def clear_cache() -> None:
    """Forget cached answer counts, the worker's and the shared ones of closed rounds (tests that count
    queries start from a cold cache)."""
    _CACHE.clear()
    with db.engine.begin() as connection:
        connection.execute(delete(RoundCountValue))
        connection.execute(delete(RoundCount))
        connection.execute(delete(RoundSummary))


def units_of_round(round_id: int, extra: Iterable[int]) -> tuple[dict[int, UnitInfo], list[int]]:
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


def headcounts(units: dict[int, UnitInfo], leaves: list[int]) -> dict[int, int | None]:
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


def load_round(round_: Round, within: set[int] | None = None, items: list[Item] | None = None) -> RoundData:
    """Count the round's answers with one grouped query and decide suppression over the whole tree.

    `within` (a set closed downwards, such as `visible_unit_ids(user)` or a unit's subtree) limits the
    counting to the afsnit in it; suppression still looks at every unit's respondents. `items` may pass
    the round's questionnaire items when the caller has them already.

    A shared closed round (its answers final, its counts stored) is kept per worker for ROUND_DATA_SECONDS:
    even its fingerprint is a scan of every response of the round (about 50 ms at a million), on every view.
    Within that time a renamed unit or a deleted response shows the old data; after it, the fingerprint
    decides as always.
    """
    closed = round_.status() == "closed"
    key = ((str(db.engine.url), "round data", round_.id, round_.questionnaire_id, round_.min_group, round_.target,
            round_.closes_at), frozenset(within) if within is not None else None)
    hit = _CACHE.get(key) if closed else None
    if hit is not None and time.monotonic() - hit[0] < ROUND_DATA_SECONDS:
        _CACHE.move_to_end(key)
        return hit[1]
    data = _count_round(round_, within, items)
    if data.shared:
        _CACHE[key] = (time.monotonic(), data)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return data


def _count_round(round_: Round, within: set[int] | None, items: list[Item] | None) -> RoundData:
    if items is None:
        items = questionnaire_items(round_.questionnaire_id)
    specs = {item.id: item_spec(item) for item in items if item.kind == "scale"}
    respondents_by_leaf = dict(db.session.execute(
        select(Response.unit_id, func.count()).where(Response.round_id == round_.id).group_by(Response.unit_id)).all())
    units, leaves = units_of_round(round_.id, respondents_by_leaf)
    counted = [leaf for leaf in leaves if within is None or leaf in within]
    fingerprint = round_fingerprint(round_.id, respondents_by_leaf)
    shared = round_.status() == "closed" and sum(respondents_by_leaf.values()) >= SHARED_FROM
    counts = _answer_counts(round_.id, specs, counted, fingerprint, shared=shared)
    leaf_tallies = {leaf: {spec.code: tally_values(spec, counts.get((leaf, spec.code), {})) for spec in specs.values()}
                    for leaf in counted}
    parent_of = {u.id: u.parent_id for u in units.values()}
    respondents = roll_up({leaf: respondents_by_leaf.get(leaf, 0) for leaf in leaves}, parent_of, 0)
    tallies: dict[int, dict[str, Tally]] = {u: {} for u in units}
    for spec in specs.values():
        for unit_id, tally in roll_up({leaf: t[spec.code] for leaf, t in leaf_tallies.items()},
                                      parent_of, Tally()).items():
            tallies[unit_id][spec.code] = tally
    uncounted = roll_up({leaf: 1 for leaf in leaves if leaf not in set(counted)}, parent_of, 0)
    order = _tree_order(units)
    position = {unit_id: i for i, unit_id in enumerate(order)}
    released = round_.status() == "closed"
    # Answer results are released once, when the round has closed: a closed round takes no answers and is
    # never reopened (services.admin.rounds), so this suppression is decided on the final data and every
    # page, file and API answer of the round shows the same cells. While open, every group is hidden.
    hidden = (suppress(respondents, hierarchy_relations(units), round_.min_group, order=position.get)
              if released else frozenset(units))
    dimensions = list(dict.fromkeys(s.dimension for s in specs.values() if s.dimension))
    hidden_cells = cells_to_hide(units, tallies, hidden, list(specs.values()), dimensions,
                                 complete=set(u for u in units if not uncounted.get(u)))
    return RoundData(round_.id, round_.target, round_.min_group, list(specs.values()), units, order, respondents,
                     # Headcount is the staff number: a rate for patients' answers would mean nothing.
                     headcounts(units, leaves) if round_.questionnaire.audience == "staff" else {},
                     tallies, hidden, dimensions,
                     complete=frozenset(u for u in units if not uncounted.get(u)),
                     item_ids={spec.code: item_id for item_id, spec in specs.items()}, fingerprint=fingerprint,
                     released=released, hidden_cells=hidden_cells, shared=shared)


def cells_to_hide(units: dict[int, UnitInfo], tallies: dict[int, dict[str, Tally]], hidden: frozenset[int],
                  specs: list[ItemSpec], dimensions: list[str], complete: set[int]) -> dict[str, frozenset[int]]:
    """Per item, the cells hidden against attribute disclosure; per dimension, every unit where one of its
    items is hidden at or below the unit, so a shown dimension adds nothing to the shown items.

    Computed over the counted units only (`complete`); the rule looks down the tree, so a scope that is
    closed downwards gets the same cells as the whole organisation.
    """
    children: dict[int, list[int]] = defaultdict(list)
    for unit in units.values():
        if unit.parent_id in units:
            children[unit.parent_id].append(unit.id)
    counted = [u for u in units if u in complete]
    result: dict[str, frozenset[int]] = {}
    for spec in specs:
        result[spec.code] = attribute_suppress({u: tallies[u].get(spec.code, Tally()) for u in counted},
                                               children, hidden)
    for dimension in dimensions:
        codes = [s.code for s in specs if s.dimension == dimension]
        marked = {u for code in codes for u in result[code] if u not in hidden}
        above = set()
        for unit_id in marked:
            node = units[unit_id].parent_id
            while node is not None and node in units:
                above.add(node)
                node = units[node].parent_id
        result[dimension] = frozenset(marked | above)
    return result


#: Results of grouped queries by (the round's fingerprint, what was asked). Responses never change once
#: stored, so a new or deleted response changes the fingerprint; a closed round is counted once per worker.
_CACHE: OrderedDict[tuple, object] = OrderedDict()
_CACHE_SIZE = 64


def round_fingerprint(round_id: int, respondents_by_leaf: dict[int, int]) -> tuple:
    """What identifies the round's answers: database, round, respondents per afsnit, newest response."""
    newest = db.session.execute(select(Response.id, Response.idempotency_key).where(Response.round_id == round_id)
                                .order_by(Response.id.desc()).limit(1)).first()
    return (str(db.engine.url), round_id, tuple(sorted(respondents_by_leaf.items())),
            tuple(newest) if newest else None)


def cached(fingerprint: tuple, question: tuple, compute, keep=lambda value: True):
    """compute(), remembered for this fingerprint and question (unless `keep(value)` says no)."""
    key = (fingerprint, question)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    value = compute()
    if not keep(value):
        return value
    _CACHE[key] = value
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value


def _answer_counts(round_id: int, specs: dict[int, ItemSpec], leaves: list[int], fingerprint: tuple,
                   shared: bool = False) -> dict[tuple[int, str], dict[int | None, int]]:
    """(afsnit, item code) -> value -> count: GROUP BY afsnit, item, value over the round's answers.

    `shared` (a closed round): the counts of the whole round come from the round_count tables, made once
    from the final answers by whichever worker needs them first (`shared_counts`)."""
    if not specs or not leaves:
        return {}

    def compute() -> dict:
        if shared:
            wanted = set(leaves)
            rows = [row for row in shared_counts(round_id, fingerprint) if row[0] in wanted and row[1] in specs]
        else:
            rows = db.session.execute(
                select(Response.unit_id, Answer.item_id, Answer.value, func.count())
                .join(Response, Response.id == Answer.response_id)
                .where(Response.round_id == round_id, Answer.item_id.in_(specs), Response.unit_id.in_(leaves))
                .group_by(Response.unit_id, Answer.item_id, Answer.value))
        counts: dict[tuple[int, str], dict[int | None, int]] = defaultdict(dict)
        for unit_id, item_id, value, count in rows:
            counts[(unit_id, specs[item_id].code)][value] = count
        return dict(counts)

    return cached(fingerprint, ("counts", tuple(sorted(specs)), tuple(leaves)), compute)


def fingerprint_digest(fingerprint: tuple) -> str:
    """A stable name for a round's answers (the fingerprint without the database URL), for the shared table."""
    return hashlib.sha256(repr(fingerprint[1:]).encode()).hexdigest()


def shared_counts(round_id: int, fingerprint: tuple) -> list[tuple[int, int, int | None, int]]:
    """(afsnit, item id, value, count) of every answer of a closed round, from the round_count tables.

    The first worker (of any instance) to need them counts the round with one grouped query and stores the
    cells in a transaction of its own; a later one reads them back. A stored count whose fingerprint differs
    (an answer deleted since) is made again. Counted from the final data only, so the suppression computed
    from them is the same in every worker.
    """
    digest = fingerprint_digest(fingerprint)
    stored = [tuple(row) for row in db.session.execute(
        select(RoundCountValue.unit_id, RoundCountValue.item_id, RoundCountValue.value, RoundCountValue.count)
        .join(RoundCount, RoundCount.round_id == RoundCountValue.round_id)
        .where(RoundCountValue.round_id == round_id, RoundCount.fingerprint == digest))]
    if stored:
        return stored
    rows = [tuple(row) for row in db.session.execute(
        select(Response.unit_id, Answer.item_id, Answer.value, func.count())
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == round_id)  # free texts too (value None): the covering index, no table read
        .group_by(Response.unit_id, Answer.item_id, Answer.value))]
    if rows:
        _store(round_id, digest, rows)
    return rows


def _store(round_id: int, digest: str, rows: list[tuple]) -> None:
    """Store a round's counts in a transaction of its own (a GET never commits the request's), replacing
    counts of an older fingerprint; a worker that loses a race to store the same counts leaves them be."""
    values = [{"round_id": round_id, "unit_id": u, "item_id": i, "value": v, "count": c} for u, i, v, c in rows]
    for attempt in range(2):
        try:
            with db.engine.begin() as connection:
                if attempt:
                    connection.execute(delete(RoundCountValue).where(RoundCountValue.round_id == round_id))
                    connection.execute(delete(RoundCount).where(RoundCount.round_id == round_id))
                connection.execute(insert(RoundCount).values(round_id=round_id, fingerprint=digest))
                connection.execute(insert(RoundCountValue), values)
            return
        except DBAPIError as error:  # stored before (stale, or by another worker just now), or the database is busy
            logger.info("counts of round %s not stored (%s)", round_id, type(error).__name__)


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
    data = data or load_round(round_, visible_unit_ids)
    rows: list[ResultRow] = []
    for unit_id in data.visible_order(visible_unit_ids, level):
        for spec in data.items:
            rows.append(_row(data, unit_id, "item", spec.code, spec.dimension, spec.key,
                             data.item_score(unit_id, spec.code)))
        for dimension in data.dimensions:
            rows.append(_row(data, unit_id, "dimension", dimension, dimension, False,
                             data.dimension_score(unit_id, dimension)))
    return rows
