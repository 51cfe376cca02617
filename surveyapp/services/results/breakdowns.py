"""Per-respondent and per-group results: the SAQ scale score and background groups such as Faggruppe.

Both come from grouped queries over the round; suppression of background groups is complementary in both
directions (the groups of a unit add up to the unit; a group across the afsnit adds up to the afdeling).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import Answer, Item, Response, Round
from ...scoring import (
    SAQ_HIGH,
    ScaleScore,
    ScaleTally,
    Score,
    Tally,
    roll_up,
    scale_score,
    score,
    suppress,
    tally_values,
)
from .counts import ROOT, RoundData, cached
from .summaries import stored_rows

#: The key of a unit's whole group in background suppression.
ALL = "*"


def saq_scores(round_: Round, data: RoundData, unit_id: int) -> dict[str, ScaleScore]:
    """dimension -> SAQ scale score of the unit, from each respondent's mean over the dimension's items."""
    leaves = _leaves_under(data, unit_id)
    by_dimension: dict[str, list] = defaultdict(list)
    for spec in data.items:
        if spec.dimension:
            by_dimension[spec.dimension].append(spec)
    tallies: dict[str, ScaleTally] = {d: ScaleTally() for d in by_dimension}
    ranges: dict[tuple[int, int], list] = defaultdict(list)
    for specs in by_dimension.values():
        for spec in specs:
            ranges[(spec.min_value, spec.max_value)].append(spec)
    for (low, high), specs in ranges.items():
        if not leaves or high <= low:
            continue
        rows = _saq_rows(round_, data, low, high, specs, leaves)
        wanted = set(leaves)
        for leaf, dimension, respondents, mean_sum, n_high in rows:
            if leaf not in wanted:
                continue
            score_sum = (float(mean_sum) - low * respondents) * 100 / (high - low)
            tallies[dimension] += ScaleTally(respondents, score_sum, int(n_high))
    hidden = unit_id in data.hidden
    return {d: scale_score(t, hidden) for d, t in tallies.items()}


def _saq_rows(round_: Round, data: RoundData, low: int, high: int, specs: list, leaves: list[int],
              store: bool = False) -> list[tuple]:
    """(afsnit, dimension, respondents, sum of respondents' means, respondents at 75 or more) of the items of
    one value range: of the whole round as stored when the round is shared and precomputed (`store`: make
    and store them now), else of the given afsnit."""
    item_ids = data.item_ids
    reverse_ids = [item_ids[s.code] for s in specs if s.reverse]
    scored = case((Answer.item_id.in_(reverse_ids), low + high - Answer.value), else_=Answer.value) \
        if reverse_ids else Answer.value
    # The dimension by a CASE on the item id, not a join with item: a join lets the planner start from
    # the item's answers in every round instead of from this round's responses.
    dimension = case({item_ids[s.code]: s.dimension for s in specs}, value=Answer.item_id)
    # Values outside the scale are left out inside the aggregates, not in WHERE: a range condition on
    # answer.value tempts PostgreSQL without statistics into scanning every round's answers per response.
    valid = Answer.value.between(low, high)

    def query(within: list[int] | None):
        where = [Response.round_id == round_.id, Answer.item_id.in_([item_ids[s.code] for s in specs])]
        if within is not None:
            where.append(Response.unit_id.in_(within))
        per_respondent = (
            select(Response.unit_id.label("unit_id"), dimension.label("dimension"),
                   func.sum(case((valid, scored))).label("s"), func.count(case((valid, 1))).label("c"))
            .join(Response, Response.id == Answer.response_id)
            .where(*where)
            .group_by(Response.unit_id, dimension, Answer.response_id)
            .having(func.count(case((valid, 1))) > 0).subquery())
        is_high = (100 * (per_respondent.c.s - low * per_respondent.c.c)
                   >= SAQ_HIGH * (high - low) * per_respondent.c.c)
        return db.session.execute(
            select(per_respondent.c.unit_id, per_respondent.c.dimension, func.count(),
                   func.sum(cast(per_respondent.c.s, Float) / per_respondent.c.c),
                   func.sum(case((is_high, 1), else_=0))).group_by(per_respondent.c.unit_id, per_respondent.c.dimension))

    codes = tuple(sorted(s.code for s in specs))
    if data.shared:
        rows = cached(data.fingerprint, ("saq", low, high, codes), lambda: stored_rows(
            round_.id, data.fingerprint, f"saq {low}-{high} {','.join(codes)}",
            (lambda: query(None)) if store else None), keep=lambda rows: rows is not None)
        if rows is not None:
            return rows
    return cached(data.fingerprint, ("saq", low, high, codes, tuple(sorted(leaves))),
                  lambda: [tuple(row) for row in query(leaves)])


def _leaves_under(data: RoundData, unit_id: int) -> list[int]:
    below = {unit_id}
    for u in data.order:  # tree order: a parent comes before its children
        if data.units[u].parent_id in below:
            below.add(u)
    return [u for u in below if data.units[u].level == "afsnit" or not data.children(u)]


@dataclass(frozen=True)
class GroupRow:
    value: int | None
    label: str
    #: None when suppressed: even the size of a small group in a ward can point at a person.
    respondents: int | None
    suppressed: bool
    scores: list[Score]


@dataclass(frozen=True)
class Breakdown:
    item_code: str
    title: str
    item_codes: list[str]
    item_labels: list[str]
    rows: list[GroupRow]


def group_sizes(round_: Round, item_id: int, data: RoundData) -> dict[tuple[int, int | None], int]:
    """(afsnit, group value or None for not answered) -> respondents, in one grouped query (cached)."""
    def compute() -> dict:
        group = aliased(Answer)
        query = (select(Response.unit_id, group.value, func.count()).select_from(Response)
                 .outerjoin(group, and_(group.response_id == Response.id, group.item_id == item_id))
                 .where(Response.round_id == round_.id).group_by(Response.unit_id, group.value))
        # One cheap query over the round (no self-join of the answers): stored on the first view.
        rows = (stored_rows(round_.id, data.fingerprint, f"group sizes {item_id}", lambda: db.session.execute(query))
                if data.shared else db.session.execute(query))
        return {(unit_id, value): count for unit_id, value, count in rows}

    return cached(data.fingerprint, ("group sizes", item_id), compute)


def background_hidden(data: RoundData, sizes: dict[tuple[int, int | None], int],
                      groups: list[int | None]) -> frozenset:
    """The hidden (unit, group) cells over the whole tree, units' own totals keyed (unit, ALL)."""
    parent_of = {u: data.units[u].parent_id for u in data.units}
    cells: dict[tuple, int] = {(u, ALL): n for u, n in data.respondents.items()}
    for g in groups:
        totals = roll_up({u: n for (u, value), n in sizes.items() if value == g and u in data.units}, parent_of, 0)
        cells.update({(u, g): n for u, n in totals.items()})
    relations: list[tuple] = []
    tops = [u for u in data.order if parent_of[u] not in data.units]
    children: dict[int, list[int]] = defaultdict(list)
    for u in data.order:  # data.children(u) is a scan of the tree: once here, not per unit and group
        if parent_of[u] in data.units:
            children[parent_of[u]].append(u)
    for g in (ALL, *groups):
        relations.append(((ROOT, g), [(u, g) for u in tops]))
        relations += [((u, g), [(c, g) for c in children[u]]) for u in data.order if children[u]]
    relations += [((u, ALL), [(u, g) for g in groups]) for u in data.order]
    position = {u: i for i, u in enumerate(data.order)}
    rank = {g: i for i, g in enumerate(groups)}
    return suppress(cells, relations, data.min_group,
                    order=lambda key: (position.get(key[0], -1), rank.get(key[1], -1)))


def _background_rows(round_: Round, data: RoundData, item_id: int, code_of: dict[int, str],
                     leaves: list[int], store: bool = False) -> list[tuple]:
    """(afsnit, group value, item id, value, count) of the key items by the background item's groups: of the
    whole round as stored when the round is shared and precomputed (`store`: make and store them now), else
    of the given afsnit."""
    def query(within: list[int] | None):
        group = aliased(Answer)
        where = [Response.round_id == round_.id, Answer.item_id.in_(list(code_of))]
        if within is not None:
            where.append(Response.unit_id.in_(within or [-1]))
        return db.session.execute(
            select(Response.unit_id, group.value, Answer.item_id, Answer.value, func.count())
            .join(Response, Response.id == Answer.response_id)
            .outerjoin(group, and_(group.response_id == Answer.response_id, group.item_id == item_id))
            .where(*where)
            .group_by(Response.unit_id, group.value, Answer.item_id, Answer.value))

    items = tuple(sorted(code_of))
    if data.shared:
        rows = cached(data.fingerprint, ("background counts", item_id, items), lambda: stored_rows(
            round_.id, data.fingerprint, f"background {item_id} {','.join(map(str, items))}",
            (lambda: query(None)) if store else None), keep=lambda rows: rows is not None)
        if rows is not None:
            return rows
    return cached(data.fingerprint, ("background counts", item_id, tuple(sorted(leaves)), items),
                  lambda: [tuple(row) for row in query(leaves)])


def background_breakdown(round_: Round, data: RoundData, unit_id: int, item: Item, lang: str,
                         labels: dict[str, str] | None = None) -> Breakdown:
    """The unit's respondents and key-item scores per group of a background item (e.g. Faggruppe)."""
    options = list(item.scale.options)
    groups: list[int | None] = [o.value for o in options] + [None]
    sizes = group_sizes(round_, item.id, data)
    # The same for every unit of the round (suppression looks at the whole tree): once per worker.
    hidden = cached(data.fingerprint, ("background hidden", item.id, data.min_group, tuple(groups)),
                    lambda: background_hidden(data, sizes, groups))
    key = [s for s in data.items if s.key] or data.items
    leaves = _leaves_under(data, unit_id)
    code_of = {data.item_ids[s.code]: s.code for s in key}
    counts: dict[tuple, dict] = defaultdict(dict)
    wanted = set(leaves)
    for leaf, group_value, item_id, value, count in _background_rows(round_, data, item.id, code_of, leaves):
        if leaf in wanted:
            cell = counts[(group_value, code_of[item_id])]
            cell[value] = cell.get(value, 0) + count
    respondents = defaultdict(int)
    for (u, g), n in sizes.items():
        if u in leaves:
            respondents[g] += n
    names = {o.value: o.text(lang) for o in options}
    rows = []
    for g in groups:
        if g is None and not respondents[None]:
            continue
        is_hidden = (unit_id, g) in hidden or not data.released  # nothing per group before the round closes
        scores = [score(tally_values(s, counts.get((g, s.code), {})) if not is_hidden else Tally(),
                        data.target, is_hidden) for s in key]
        rows.append(GroupRow(g, names.get(g, ""), None if is_hidden else respondents[g], is_hidden, scores))
    labels = labels or {}
    return Breakdown(item.code, item.label(lang), [s.code for s in key], [labels.get(s.code, s.code) for s in key],
                     rows)


def store_breakdowns(round_: Round, data: RoundData, items: list[Item]) -> None:
    """Make and store the breakdowns of a shared round over the whole round (every SAQ range, every
    background item), so every unit page reads them back (`precompute.precompute`)."""
    if not data.shared:
        return
    ranges: dict[tuple[int, int], list] = defaultdict(list)
    for spec in data.items:
        if spec.dimension:
            ranges[(spec.min_value, spec.max_value)].append(spec)
    for (low, high), specs in ranges.items():
        if high > low:
            _saq_rows(round_, data, low, high, specs, [], store=True)
    key = [s for s in data.items if s.key] or data.items
    code_of = {data.item_ids[s.code]: s.code for s in key}
    for item in items:
        if item.kind == "choice":
            group_sizes(round_, item.id, data)
            _background_rows(round_, data, item.id, code_of, [], store=True)
