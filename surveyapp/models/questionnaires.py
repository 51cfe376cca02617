"""Questionnaires, their items and answer scales. Texts are dicts of language -> text."""
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

AUDIENCES = ("staff", "patient")
#: scale: an answer on a scale that is scored; choice: a background question; text: free text.
ITEM_KINDS = ("scale", "choice", "text")


class Questionnaire(db.Model):
    __tablename__ = "questionnaire"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        CheckConstraint("audience IN ('staff', 'patient')", name="audience"),
        CheckConstraint("version >= 1", name="version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(default=1)
    audience: Mapped[str] = mapped_column(String(16))
    title: Mapped[dict] = mapped_column(JSON)
    #: Short introduction shown above the items, per language.
    intro: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The languages the respondent may choose.
    languages: Mapped[list] = mapped_column(JSON)
    #: Languages whose texts are machine-made and not yet checked by a translator.
    unreviewed_languages: Mapped[list] = mapped_column(JSON, default=list)
    #: True for the questionnaires shipped in surveyapp/questionnaires.
    builtin: Mapped[bool] = mapped_column(default=False)

    scales: Mapped[list["AnswerScale"]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan", order_by="AnswerScale.id")
    items: Mapped[list["Item"]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan", order_by="Item.position")

    def text(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("da") or self.code

    @property
    def key_items(self) -> list["Item"]:
        return [item for item in self.items if item.key]

    def __repr__(self) -> str:
        return f"<Questionnaire {self.code} v{self.version}>"


class AnswerScale(db.Model):
    __tablename__ = "answer_scale"
    __table_args__ = (UniqueConstraint("questionnaire_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="scales")
    options: Mapped[list["ScaleOption"]] = relationship(
        back_populates="scale", cascade="all, delete-orphan", order_by="ScaleOption.position")

    @property
    def positive_values(self) -> list[int]:
        return [o.value for o in self.options if o.positive]

    @property
    def not_applicable_value(self) -> int | None:
        return next((o.value for o in self.options if o.not_applicable), None)

    @property
    def max_value(self) -> int:
        """The highest scored value, the pivot for reverse-scoring."""
        return max(o.value for o in self.options if not o.not_applicable)

    @property
    def min_value(self) -> int:
        return min(o.value for o in self.options if not o.not_applicable)


class ScaleOption(db.Model):
    __tablename__ = "scale_option"
    __table_args__ = (
        UniqueConstraint("scale_id", "value"),
        CheckConstraint("NOT (positive AND not_applicable)", name="positive_or_na"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scale_id: Mapped[int] = mapped_column(ForeignKey("answer_scale.id", ondelete="CASCADE"))
    position: Mapped[int]
    value: Mapped[int]
    label: Mapped[dict] = mapped_column(JSON)
    #: Counts towards the agreement percentage (e.g. Enig and Helt enig).
    positive: Mapped[bool] = mapped_column(default=False)
    #: "Ved ikke / ikke relevant": stored, but left out of the denominator.
    not_applicable: Mapped[bool] = mapped_column(default=False)

    scale: Mapped[AnswerScale] = relationship(back_populates="options")

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("da") or str(self.value)


class Item(db.Model):
    __tablename__ = "item"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "code"),
        UniqueConstraint("questionnaire_id", "position"),
        CheckConstraint("kind IN ('scale', 'choice', 'text')", name="kind"),
        CheckConstraint("(kind = 'text') = (scale_id IS NULL)", name="scale_unless_text"),
        CheckConstraint("NOT key_item OR kind = 'scale'", name="key_is_scale"),
        CheckConstraint("max_length IS NULL OR max_length > 0", name="max_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id", ondelete="CASCADE"))
    #: Stable across questionnaire versions, so rounds compare per item code.
    code: Mapped[str] = mapped_column(String(60))
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    dimension: Mapped[str | None] = mapped_column(String(100))
    scale_id: Mapped[int | None] = mapped_column(ForeignKey("answer_scale.id", ondelete="RESTRICT"))
    reverse: Mapped[bool] = mapped_column(default=False)
    #: One of the items the 80% target is measured on.
    key: Mapped[bool] = mapped_column("key_item", default=False)
    required: Mapped[bool] = mapped_column(default=False)
    #: Longest free text accepted, for kind text.
    max_length: Mapped[int | None]
    text: Mapped[dict] = mapped_column(JSON)
    #: Optional help under the question, per language.
    help: Mapped[dict] = mapped_column(JSON, default=dict)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="items")
    scale: Mapped[AnswerScale | None] = relationship()

    def label(self, lang: str) -> str:
        return self.text.get(lang) or self.text.get("da") or self.code

    def __repr__(self) -> str:
        return f"<Item {self.code}>"
