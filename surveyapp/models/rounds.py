"""Survey rounds and their collection links."""
from datetime import datetime

from sqlalchemy import Column, CheckConstraint, ForeignKey, String, Table, false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .org import Unit
from .questionnaires import Questionnaire

LINK_KINDS = ("open", "kiosk", "code")

round_units = Table(
    "round_unit",
    db.metadata,
    Column("round_id", ForeignKey("survey_round.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id", ondelete="RESTRICT"), primary_key=True),
)


class Round(db.Model):
    __tablename__ = "survey_round"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="period"),
        CheckConstraint("target > 0 AND target <= 1", name="target"),
        CheckConstraint("min_group >= 1", name="min_group"),
        CheckConstraint("source IN ('app', 'surveyxact')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: UTC, naive. The round is open between these; state is derived, never stored.
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    #: Share of positive answers an item must reach, 0.8 for 80 %.
    target: Mapped[float]
    #: Anonymity threshold: groups with fewer respondents are never shown.
    min_group: Mapped[int]
    #: Answers only through single-use answer codes: the open link takes none (against padding, see
    #: docs/anonymity.md).
    codes_only: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Where the answers came from: "app" (collected here) or "surveyxact" (an imported baseline).
    source: Mapped[str] = mapped_column(String(16), default="app", server_default="app")
    #: SHA-256 of the imported file, so the same export is never imported twice.
    import_checksum: Mapped[str | None] = mapped_column(String(64), unique=True)

    questionnaire: Mapped[Questionnaire] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=round_units, order_by=Unit.code)
    links: Mapped[list["CollectionLink"]] = relationship(back_populates="round", cascade="all, delete-orphan")

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.opens_at <= now < self.closes_at

    def status(self, now: datetime | None = None) -> str:
        """'planned', 'open' or 'closed', from the dates."""
        now = now or utcnow()
        if now < self.opens_at:
            return "planned"
        return "open" if now < self.closes_at else "closed"

    def __repr__(self) -> str:
        return f"<Round {self.id} {self.name}>"


class CollectionLink(db.Model):
    """Where answers come in: a ward's QR link, a kiosk tablet, or one single-use answer code."""

    __tablename__ = "collection_link"
    __table_args__ = (CheckConstraint("kind IN ('open', 'kiosk', 'code')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    #: The short random part of the public URL /s/<slug>.
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(8), default="open")
    #: For single-use codes: set when the code has been answered with.
    used: Mapped[bool] = mapped_column(default=False)

    round: Mapped[Round] = relationship(back_populates="links")
    unit: Mapped[Unit] = relationship()

    def __repr__(self) -> str:
        return f"<CollectionLink {self.kind} {self.slug}>"
