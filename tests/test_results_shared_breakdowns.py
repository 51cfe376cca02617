"""A closed round's unit-page breakdowns (SAQ scale scores, background groups) are made once over the whole
round, stored in round_summary and shared: the same results as counting the unit directly."""
import random

import pytest
from sqlalchemy import delete, func, select

from surveyapp.extensions import db
from surveyapp.models import Answer, Response, RoundSummary
from surveyapp.services.results import counts, precompute
from surveyapp.services.results.counts import _CACHE, clear_cache
from surveyapp.services.results.unit_report import unit_report
from tests.results_helpers import add_responses, closed, count_queries

SCALE = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op", "let_at_spoerge", "svaert_at_sige_til",
         "forbedringer_bruges")


@pytest.fixture
def org(make_org):
    return make_org("H")


def _answers(rng: random.Random, count: int) -> list[dict]:
    answers = []
    for _ in range(count):
        given = {code: rng.choice((1, 2, 3, 4, 5, 5, None)) for code in SCALE if rng.random() > 0.1}
        if rng.random() > 0.15:  # some leave Faggruppe out: the "not answered" group
            given["faggruppe"] = rng.randint(1, 6)
        answers.append(given)
    return answers


@pytest.fixture
def round_(make_round, org):
    rng = random.Random(18)
    round_ = make_round(**closed(), units=list(org.values()), min_group=3)
    for code, count in (("H-A1", 14), ("H-A2", 9), ("H-B1", 2), ("H-B2", 11)):
        add_responses(round_, org[code], _answers(rng, count))
    db.session.commit()
    return round_


def _plain(report) -> tuple:
    """The report's breakdowns as plain numbers (scale means rounded: sums per afsnit add in another order)."""
    scale = [(line.name, line.scale.respondents, line.scale.suppressed,
              None if line.scale.mean is None else round(line.scale.mean, 9),
              None if line.scale.percent_high is None else round(line.scale.percent_high, 9))
             for line in report.dimensions]
    groups = [(b.item_code, [(row.value, row.respondents, row.suppressed, [(s.n, s.positive) for s in row.scores])
                             for row in b.rows]) for b in report.breakdowns]
    return scale, groups


def _reports(round_, org) -> dict[str, tuple]:
    return {code: _plain(unit_report(round_, org[code].id, "da")) for code in ("H", "H-A", "H-A1", "H-B", "H-B2")}


def _summaries(round_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(RoundSummary).where(RoundSummary.round_id == round_id))


def test_stored_breakdowns_equal_the_breakdowns_counted_per_unit(round_, org, monkeypatch):
    clear_cache()
    direct = _reports(round_, org)
    assert _summaries(round_.id) == 0  # a small round: counted per unit, nothing stored
    assert any(row[1] for _item, rows in direct["H-A"][1] for row in rows)  # groups with numbers to compare
    assert any(line[3] is not None for line in direct["H-A"][0])
    monkeypatch.setattr(counts, "SHARED_FROM", 1)
    clear_cache()
    assert _reports(round_, org) == direct  # a shared round not precomputed yet: counted per unit
    assert _summaries(round_.id) == 1  # only Faggruppe's group sizes, one cheap query, are stored on a view
    assert precompute.precompute(round_)
    # one SAQ range, Faggruppe's group sizes and its crosstab
    assert _summaries(round_.id) == 3
    _CACHE.clear()
    assert _reports(round_, org) == direct


def test_another_worker_reads_the_stored_breakdowns_back(round_, org, monkeypatch):
    monkeypatch.setattr(counts, "SHARED_FROM", 1)
    clear_cache()
    assert precompute.precompute(round_)
    first = _plain(unit_report(round_, org["H-A"].id, "da"))
    _CACHE.clear()  # another worker, or another instance: nothing in memory
    unit_id = org["H-A"].id
    with count_queries() as reading:
        again = _plain(unit_report(round_, unit_id, "da"))
    assert again == first
    monkeypatch.setattr(counts, "SHARED_FROM", 10**9)
    clear_cache()
    with count_queries() as counting:
        assert _plain(unit_report(round_, unit_id, "da")) == first
    # read back: the stored counts (one read) and the three summaries (one read each), no answers
    # counted: the count, the SAQ range, the group sizes and the crosstab, one query each
    assert reading[0] == counting[0]


def test_a_deleted_response_makes_the_breakdowns_again(round_, org, monkeypatch):
    monkeypatch.setattr(counts, "SHARED_FROM", 1)
    clear_cache()
    assert precompute.precompute(round_)
    before = _plain(unit_report(round_, org["H-A1"].id, "da"))
    stored = dict(db.session.execute(select(RoundSummary.name, RoundSummary.fingerprint)
                                     .where(RoundSummary.round_id == round_.id)).all())
    doomed = db.session.scalar(select(Response.id).where(Response.unit_id == org["H-A1"].id).limit(1))
    db.session.execute(delete(Answer).where(Answer.response_id == doomed))
    db.session.execute(delete(Response).where(Response.id == doomed))
    db.session.commit()
    _CACHE.clear()  # a new worker: the stored breakdowns are there, of the old answers
    after = _plain(unit_report(round_, org["H-A1"].id, "da"))  # counted per unit: the stored ones are stale
    assert precompute.precompute(round_)
    db.session.expire_all()
    remade = dict(db.session.execute(select(RoundSummary.name, RoundSummary.fingerprint)
                                     .where(RoundSummary.round_id == round_.id)).all())
    assert remade.keys() == stored.keys() and all(remade[name] != stored[name] for name in stored)
    monkeypatch.setattr(counts, "SHARED_FROM", 10**9)
    clear_cache()
    assert after == _plain(unit_report(round_, org["H-A1"].id, "da")) != before
