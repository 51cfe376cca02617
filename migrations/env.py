import logging
import sqlite3
import sys
from contextlib import closing
from datetime import datetime, timezone
from logging.config import fileConfig

from flask import current_app

from alembic import context
from alembic.migration import MigrationContext

from surveyapp import migrating

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# Keep the app's own loggers: a default fileConfig would silence them.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger('alembic.env')


def get_engine():
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace(
            '%', '%%')
    except AttributeError:
        return str(get_engine().url).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())
target_db = current_app.extensions['migrate'].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()
    if connectable.dialect.name == "sqlite":
        _run_sqlite(connectable.url.render_as_string(hide_password=False), conf_args)
        return

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            **conf_args
        )

        with context.begin_transaction():
            context.run_migrations()


def _current_revision(path):
    """The revision a SQLite file is at, read without migrating; None for a new or empty file."""
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    with closing(sqlite3.connect(path)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return None
    return row[0] if row else None


def _run_sqlite(url, conf_args):
    """All migrations in one transaction with foreign keys off, checked before commit, on a file copied
    aside first; on any failure the copy is put back and the error re-raised (surveyapp/migrating.py)."""
    path = migrating.sqlite_path(url)
    current = _current_revision(path)
    backup = None
    if current is not None and current != context.script.get_current_head():
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
        backup = path.with_name(f"{path.name}.before-upgrade-{current}-{stamp}")
        migrating.copy_database(path, backup)
    engine = migrating.sqlite_migration_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            for repair in migrating.repair_interrupted_batch(connection):
                logger.warning("repaired an interrupted earlier upgrade: %s", repair)
            context.configure(connection=connection, target_metadata=get_metadata(),
                              transactional_ddl=True, **conf_args)
            context.run_migrations()
            migrating.check_foreign_keys(connection)
            reached = MigrationContext.configure(connection).get_current_revision()
    except Exception as exc:
        if backup is not None:
            migrating.copy_database(backup, path)
        kept = f"; a copy from before the attempt is at {backup}" if backup else ""
        print(f"surveyapp: the upgrade failed and changed nothing ({exc}){kept}", file=sys.stderr)
        raise
    finally:
        engine.dispose()
    if backup is not None:
        print(f"surveyapp: upgraded {path} from {current} to {reached}; the database as it was before "
              f"is kept at {backup}", file=sys.stderr)

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
