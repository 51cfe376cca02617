"""Scoring: counts in, results out. Pure functions; no Flask and no database.

Vocabulary
- A *tally* is the raw, additive pair (n valid answers, n positive). Roll-ups add tallies of the groups below,
  never percentages.
- Shares in results are percentages from 0 to 100, unrounded; `target` is passed in as a fraction (0.8, as
  `Round.target` stores it) and reported as a percentage.
- A *suppressed* group has its numbers hidden: no percentage, no n, no positives (see `suppress`).
- The SAQ *scale score* (0-100 per respondent, % of respondents >= 75) is a different measure from the item
  agreement percentage and has its own dataclass so nobody mixes the two.
"""
from __future__ import annotations

import math
from fractions import Fraction
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Z_95 = 1.959963984540054
#: A scale score at or above this counts as a positive attitude in the SAQ tradition.
SAQ_HIGH = 75.0
_EPS = 1e-9

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class ItemSpec:
    """What scoring needs to know about one scale item."""

    code: str
    positive_values: frozenset[int]
    #: The scored values (not-applicable excluded); a value outside them is not counted.
    valid_values: frozenset[int]
    reverse: bool = False
    dimension: str | None = None
    key: bool = False

    @property
    def min_value(self) -> int:
        return min(self.valid_values)

    @property
    def max_value(self) -> int:
        return max(self.valid_values)

    def scored(self, value: int) -> int:
        """The value as scored: mirrored on the scale for a reverse-scored item."""
        return self.min_value + self.max_value - value if self.reverse else value

    def is_positive(self, value: int) -> bool:
        """Whether an answer counts as agreement, after reversal."""
        return self.scored(value) in self.positive_values


@dataclass(frozen=True)
class Tally:
    """Valid answers and positive answers of a group; additive."""

    n: int = 0
    positive: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.n + other.n, self.positive + other.positive)


@dataclass(frozen=True)
class Score:
    """An agreement percentage with its 95 % Wilson interval; all numbers None when suppressed or n is 0."""

    n: int | None
    positive: int | None
    percent: float | None
    ci_low: float | None
    ci_high: float | None
    target: float
    met: bool | None
    suppressed: bool


@dataclass(frozen=True)
class ScaleTally:
    """SAQ scale score sums of a group; additive: respondents scored, sum of scores, respondents >= 75."""

    respondents: int = 0
    score_sum: float = 0.0
    high: int = 0

    def __add__(self, other: ScaleTally) -> ScaleTally:
        return ScaleTally(self.respondents + other.respondents, self.score_sum + other.score_sum,
                          self.high + other.high)


@dataclass(frozen=True)
class ScaleScore:
    """SAQ scale score of a dimension: mean 0-100 and % of respondents scoring 75 or more. Not an item %."""

    respondents: int | None
    mean: float | None
    percent_high: float | None
    suppressed: bool


#: The tests `two_proportion_test` may choose, named in the explanation on the page and in the PDF.
Z_TEST, FISHER_TEST = "z", "fisher"


@dataclass(frozen=True)
class Change:
    """Change of an agreement percentage between two rounds, with the test that judged it."""

    previous_percent: float
    current_percent: float
    #: Percentage points, current minus previous.
    difference: float
    #: The z statistic of the pooled two-proportion test (also given when Fisher's test decided).
    z: float
    p_value: float
    #: True when the change is more than chance at the 5 % level.
    significant: bool
    #: Z_TEST (pooled two-proportion z-test) or FISHER_TEST (Fisher's exact test, two-sided).
    test: str = Z_TEST


def decoded_options(options: Sequence[tuple[int, bool, bool]], reverse: bool) -> dict[int, bool]:
    """value -> whether that raw answer counts as positive, from the scale's (value, positive, not applicable)
    options: mirrored on the scale for a reverse-scored item, so "Helt uenig" (1) is positive for "Det er svært
    at sige til, …"; a not-applicable option is never positive."""
    valid = [value for value, _positive, na in options if not na]
    positive = {value for value, is_positive, na in options if is_positive and not na}
    spec = ItemSpec("", frozenset(positive), frozenset(valid), reverse)
    return {value: (not na) and bool(valid) and spec.is_positive(value) for value, _positive, na in options}


def tally_values(item: ItemSpec, value_counts: Mapping[int | None, int]) -> Tally:
    """The tally of one item from value -> count; None (not applicable) and unknown values are left out."""
    n = positive = 0
    for value, count in value_counts.items():
        if value is None or value not in item.valid_values:
            continue
        n += count
        if item.is_positive(value):
            positive += count
    return Tally(n, positive)


def tally_answers(items: Sequence[ItemSpec], answers: Iterable[tuple[str, int | None]]) -> dict[str, Tally]:
    """item code -> tally, straight from (item code, value) answers; the reference for the grouped path."""
    by_code = {item.code: item for item in items}
    tallies = {item.code: Tally() for item in items}
    for code, value in answers:
        item = by_code.get(code)
        if item is not None:
            tallies[code] += tally_values(item, {value: 1})
    return tallies


def dimension_tallies(items: Sequence[ItemSpec], tallies: Mapping[str, Tally]) -> dict[str, Tally]:
    """dimension -> answers positive over all the dimension's items, in the items' order."""
    result: dict[str, Tally] = {}
    for item in items:
        if item.dimension:
            result[item.dimension] = result.get(item.dimension, Tally()) + tallies.get(item.code, Tally())
    return result


def wilson_interval(positive: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of positive/n as percentages, or None when n is 0."""
    if n <= 0:
        return None
    p = positive / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half) * 100, min(1.0, centre + half) * 100


def meets_target(positive: int, n: int, target: float) -> bool:
    """Whether positive/n reaches target (a fraction), exactly at the border too (7/10 meets 0.7)."""
    return n > 0 and positive >= target * n - _EPS


def score(tally: Tally, target: float, suppressed: bool = False) -> Score:
    """The agreement percentage of a tally against target (a fraction)."""
    target_percent = target * 100
    if suppressed or tally.n == 0:
        return Score(None, None, None, None, None, target_percent, None, suppressed)
    low, high = wilson_interval(tally.positive, tally.n)
    return Score(tally.n, tally.positive, tally.positive / tally.n * 100, low, high, target_percent,
                 meets_target(tally.positive, tally.n, target), False)


def display_percent(value: float, decimals: int = 1, target: float | None = None) -> Decimal:
    """A percentage 0-100 as shown: rounded half up (81.25 -> 81.3, as Excel and LibreOffice show it), except
    that a share below `target` (a percentage 0-100) is never shown as reaching it: 79.95 against 80 -> 79.9.

    The one rounding rule for every page, PDF and chart label; downloads keep the unrounded numbers.
    """
    step = Decimal(1).scaleb(-decimals)
    # Twelve significant decimals first, so a float such as 81.24999999999999 (from 0.8125 * 100) rounds as
    # the fraction it stands for.
    exact = Decimal(repr(float(value))).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
    shown = exact.quantize(step, rounding=ROUND_HALF_UP)
    if target is not None and value < target - _EPS * 100 and shown >= Decimal(repr(float(target))):
        shown = exact.quantize(step, rounding=ROUND_FLOOR)
    return shown


def decimals_below_target(value: float, target: float | None, decimals: int = 1) -> int:
    """How many decimals a share needs in a format that rounds half up (Excel's "0.0%") so that a share below
    the target never reads as reaching it: 79.95 against 80 needs 2 ("79.95 %"), 79.9 needs 1. At most 6."""
    if target is None or value >= target - _EPS * 100:
        return decimals
    limit = Decimal(repr(float(target)))
    exact = Decimal(repr(float(value))).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
    while decimals < 6 and exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) >= limit:
        decimals += 1
    return decimals


def rate_looks_wrong(response_rate: float | None) -> bool:
    """A response rate above 100 % (more responses than staff): most likely the headcount is out of date."""
    return response_rate is not None and response_rate > 100 + _EPS


def respondent_scale_score(items: Sequence[ItemSpec], answers: Mapping[str, int | None]) -> float | None:
    """One respondent's SAQ score over items: mean of scored values mapped to 0-100, None without any answer.

    On the 1-5 scale this is (mean - 1) * 25; other scales are mapped from their own ends.
    """
    scored = [(item, item.scored(answers[item.code])) for item in items
              if answers.get(item.code) is not None and answers[item.code] in item.valid_values]
    if not scored:
        return None
    low, high = items[0].min_value, items[0].max_value
    mean = sum(value for _, value in scored) / len(scored)
    return (mean - low) / (high - low) * 100 if high > low else 0.0


def scale_tally(scores: Iterable[float | None]) -> ScaleTally:
    """The additive SAQ tally of respondents' scale scores (None = respondent without a valid answer)."""
    valid = [s for s in scores if s is not None]
    return ScaleTally(len(valid), float(sum(valid)), sum(1 for s in valid if s >= SAQ_HIGH - _EPS))


def scale_score(tally: ScaleTally, suppressed: bool = False) -> ScaleScore:
    """Mean SAQ score and % of respondents at 75 or more; None numbers when suppressed or empty."""
    if suppressed or tally.respondents == 0:
        return ScaleScore(None, None, None, suppressed)
    return ScaleScore(tally.respondents, tally.score_sum / tally.respondents,
                      tally.high / tally.respondents * 100, False)


def expected_counts(previous: Tally, current: Tally) -> list[float]:
    """The four expected cell counts of the 2x2 table (round x positive/not) under no change."""
    total = previous.n + current.n
    positive = previous.positive + current.positive
    if total == 0:
        return [0.0] * 4
    return [n * column / total for n in (previous.n, current.n) for column in (positive, total - positive)]


def two_proportion_test(previous: Tally, current: Tally, alpha: float = 0.05) -> Change | None:
    """The change from previous to current, tested: the pooled two-proportion z-test, or Fisher's exact test
    (two-sided, SciPy's) when any expected count is under 5, where the z-test's normal approximation fails
    (5 of 5 -> 2 of 5: z gives p = 0.04, Fisher p = 0.167). None when either round has no valid answer."""
    if previous.n == 0 or current.n == 0:
        return None
    p1, p2 = previous.positive / previous.n, current.positive / current.n
    pooled = (previous.positive + current.positive) / (previous.n + current.n)
    se = math.sqrt(pooled * (1 - pooled) * (1 / previous.n + 1 / current.n))
    z = (p2 - p1) / se if se > 0 else 0.0
    if min(expected_counts(previous, current)) < 5:
        from scipy.stats import fisher_exact  # imported when needed: SciPy takes a second to import

        table = [[previous.positive, previous.n - previous.positive], [current.positive, current.n - current.positive]]
        p_value = float(fisher_exact(table, alternative="two-sided").pvalue)
        test = FISHER_TEST
    else:
        p_value = math.erfc(abs(z) / math.sqrt(2))
        test = Z_TEST
    return Change(p1 * 100, p2 * 100, (p2 - p1) * 100, z, p_value, p_value < alpha, test)


def roll_up(leaf_values: Mapping[K, V], parent_of: Mapping[K, K | None], zero: V) -> dict[K, V]:
    """Each node's value as the sum of the leaf values at or below it (raw counts, never averages).

    `parent_of` maps every node to its parent (None at the top); nodes without leaves get `zero`.
    """
    totals: dict[K, V] = {node: zero for node in parent_of}
    for leaf, value in leaf_values.items():
        node: K | None = leaf
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            totals[node] = totals.get(node, zero) + value  # type: ignore[operator]
            node = parent_of.get(node)
    return totals


def suppress(sizes: Mapping[K, int], relations: Iterable[tuple[K, Sequence[K]]], min_group: int,
             order: Callable[[K], object] | None = None) -> frozenset[K]:
    """The groups to hide: primary (fewer than min_group respondents) and complementary.

    `relations` are (total, parts) where the parts add up to the total: the afsnit of an afdeling, the
    Faggrupper of a unit (including "not answered"), or one Faggruppe across the afsnit of an afdeling.
    A relation with something hidden in it is safe when its hidden parts hold at least min_group
    respondents and, if its total is shown, at least two hidden parts hold respondents (a part known to be
    empty protects nothing). Until it is safe, the smallest shown part with respondents is hidden too, or,
    when there is none, the total. Repeats over all relations until nothing changes; `order` breaks ties.
    A total absent from `sizes` (such as an overall total) counts as shown and is never hidden.
    """
    relations = [(total, list(parts)) for total, parts in relations]
    hidden = {key for key, size in sizes.items() if size < min_group}
    rank = order or (lambda key: 0)
    size = lambda key: sizes.get(key, 0)  # noqa: E731
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            while True:
                occupied = [part for part in parts if part in hidden and size(part) > 0]
                total_hidden = total in hidden
                if not total_hidden and not occupied:
                    break
                if sum(map(size, occupied)) >= min_group and (total_hidden or len(occupied) >= 2):
                    break
                candidates = [part for part in parts if part not in hidden and size(part) > 0]
                if candidates:
                    hidden.add(min(candidates, key=lambda part: (size(part), rank(part))))
                elif not total_hidden and total in sizes:
                    hidden.add(total)
                else:
                    break
                changed = True
    return frozenset(hidden)


def weakest(scores: Mapping[str, Score], count: int = 3) -> list[str]:
    """The codes of the `count` lowest agreement shares, lowest first, ties in the mapping's (questionnaire)
    order; suppressed and empty ones skipped. Compared as exact fractions, so 1 of 3 ties with 2 of 6."""
    ranked = [(Fraction(s.positive, s.n), position, code) for position, (code, s) in enumerate(scores.items())
              if s.percent is not None and s.n]
    return [code for _, _, code in sorted(ranked)[:count]]


def _unanimous(tally: Tally) -> bool:
    """A tally with answers that are all positive or all negative: it tells every member's answer."""
    return tally.n > 0 and tally.positive in (0, tally.n)


def attribute_suppress(tallies: Mapping[K, Tally], children: Mapping[K, Sequence[K]],
                       hidden: Iterable[K]) -> frozenset[K]:
    """The cells (one measure per node) to hide so no shown cell tells what a hidden group answered.

    `tallies` hold every node's tally (answers sit at the leaves; inner nodes are their sums), `children`
    the tree, `hidden` the groups already hidden (`suppress`). A shown cell U is hidden too while a reader
    could work out, from U and shown cells below it, a part containing hidden answers that is unanimous
    (0 % or 100 %): either the hidden part left after subtracting every shown cell below U (this covers a
    shown 0 %/100 % over a hidden group), or the hidden cells among U's children taken together (U minus its
    shown children). Repeats until nothing changes, so hiding U moves the check up to U's parent.
    """
    cells = {node for node in hidden if node in tallies}
    nodes = list(tallies)

    def uncovered(node: K) -> Tally:
        total = Tally()
        for child in children.get(node, ()):
            if child in cells:
                total += uncovered(child) if children.get(child) else tallies[child]
        return total

    changed = True
    while changed:
        changed = False
        for node in nodes:
            if node in cells or not children.get(node):
                continue
            direct = Tally()
            for child in children[node]:
                if child in cells:
                    direct += tallies[child]
            if _unanimous(uncovered(node)) or _unanimous(direct):
                cells.add(node)
                changed = True
    return frozenset(cells)
@dataclass(frozen=True)
class Challenges:
    """The biggest challenges of a unit: its lowest items, lowest first, and which of them miss the target."""

    #: The three (or fewer) lowest items' codes, lowest first.
    lowest: tuple[str, ...]
    #: Those of `lowest` below the target (marked "✗").
    below_target: frozenset[str]

    @property
    def all_meet(self) -> bool:
        """Every ranked item meets the target: the lowest are then just the "laveste", not challenges."""
        return bool(self.lowest) and not self.below_target


def challenges(scores: Mapping[str, Score], count: int = 3) -> Challenges:
    """The `count` lowest items (see `weakest`) and those of them that miss the target."""
    lowest = weakest(scores, count)
    return Challenges(tuple(lowest), frozenset(code for code in lowest if scores[code].met is False))


@dataclass(frozen=True)
class Challenge:
    """One of a unit's biggest challenges ("største udfordringer")."""

    code: str
    #: 1 for the lowest share, then 2 and 3.
    rank: int
    score: Score

    @property
    def under_target(self) -> bool:
        """The share misses the target (shown "✗"); a challenge may still meet it when every item does."""
        return self.score.met is False


def biggest_challenges(scores: Mapping[str, Score], count: int = 3) -> list[Challenge]:
    """The one meaning of "største udfordringer", for every page, PDF, slide and API field: the `count` items
    with the lowest share of positive answers among the shown cells (suppressed and empty ones skipped),
    lowest first, ties in the mapping's (questionnaire) order, each marked under the target or not."""
    return [Challenge(code, rank, scores[code]) for rank, code in enumerate(weakest(scores, count), start=1)]


#: The one notation for a change between two rounds: ▲/▼ larger than chance (5 % level), ○ could be chance.
CHANGE_UP, CHANGE_DOWN, CHANGE_CHANCE = "▲", "▼", "○"


def change_mark(change: Change | None) -> str:
    """"▲" or "▼" for a change larger than chance, up or down; "○" for one that could be chance; "" for none."""
    if change is None:
        return ""
    if not change.significant:
        return CHANGE_CHANCE
    return CHANGE_UP if change.difference > 0 else CHANGE_DOWN
