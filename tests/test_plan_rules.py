"""The action plans' rules, without an app."""
from datetime import date

from surveyapp import plan_rules as rules
from surveyapp.plan_rules import AuditOutcome


def test_due_date_before_start_is_refused():
    assert not rules.dates_valid(date(2026, 3, 1), date(2026, 2, 28))
    assert rules.dates_valid(date(2026, 3, 1), date(2026, 3, 1))
    assert rules.dates_valid(None, date(2026, 3, 1))
    assert rules.dates_valid(date(2026, 3, 1), None)


def test_statuses_move_forward_and_finished_ones_reopen_only_to_in_progress():
    assert rules.may_move("planlagt", "i_gang")
    assert rules.may_move("i_gang", "implementeret")
    assert rules.may_move("planlagt", "opgivet")
    assert rules.may_move("implementeret", "i_gang")
    assert not rules.may_move("implementeret", "opgivet")
    assert not rules.may_move("i_gang", "i_gang")
    assert not rules.may_move("i_gang", "unknown")


def test_overdue_only_while_open_and_past_the_due_date():
    today = date(2026, 6, 1)
    assert rules.overdue("i_gang", date(2026, 5, 31), today)
    assert not rules.overdue("i_gang", date(2026, 6, 1), today)
    assert not rules.overdue("implementeret", date(2026, 1, 1), today)
    assert not rules.overdue("planlagt", None, today)


def test_latest_audit_decides_the_verification():
    short = AuditOutcome(date(2026, 4, 1), 1, False, 8, 10)
    met = AuditOutcome(date(2026, 5, 1), 2, True, 9, 10)
    assert rules.verify("isbar", [met, short]) == rules.Verification("confirmed", date(2026, 5, 1), 9, 10)
    later_short = AuditOutcome(date(2026, 5, 1), 3, False, 7, 10)
    assert rules.verify("isbar", [met, later_short]).state == "short"


def test_verification_without_template_or_audits():
    assert rules.verify(None, []).state == "none"
    assert rules.verify("isbar", []).state == "pending"


def test_confirmation_offers_implemented_only_when_allowed():
    confirmed = rules.Verification("confirmed", date(2026, 5, 1), 9, 10)
    assert rules.offer_implemented("i_gang", confirmed)
    assert not rules.offer_implemented("implementeret", confirmed)
    assert not rules.offer_implemented("i_gang", rules.Verification("short", date(2026, 5, 1), 8, 10))


def test_report_selection_takes_two_and_counts_the_missing():
    assert rules.select_highlights(["a", "b", "c"], {"a", "b", "c"}) == rules.Selection(["a", "b"], 0)
    assert rules.select_highlights(["a", "b", "c"], {"c"}) == rules.Selection(["c"], 1)
    assert rules.select_highlights([], set()) == rules.Selection([], 2)


def test_implemented_means_the_latest_audit_where_one_was_made_and_the_status_otherwise():
    confirmed = rules.Verification("confirmed", date(2026, 6, 1), 9, 10)
    short = rules.Verification("short", date(2026, 6, 1), 7, 10)
    assert rules.implemented("i_gang", confirmed)  # verified by audit, status not yet moved
    assert not rules.implemented("implementeret", short)  # set by hand, the latest audit says otherwise
    assert rules.implemented("implementeret", rules.Verification("pending"))
    assert rules.implemented("implementeret", rules.Verification("none"))
    assert not rules.implemented("planlagt", rules.Verification("none"))
    assert rules.how_implemented("i_gang", confirmed) == "audit"
    assert rules.how_implemented("implementeret", rules.Verification("none")) == "status"
    assert rules.how_implemented("implementeret", short) is None


def test_an_afsnit_under_the_target_without_a_live_plan_is_flagged():
    assert rules.needs_plan([True, False, None], has_live_plan=False)
    assert not rules.needs_plan([True, False, None], has_live_plan=True)
    assert not rules.needs_plan([True, True, None], has_live_plan=False)
    assert not rules.needs_plan([None, None, None], has_live_plan=False)


def test_afsnit_sort_worst_first_and_those_without_figures_last():
    lines = {"good": ([True, True, True], [90.0, 85.0, 88.0]),
             "one_under": ([True, False, True], [90.0, 70.0, 88.0]),
             "two_under": ([False, False, True], [75.0, 78.0, 88.0]),
             "one_lower": ([True, False, True], [90.0, 40.0, 88.0]),
             "hidden": ([None, None, None], [None, None, None])}
    order = sorted(lines, key=lambda name: rules.worst_first(*lines[name]))
    assert order == ["two_under", "one_lower", "one_under", "good", "hidden"]
