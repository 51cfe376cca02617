"""Demo audits: a year of monthly audits on a few afsnit, so run charts and due dates show."""
import random
from datetime import timedelta

from ...audit_scoring import NO, NOT_APPLICABLE, YES
from ...models import Unit, User
from ...timeutil import utcnow
from ..audits import recording as audits
from ..audits import templates as audit_templates


def seed_audits(rng: random.Random, afsnit: list[Unit], user: User) -> int:
    """Finished monthly audits with an improving share on some afsnit; returns how many were made."""
    audit_templates.install_builtin()
    today = utcnow().date()
    made = 0
    plans = [("isbar-vagtoverlevering", afsnit[:4], None), ("96-timers-behandlingsansvar", afsnit[4:7], None),
             ("spoerg-10-personaler", afsnit[7:9], "Tryksårsforebyggelse")]
    for code, units, workflow in plans:
        template = audit_templates.find(code)
        for unit in units:
            start_share, months = rng.uniform(0.5, 0.75), rng.randint(7, 11)
            for month in range(months):
                audited_on = today - timedelta(days=30 * (months - month))
                share = min(1.0, start_share + month * rng.uniform(0.01, 0.05))
                audit = audits.start_audit(template, unit, user, audited_on, workflow)
                for number in range(1, template.sample_size + 1):
                    answers = {c.id: _answer(rng, share) for c in template.criteria}
                    audits.save_sample(audit, number, answers, None)
                audits.finish(audit, today + timedelta(days=rng.randint(-5, 40)) if month == months - 1 else None)
                made += 1
    return made


def _answer(rng: random.Random, share: float) -> str:
    if rng.random() < 0.05:
        return NOT_APPLICABLE
    return YES if rng.random() < share else NO



