"""The rest of the quality strategy: adverse-event cases from DPSD and indicators from report extracts.

A DPSD case keeps only what the indicators need (its id, afsnit, dates and severity): never a description,
a headline, a name, a CPR number or any free text. Indicator values are counts (numerator and denominator) per
unit and month, or a milestone's done / not done on a date; shares are computed from them, never stored.
"""
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .org import Unit

#: DPSD's severity categories as stored (indicator_rules.SEVERITIES).
SEVERITIES = ("ingen", "lettere", "alvorlig_risiko", "alvorlig", "doedelig")
INDICATOR_KINDS = ("share", "count", "milestone")
DIRECTIONS = ("up", "down")
INDICATOR_LEVELS = ("afsnit", "afdeling")
#: The strategy's areas ("indsatser"), in the order the strategy page shows them.
AREAS = ("kultur", "uth", "faste", "sektor", "fb")


class DpsdCase(db.Model):
    """An adverse event ("utilsigtet hændelse") as DPSD's Report Centre extract gives it, reduced."""

    __tablename__ = "dpsd_case"
    __table_args__ = (
        CheckConstraint("severity IS NULL OR severity IN ('ingen', 'lettere', 'alvorlig_risiko', 'alvorlig', "
                        "'doedelig')", name="severity"),
        CheckConstraint("closed_on IS NULL OR closed_on >= created_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: DPSD's case id: a re-import updates the case, never duplicates it.
    case_id: Mapped[str] = mapped_column(String(40), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    #: "Opret-dato": the month the case counts in.
    created_on: Mapped[date] = mapped_column(Date, index=True)
    #: "Afsluttet dato"; None while the case is open.
    closed_on: Mapped[date | None] = mapped_column(Date)
    #: "Samlet alvorlighedskategori"; None while DPSD has not categorised it.
    severity: Mapped[str | None] = mapped_column(String(24))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    unit: Mapped[Unit] = relationship()


class Indicator(db.Model):
    """An indicator of the strategy whose data comes from report extracts (built in or defined by an admin)."""

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint("kind IN ('share', 'count', 'milestone')", name="kind"),
        CheckConstraint("direction IN ('up', 'down')", name="direction"),
        CheckConstraint("level IN ('afsnit', 'afdeling')", name="level"),
        CheckConstraint("area IN ('kultur', 'uth', 'faste', 'sektor', 'fb')", name="area"),
        CheckConstraint("target IS NULL OR (target >= 0 AND target <= 1)", name="target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    area: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(16), default="afsnit")
    #: A share's target (0-1); counts and milestones have none.
    target: Mapped[float | None]
    #: Whether higher ("up") or lower ("down") is better.
    direction: Mapped[str] = mapped_column(String(4), default="up")
    #: A milestone's deadline.
    due_on: Mapped[date | None] = mapped_column(Date)
    builtin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IndicatorValue(db.Model):
    """One unit's data for an indicator: counts for a month, or a milestone's state on a date."""

    __tablename__ = "indicator_value"
    __table_args__ = (
        UniqueConstraint("indicator_id", "unit_id", "period"),
        CheckConstraint("numerator IS NULL OR numerator >= 0", name="numerator"),
        CheckConstraint("denominator IS NULL OR denominator >= 0", name="denominator"),
        CheckConstraint("numerator IS NULL OR denominator IS NULL OR numerator <= denominator", name="share"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    #: The first of the month for shares and counts; the date reported for a milestone.
    period: Mapped[date] = mapped_column(Date)
    numerator: Mapped[int | None]
    denominator: Mapped[int | None]
    #: A milestone's state on `period`.
    done: Mapped[bool | None]

    indicator: Mapped[Indicator] = relationship()
    unit: Mapped[Unit] = relationship()
