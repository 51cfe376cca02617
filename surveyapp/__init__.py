"""surveyapp: patient safety culture surveys, patient questions and audits for hospital wards."""
import logging
import os
from pathlib import Path

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from . import config
from .extensions import babel, csrf, db, limiter, login_manager, migrate

#: The release (CHANGELOG.md says what an operator does to upgrade to it); /healthz and `flask version` say it.
__version__ = "2026.12.2"


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, database hooks, blueprints, commands."""
    app = Flask(
        __name__,
        template_folder="../templates",
        instance_path=os.environ.get("SURVEYAPP_INSTANCE") or str(config.ROOT / "instance"),
    )
    _configure(app, test_config)
    _init_extensions(app)
    _init_jinja(app)
    _init_static(app)
    _init_inputs(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _configure(app: Flask, test_config: dict | None) -> None:
    test_config = test_config or {}
    app.config.update(config.DEFAULTS)
    app.config.update(config.from_environment(Path(app.instance_path), given=test_config))
    app.config.update(test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # WeasyPrint and fontTools log every font and step at INFO: noise in the CLI and in the server's log.
    for noisy in ("weasyprint", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _init_extensions(app: Flask) -> None:
    from .database import init_database
    from .i18n import select_locale_object

    db.init_app(app)
    init_database(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    _limiter_check_outside_respondent_pages(app)
    babel.init_app(app, locale_selector=select_locale_object)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Flask-Login's own message is English; a lazy string, made text in the request's language when flashed
    # (the session stores text, not a lazy object).
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"

    from . import models  # noqa: F401  (register the tables)


def _limiter_check_outside_respondent_pages(app: Flask) -> None:
    """The limiter's check before every view has nothing to do on the respondent pages: the app sets no
    default or application limits, and their throttle is the views' own (`respond.throttled`), once the link
    is known. Skipping it there saves a fifth of a millisecond a request; elsewhere it runs as registered."""
    from flask import request

    def wrap(check):
        def limiter_check():
            if request.blueprint != "respond":
                return check()
            return None
        return limiter_check

    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits:
        return  # limits for every request were configured (RATELIMIT_DEFAULT, RATELIMIT_APPLICATION): keep it
    funcs = app.before_request_funcs.get(None, [])
    funcs[:] = [wrap(f) if getattr(f, "__self__", None) is limiter else f for f in funcs]


def _init_jinja(app: Flask) -> None:
    from .i18n import LANGUAGE_NAMES, allowed_languages, text_direction
    from .services.results.charts import result_words

    app.jinja_env.globals.update(
        get_locale=get_locale,
        result_words=result_words,
        language_names=LANGUAGE_NAMES,
        allowed_languages=allowed_languages,
        text_direction=text_direction,
    )


def _init_static(app: Flask) -> None:
    from .staticfiles import init_static

    init_static(app)


def _init_inputs(app: Flask) -> None:
    from .headers import init_headers
    from .inputs import init_inputs
    from .session_cookie import init_session_cookie

    init_inputs(app)
    init_headers(app)
    init_session_cookie(app)


def _register_blueprints(app: Flask) -> None:
    from .views import BLUEPRINTS
    from .views.errors import register_error_handlers

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_error_handlers(app)


def _register_commands(app: Flask) -> None:
    from .cli import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
