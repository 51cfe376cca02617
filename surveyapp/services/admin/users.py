"""Users for administrators: invite with a one-time link, change role and scope, deactivate; own password."""
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Invitation, Unit, User
from ...timeutil import utcnow
from ..users import UserError, create_user
from . import changelog

#: An invitation link works this long, then a new one must be made.
INVITATION_DAYS = 7


def _state(user: User) -> dict:
    return {"email": user.email, "role": user.role, "active": user.active, "units": sorted(u.code for u in user.units)}


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def all_users() -> list[User]:
    """Every user with their scope, by email."""
    return list(db.session.scalars(select(User).options(selectinload(User.units)).order_by(User.email)))


def scope_choices() -> list[Unit]:
    """The units a scope can be made of: every active sygehus, afdeling and afsnit."""
    return list(db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.code)))


def _units(unit_ids: list[int]) -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)))) if unit_ids else []


def invite(actor: User, email: str, role: str, unit_ids: list[int]) -> tuple[User, str]:
    """A new user without a password and the raw token of their set-password link; raises UserError."""
    user = create_user(email, role)
    user.units = _units(unit_ids) if role != "admin" else []
    db.session.flush()
    changelog.record(actor, "user.create", user, None, _state(user))
    return user, new_invitation(actor, user)


def new_invitation(actor: User, user: User) -> str:
    """A fresh one-time set-password token for the user; earlier unused links stop working."""
    now = utcnow()
    for old in db.session.scalars(select(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None))):
        old.expires_at = min(old.expires_at, now)
    raw = secrets.token_urlsafe(32)
    db.session.add(Invitation(user=user, token_hash=_hash(raw), expires_at=now + timedelta(days=INVITATION_DAYS)))
    db.session.flush()
    changelog.record(actor, "user.invite", user, None, {"expires_in_days": INVITATION_DAYS})
    return raw


def find_invitation(raw: str, now: datetime | None = None) -> Invitation | None:
    """The unused, unexpired invitation of an active user with this token, else None."""
    now = now or utcnow()
    digest = _hash(raw or "")
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == digest))
    if (invitation is None or not hmac.compare_digest(invitation.token_hash, digest)
            or invitation.used_at is not None or invitation.expires_at <= now or not invitation.user.active):
        return None
    return invitation


def accept_invitation(invitation: Invitation, password: str) -> User:
    """Set the password and use the invitation up."""
    invitation.user.set_password(password)
    invitation.used_at = utcnow()
    db.session.flush()
    changelog.record(invitation.user, "user.set_password", invitation.user)
    return invitation.user


def update_user(actor: User, user: User, role: str, unit_ids: list[int], active: bool) -> None:
    """Change role, scope and whether the user may log in; an admin cannot lock themselves out."""
    if user.id == actor.id and (role != "admin" or not active):
        raise UserError(_("You cannot remove your own administrator rights or deactivate yourself."))
    before = _state(user)
    user.role, user.active = role, active
    user.units = _units(unit_ids) if role != "admin" else []
    db.session.flush()
    after = _state(user)
    if after != before:
        action = "user.deactivate" if before["active"] and not active else "user.update"
        changelog.record(actor, action, user, before, after)


def change_password(user: User, current: str, new: str) -> bool:
    """Set a new password if the current one is right; False otherwise."""
    if not user.check_password(current):
        return False
    user.set_password(new)
    db.session.flush()
    changelog.record(user, "user.change_password", user)
    return True
