"""Round results from the database: grouped counts, roll-ups, suppression and scope."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from surveyapp.extensions import db
from surveyapp.models import Answer, Response
from surveyapp.services.results.counts import load_round, round_results
from surveyapp.services.results.dashboard import round_table
from surveyapp.services.scopes import visible_unit_ids
from tests.results_helpers import add_responses, closed, count_queries, tryg


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture
def staff_round(make_round, org):
    round_ = make_round(**closed(), units=list(org.values()), min_group=5)
    add_responses(round_, org["H-A1"], tryg(5, 4, 4, 3, 2, None))  # 6 respondents, 3 of 5 valid positive
    add_responses(round_, org["H-A2"], tryg(5, 5, 5, 5, 4))         # 5 of 5
    add_responses(round_, org["H-B1"], tryg(5, 5))                  # 2 respondents: below the threshold
    add_responses(round_, org["H-B2"], tryg(1, 2, 4, 4, 5, 5, 5))   # 7: hidden as cover for H-B1
    db.session.commit()
    return round_


def by_unit(rows, code="tryg_som_patient"):
    return {row.unit_code: row for row in rows if row.item_code == code}


def test_item_results_per_afsnit_and_rolled_up_from_raw_answers(staff_round):
    rows = by_unit(round_results(staff_round))
    a1, a2, a = rows["H-A1"], rows["H-A2"], rows["H-A"]
    assert (a1.respondents, a1.n, a1.positive, a1.met) == (6, 5, 3, False)
    assert a1.percent == pytest.approx(60.0)
    assert (a2.n, a2.positive, a2.percent, a2.met) == (5, 5, 100.0, True)
    assert (a.n, a.positive, a.met) == (10, 8, True) and a.percent == pytest.approx(80.0)
    hospital = rows["H"]  # 8 + 2 + 5 positive of 10 + 2 + 7 valid
    assert (hospital.respondents, hospital.n, hospital.positive) == (20, 19, 15)
    assert a.ci_low == pytest.approx(49.016, abs=0.01) and a.target == pytest.approx(80.0)
    assert a.response_rate == pytest.approx(11 / 40 * 100) and a.headcount == 40


def test_small_afsnit_and_its_cover_show_no_numbers(staff_round):
    rows = by_unit(round_results(staff_round))
    for code in ("H-B1", "H-B2"):
        row = rows[code]
        assert row.suppressed
        assert (row.n, row.positive, row.percent, row.ci_low, row.ci_high, row.met) == (None,) * 6
    assert rows["H-B1"].respondents == 2  # response counts are not answers; follow-up needs them
    assert not rows["H-B"].suppressed and rows["H-B"].n == 9


def test_dimension_rows_follow_the_items(staff_round):
    rows = [r for r in round_results(staff_round, level="afsnit") if r.unit_code == "H-A2"]
    assert [r.measure for r in rows][-3:] == ["dimension"] * 3
    teamwork = next(r for r in rows if r.item_code == "Samarbejdsklima")  # version 2: the NSR strategy's label
    assert (teamwork.n, teamwork.positive) == (5, 5)  # only tryg_som_patient was answered
    assert {r.level for r in round_results(staff_round, level="afsnit")} == {"afsnit"}


def test_reverse_scored_item_is_reversed_in_the_database_path(make_round, org):
    round_ = make_round(**closed(), units=list(org.values()))
    add_responses(round_, org["H-A1"], [{"svaert_at_sige_til": v} for v in (1, 2, 2, 4, 5, None)])
    db.session.commit()
    row = by_unit(round_results(round_), "svaert_at_sige_til")["H-A1"]
    assert (row.n, row.positive) == (5, 3)


def test_scope_limits_rows_but_not_the_suppression(staff_round, org, make_user):
    user = make_user("coordinator", units=[org["H-B"]])
    rows = round_results(staff_round, visible_unit_ids=visible_unit_ids(user))
    assert {r.unit_code for r in rows} == {"H-B", "H-B1", "H-B2"}
    assert by_unit(rows)["H-B2"].suppressed


def test_dashboard_table_is_in_hierarchy_order_with_key_items(staff_round):
    table = round_table(load_round(staff_round), None)
    assert [r.unit.code for r in table.rows] == ["H", "H-A", "H-A1", "H-A2", "H-B", "H-B1", "H-B2"]
    assert table.key_items == ["tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op"]
    assert [r.depth for r in table.rows][:3] == [0, 1, 2]


def test_loading_a_round_takes_the_same_few_queries_for_more_data(make_round, org):
    round_ = make_round(**closed(), units=list(org.values()))
    add_responses(round_, org["H-A1"], tryg(4, 5))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as small:
        load_round(round_)
    add_responses(round_, org["H-A2"], tryg(*([4] * 40)) + [{"laere_af_haendelser": 3}] * 20)
    add_responses(round_, org["H-B1"], tryg(*([2] * 30)))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as large:
        load_round(round_)
    assert small[0] == large[0] <= 10


answers = st.lists(st.tuples(st.sampled_from(["H-A1", "H-A2", "H-B1"]),
                             st.fixed_dictionaries({}, optional={
                                 "tryg_som_patient": st.one_of(st.none(), st.integers(1, 5)),
                                 "svaert_at_sige_til": st.one_of(st.none(), st.integers(1, 5))})),
                   max_size=40)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=answers)
def test_database_roll_ups_equal_a_direct_computation_over_raw_answers(make_round, org, rows):
    round_ = make_round(**closed(), units=list(org.values()), min_group=1)
    for unit_code, given_answers in rows:
        add_responses(round_, org[unit_code], [given_answers])
    db.session.commit()
    results = round_results(round_)
    members = {"H": {"H-A1", "H-A2", "H-B1"}, "H-A": {"H-A1", "H-A2"}, "H-B": {"H-B1"}, "H-A1": {"H-A1"}}
    for code, reverse in (("tryg_som_patient", False), ("svaert_at_sige_til", True)):
        got = by_unit(results, code)
        for unit, inside in members.items():
            values = [a[code] for u, a in rows if u in inside and a.get(code) is not None]
            positive = sum(1 for v in values if (6 - v if reverse else v) >= 4)
            assert (got[unit].n or 0, got[unit].positive or 0) == (len(values), positive)
    db.session.execute(delete(Answer))
    db.session.execute(delete(Response))
    db.session.commit()


def test_counting_within_a_scope_gives_the_same_numbers_and_refuses_units_outside(staff_round, org):
    from surveyapp.services.scopes import child_map, descendants

    within = descendants(child_map(), [org["H-A"].id])
    part = round_results(staff_round, visible_unit_ids=within)
    full = [row for row in round_results(staff_round) if row.unit_id in within]
    assert part == full
    data = load_round(staff_round, within)
    with pytest.raises(ValueError):
        data.item_score(org["H"].id, "tryg_som_patient")


def test_a_new_response_is_counted_although_counts_are_cached(staff_round, org):
    assert by_unit(round_results(staff_round))["H-A2"].n == 5
    add_responses(staff_round, org["H-A2"], tryg(1))
    db.session.commit()
    row = by_unit(round_results(staff_round))["H-A2"]
    assert (row.n, row.positive) == (6, 5)


def test_saq_scale_scores_from_the_database_match_the_respondents_means(make_round, org):
    from surveyapp.services.results.breakdowns import saq_scores

    round_ = make_round(**closed(), units=list(org.values()), min_group=1)
    add_responses(round_, org["H-A1"], [
        # Version 2 files tryg_som_patient under Samarbejdsklima, as the NSR strategy labels it.
        {"tryg_som_patient": 4, "laere_af_haendelser": 5},      # Samarbejdsklima 4 -> 75; Sikkerhedsklima 5 -> 100
        {"tryg_som_patient": 2, "laere_af_haendelser": None},   # Samarbejdsklima 2 -> 25
        {"svaert_at_sige_til": 2, "let_at_spoerge": 3},         # reverse 2 -> 4; (4 + 3) / 2 -> 62.5
        {"let_at_spoerge": 5, "svaert_at_sige_til": 1},         # (5 + 5) / 2 -> 100
    ])
    db.session.commit()
    data = load_round(round_)
    scores = saq_scores(round_, data, org["H-A"].id)
    climate, teamwork = scores["Sikkerhedsklima"], scores["Samarbejdsklima"]
    assert climate.respondents == 1 and climate.mean == pytest.approx(100.0)
    assert climate.percent_high == pytest.approx(100.0)
    assert teamwork.respondents == 4 and teamwork.mean == pytest.approx((75 + 25 + 62.5 + 100) / 4)
    assert teamwork.percent_high == pytest.approx(50.0)
    assert scores["Forbedringer"].respondents is None  # nobody answered it


def test_dashboard_sorting_puts_units_without_a_value_last_both_ways():
    from surveyapp.scoring import Score
    from surveyapp.services.results.counts import UnitInfo
    from surveyapp.services.results.dashboard import TableRow, headlines, sort_rows, valid_sort

    def row(name, percent, level="afsnit"):
        cell = Score(10, 5, percent, None, None, 80.0, None if percent is None else percent >= 80, percent is None)
        return TableRow(UnitInfo(hash(name), name, name, level, None, None), 2, 10, None, None, percent is None,
                        [cell], [None])

    rows = [row("Afdeling", 70, "afdeling"), row("B", 90), row("A", None), row("C", 60)]
    assert [r.unit.name for r in sort_rows(rows, "item0", False)] == ["C", "B", "A"]
    assert [r.unit.name for r in sort_rows(rows, "item0", True)] == ["B", "C", "A"]
    assert [r.unit.name for r in sort_rows(rows, "unit", False)] == ["A", "B", "C"]
    assert valid_sort("item0", 1) == "item0" and valid_sort("item1", 1) is None and valid_sort("x", 3) is None
    assert [(h.level, h.met_all, h.scored, h.total) for h in headlines(rows)] == [("afdeling", 0, 1, 1),
                                                                                 ("afsnit", 1, 2, 3)]
