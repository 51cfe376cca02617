"""Demo data: the NSR hospitals, open rounds and synthetic responses, deterministic for a seed."""
import logging
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select

from ...extensions import db
from ...models import Answer, Item, Questionnaire, Response, Round, Unit
from ...timeutil import utcnow
from ..questionnaires import find, install_builtin
from ..rounds import create_round
from ..users import create_user
from .audits import seed_audits
from .plans import seed_plans
from .strategy import seed_strategy

logger = logging.getLogger(__name__)

#: sygehus -> afdelinger -> afsnit (name, headcount). Codes are made from the names' initials below.
ORGANISATION = {
    ("NAE", "Næstved Sygehus"): {
        ("MED", "Medicinsk afdeling"): [("M1", "Kardiologisk sengeafsnit", 42), ("M2", "Lungemedicinsk sengeafsnit", 38),
                                        ("M3", "Endokrinologisk sengeafsnit", 31), ("APO", "Apopleksiafsnit", 45)],
        ("KIR", "Kirurgisk afdeling"): [("K1", "Kirurgisk sengeafsnit K1", 40), ("K2", "Kirurgisk sengeafsnit K2", 36),
                                        ("DAG", "Dagkirurgisk afsnit", 22)],
        ("AKUT", "Akutafdeling"): [("MOD", "Akutmodtagelsen", 78), ("AKS", "Akut sengeafsnit", 52)],
        ("ANA", "Anæstesiologisk afdeling"): [("ITA", "Intensivafsnit", 64), ("OPV", "Opvågningsafsnit", 28)],
    },
    ("SLA", "Slagelse Sygehus"): {
        ("MED", "Medicinsk afdeling"): [("M1", "Kardiologisk afsnit", 44), ("M2", "Gastroenterologisk afsnit", 35),
                                        ("M3", "Geriatrisk afsnit", 39), ("M4", "Nefrologisk afsnit", 30)],
        ("AKUT", "Akutafdeling"): [("MOD", "Akutmodtagelsen", 80), ("OBS", "Observationsafsnit", 41)],
        ("GYN", "Gynækologisk-obstetrisk afdeling"): [("FOD", "Fødegangen", 55), ("BAR", "Barselsafsnit", 33),
                                                      ("GYS", "Gynækologisk sengeafsnit", 24)],
        ("BOE", "Børne- og ungeafdelingen"): [("BOS", "Børne- og ungeafsnit", 37), ("NEO", "Neonatalafsnit", 29)],
        ("ORT", "Ortopædkirurgisk afdeling"): [("ORS", "Ortopædkirurgisk sengeafsnit", 46),
                                               ("AMB", "Ortopædkirurgisk ambulatorium", 18)],
    },
    ("RIN", "Ringsted Sygehus"): {
        ("KIR", "Planlagt kirurgi"): [("SEN", "Sengeafsnit for planlagt kirurgi", 34), ("DAG", "Dagkirurgi", 21)],
        ("MDB", "Medicinsk dagbehandling"): [("DBH", "Medicinsk dagbehandling", 16), ("AMB", "Medicinsk ambulatorium", 14)],
        ("REH", "Rehabilitering"): [("GER", "Geriatrisk rehabiliteringsafsnit", 26), ("NEU", "Neurorehabilitering", 23)],
    },
}

DEMO_PASSWORD = "demo-nsr-2026"
DEMO_USERS = (("admin@nsr.example", "admin", None), ("auditor@nsr.example", "auditor", "SLA-MED"),
              ("koordinator@nsr.example", "coordinator", "SLA"))

STAFF_COMMENTS = (
    "Vi mangler tid til at gennemgå hændelser sammen.",
    "God stemning i teamet, men travlt om aftenen.",
    "Tavlemøderne hjælper os med at følge op.",
    "Ledelsen lytter, men der sker ikke altid noget bagefter.",
)
PATIENT_TEXTS = (
    "At personalet har tid til at forklare, hvad der skal ske.",
    "At min familie bliver informeret.",
    "Ro om natten.",
    "At jeg ved, hvem der er min kontaktperson.",
    "Good food and clear information.",
    "Że personel mówi powoli i wyraźnie.",
)


class DemoError(RuntimeError):
    """The database is not empty; demo data goes into a fresh database only."""


@dataclass
class DemoSummary:
    units: int
    rounds: int
    responses: int
    logins: list[tuple[str, str, str]]


#: The share of staff the demo's responses stand for: response rates stay realistic for any --responses.
DEMO_RESPONSE_RATE = 0.75
TOTAL_HEADCOUNT = sum(w[2] for departments in ORGANISATION.values() for wards in departments.values() for w in wards)


def _organisation(responses: int) -> list[Unit]:
    """The NSR tree; headcounts grow with --responses beyond the real size, so a response rate never passes 100 %."""
    scale = max(1.0, responses / (DEMO_RESPONSE_RATE * TOTAL_HEADCOUNT))
    units = []
    for (h_code, h_name), departments in ORGANISATION.items():
        hospital = Unit(code=h_code, name=h_name, level="sygehus")
        units.append(hospital)
        for (d_code, d_name), wards in departments.items():
            department = Unit(code=f"{h_code}-{d_code}", name=d_name, level="afdeling", parent=hospital)
            units.append(department)
            for w_code, w_name, headcount in wards:
                units.append(Unit(code=f"{h_code}-{d_code}-{w_code}", name=w_name, level="afsnit",
                                  parent=department, headcount=round(headcount * scale)))
    db.session.add_all(units)
    db.session.flush()
    return units


def _scale_answer(rng: random.Random, item: Item, p_positive: float) -> dict:
    """One synthetic answer to a scale item: positive with probability p_positive (reverse items flipped)."""
    scale = item.scale
    if rng.random() < 0.04 and scale.not_applicable_value is not None:
        return {"value": None, "not_applicable": True}
    positive = rng.random() < p_positive
    options = [o.value for o in scale.options if not o.not_applicable and o.positive == positive]
    value = rng.choice(options)
    if item.reverse:  # the respondent agrees with a negatively worded statement when the climate is poor
        value = scale.max_value + scale.min_value - value
    return {"value": value, "not_applicable": False}


def _answers(rng: random.Random, questionnaire: Questionnaire, level: float) -> list[dict]:
    answers = []
    for item in questionnaire.items:
        if item.kind == "scale":
            # key items differ a little from each other within a ward, so some meet the target and some not
            p = min(0.99, max(0.05, level + rng.uniform(-0.06, 0.06) - (0.05 if item.reverse else 0)))
            answers.append({"item_id": item.id, "text": None, **_scale_answer(rng, item, p)})
        elif item.kind == "choice":
            if rng.random() < 0.9:
                weights = [3, 6, 3, 1, 1, 1][: len(item.scale.options)]
                option = rng.choices(item.scale.options, weights=weights + [1] * (len(item.scale.options) - len(weights)))[0]
                answers.append({"item_id": item.id, "value": option.value, "not_applicable": False, "text": None})
        elif rng.random() < 0.15:
            pool = PATIENT_TEXTS if questionnaire.audience == "patient" else STAFF_COMMENTS
            answers.append({"item_id": item.id, "value": None, "not_applicable": False, "text": rng.choice(pool)})
    return answers


def _respond(rng: random.Random, round_: Round, count: int, levels: dict[int, float], small: set[int]) -> int:
    """Insert `count` responses spread over the round's afsnit by headcount; `small` afsnit get 1-4."""
    afsnit = round_.units
    start = round_.opens_at.date()
    days = max(1, (min(utcnow(), round_.closes_at).date() - start).days + 1)
    small_counts = {u.id: rng.randint(1, round_.min_group - 1) for u in afsnit if u.id in small}
    rest = [u for u in afsnit if u.id not in small]
    weights = [u.headcount or 1 for u in rest]
    chosen = [u for u in afsnit if u.id in small for _ in range(small_counts[u.id])]
    chosen += rng.choices(rest, weights=weights, k=max(0, count - len(chosen)))
    links = {(link.unit_id, link.kind): link.id for link in round_.links}
    language = "da"
    rows, answer_rows = [], []
    for unit in chosen:
        if round_.questionnaire.audience == "patient":
            language = rng.choices(["da", "en"], weights=[12, 1])[0]
        rows.append({"round_id": round_.id, "unit_id": unit.id, "link_id": links.get((unit.id, "open")),
                     "submitted_on": start + timedelta(days=rng.randrange(days)), "language": language,
                     "idempotency_key": uuid.UUID(int=rng.getrandbits(128)).hex})
        answer_rows.append(_answers(rng, round_.questionnaire, levels[unit.id]))
    if not rows:
        return 0
    ids = db.session.scalars(insert(Response).returning(Response.id, sort_by_parameter_order=True), rows).all()
    flat = [{"response_id": rid, **a} for rid, answers in zip(ids, answer_rows) for a in answers]
    for chunk in range(0, len(flat), 5000):
        db.session.execute(insert(Answer), flat[chunk:chunk + 5000])
    return len(rows)


def seed(responses: int = 800, seed: int = 2026, min_group: int = 5, target: float = 0.8) -> DemoSummary:
    """Fill an empty database with the NSR organisation, four rounds (two closed with released results, a
    staff round and a patient day open) and synthetic responses."""
    if db.session.scalar(select(func.count()).select_from(Unit)):
        raise DemoError("the database already has an organisation; seed-demo fills a fresh database only")
    rng = random.Random(seed)
    install_builtin()
    units = _organisation(responses)
    afsnit = [u for u in units if u.level == "afsnit"]
    staff, patient = find("patientsikkerhedskultur"), find("hvad-er-vigtigt-for-dig")
    today = datetime.combine(utcnow().date(), datetime.min.time())
    baseline = create_round(staff, "Patientsikkerhedskultur, baseline", today - timedelta(days=386),
                            today - timedelta(days=344), afsnit, target, min_group)
    # Results are released when a round closes (docs/anonymity.md): the follow-up has closed and shows its
    # results with the change since the baseline; the running round shows who has answered, per afsnit.
    current = create_round(staff, "Patientsikkerhedskultur, opfølgning", today - timedelta(days=63),
                           today - timedelta(days=7), afsnit, target, min_group)
    running = create_round(staff, "Patientsikkerhedskultur, løbende måling", today - timedelta(days=6),
                           today + timedelta(days=21), afsnit, target, min_group)
    day = create_round(patient, "Hvad er vigtigt for dig?-dagen", today - timedelta(days=2),
                       today + timedelta(days=5), afsnit, target, min_group, link_kinds=("open", "kiosk"))
    levels = {u.id: rng.uniform(0.6, 0.97) for u in afsnit}
    small = {u.id for u in rng.sample(afsnit, 3)}
    total = _respond(rng, baseline, responses, {k: v - 0.07 for k, v in levels.items()}, small)
    total += _respond(rng, current, responses, levels, small)
    total += _respond(rng, running, max(responses // 3, 1), {k: min(0.98, v + 0.02) for k, v in levels.items()}, small)
    total += _respond(rng, day, max(responses // 4, 1), {k: min(0.98, v + 0.05) for k, v in levels.items()}, small)
    logins = []
    by_code = {u.code: u for u in units}
    for email, role, scope in DEMO_USERS:
        user = create_user(email, role, DEMO_PASSWORD)
        if scope:
            user.units = [by_code[scope]]
        logins.append((email, DEMO_PASSWORD, role))
    db.session.flush()
    sla = [u for u in afsnit if u.code.startswith("SLA-")]
    seed_audits(rng, sla, user)
    # Plans answer the closed round; their ISBAR interventions are verified by the audits just seeded.
    seed_plans(baseline, sla[:3], user)
    seed_strategy(seed, units, baseline, sla[:3], user)
    logger.info("demo data seeded: %d units, %d responses (seed %s)", len(units), total, seed)
    return DemoSummary(units=len(units), rounds=4, responses=total, logins=logins)
