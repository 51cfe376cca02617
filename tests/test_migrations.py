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


def test_change_log_rename_keeps_the_entries_and_their_ids(empty_database_url):
    from sqlalchemy import text

    from surveyapp.models import ChangeLogEntry

    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision="d55ef387a0cb")  # the log was still called audit_entry
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO audit_entry (id, created_at, action, target_type, target_label) "
                                    "VALUES (7, '2026-01-01', 'unit.create', 'unit', 'H')"))
        upgrade()
        entries = db.session.execute(db.select(ChangeLogEntry.id, ChangeLogEntry.action)).all()
        assert entries == [(7, "unit.create")]
        db.session.add(ChangeLogEntry(action="unit.rename", target_type="unit", target_label="H"))
        db.session.commit()  # the id sequence continues after the copied rows
        assert db.session.scalar(db.select(db.func.max(ChangeLogEntry.id))) == 8
        assert "audit_entry" not in inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()
