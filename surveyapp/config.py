"""Configuration: defaults first, then the environment."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: Path) -> str:
    """The SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two workers starting at once must agree on one key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(instance_path: Path, given: dict) -> dict:
    """Settings read from the environment, with their defaults; keys in `given` are left to the caller."""
    default_db = f"sqlite:///{instance_path / 'surveyapp.db'}"
    public_url = os.environ.get("SURVEYAPP_PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
    return {
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", default_db),
        "SECRET_KEY": given.get("SECRET_KEY") or _secret_key(instance_path),
        "SURVEYAPP_MIN_GROUP": int(os.environ.get("SURVEYAPP_MIN_GROUP", "5")),
        "SURVEYAPP_TARGET": float(os.environ.get("SURVEYAPP_TARGET", "0.80")),
        "SURVEYAPP_PUBLIC_URL": public_url,
        # The organisation's name in the header and the page titles.
        "SURVEYAPP_ORGANISATION": os.environ.get("SURVEYAPP_ORGANISATION", "surveyapp").strip() or "surveyapp",
        "SURVEYAPP_KIOSK_RESET_SECONDS": int(os.environ.get("SURVEYAPP_KIOSK_RESET_SECONDS", "8")),
        "SURVEYAPP_KIOSK_ABANDON_SECONDS": int(os.environ.get("SURVEYAPP_KIOSK_ABANDON_SECONDS", "900")),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Secure cookies wherever the app is served over HTTPS, i.e. everywhere but a developer's machine.
        "SESSION_COOKIE_SECURE": public_url.startswith("https://"),
        "REMEMBER_COOKIE_SECURE": public_url.startswith("https://"),
        # Invitations are mailed only when a mail server is named; otherwise the link is shown on screen.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1") not in ("0", "false", "no"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "surveyapp@localhost"),
    }


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "BABEL_DEFAULT_LOCALE": "da",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Copenhagen",
    "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # a survey page may stay open for hours on a ward
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "JSON_SORT_KEYS": False,
}
