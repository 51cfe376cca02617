"""Audit results for downloads and the API: one row per finished audit, and the latest-audit roll-up.

The rows come from the same functions as the audit pages (`services.audits`), so every file and the API
show the numbers the pages show.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Audit, AuditSample, AuditTemplate
from ..results.exports import LEVEL_NAME
from ..spreadsheets import Column
from .recording import ResultRow, latest_results, result_of
from .templates import rule_of


@dataclass(frozen=True)
class CriterionRow:
    code: str
    applicable: int
    correct: int
    percent: float | None


@dataclass(frozen=True)
class AuditRow:
    """One finished audit with its result under its template's rule."""

    id: int
    unit_code: str
    unit_name: str
    template_code: str
    template_version: int
    template_name: str
    kind: str
    workflow: str | None
    audited_on: date
    samples: int
    applicable: int
    correct: int
    percent: float | None  # 0-100, unrounded
    target: float  # the share the rule asks for, a fraction (0.9)
    rule: str  # "9 of 10" or "90%"
    implemented: bool
    criteria: list[CriterionRow]


def _percent(correct: int, applicable: int) -> float | None:
    return 100 * correct / applicable if applicable else None


def rule_label(template: AuditTemplate) -> str:
    if template.rule_kind == "share":
        return f"{round(template.target_share * 100)}%"
    return f"{template.rule_k} of {template.rule_n}"


def audit_rows(visible: set[int] | None, template_code: str | None = None, unit_code: str | None = None,
               lang: str = "da") -> list[AuditRow]:
    """Finished audits in the scope, oldest first, optionally of one template (by code) or one afsnit."""
    query = (select(Audit).where(Audit.finished_at.is_not(None))
             .options(selectinload(Audit.template).selectinload(AuditTemplate.criteria), selectinload(Audit.unit),
                      selectinload(Audit.samples).selectinload(AuditSample.answers))
             .order_by(Audit.audited_on, Audit.id))
    if visible is not None:
        query = query.where(Audit.unit_id.in_(visible))
    if template_code:
        query = query.join(Audit.template).where(AuditTemplate.code == template_code)
    rows = []
    for audit in db.session.scalars(query):
        if unit_code and audit.unit.code != unit_code:
            continue
        result, template = result_of(audit), audit.template
        criteria = [CriterionRow(c.code, result.criteria[c.code].applicable, result.criteria[c.code].correct,
                                 _percent(result.criteria[c.code].correct, result.criteria[c.code].applicable))
                    for c in template.criteria]
        rows.append(AuditRow(
            id=audit.id, unit_code=audit.unit.code, unit_name=audit.unit.name, template_code=template.code,
            template_version=template.version, template_name=template.text(lang), kind=template.kind,
            workflow=audit.workflow, audited_on=audit.audited_on, samples=result.samples,
            applicable=result.overall.applicable, correct=result.overall.correct,
            percent=_percent(result.overall.correct, result.overall.applicable),
            target=float(rule_of(template).threshold), rule=rule_label(template), implemented=result.implemented,
            criteria=criteria))
    return rows


def audit_dict(row: AuditRow) -> dict:
    """An audit row with exactly the API's fields."""
    return {
        "id": row.id, "unit_code": row.unit_code, "template_code": row.template_code,
        "template_version": row.template_version, "template_name": row.template_name, "kind": row.kind,
        "workflow": row.workflow, "audited_on": row.audited_on.isoformat(), "samples": row.samples,
        "applicable": row.applicable, "correct": row.correct, "percent": row.percent, "target": row.target,
        "rule": row.rule, "implemented": row.implemented,
        "criteria": [{"code": c.code, "applicable": c.applicable, "correct": c.correct, "percent": c.percent}
                     for c in row.criteria],
    }


def audit_columns() -> list[Column]:
    """The columns of the per-audit download."""
    return [
        Column("id", _l("Audit"), kind="int", width=8),
        Column("unit_code", _l("Unit code"), width=14),
        Column("unit_name", _l("Unit"), width=28),
        Column("template_code", _l("Template code"), width=24),
        Column("template_name", _l("Template"), width=36),
        Column("workflow", _l("Workflow audited"), width=24),
        Column("audited_on", _l("Date"), kind="date", width=12),
        Column("samples", _l("Samples"), kind="int", width=9),
        Column("applicable", _l("Applicable samples"), kind="int", width=10),
        Column("correct", _l("Correct"), kind="int", width=9),
        Column("percent", _l("Share correct"), kind="percent", width=10),
        Column("target", _l("Target"), kind="percent", get=lambda r: r.target * 100, width=8),
        Column("rule", _l("Rule"), width=10),
        Column("implemented", _l("Implemented"), kind="bool", width=10),
    ]


def rollup_columns() -> list[Column]:
    """The columns of the latest-audit roll-up per afsnit, afdeling and sygehus."""
    return [
        Column("level", _l("Level"), show=lambda level: str(LEVEL_NAME[level]), width=10),
        Column("unit_code", _l("Unit code"), width=14),
        Column("unit_name", _l("Unit"), width=28),
        Column("template_code", _l("Template code"), width=24),
        Column("audited_on", _l("Latest audit"), kind="date", width=12),
        Column("audits", _l("Audits counted"), kind="int", width=9),
        Column("applicable", _l("Applicable samples"), kind="int", get=lambda r: r.tally.applicable, width=10),
        Column("correct", _l("Correct"), kind="int", get=lambda r: r.tally.correct, width=9),
        Column("percent", _l("Share correct"), kind="percent",
               get=lambda r: _percent(r.tally.correct, r.tally.applicable), width=10),
        Column("implemented", _l("Implemented"), kind="bool", width=10),
    ]


def rollup_rows(user, template_code: str, lang: str, workflow: str | None = None) -> list[ResultRow]:
    """The latest finished audit per afsnit (of one workflow), rolled up: the rows of the results page."""
    return latest_results(user, template_code, lang, workflow)[0]
