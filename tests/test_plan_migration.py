"""Plans made before they followed the afsnit migrate as they are (issue 25): one plan per afsnit and round
before; after the migration the newest of each afsnit is its live plan and the older ones are closed."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from surveyapp.extensions import db
from tests.conftest import make_test_app

ROWS = [
    "INSERT INTO unit (id, code, name, level, active) VALUES (3, 'H', 'Sygehus', 'sygehus', true)",
    "INSERT INTO unit (id, code, name, level, active, parent_id) VALUES (4, 'HA', 'Afdeling A', 'afdeling', true, 3)",
    "INSERT INTO unit (id, code, name, level, active, parent_id) VALUES (1, 'A1', 'Afsnit A1', 'afsnit', true, 4)",
    "INSERT INTO unit (id, code, name, level, active, parent_id) VALUES (2, 'A2', 'Afsnit A2', 'afsnit', true, 4)",
    "INSERT INTO questionnaire (id, code, version, audience, title, intro, languages, unreviewed_languages, builtin)"
    " VALUES (1, 'psk', 1, 'staff', '{}', '{}', '[]', '[]', true)",
    "INSERT INTO survey_round (id, questionnaire_id, name, opens_at, closes_at, target, min_group, created_at)"
    " VALUES (1, 1, 'Baseline', '2025-03-01', '2025-04-01', 0.8, 5, '2025-01-01')",
    "INSERT INTO survey_round (id, questionnaire_id, name, opens_at, closes_at, target, min_group, created_at)"
    " VALUES (2, 1, 'Genmåling', '2026-03-01', '2026-04-01', 0.8, 5, '2025-01-01')",
    "INSERT INTO action_plan (id, unit_id, round_id, created_at) VALUES (10, 1, 1, '2025-05-01')",
    "INSERT INTO action_plan (id, unit_id, round_id, created_at) VALUES (11, 1, 2, '2026-05-01')",
    "INSERT INTO action_plan (id, unit_id, round_id, created_at) VALUES (12, 2, 1, '2025-05-01')",
]


def test_existing_plans_migrate_with_the_newest_of_each_afsnit_live(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="c4a9e2d17b30")
        with db.engine.begin() as connection:
            for row in ROWS:
                connection.execute(text(row))
        upgrade()
        with db.engine.connect() as connection:
            plans = connection.execute(text("SELECT id, unit_id, round_id, closed_at IS NULL FROM action_plan "
                                            "ORDER BY id")).all()
        assert [(p[0], p[1], p[2], bool(p[3])) for p in plans] == [(10, 1, 1, False), (11, 1, 2, True),
                                                                   (12, 2, 1, True)]
        downgrade(revision="c4a9e2d17b30")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM action_plan")).scalar() == 3
        db.engine.dispose()
