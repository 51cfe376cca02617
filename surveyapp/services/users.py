"""Users: creation and authentication."""
import logging

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import ROLES, User

logger = logging.getLogger(__name__)


class UserError(ValueError):
    """A user cannot be created as asked."""


def find_by_email(email: str) -> User | None:
    """The user with this email, compared case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, role: str, password: str | None = None) -> User:
    """Add a user; raises UserError on a taken email or an unknown role."""
    email = email.strip().lower()
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if "@" not in email:
        raise UserError(f"{email!r} is not an email address")
    if find_by_email(email):
        raise UserError(f"a user with the email {email} already exists")
    user = User(email=email, role=role)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    logger.info("user %s created with role %s", user.id, role)
    return user


#: Checked when no user has the email, so an unknown address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password")


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_by_email(email)
    if user is None or not user.password_hash:
        # The same scrypt work for an unknown address and an invited account with no password yet, so the
        # answer's timing tells nobody which addresses have accounts.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user
