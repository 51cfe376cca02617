"""The data model. Import from here: `from surveyapp.models import Unit, Round, ...`."""
from .admin import ChangeLogEntry, Invitation
from .audits import (
    AUDIT_KINDS,
    RULE_KINDS,
    Audit,
    AuditAnswer,
    AuditCriterion,
    AuditSample,
    AuditSchedule,
    AuditTemplate,
)
from .org import LEVELS, Unit
from .plans import HIGHLIGHT_SIDES, STATUSES, ActionPlan, Intervention, InterventionNote, InterventionStatus, intervention_items
from .questionnaires import AUDIENCES, ITEM_KINDS, AnswerScale, Item, Questionnaire, ScaleOption
from .responses import Answer, Response, RoundCount, RoundCountValue, RoundSummary
from .strategy import AREAS, INDICATOR_KINDS, SEVERITIES, DpsdCase, Indicator, IndicatorValue
from .rounds import LINK_KINDS, CollectionLink, Round, round_units
from .users import ROLES, ApiToken, User, user_units

__all__ = [
    "AUDIT_KINDS", "RULE_KINDS", "Audit", "AuditAnswer", "AuditCriterion", "AuditSample", "AuditSchedule",
    "AuditTemplate",
    "HIGHLIGHT_SIDES", "STATUSES", "ActionPlan", "Intervention", "InterventionNote", "InterventionStatus",
    "intervention_items",
    "AUDIENCES", "ITEM_KINDS", "LEVELS", "LINK_KINDS", "ROLES",
    "Answer", "AnswerScale", "ApiToken", "ChangeLogEntry", "Invitation", "CollectionLink", "Item", "Questionnaire", "Response",
    "AREAS", "INDICATOR_KINDS", "SEVERITIES", "DpsdCase", "Indicator", "IndicatorValue",
    "Round", "RoundCount", "RoundCountValue", "RoundSummary", "ScaleOption", "Unit", "User", "round_units", "user_units",
]
