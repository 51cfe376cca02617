"""Make an upgrade fixture from an earlier release, with that release's own code.

Run from a checkout of the release (a `git worktree` at its commit), with DATABASE_URL set and SECRET_KEY set to
tests/fixtures/releases/SECRET_KEY:

    cd /tmp/rel-7042bd6 && DATABASE_URL=sqlite:////tmp/x.db SECRET_KEY=... python /path/to/make_release_fixture.py OUT.json

It builds the schema with the release's migrations, seeds its demo data (units, rounds, responses, audits and,
from the releases that have them, plans), makes answer codes, and submits one staff response through the release's
own respondent form. OUT.json records that form (to send it again after the upgrade: exactly once across versions).
The database itself is then dumped by tools/make_release_fixtures.sh (sqlite3 .dump / pg_dump).
"""
import json
import os
import re
import subprocess
import sys


def _flask(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], check=True, capture_output=True,
                          text=True).stdout


def _submit_one(app) -> dict:
    """Answer one staff link through the release's form, as a phone would; returns what was posted."""
    from sqlalchemy import text

    from surveyapp.extensions import db

    with app.app_context():
        slug = db.session.execute(text(
            "SELECT l.slug FROM collection_link l JOIN survey_round r ON r.id = l.round_id "
            "JOIN questionnaire q ON q.id = r.questionnaire_id "
            "WHERE l.kind = 'open' AND q.audience = 'staff' AND r.closes_at > CURRENT_TIMESTAMP "
            "ORDER BY l.id LIMIT 1")).scalar_one()
    client = app.test_client()
    page = client.get(f"/s/{slug}?lang=da").get_data(as_text=True)
    form = {"idempotency_key": re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', page).group(1)}
    for name in dict.fromkeys(re.findall(r'type="radio"[^>]*name="([^"]+)"', page)):
        form[name] = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]+)"', page).group(1)
    answered = client.post(f"/s/{slug}", data=form)
    assert answered.status_code in (200, 302, 303), answered.status_code
    return {"slug": slug, "form": form}


def main(out: str) -> None:
    sys.path.insert(0, os.getcwd())
    _flask("init-db")
    print(_flask("seed-demo", "--responses", "120").splitlines()[0])
    from app import app

    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    from sqlalchemy import text

    from surveyapp.extensions import db

    with app.app_context():
        round_id, unit_code = db.session.execute(text(
            "SELECT r.id, u.code FROM survey_round r JOIN round_unit ru ON ru.round_id = r.id "
            "JOIN unit u ON u.id = ru.unit_id WHERE r.closes_at > CURRENT_TIMESTAMP ORDER BY r.id, u.id LIMIT 1")).one()
    _flask("codes", "--round", str(round_id), "--unit", unit_code, "--count", "3")
    submitted = _submit_one(app)
    with open(out, "w", encoding="utf-8") as file:
        json.dump(submitted, file, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
