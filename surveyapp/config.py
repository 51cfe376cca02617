"""Configuration: defaults first, then the environment."""
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Only right on a developer's machine; every command that prints URLs says when it falls back to it.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"


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


def engine_options(database_url: str, workers: int, threads: int, busy_timeout_ms: int | None = None) -> dict:
    """Pool and lock waits sized from the server's concurrency (SURVEYAPP_WORKERS × SURVEYAPP_THREADS).

    A request holds one connection (see frozen_questionnaire), so a worker needs one per thread, plus the
    overflow for the odd extra (health checks, a CLI command in the same process). SQLite lets one writer in
    at a time: every thread of every worker may queue behind it, each holding the lock for a short write, so
    the busy timeout grows with the number of threads that can wait (5 s at least, 30 s at most), unless
    `busy_timeout_ms` (SURVEYAPP_SQLITE_BUSY_TIMEOUT_MS) names it. A server database's connections are
    checked before use (a restarted PostgreSQL drops them); a SQLite file's cannot go stale, and the check
    would cost a statement on every request."""
    options: dict = {"pool_pre_ping": not database_url.startswith("sqlite")}
    if database_url.startswith("sqlite"):
        busy = busy_timeout_ms or sqlite_busy_timeout(workers, threads)
        options["connect_args"] = {"timeout": busy / 1000}
        if ":memory:" in database_url or database_url in ("sqlite://", "sqlite:///"):
            return options
    options.update(pool_size=threads + 1, max_overflow=threads, pool_timeout=30)
    return options


def sqlite_busy_timeout(workers: int, threads: int) -> int:
    """Milliseconds a SQLite writer waits for the lock: 500 ms per thread that may queue, 5-30 s."""
    return min(max(5000, 500 * workers * threads), 30000)


def ratelimit_storage_options(uri: str) -> dict:
    """Short socket timeouts for a Redis throttle store: an unreachable host costs a request 1 s, not the
    operating system's connect timeout, before the limiter falls back to memory."""
    if uri.startswith(("redis://", "rediss://", "redis+unix://")):
        return {"socket_connect_timeout": 1, "socket_timeout": 1}
    return {}


def from_environment(instance_path: Path, given: dict) -> dict:
    """Settings read from the environment, with their defaults; keys in `given` are left to the caller."""
    default_db = f"sqlite:///{instance_path / 'surveyapp.db'}"
    public_url = os.environ.get("SURVEYAPP_PUBLIC_URL", DEFAULT_PUBLIC_URL).rstrip("/")
    database_url = given.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("DATABASE_URL", default_db)
    workers = int(os.environ.get("SURVEYAPP_WORKERS", "2"))
    threads = int(os.environ.get("SURVEYAPP_THREADS", "4"))
    busy_timeout = int(given.get("SURVEYAPP_SQLITE_BUSY_TIMEOUT_MS")
                       or os.environ.get("SURVEYAPP_SQLITE_BUSY_TIMEOUT_MS") or sqlite_busy_timeout(workers, threads))
    ratelimit_uri = given.get("RATELIMIT_STORAGE_URI") or os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SURVEYAPP_WORKERS": workers,
        "SURVEYAPP_THREADS": threads,
        "SURVEYAPP_SQLITE_BUSY_TIMEOUT_MS": busy_timeout,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url, workers, threads, busy_timeout),
        # A respondent's write tries this often when SQLite's write lock outlasts the busy timeout.
        "SURVEYAPP_WRITE_TRIES": int(os.environ.get("SURVEYAPP_WRITE_TRIES", "3")),
        "SECRET_KEY": given.get("SECRET_KEY") or _secret_key(instance_path),
        "SURVEYAPP_MIN_GROUP": int(os.environ.get("SURVEYAPP_MIN_GROUP", "5")),
        "SURVEYAPP_TARGET": float(os.environ.get("SURVEYAPP_TARGET", "0.80")),
        "SURVEYAPP_PUBLIC_URL": public_url,
        # The organisation's name in the header and the page titles.
        "SURVEYAPP_ORGANISATION": os.environ.get("SURVEYAPP_ORGANISATION", "surveyapp").strip() or "surveyapp",
        # The accessibility statement's contact for feedback (written and by telephone) and its operator; the
        # operator defaults to the organisation's name. Empty: the statement says no contact is named yet.
        "SURVEYAPP_ACCESSIBILITY_OPERATOR": os.environ.get("SURVEYAPP_ACCESSIBILITY_OPERATOR", "").strip(),
        "SURVEYAPP_ACCESSIBILITY_EMAIL": os.environ.get("SURVEYAPP_ACCESSIBILITY_EMAIL", "").strip(),
        "SURVEYAPP_ACCESSIBILITY_PHONE": os.environ.get("SURVEYAPP_ACCESSIBILITY_PHONE", "").strip(),
        # The date the statement was last reviewed (ISO), by default the date this release's statement was made.
        "SURVEYAPP_ACCESSIBILITY_REVIEWED": os.environ.get("SURVEYAPP_ACCESSIBILITY_REVIEWED", "2026-12-07"),
        "SURVEYAPP_KIOSK_RESET_SECONDS": int(os.environ.get("SURVEYAPP_KIOSK_RESET_SECONDS", "8")),
        "SURVEYAPP_KIOSK_ABANDON_SECONDS": int(os.environ.get("SURVEYAPP_KIOSK_ABANDON_SECONDS", "900")),
        # memory:// counts per worker; several workers or instances share redis://host:6379/0 (docs/deploy.md).
        "RATELIMIT_STORAGE_URI": ratelimit_uri,
        "RATELIMIT_STORAGE_OPTIONS": ratelimit_storage_options(ratelimit_uri),
        # Trusted proxies in front of the app (nginx: 1): the client address is read from X-Forwarded-For.
        "SURVEYAPP_PROXY_HOPS": int(os.environ.get("SURVEYAPP_PROXY_HOPS", "0")),
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
    # Redis unreachable: throttle in this process's memory (one logged warning, "Rate limit storage
    # unreachable - falling back to in-memory storage") instead of answering 500; back to Redis once it
    # answers. A storage error at the after-request deduction is logged, never a 500 either.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
}
