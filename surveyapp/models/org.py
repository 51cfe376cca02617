"""The organisation: sygehus -> afdeling -> afsnit."""
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

LEVELS = ("sygehus", "afdeling", "afsnit")
#: The level a unit's parent must have.
PARENT_LEVEL = {"sygehus": None, "afdeling": "sygehus", "afsnit": "afdeling"}


class Unit(db.Model):
    __tablename__ = "unit"
    __table_args__ = (
        CheckConstraint("level IN ('sygehus', 'afdeling', 'afsnit')", name="level"),
        # Only a hospital stands at the top of the tree.
        CheckConstraint("(level = 'sygehus') = (parent_id IS NULL)", name="root_is_sygehus"),
        CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    #: Staff number, the denominator of the response rate.
    headcount: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.name")

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.level}>"
