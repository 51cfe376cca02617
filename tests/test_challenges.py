""""Største udfordringer" has one meaning (issue 25): the three lowest shares in shown cells, lowest first, ties in
questionnaire order, each marked under the target or not; and one notation for a change larger than chance."""
from surveyapp.formatting import percent
from surveyapp.scoring import Change, Tally, biggest_challenges, change_mark, score


def scores_of(*pairs, target=0.8, hidden=()):
    return {code: score(Tally(n, positive), target, suppressed=code in hidden) for code, (positive, n) in pairs}


def test_the_three_lowest_shares_lowest_first_each_marked_under_the_target_or_not():
    scores = scores_of(("a", (9, 10)), ("b", (8, 10)), ("c", (5, 10)), ("d", (10, 10)))
    ranked = biggest_challenges(scores)
    assert [(c.code, c.rank, c.under_target) for c in ranked] == [("c", 1, True), ("b", 2, False), ("a", 3, False)]


def test_when_every_item_meets_the_target_the_three_lowest_are_still_the_challenges_none_under_it():
    ranked = biggest_challenges(scores_of(("a", (9, 10)), ("b", (8, 10)), ("c", (10, 10)), ("d", (17, 20))))
    assert [c.code for c in ranked] == ["b", "d", "a"] and not any(c.under_target for c in ranked)


def test_ties_are_broken_by_questionnaire_order_and_compared_as_exact_fractions():
    ranked = biggest_challenges(scores_of(("x", (2, 6)), ("y", (1, 3)), ("z", (5, 10)), ("w", (1, 3))))
    assert [c.code for c in ranked] == ["x", "y", "w"]  # 2/6 = 1/3: the questionnaire's order decides


def test_hidden_and_empty_cells_are_never_a_challenge():
    scores = scores_of(("a", (1, 10)), ("b", (0, 0)), ("c", (7, 10)), ("d", (9, 10)), hidden=("a",))
    assert [c.code for c in biggest_challenges(scores)] == ["c", "d"]
    assert biggest_challenges({}) == []


def test_a_share_just_below_the_target_is_under_it_and_reads_below_it():
    ranked = biggest_challenges(scores_of(("a", (1599, 2000)), ("b", (1900, 2000))))  # 79,95 %
    assert ranked[0].code == "a" and ranked[0].under_target
    assert percent(ranked[0].score.percent, locale="da", target=ranked[0].score.target) == "79,9\xa0%"


def change(difference: float, significant: bool) -> Change:
    return Change(50.0, 50.0 + difference, difference, 2.0, 0.04 if significant else 0.4, significant)


def test_one_mark_for_a_change_larger_than_chance_up_or_down_and_one_for_chance():
    assert change_mark(change(12.0, True)) == "▲"
    assert change_mark(change(-12.0, True)) == "▼"
    assert change_mark(change(3.0, False)) == "○"
    assert change_mark(None) == ""
