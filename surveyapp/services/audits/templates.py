"""Audit templates as data files (surveyapp/audits/*.yaml): validate, build, install, write back."""
import logging
from pathlib import Path

import yaml
from sqlalchemy import select

from ...audit_scoring import Rule
from ...extensions import db
from ...models import AUDIT_KINDS, AuditCriterion, AuditTemplate

logger = logging.getLogger(__name__)
BUILTIN_DIR = Path(__file__).resolve().parents[2] / "audits"


class TemplateError(ValueError):
    """An audit template is not valid; `errors` lists every problem."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _has_da(value, where: str, errors: list[str]) -> None:
    if not isinstance(value, dict) or not str(value.get("da") or "").strip():
        errors.append(f"{where}: needs a Danish text, e.g. {{da: ..., en: ...}}")


def validate(data) -> None:
    """Raise TemplateError listing every problem with an audit template's data."""
    if not isinstance(data, dict):
        raise TemplateError(["the file must hold a mapping (code, kind, rule, criteria, ...)"])
    errors: list[str] = []
    if not str(data.get("code") or "").strip():
        errors.append("code: missing")
    if data.get("kind") not in AUDIT_KINDS:
        errors.append(f"kind: must be one of {', '.join(AUDIT_KINDS)}")
    size = data.get("sample_size", 10)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        errors.append("sample_size: must be a whole number from 1")
    rule = data.get("rule") or {}
    if "share" in rule:
        if not isinstance(rule["share"], (int, float)) or not 0 < rule["share"] <= 1:
            errors.append("rule.share: must be a share between 0 and 1, e.g. 0.9")
    elif not (isinstance(rule.get("k"), int) and isinstance(rule.get("n"), int) and 1 <= rule["k"] <= rule["n"]):
        errors.append("rule: give {k: 9, n: 10} (k of n correct) or {share: 0.9}")
    _has_da(data.get("name"), "name", errors)
    criteria = data.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        errors.append("criteria: expected a list of at least one criterion")
        criteria = []
    codes = [c.get("code") if isinstance(c, dict) else None for c in criteria]
    for position, criterion in enumerate(criteria):
        if not isinstance(criterion, dict) or not criterion.get("code"):
            errors.append(f"criteria[{position}]: needs a code")
            continue
        if codes.count(criterion["code"]) > 1:
            errors.append(f"criteria[{position}]: the code {criterion['code']} is used twice")
        _has_da(criterion.get("text"), f"criteria[{position}].text", errors)
    if errors:
        raise TemplateError(errors)


def build(data: dict) -> AuditTemplate:
    """A new (unsaved) template from validated data."""
    validate(data)
    rule = data["rule"]
    template = AuditTemplate(
        code=data["code"], version=data.get("version", 1), name=dict(data["name"]),
        description=dict(data.get("description") or {}), kind=data["kind"], sample_size=data.get("sample_size", 10),
        rule_kind="share" if "share" in rule else "k_of_n", rule_k=rule.get("k"), rule_n=rule.get("n"),
        target_share=float(rule["share"]) if "share" in rule else None,
        asks_workflow=bool(data.get("asks_workflow")),
    )
    template.criteria = [
        AuditCriterion(code=c["code"], position=position, text=dict(c["text"]), guidance=dict(c.get("guidance") or {}))
        for position, c in enumerate(data["criteria"])
    ]
    return template


def to_data(template: AuditTemplate) -> dict:
    """The template in the file format; build(to_data(t)) gives the same template."""
    rule = {"share": template.target_share} if template.rule_kind == "share" else {"k": template.rule_k, "n": template.rule_n}
    data = {"code": template.code, "version": template.version, "kind": template.kind,
            "asks_workflow": template.asks_workflow, "sample_size": template.sample_size, "rule": rule,
            "name": dict(template.name), "description": dict(template.description or {}), "criteria": []}
    for criterion in template.criteria:
        entry = {"code": criterion.code, "text": dict(criterion.text)}
        if criterion.guidance:
            entry["guidance"] = dict(criterion.guidance)
        data["criteria"].append(entry)
    return data


def rule_of(template: AuditTemplate) -> Rule:
    """The template's completion rule as the pure scoring module takes it."""
    if template.rule_kind == "share":
        return Rule("share", share=template.target_share)
    return Rule("k_of_n", k=template.rule_k, n=template.rule_n)


def find(code: str, version: int | None = None) -> AuditTemplate | None:
    """A template by code: that version, else the newest."""
    query = select(AuditTemplate).where(AuditTemplate.code == code)
    if version is not None:
        query = query.where(AuditTemplate.version == version)
    return db.session.scalar(query.order_by(AuditTemplate.version.desc()).limit(1))


def active_templates() -> list[AuditTemplate]:
    """The newest version of every active template, by name."""
    newest: dict[str, AuditTemplate] = {}
    for template in db.session.scalars(select(AuditTemplate).order_by(AuditTemplate.version)):
        newest[template.code] = template
    return sorted((t for t in newest.values() if t.active), key=lambda t: t.text("da"))


def install(data: dict, builtin: bool = False) -> tuple[AuditTemplate, bool]:
    """Add a template version unless that code and version exist; returns (it, whether it was added)."""
    validate(data)
    existing = find(data["code"], data.get("version", 1))
    if existing is not None:
        return existing, False
    template = build(data)
    template.builtin = builtin
    db.session.add(template)
    db.session.flush()
    logger.info("audit template %s v%s installed", template.code, template.version)
    return template, True


def install_builtin() -> list[tuple[AuditTemplate, bool]]:
    """Install every built-in audit template version that is not there yet."""
    return [install(yaml.safe_load(path.read_text(encoding="utf-8")), builtin=True)
            for path in sorted(BUILTIN_DIR.glob("*.yaml"))]


def is_used(template: AuditTemplate) -> bool:
    """Whether an audit was recorded with this version: then it is frozen, and editing makes a new version."""
    from ...models import Audit

    return db.session.scalar(select(Audit.id).where(Audit.template_id == template.id).limit(1)) is not None


def code_for(name: str) -> str:
    """A template code from its name: lower case letters, digits and dashes, unique among templates."""
    import re
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
                                       .replace("Æ", "Ae").replace("Ø", "Oe").replace("Å", "Aa"))
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.encode("ascii", "ignore").decode().lower()).strip("-")[:50] or "audit"
    code, n = base, 2
    while find(code) is not None:
        code, n = f"{base}-{n}", n + 1
    return code


def may_edit(template: AuditTemplate | None, user) -> bool:
    """Admins edit every template; a coordinator only their own (shared and built-in ones are the admins')."""
    if user.role == "admin":
        return True
    return user.role == "coordinator" and (template is None or template.owner_id == user.id)


def save(data: dict, actor, existing: AuditTemplate | None = None) -> AuditTemplate:
    """Create a template, or change one: in place while unused, else as a new version with the same code."""
    from ..admin.changelog import record

    if existing is not None and not is_used(existing):
        before = to_data(existing)
        replacement = build({**data, "code": existing.code, "version": existing.version})
        for attr in ("name", "description", "kind", "sample_size", "rule_kind", "rule_k", "rule_n", "target_share",
                     "asks_workflow"):
            setattr(existing, attr, getattr(replacement, attr))
        existing.criteria.clear()
        db.session.flush()  # the old criteria go first: positions and codes are unique per template
        existing.criteria.extend(
            AuditCriterion(code=c.code, position=c.position, text=c.text, guidance=c.guidance)
            for c in replacement.criteria)
        db.session.flush()
        record(actor, "audit_template.update", existing, before, to_data(existing))
        return existing
    if existing is not None:
        newest = find(existing.code)
        data = {**data, "code": existing.code, "version": newest.version + 1}
    template, _ = install(data)
    if existing is not None:
        template.owner_id = existing.owner_id
    elif getattr(actor, "role", None) == "coordinator":
        template.owner_id = actor.id
    db.session.flush()
    record(actor, "audit_template.create", template, None, to_data(template))
    return template
