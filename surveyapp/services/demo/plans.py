"""Demo action plans: a few afsnit of the closed round answer their biggest challenges, some interventions
verified by the demo's audits, so the loop from challenge to confirmed implementation shows."""
from datetime import timedelta

from ...models import Round, Unit, User
from ...timeutil import utcnow
from ..audits import recording as audits
from ..audits import templates as audit_templates
from ..plans import plans
from ..results.unit_report import unit_report

#: (title, description, responsible, audit template code or None, status, annual report side)
INTERVENTIONS = [
    ("ISBAR ved hver vagtoverlevering", "Overlevering efter ISBAR ved alle vagtskifter; lommekort ved tavlen.",
     "Afsnitsledelsen", "isbar-vagtoverlevering", "i_gang", "implemented"),
    ("Tavlemøde om utilsigtede hændelser", "Ti minutter hver tirsdag: én hændelse, hvad lærte vi?",
     "Patientsikkerhedsnøgleperson", None, "planlagt", "new"),
    ("Epikrise med behandlingsplan og kontakt", "Tjekliste i udskrivelsesnotatet.",
     "Overlæge på afsnittet", "96-timers-behandlingsansvar", "i_gang", None),
]


def seed_plans(round_: Round, afsnit: list[Unit], user: User) -> int:
    """Plans for the given afsnit of a closed round, tied to their challenges; returns the interventions made."""
    today = utcnow().date()
    made = 0
    for index, unit in enumerate(afsnit):
        plan = plans.start_plan(round_, unit, user)
        report = unit_report(round_, unit.id, "da")
        codes = (report.challenges if report and not report.suppressed and report.challenges
                 else [i.code for i in plans.round_items(round_) if i.key])
        ids = {i.code: i.id for i in plans.round_items(round_)}
        for number, (title, description, responsible, template, status, side) in enumerate(INTERVENTIONS):
            if template == "96-timers-behandlingsansvar" and index == 0:
                continue
            data = {"title": title, "description": description, "responsible": responsible,
                    "starts_on": today - timedelta(days=200), "due_on": today + timedelta(days=60 - 90 * number),
                    "audit_template_code": template, "highlight": side,
                    "item_ids": [ids[codes[number % len(codes)]]]}
            intervention = plans.add_intervention(plan, data, user, today - timedelta(days=200))
            if status != "planlagt":
                plans.set_status(intervention, status, user, today - timedelta(days=150))
            plans.add_note(intervention, "Drøftet på personalemødet; næste skridt aftalt.", user)
            made += 1
    if afsnit:
        _verification_audit(afsnit[0], user)
    return made


def _verification_audit(unit: Unit, user: User) -> None:
    """Today's ISBAR audit of the first afsnit, 9 of 10 correct: its intervention shows as confirmed."""
    template = audit_templates.find("isbar-vagtoverlevering")
    audit = audits.start_audit(template, unit, user, utcnow().date(), None)
    for number in range(1, template.sample_size + 1):
        answer = "no" if number == 4 else "yes"
        audits.save_sample(audit, number, {c.id: answer for c in template.criteria}, None)
    audits.finish(audit, None)
