"""Implementation audits: templates with criteria, audits of an afsnit, numbered samples, re-audit dates.

Samples are numbered, never named: no personal data about the staff asked or the records read.
"""
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from .org import Unit
from .users import User

AUDIT_KINDS = ("interview", "record")
RULE_KINDS = ("k_of_n", "share")


class AuditTemplate(db.Model):
    __tablename__ = "audit_template"
    __table_args__ = (
        UniqueConstraint("code", "version"),
        CheckConstraint("kind IN ('interview', 'record')", name="kind"),
        CheckConstraint("sample_size >= 1", name="sample_size"),
        CheckConstraint(
            "(rule_kind = 'k_of_n' AND rule_k >= 1 AND rule_n >= rule_k AND target_share IS NULL)"
            " OR (rule_kind = 'share' AND target_share > 0 AND target_share <= 1 AND rule_k IS NULL AND rule_n IS NULL)",
            name="rule",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable across versions: run charts and re-audit dates follow the code.
    code: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(default=1)
    name: Mapped[dict] = mapped_column(JSON)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    #: interview: ask staff ("spørg 10 personaler"); record: look at patient records.
    kind: Mapped[str] = mapped_column(String(16))
    sample_size: Mapped[int] = mapped_column(default=10)
    rule_kind: Mapped[str] = mapped_column(String(8))
    rule_k: Mapped[int | None]
    rule_n: Mapped[int | None]
    target_share: Mapped[float | None]
    #: The generic template: the auditor names the workflow audited.
    asks_workflow: Mapped[bool] = mapped_column(default=False)
    builtin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    #: The coordinator who made the template (kept across versions), the only one besides admins who may edit
    #: it; None for built-in and other shared templates, which only admins edit.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    criteria: Mapped[list["AuditCriterion"]] = relationship(
        back_populates="template", cascade="all, delete-orphan", order_by="AuditCriterion.position")

    def text(self, lang: str) -> str:
        return self.name.get(lang) or self.name.get("da") or self.code

    def __repr__(self) -> str:
        return f"<AuditTemplate {self.code} v{self.version}>"


class AuditCriterion(db.Model):
    __tablename__ = "audit_criterion"
    __table_args__ = (UniqueConstraint("template_id", "code"), UniqueConstraint("template_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("audit_template.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(60))
    position: Mapped[int]
    text: Mapped[dict] = mapped_column(JSON)
    #: What a correct answer looks like, for the auditor.
    guidance: Mapped[dict] = mapped_column(JSON, default=dict)

    template: Mapped[AuditTemplate] = relationship(back_populates="criteria")

    def label(self, lang: str) -> str:
        return self.text.get(lang) or self.text.get("da") or self.code


class Audit(db.Model):
    """One audit of one afsnit with one template: n samples, recorded one at a time, resumable."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("audit_template.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    #: The workflow audited, for the generic "Spørg 10 personaler" template.
    workflow: Mapped[str | None] = mapped_column(String(200))
    audited_on: Mapped[date]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    template: Mapped[AuditTemplate] = relationship()
    unit: Mapped[Unit] = relationship()
    started_by: Mapped[User | None] = relationship()
    samples: Mapped[list["AuditSample"]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="AuditSample.number")

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


class AuditSample(db.Model):
    __tablename__ = "audit_sample"
    __table_args__ = (UniqueConstraint("audit_id", "number"), CheckConstraint("number >= 1", name="number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"))
    #: Staff member 1-10 or record 1-n: a number, never a name.
    number: Mapped[int]
    note: Mapped[str | None] = mapped_column(Text)

    audit: Mapped[Audit] = relationship(back_populates="samples")
    answers: Mapped[list["AuditAnswer"]] = relationship(back_populates="sample", cascade="all, delete-orphan")


class AuditAnswer(db.Model):
    __tablename__ = "audit_answer"
    __table_args__ = (
        UniqueConstraint("sample_id", "criterion_id"),
        CheckConstraint("answer IN ('yes', 'no', 'na')", name="answer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("audit_sample.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("audit_criterion.id", ondelete="RESTRICT"))
    answer: Mapped[str] = mapped_column(String(3))

    sample: Mapped[AuditSample] = relationship(back_populates="answers")
    criterion: Mapped[AuditCriterion] = relationship()


class AuditSchedule(db.Model):
    """When an afsnit is due to be audited again with a template (by template code)."""

    __tablename__ = "audit_schedule"
    __table_args__ = (UniqueConstraint("unit_id", "template_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    template_code: Mapped[str] = mapped_column(String(60))
    due_on: Mapped[date]

    unit: Mapped[Unit] = relationship()
