"""The audit rules and run-chart rules on hand-made data."""
import pytest

from surveyapp.audit_scoring import (NO, NOT_APPLICABLE as NA, YES, Rule, Signal, Tally, evaluate, median, meets,
                                     pool, run_chart_signals, sample_correct, shifts, trends)

NINE_OF_TEN = Rule("k_of_n", k=9, n=10)
NINETY = Rule("share", share=0.9)


def staff(correct: int, wrong: int, not_applicable: int = 0) -> list[dict]:
    return [{"q": YES}] * correct + [{"q": NO}] * wrong + [{"q": NA}] * not_applicable


def test_nine_of_ten_correct_is_implemented():
    result = evaluate(staff(9, 1), ["q"], NINE_OF_TEN)
    assert result.implemented and result.decided and result.overall == Tally(10, 9)


def test_eight_of_ten_correct_is_not_implemented():
    result = evaluate(staff(8, 2), ["q"], NINE_OF_TEN)
    assert not result.implemented and result.decided and result.overall.share == 0.8


def test_nine_of_nine_asked_is_not_yet_decided_under_nine_of_ten():
    result = evaluate(staff(9, 0), ["q"], NINE_OF_TEN)
    assert not result.implemented and not result.decided


def test_ninety_percent_excludes_not_applicable_records():
    # 10 records, 1 not applicable: 8 of 9 is 88.9 %, not enough; 9 of 9 is.
    assert not evaluate(staff(8, 1, 1), ["q"], NINETY).implemented
    assert evaluate(staff(9, 0, 1), ["q"], NINETY).implemented
    assert evaluate(staff(9, 1), ["q"], NINETY).implemented  # exactly 90 %, no float rounding trouble


def test_a_sample_is_correct_only_when_every_applicable_criterion_is_yes():
    assert sample_correct({"a": YES, "b": YES}) is True
    assert sample_correct({"a": YES, "b": NO}) is False
    assert sample_correct({"a": YES, "b": NA}) is True
    assert sample_correct({"a": NA, "b": NA}) is None


def test_per_criterion_shares_count_applicable_answers_only():
    samples = [{"a": YES, "b": NA}, {"a": NO, "b": YES}, {"a": YES, "b": YES}, {"a": NA, "b": NO}]
    result = evaluate(samples, ["a", "b"], NINETY)
    assert result.criteria == {"a": Tally(3, 2), "b": Tally(3, 2)}
    assert result.overall == Tally(4, 2)
    assert Tally(0, 0).share is None


def test_pooled_counts_are_not_averaged_shares():
    assert pool([Tally(10, 9), Tally(2, 0)]) == Tally(12, 9)
    assert pool([Tally(10, 9), Tally(2, 0)]).share == 0.75  # the average of 90 % and 0 % would be 45 %
    assert meets(NINETY, Tally(0, 0)) is False


def test_shift_needs_six_points_on_one_side_of_the_median():
    values = [0.5, 0.6, 0.9, 0.9, 0.95, 0.92, 0.91, 0.93, 0.5, 0.55, 0.4, 0.45]
    assert median(values) == 0.75
    assert shifts(values) == [Signal("shift", "up", 2, 7)]
    assert shifts(values[:7]) == []


def test_points_on_the_median_neither_count_nor_break_a_shift():
    values = [1, 2, 2, 2, 5, 2, 2, 2, 9, 9, 9]
    # median 2: the points above are 4, 8, 9, 10 (four), so no shift...
    assert shifts(values) == []
    assert shifts([3, 3, 1, 3, 3, 3, 3, 1], center=1) == [Signal("shift", "up", 0, 6)]


def test_trend_needs_five_points_rising_or_falling_and_ignores_repeats():
    assert trends([0.5, 0.6, 0.7, 0.8]) == []
    assert trends([0.5, 0.6, 0.7, 0.8, 0.85]) == [Signal("trend", "up", 0, 4)]
    assert trends([0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.6]) == [Signal("trend", "down", 0, 5)]
    assert trends([0.5, 0.6, 0.5, 0.6, 0.5]) == []


def test_run_chart_signals_are_listed_in_order():
    values = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99, 1.0]
    signals = run_chart_signals(values)
    assert [s.kind for s in signals] == ["shift", "trend", "shift"]
    assert signals[1] == Signal("trend", "up", 0, 11) and signals[1].length == 12


@pytest.mark.parametrize("values", [[], [0.5]])
def test_short_series_have_no_signals(values):
    assert run_chart_signals(values) == []


def test_a_shift_counts_only_the_points_off_the_median():
    # median 0.5; above it 0.9 x7 with two points on the median in between: 7 points make it, not 9.
    values = [0.1, 0.2, 0.3, 0.9, 0.5, 0.9, 0.9, 0.5, 0.9, 0.9, 0.9, 0.9, 0.1, 0.2, 0.5, 0.3]
    signal = next(s for s in shifts(values) if s.direction == "up")
    assert (signal.start, signal.end, signal.length) == (3, 11, 7)
    assert signal.points == (3, 5, 6, 8, 9, 10, 11)


def test_a_trend_counts_only_the_points_that_change():
    signal = trends([0.5, 0.6, 0.6, 0.7, 0.7, 0.8, 0.9])[0]
    assert (signal.start, signal.end, signal.length, signal.points) == (0, 6, 5, (0, 1, 3, 5, 6))


def test_a_rule_that_cannot_decide_says_how_many_samples_are_missing():
    from surveyapp.audit_scoring import missing_samples

    nine_of_ten = Rule("k_of_n", k=9, n=10)
    # 9 correct and 1 sample where nothing applied: 100 % of the applicable, but only 9 of the 10 needed.
    samples = [{"a": "yes"}] * 9 + [{"a": "na"}]
    result = evaluate(samples, ["a"], nine_of_ten)
    assert result.overall == Tally(applicable=9, correct=9) and not result.implemented and not result.decided
    assert missing_samples(nine_of_ten, result.overall) == 1
    assert missing_samples(nine_of_ten, Tally(10, 9)) == 0 and missing_samples(Rule("share", share=0.9), Tally(3, 3)) == 0


def test_a_roll_up_counts_its_implemented_afsnit_beside_the_pooled_share():
    from surveyapp.audit_scoring import implemented_count

    rule = Rule("k_of_n", k=9, n=10)
    afsnit = [Tally(10, 10), Tally(10, 9), Tally(10, 9), Tally(10, 5)]
    assert implemented_count(rule, afsnit) == (3, 4)
    assert meets(rule, pool(afsnit)) is False  # 33 of 40 pooled: the afdeling is not, though 3 of 4 afsnit are


def test_a_run_chart_needs_as_many_points_as_its_longest_rule():
    from surveyapp.audit_scoring import MINIMUM_POINTS, SHIFT_LENGTH, enough_points

    assert MINIMUM_POINTS == SHIFT_LENGTH == 6
    assert not enough_points(1) and not enough_points(5) and enough_points(6)


def test_workflows_are_the_same_whatever_their_case_and_spacing():
    from surveyapp.audit_scoring import workflow_key

    assert workflow_key("  Håndhygiejne  før   patientkontakt") == workflow_key("håndhygiejne før patientkontakt")
    assert workflow_key("Håndhygiejne") != workflow_key("Faldforebyggelse") and workflow_key(None) == ""
