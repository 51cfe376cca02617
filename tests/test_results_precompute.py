"""A round's counts and breakdowns are made when it closes: by the admin's close action, or by
`flask precompute-results` for rounds that close by date; a unit page then reads them back."""
import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from surveyapp.extensions import db
from surveyapp.models import RoundCount, RoundSummary
from surveyapp.services.results import counts, precompute
from surveyapp.services.results.counts import _CACHE, clear_cache
from surveyapp.services.results.unit_report import unit_report
from surveyapp.timeutil import utcnow
from tests.results_helpers import add_responses, closed

SCALE = ("tryg_som_patient", "laere_af_haendelser", "let_at_spoerge", "svaert_at_sige_til")


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture(autouse=True)
def share_small_rounds(monkeypatch):
    """These rounds are small; share them as if they were large."""
    monkeypatch.setattr(counts, "SHARED_FROM", 1)


def _fill(round_, org) -> None:
    rng = random.Random(7)
    for code in ("H-A1", "H-A2", "H-B1", "H-B2"):
        add_responses(round_, org[code], [{**{c: rng.randint(1, 5) for c in SCALE}, "faggruppe": rng.randint(1, 2)}
                                          for _ in range(6)])
    db.session.commit()


def _stored(round_id: int) -> tuple[bool, int]:
    db.session.expire_all()
    return (db.session.get(RoundCount, round_id) is not None,
            db.session.scalar(select(func.count()).select_from(RoundSummary).where(RoundSummary.round_id == round_id)))


def test_closing_a_round_stores_its_counts_and_breakdowns(client, login_as, make_round, org):
    round_ = make_round(units=list(org.values()))
    _fill(round_, org)
    clear_cache()
    login_as("admin")
    assert client.post(f"/admin/rounds/{round_.id}/close").status_code == 302
    assert _stored(round_.id) == (True, 3)  # one SAQ range, Faggruppe's group sizes and its crosstab


def test_a_large_round_is_left_to_the_command_when_closed(client, login_as, make_round, org, monkeypatch):
    monkeypatch.setattr(precompute, "IN_REQUEST_UP_TO", 10)
    round_ = make_round(units=list(org.values()))
    _fill(round_, org)
    clear_cache()
    login_as("admin")
    response = client.post(f"/admin/rounds/{round_.id}/close")
    assert response.status_code == 302
    db.session.refresh(round_)
    assert round_.status() == "closed"
    assert _stored(round_.id) == (False, 0)


def test_the_command_precomputes_rounds_closed_by_date_and_skips_open_ones(runner, make_round, org):
    done = make_round(**closed(), units=list(org.values()), name="Lukket")
    _fill(done, org)
    running = make_round(units=list(org.values()), opens=utcnow() - timedelta(days=1), name="Åben")
    add_responses(running, org["H-A1"], [{"tryg_som_patient": 4}])
    db.session.commit()
    done_id, running_id = done.id, running.id
    clear_cache()
    result = runner.invoke(args=["precompute-results"])
    assert result.exit_code == 0, result.output
    lines = [line.split(",") for line in result.output.splitlines()]
    assert [line[:3] for line in lines] == [[str(done_id), "24", "stored"]]
    assert _stored(done_id) == (True, 3)
    again = runner.invoke(args=["precompute-results"])  # safe to run again: reads the stored results back
    assert again.exit_code == 0 and again.output.split(",")[:3] == [str(done_id), "24", "stored"]
    one = runner.invoke(args=["precompute-results", "--round", str(running_id)])
    assert one.exit_code == 0 and one.output.split(",")[:3] == [str(running_id), "1", "open"]
    assert _stored(running_id) == (False, 0)
    missing = runner.invoke(args=["precompute-results", "--round", "999999"])
    assert missing.exit_code != 0 and "there is no round 999999" in missing.output


def test_after_precompute_a_unit_page_reads_no_answers(make_round, org):
    round_ = make_round(**closed(), units=list(org.values()), min_group=3)
    _fill(round_, org)
    clear_cache()
    assert precompute.precompute(round_)
    _CACHE.clear()  # another worker
    db.session.expire_all()
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        report = unit_report(round_, org["H-A"].id, "da")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert report.breakdowns and any(row.respondents for row in report.breakdowns[0].rows)
    assert any(line.scale.mean is not None for line in report.dimensions)
    assert not [s for s in statements if re.search(r"\b(from|join) answer\b(?!_)", s.lower())]


def test_a_failed_precompute_does_not_fail_the_committed_close(client, login_as, make_round, org, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def broken(_round):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(precompute, "precompute", broken)
    round_ = make_round(units=list(org.values()))
    _fill(round_, org)
    login_as("admin")
    assert client.post(f"/admin/rounds/{round_.id}/close").status_code == 302
    db.session.refresh(round_)
    assert round_.status() == "closed"
