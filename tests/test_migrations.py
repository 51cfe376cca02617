"""The Alembic migrations build the models' schema from empty, on SQLite and PostgreSQL alike."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from surveyapp.extensions import db
from tests.conftest import make_test_app


def test_migrations_upgrade_from_empty_to_the_models_schema(empty_database_url):
    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
            tables = set(inspect(connection).get_table_names())
        assert diff == []
        assert {"unit", "questionnaire", "item", "survey_round", "collection_link", "response", "answer",
                "app_user", "api_token"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_migrated_schema_keeps_its_check_constraints(empty_database_url):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade()
        insert = text("INSERT INTO app_user (email, role, active, created_at) VALUES (:e, :r, true, '2026-01-01')")
        with db.engine.begin() as connection:
            connection.execute(insert, {"e": "a@example.org", "r": "auditor"})
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            connection.execute(insert, {"e": "b@example.org", "r": "boss"})
        db.engine.dispose()
