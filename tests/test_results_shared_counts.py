"""A closed round's counts are made once from the final answers and shared through the round_count tables."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from surveyapp.extensions import db
from surveyapp.models import Answer, Response, RoundCount, RoundCountValue
from surveyapp.services.results import counts
from surveyapp.services.results.counts import _CACHE, clear_cache, load_round, round_results
from surveyapp.timeutil import utcnow
from tests.results_helpers import add_responses, count_queries, tryg


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture(autouse=True)
def share_small_rounds(monkeypatch):
    """These rounds are small; share them as if they were large."""
    monkeypatch.setattr(counts, "SHARED_FROM", 1)


def _closed_round(make_round, org):
    opens = utcnow() - timedelta(days=40)
    round_ = make_round(units=list(org.values()), opens=opens, closes=opens + timedelta(days=30), min_group=5)
    add_responses(round_, org["H-A1"], tryg(5, 4, 4, 3, 2, None) + [{"kommentar": "fri tekst"}])
    add_responses(round_, org["H-A2"], tryg(5, 5, 5, 5, 4))
    add_responses(round_, org["H-B1"], tryg(5, 5))
    add_responses(round_, org["H-B2"], tryg(1, 2, 4, 4, 5, 5, 5))
    db.session.commit()
    return round_


def _stored_cells(round_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(RoundCountValue)
                             .where(RoundCountValue.round_id == round_id))


def test_closed_round_is_counted_once_and_read_back_with_the_same_results(make_round, org):
    round_ = _closed_round(make_round, org)
    clear_cache()
    first = round_results(round_)
    assert db.session.get(RoundCount, round_.id) is not None
    # (afsnit, value) cells of tryg_som_patient: A1 has 5 values, A2 2, B1 1, B2 4; the comment a count only
    assert _stored_cells(round_.id) == 13
    assert db.session.scalar(select(func.count()).select_from(RoundCountValue).where(
        RoundCountValue.value.is_(None), RoundCountValue.unit_id == org["H-A1"].id)) == 2
    _CACHE.clear()  # another worker, or another instance: nothing in memory
    db.session.expire_all()
    with count_queries() as reading:
        again = round_results(round_)
    assert again == first
    clear_cache()  # forgets the stored counts too
    assert db.session.get(RoundCount, round_.id) is None
    db.session.expire_all()
    with count_queries() as counting:
        assert round_results(round_) == first
    # counting: the (empty) read, the grouped count and two inserts; reading: one read of the cells
    assert counting[0] - reading[0] == 3


def test_stored_counts_equal_the_direct_count_of_the_answers(make_round, org):
    round_ = _closed_round(make_round, org)
    clear_cache()
    rows = {(r.unit_code, r.item_code): (r.n, r.positive, r.suppressed) for r in round_results(round_)}
    assert rows[("H-A1", "tryg_som_patient")] == (5, 3, False)
    assert rows[("H-B1", "tryg_som_patient")] == (None, None, True)  # below 5 respondents
    assert rows[("H", "tryg_som_patient")] == (19, 15, False)


def test_a_deleted_response_makes_the_counts_again(make_round, org):
    round_ = _closed_round(make_round, org)
    clear_cache()
    before = {r.unit_code: r.respondents for r in round_results(round_) if r.item_code == "tryg_som_patient"}
    old_fingerprint = db.session.get(RoundCount, round_.id).fingerprint
    doomed = db.session.scalar(select(Response.id).where(Response.unit_id == org["H-A2"].id).limit(1))
    db.session.execute(delete(Answer).where(Answer.response_id == doomed))
    db.session.execute(delete(Response).where(Response.id == doomed))
    db.session.commit()
    _CACHE.clear()  # a new worker: the stored counts are there, of the old answers
    after = {r.unit_code: (r.respondents, r.n) for r in round_results(round_) if r.item_code == "tryg_som_patient"}
    assert before["H-A2"] == 5 and after["H-A2"] == (4, None)  # now under the threshold: hidden
    db.session.expire_all()
    assert db.session.get(RoundCount, round_.id).fingerprint != old_fingerprint
    stored = dict(db.session.execute(select(RoundCountValue.value, RoundCountValue.count).where(
        RoundCountValue.round_id == round_.id, RoundCountValue.unit_id == org["H-A2"].id)).all())
    assert stored == {5: 3, 4: 1}


def test_an_open_round_is_never_stored(make_round, org):
    round_ = make_round(units=list(org.values()))
    add_responses(round_, org["H-A1"], tryg(4, 5))
    db.session.commit()
    clear_cache()
    load_round(round_)
    assert db.session.get(RoundCount, round_.id) is None


def test_a_small_closed_round_is_counted_directly(make_round, org, monkeypatch):
    monkeypatch.setattr(counts, "SHARED_FROM", 2000)
    round_ = _closed_round(make_round, org)
    clear_cache()
    load_round(round_)
    assert db.session.get(RoundCount, round_.id) is None


def test_a_worker_keeps_a_shared_round_for_a_while_then_looks_at_its_answers_again(make_round, org, monkeypatch):
    round_ = _closed_round(make_round, org)
    clear_cache()
    first = load_round(round_)
    with count_queries() as again:
        assert load_round(round_) is first
    assert again[0] == 0  # not even the fingerprint's scan of the round's responses
    doomed = db.session.scalar(select(Response.id).where(Response.unit_id == org["H-A2"].id).limit(1))
    db.session.execute(delete(Answer).where(Answer.response_id == doomed))
    db.session.execute(delete(Response).where(Response.id == doomed))
    db.session.commit()
    assert load_round(round_).respondents[org["H-A2"].id] == 5  # within ROUND_DATA_SECONDS: as it was
    monkeypatch.setattr(counts, "ROUND_DATA_SECONDS", 0)
    assert load_round(round_).respondents[org["H-A2"].id] == 4


def test_an_open_round_is_counted_on_every_view(make_round, org):
    round_ = make_round(units=list(org.values()))
    add_responses(round_, org["H-A1"], tryg(4, 5))
    db.session.commit()
    clear_cache()
    assert load_round(round_).respondents[org["H-A1"].id] == 2
    add_responses(round_, org["H-A1"], tryg(3))
    db.session.commit()
    assert load_round(round_).respondents[org["H-A1"].id] == 3
