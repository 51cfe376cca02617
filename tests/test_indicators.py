"""The strategy's indicator arithmetic, as pure functions: the 90-day rule, roll-ups from counts, run charts."""
from datetime import date, timedelta

from surveyapp import indicator_rules as rules
from surveyapp.audit_scoring import run_chart_signals

CREATED = date(2026, 1, 10)
TODAY = date(2026, 12, 1)


def test_a_case_closed_on_day_90_is_on_time_and_on_day_91_late():
    assert rules.closed_in_time(CREATED, CREATED + timedelta(days=90), TODAY) is True
    assert rules.closed_in_time(CREATED, CREATED + timedelta(days=91), TODAY) is False


def test_an_open_case_is_undecided_until_day_90_and_late_after():
    assert rules.closed_in_time(CREATED, None, CREATED + timedelta(days=90)) is None
    assert rules.closed_in_time(CREATED, None, CREATED + timedelta(days=91)) is False


def test_month_figures_count_late_open_cases_and_leave_young_open_ones_out():
    cases = [rules.Case(date(2026, 3, 1), date(2026, 3, 11), "ingen"),
             rules.Case(date(2026, 3, 2), date(2026, 7, 1), "alvorlig"),
             rules.Case(date(2026, 3, 3), None, None)]
    month = rules.uth_month("2026-03", cases, today=date(2026, 5, 1))
    assert month.reported == 3
    assert month.closed_90d == rules.Share(1, 2)  # the open case is 59 days old: not decided
    assert month.median_days == (10 + 121) / 2
    assert month.by_severity == {"ingen": 1, "alvorlig": 1, None: 1}
    later = rules.uth_month("2026-03", cases, today=date(2026, 7, 1))
    assert later.closed_90d == rules.Share(1, 3)


def test_shares_roll_up_from_numerators_never_by_averaging():
    small, large = rules.Share(1, 2), rules.Share(90, 100)
    pooled = rules.pool([small, large])
    assert pooled == rules.Share(91, 102)
    assert pooled.value != (small.value + large.value) / 2


def test_a_share_meets_its_target_exactly_at_the_boundary():
    assert rules.Share(19, 20).met(0.95) is True
    assert rules.Share(18, 20).met(0.95) is False
    assert rules.Share(0, 0).met(0.95) is None and rules.Share(0, 0).value is None
    assert rules.Share(1, 10).met(0.2, direction="down") is True


def test_reporting_more_than_the_same_month_last_year_is_met():
    assert rules.same_month_last_year("2026-03") == "2025-03"
    assert rules.count_met(12, 10) is True
    assert rules.count_met(10, 10) is False
    assert rules.count_met(12, None) is None


def test_a_root_cause_action_is_on_time_when_done_by_its_due_date():
    due = date(2026, 6, 30)
    assert rules.on_time(due, date(2026, 6, 30), TODAY) is True
    assert rules.on_time(due, date(2026, 7, 1), TODAY) is False
    assert rules.on_time(due, None, date(2026, 6, 30)) is None
    assert rules.on_time(due, None, date(2026, 7, 1)) is False


def test_a_milestone_is_met_when_done_by_its_deadline():
    assert rules.milestone_met(True, date(2026, 12, 31), date(2026, 12, 31))
    assert not rules.milestone_met(True, date(2027, 1, 1), date(2026, 12, 31))
    assert not rules.milestone_met(False, date(2026, 6, 1), date(2026, 12, 31))


def test_severity_takes_dpsds_five_values_and_nothing_else():
    assert [rules.severity_code(t) for t in ("Ingen", "lettere", "Alvorlig  patientsikkerhedsrisiko", "ALVORLIG",
                                             "Dødelig")] == list(rules.SEVERITIES)
    assert rules.severity_code("moderat") is None


def test_months_of_a_year_stop_at_today():
    assert rules.months_of_year(2026, date(2026, 3, 5)) == ["2026-01", "2026-02", "2026-03"]
    assert len(rules.months_of_year(2025, date(2026, 3, 5))) == 12
    assert rules.months_of_year(2027, date(2026, 3, 5)) == []


def test_monthly_shares_use_the_audits_run_chart_rules():
    shares = [rules.Share(n, 20).value for n in (10, 11, 10, 11, 10, 11, 16, 17, 16, 18, 17, 19)]
    signals = run_chart_signals(shares)
    assert any(s.kind == "shift" and s.direction == "up" for s in signals)


def test_reporting_so_far_compares_complete_months_with_the_same_months_last_year():
    this_year = {"2026-01": 5, "2026-02": 7, "2026-03": 1}
    last_year = {"2025-01": 4, "2025-02": 6, "2025-03": 9}
    so_far = rules.reported_so_far(this_year, last_year, current_month="2026-03")
    assert (so_far.months, so_far.reported, so_far.before, so_far.met) == (["2026-01", "2026-02"], 12, 10, True)
    january = rules.reported_so_far({"2026-01": 2}, last_year, current_month="2026-01")
    assert (january.reported, january.before) == (2, 4)
    assert rules.reported_so_far(this_year, {"2025-01": 0}, "2026-03").met is None
