"""Demo strategy data: two years of synthetic DPSD cases per afsnit (reporting rising a little this year),
a year of documentation extracts and the 96-hour treatment plan per afsnit, the FB milestones per afdeling, and
root-cause analysis actions in the demo's action plans. Synthetic: no case has a description or a person."""
import random
from datetime import date, timedelta

from sqlalchemy import insert

from ...extensions import db
from ...models import DpsdCase, IndicatorValue, Round, Unit, User
from ...models.plans import RCA_ACTION
from ...timeutil import utcnow
from ..plans import plans
from ..strategy.definitions import find, install_builtin

#: DPSD's severity categories with their rough shares of reported cases.
SEVERITY_WEIGHTS = {"ingen": 45, "lettere": 35, "alvorlig_risiko": 10, "alvorlig": 8, "doedelig": 2}
DOCUMENTATION = ("dok_vaeskeindgift", "dok_medicinindgift", "dok_ews", "dok_behandlingsniveau", "behandlingsplan_96t")
MILESTONES = ("fb_ledere_uddannet", "fb_tovholdere", "fb_uddannelsesplan", "fb_implementeret")


def _months_back(today: date, count: int) -> list[date]:
    """The first day of this month and the `count - 1` months before it, oldest first."""
    months, year, month = [], today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _cases(rng: random.Random, afsnit: list[Unit], today: date) -> list[dict]:
    rows, severities = [], list(SEVERITY_WEIGHTS)
    weights = list(SEVERITY_WEIGHTS.values())
    for unit in afsnit:
        base = rng.uniform(2, 7)
        on_time = rng.uniform(0.8, 0.99)
        for first in _months_back(today, 24):
            rise = 1.15 if first.year == today.year else 1.0
            for _ in range(max(0, round(rng.gauss(base * rise, 1.5)))):
                created = first + timedelta(days=rng.randrange(28))
                if created > today:
                    continue
                days = rng.randint(3, 90) if rng.random() < on_time else rng.randint(91, 200)
                closed = created + timedelta(days=days)
                rows.append({"case_id": f"DEMO-{len(rows) + 100001}", "unit_id": unit.id, "created_on": created,
                             "closed_on": closed if closed <= today else None,
                             "severity": rng.choices(severities, weights)[0], "imported_at": utcnow()})
    return rows


def _values(rng: random.Random, afsnit: list[Unit], afdelinger: list[Unit], today: date) -> list[dict]:
    rows = []
    for code in DOCUMENTATION:
        indicator = find(code)
        for unit in afsnit:
            level = rng.uniform(0.72, 0.97)
            for first in _months_back(today, today.month):
                denominator = rng.randint(15, 40)
                share = min(1.0, max(0.0, rng.gauss(level + 0.01 * first.month, 0.04)))
                rows.append({"indicator_id": indicator.id, "unit_id": unit.id, "period": first,
                             "numerator": round(denominator * share), "denominator": denominator, "done": None})
    for number, code in enumerate(MILESTONES):
        indicator = find(code)
        for unit in afdelinger:
            done = rng.random() < 0.8 - 0.2 * number
            rows.append({"indicator_id": indicator.id, "unit_id": unit.id, "numerator": None, "denominator": None,
                         "period": today - timedelta(days=rng.randint(10, 200)), "done": done})
    return rows


def _rca_actions(round_: Round, afsnit: list[Unit], user: User, today: date) -> None:
    """Two root-cause analysis actions in each given afsnit's plan: one done on time, one still open."""
    for unit in afsnit:
        plan = plans.live_plan(unit.id)
        if plan is None:
            continue
        for title, due_in, done in (("Dobbeltkontrol af insulin før administration", -60, True),
                                    ("Fast tjekliste ved overflytning fra akutmodtagelsen", -10, False)):
            action = plans.add_intervention(plan, {"title": title, "item_ids": [], "kind": RCA_ACTION,
                                                   "due_on": today + timedelta(days=due_in),
                                                   "responsible": "Afsnitsledelsen"}, user, today - timedelta(days=120))
            if done:
                plans.set_status(action, "implementeret", user, today + timedelta(days=due_in - 5))


def seed_strategy(seed: int, units: list[Unit], round_: Round, plan_afsnit: list[Unit], user: User) -> int:
    """The demo's strategy data; returns the DPSD cases made."""
    rng, today = random.Random(seed + 26), utcnow().date()
    install_builtin()
    afsnit = [u for u in units if u.level == "afsnit"]
    cases = _cases(rng, afsnit, today)
    db.session.execute(insert(DpsdCase), cases)
    db.session.execute(insert(IndicatorValue), _values(rng, afsnit, [u for u in units if u.level == "afdeling"], today))
    _rca_actions(round_, plan_afsnit, user, today)
    db.session.flush()
    return len(cases)
