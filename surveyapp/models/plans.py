"""Action plans ("handlingsplaner"): an afsnit's interventions against its biggest challenges. A plan belongs to
the afsnit and runs across rounds: it starts from one round's challenges and stays live until it is closed, and
the schema allows one live plan per afsnit.

An intervention's status history and progress log are rows of their own, so "when was it implemented" is
read, never overwritten. Whether an audit confirms it is derived from the audits, never stored.
"""
from datetime import date, datetime

from sqlalchemy import Column, CheckConstraint, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .org import Unit
from .questionnaires import Item
from .rounds import Round
from .users import User

STATUSES = ("planlagt", "i_gang", "implementeret", "opgivet")
#: The annual report's two sides: interventions implemented this year, and new ones for the coming year.
HIGHLIGHT_SIDES = ("implemented", "new")
#: An ordinary intervention, or an action of a root-cause analysis ("kerneårsagsanalyse") after an adverse
#: event, whose due date the strategy's "90 % of actions done on time" counts.
INTERVENTION_KINDS = ("indsats", "kerneårsagsanalyse-tiltag")
RCA_ACTION = "kerneårsagsanalyse-tiltag"

intervention_items = Table(
    "intervention_item",
    db.metadata,
    Column("intervention_id", ForeignKey("intervention.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("item.id", ondelete="RESTRICT"), primary_key=True),
)


class ActionPlan(db.Model):
    """An afsnit's plan, started from one round's challenges; live until closed, at most one live per afsnit."""

    __tablename__ = "action_plan"
    __table_args__ = (
        Index("uq_action_plan_live_unit", "unit_id", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    #: The round whose challenges the plan was made for; later rounds show their results beside them.
    round_id: Mapped[int] = mapped_column(ForeignKey("survey_round.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    #: Set when someone closes the plan explicitly; a closed plan is read-only and a new one may start.
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()
    round: Mapped[Round] = relationship()
    interventions: Mapped[list["Intervention"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Intervention.id")

    @property
    def code(self) -> str:  # the change log's label
        return f"{self.unit.code}/{self.round_id}"

    @property
    def live(self) -> bool:
        return self.closed_at is None


class Intervention(db.Model):
    """An intervention ("indsats") of a plan."""

    __tablename__ = "intervention"
    __table_args__ = (
        CheckConstraint("status IN ('planlagt', 'i_gang', 'implementeret', 'opgivet')", name="status"),
        CheckConstraint("due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on", name="dates"),
        CheckConstraint("highlight IS NULL OR highlight IN ('implemented', 'new')", name="highlight"),
        CheckConstraint("kind IN ('indsats', 'kerneårsagsanalyse-tiltag')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plan.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: A role or a name of the ward's staff ("afsnitsledelsen", "Sygeplejerske Mette"), never a respondent.
    responsible: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date | None]
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="planlagt")
    #: The audit template (by code, so new versions still count) whose latest audit verifies it.
    audit_template_code: Mapped[str | None] = mapped_column(String(60))
    #: Highlighted in the annual report, on this side.
    highlight: Mapped[str | None] = mapped_column(String(16))
    #: INTERVENTION_KINDS: a root-cause analysis action needs a due date.
    kind: Mapped[str] = mapped_column(String(32), default="indsats", server_default="indsats")

    plan: Mapped[ActionPlan] = relationship(back_populates="interventions")
    items: Mapped[list[Item]] = relationship(secondary=intervention_items, order_by=Item.position)
    history: Mapped[list["InterventionStatus"]] = relationship(
        back_populates="intervention", cascade="all, delete-orphan", order_by="InterventionStatus.id")
    notes: Mapped[list["InterventionNote"]] = relationship(
        back_populates="intervention", cascade="all, delete-orphan", order_by="InterventionNote.id")

    @property
    def code(self) -> str:  # the change log's label
        return self.title


class InterventionStatus(db.Model):
    """A status an intervention was given, and the date it was set."""

    __tablename__ = "intervention_status"
    __table_args__ = (
        CheckConstraint("status IN ('planlagt', 'i_gang', 'implementeret', 'opgivet')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    set_on: Mapped[date]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    intervention: Mapped[Intervention] = relationship(back_populates="history")
    set_by: Mapped[User | None] = relationship()


class InterventionNote(db.Model):
    """One line of an intervention's progress log."""

    __tablename__ = "intervention_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("intervention.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)

    intervention: Mapped[Intervention] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()
