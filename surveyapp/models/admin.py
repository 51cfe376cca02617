"""Administration: the change log of every administrative action, and one-time invitations to set a password."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .users import User


class ChangeLogEntry(db.Model):
    """One administrative change: who, what, when, the state before and after. Never edited."""

    __tablename__ = "change_log_entry"
    __table_args__ = (Index("ix_change_log_entry_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    #: Copied so the trail still names the actor after the account is gone; None for the command line.
    actor_email: Mapped[str | None] = mapped_column(String(254))
    #: A verb on a noun: "unit.create", "round.close", "user.invite" ...
    action: Mapped[str] = mapped_column(String(60))
    #: The table of the changed object, e.g. "unit"; its id and a readable label.
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()


class Invitation(db.Model):
    """A one-time link to set a password; only the SHA-256 of its token is stored."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    #: Set when the password has been chosen; the link then no longer works.
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
