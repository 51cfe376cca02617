"""API tokens for BI tools: created from `secrets`, shown once, stored as SHA-256, compared in constant time."""
import hashlib
import hmac
import logging
import secrets

from sqlalchemy import select

from ...extensions import db
from ...models import ApiToken, User
from ...timeutil import utcnow
from . import changelog

logger = logging.getLogger(__name__)
#: Recognisable in a leaked config file or a secret scanner.
PREFIX = "sa_"


def hash_token(raw: str) -> str:
    """The SHA-256 hex digest a token is stored as."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(name: str, can_read_raw: bool, user: User | None = None,
                 actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token and its raw value, which is never stored: show it once. `user` limits it to their scope."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name.strip(), token_hash=hash_token(raw), can_read_raw=can_read_raw, user=user)
    db.session.add(token)
    db.session.flush()
    changelog.record(actor, "token.create", token, None, _state(token))
    return token, raw


def verify_token(raw: str) -> ApiToken | None:
    """The unrevoked token with this raw value, with last_used_at updated; None otherwise."""
    if not raw or not raw.startswith(PREFIX):
        return None
    digest = hash_token(raw)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    # The lookup is by digest; compare again in constant time so a timing difference reveals nothing.
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at is not None:
        return None
    if token.user is not None and not token.user.active:
        return None
    token.last_used_at = utcnow()
    db.session.flush()
    return token


def revoke_token(token: ApiToken, actor: User | None = None) -> None:
    """Refuse the token from now on; it stays listed as revoked."""
    if token.revoked_at is not None:
        return
    before = _state(token)
    token.revoked_at = utcnow()
    db.session.flush()
    changelog.record(actor, "token.revoke", token, before, _state(token))
    logger.info("token %s revoked", token.id)


def all_tokens() -> list[ApiToken]:
    """Every token, active ones first, newest first."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())))


def _state(token: ApiToken) -> dict:
    return {"name": token.name, "can_read_raw": token.can_read_raw,
            "scope": token.user.email if token.user else None, "revoked_at": token.revoked_at}
