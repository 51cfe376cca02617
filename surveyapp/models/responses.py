"""Anonymous responses. No user, IP address, user agent or time of day is stored, by design."""
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        Index("ix_response_round_unit", "round_id", "unit_id"),
        # Covers the results' join (round, afsnit -> response ids) without reading the table on PostgreSQL;
        # on SQLite the rowid is in every index already.
        Index("ix_response_round_unit_id", "round_id", "unit_id", "id"),
    )

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
        # Covers the results' GROUP BY afsnit, item, value: one index probe per response, no table read.
        Index("ix_answer_response_item_value", "response_id", "item_id", "value"),
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


class RoundCount(db.Model):
    """A closed round's answers counted once (GROUP BY afsnit, item, value), shared by every worker and
    instance. `fingerprint` names the answers counted (respondents per afsnit, newest response): a
    mismatch means the answers changed and the counts are made again."""

    __tablename__ = "round_count"

    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))


class RoundCountValue(db.Model):
    """One cell of a RoundCount: how many of an afsnit's answers to an item have a value (None: not
    applicable)."""

    __tablename__ = "round_count_value"
    __table_args__ = (CheckConstraint("count > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round_count.round_id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"))
    value: Mapped[int | None]
    count: Mapped[int]


class RoundSummary(db.Model):
    """A grouped result of a closed round beyond its counts (SAQ scale sums per afsnit, background groups),
    made once and shared by every worker and instance like RoundCount. `name` says what was asked;
    `fingerprint` names the answers it was made from (a mismatch: made again)."""

    __tablename__ = "round_summary"

    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: The rows as JSON: a list of lists of numbers (None for not applicable or not answered).
    data: Mapped[str] = mapped_column(Text)
