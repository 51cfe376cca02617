"""Anonymous responses. No user, IP address, user agent or time of day is stored, by design."""
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (Index("ix_response_round_unit", "round_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("collection_link.id", ondelete="SET NULL"), index=True)
    #: Day precision only: a time of day could identify a respondent on a small ward.
    submitted_on: Mapped[date]
    language: Mapped[str] = mapped_column(String(8))
    #: The one-time key the form carried; a resubmission finds the stored response by it.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)

    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("response_id", "item_id"),
        Index("ix_answer_item_value", "item_id", "value"),
        # Exactly one of: a value, "not applicable", a free text.
        CheckConstraint(
            "(CASE WHEN value IS NOT NULL THEN 1 ELSE 0 END)"
            " + (CASE WHEN not_applicable THEN 1 ELSE 0 END)"
            " + (CASE WHEN text IS NOT NULL THEN 1 ELSE 0 END) = 1",
            name="one_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="RESTRICT"))
    value: Mapped[int | None]
    not_applicable: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
