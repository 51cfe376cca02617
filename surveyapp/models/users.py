"""Coordinators, admins and viewers, and API tokens for BI tools."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, CheckConstraint, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..timeutil import utcnow
from .org import Unit

#: auditor: records audits in their units and sees audit results; viewer: reads results only.
ROLES = ("admin", "coordinator", "auditor", "viewer")

user_units = Table(
    "user_unit",
    db.metadata,
    Column("user_id", ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint("role IN ('admin', 'coordinator', 'auditor', 'viewer')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Part of the id in every session and remember-me cookie: raising it (logout, a new password) ends them all.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    #: The units this user may see, with everything below them. Admins see all.
    units: Mapped[list[Unit]] = relationship(secondary=user_units, order_by=Unit.code)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session and the remember-me cookie, with the session version."""
        return f"{self.id}:{self.session_version or 0}"

    def end_sessions(self) -> None:
        """Every session and remember-me cookie of this user stops working at its next request."""
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt
        if self.id is not None:
            self.end_sessions()  # a new password ends every session made with the old one

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class ApiToken(db.Model):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    #: SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: May read anonymised raw responses.
    can_read_raw: Mapped[bool] = mapped_column(default=False)
    #: The user whose scope the token shares; none means the whole organisation.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()
