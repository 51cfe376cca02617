"""Extension objects, bound to the app in create_app with init_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .csrf import SameOriginCSRF

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = SameOriginCSRF()
babel = Babel()
login_manager = LoginManager()


def _client_key() -> str:
    """Throttling key: a keyed hash of the client address, so not even memory holds the raw IP."""
    import hashlib
    import hmac

    from flask import current_app, request

    address = (request.remote_addr or "").encode()
    return hmac.new(current_app.config["SECRET_KEY"].encode(), address, hashlib.sha256).hexdigest()[:32]


#: Throttles failed logins and answer-code guesses; counters live in memory (per worker) unless
#: RATELIMIT_STORAGE_URI names a shared store. When that store is unreachable the counters fall back to
#: per-process memory with one logged warning, and go back to it once it answers again (config.DEFAULTS).
limiter = Limiter(key_func=_client_key, default_limits=[])
