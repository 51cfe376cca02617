"""seed-demo: realistic, deterministic for a seed, and with wards on both sides of the target."""
from collections import Counter, defaultdict

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import Answer, Item, Response, Round, Unit
from surveyapp.services.demo import seed as demo
from tests.conftest import make_test_app


def snapshot() -> list:
    """Everything seeded except random slugs and surrogate ids."""
    rows = db.session.execute(
        select(Unit.code, Round.name, Response.submitted_on, Response.language, Response.idempotency_key,
               Item.code, Answer.value, Answer.not_applicable, Answer.text)
        .join(Response.answers.property.mapper.class_, Answer.response_id == Response.id)
        .join(Unit, Unit.id == Response.unit_id).join(Round, Round.id == Response.round_id)
        .join(Item, Item.id == Answer.item_id)
    ).all()
    return sorted(tuple(map(str, row)) for row in rows)


def seeded(url: str, seed: int) -> list:
    app = make_test_app(url)
    with app.app_context():
        db.create_all()
        demo.seed(responses=200, seed=seed)
        db.session.commit()
        data = snapshot()
        db.engine.dispose()
    return data


def test_seed_demo_is_deterministic_for_a_seed(tmp_path):
    first = seeded(f"sqlite:///{tmp_path / 'a.db'}", 11)
    second = seeded(f"sqlite:///{tmp_path / 'b.db'}", 11)
    other = seeded(f"sqlite:///{tmp_path / 'c.db'}", 12)
    assert first == second
    assert first != other


def test_demo_has_wards_above_and_below_target_and_below_the_threshold(app):
    summary = demo.seed(responses=3000, seed=5)
    db.session.commit()
    assert summary.units == 45
    current = db.session.scalar(select(Round).where(Round.name.like("%opfølgning%")))
    assert current.status() == "closed"  # released: the demo shows results, and the running round its follow-up
    key = next(i for i in current.questionnaire.items if i.code == "tryg_som_patient")
    positive = set(key.scale.positive_values)
    counts: dict[str, Counter] = defaultdict(Counter)
    respondents: Counter = Counter()
    for unit, value, na in db.session.execute(
        select(Response.unit_id, Answer.value, Answer.not_applicable).join(Answer)
        .where(Response.round_id == current.id, Answer.item_id == key.id)
    ):
        respondents[unit] += 1
        if not na:
            counts[unit]["n"] += 1
            counts[unit]["positive"] += value in positive
    shares = [c["positive"] / c["n"] for u, c in counts.items() if respondents[u] >= current.min_group]
    assert any(s >= 0.8 for s in shares) and any(s < 0.8 for s in shares)
    assert sum(1 for n in respondents.values() if n < current.min_group) >= 1
    assert {r.questionnaire.audience for r in db.session.scalars(select(Round)) if r.is_open()} == {"staff", "patient"}


def test_demo_has_plans_with_an_intervention_confirmed_by_audit(app):
    from datetime import date

    from surveyapp.models import ActionPlan
    from surveyapp.services.plans.plans import intervention_lines

    demo.seed(responses=600, seed=5)
    db.session.commit()
    plans = list(db.session.scalars(select(ActionPlan).order_by(ActionPlan.id)))
    assert len(plans) == 3 and all(p.round.status() == "closed" for p in plans)
    lines = [line for plan in plans for line in intervention_lines(plan, "da", date.today())]
    assert any(line.verification.confirmed for line in lines)
    assert any(line.overdue for line in lines)
    assert {line.intervention.highlight for line in lines} >= {"implemented", "new"}
