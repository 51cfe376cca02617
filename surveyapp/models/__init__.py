"""The data model. Import from here: `from surveyapp.models import Unit, Round, ...`."""
from .admin import AuditEntry, Invitation
from .org import LEVELS, Unit
from .questionnaires import AUDIENCES, ITEM_KINDS, AnswerScale, Item, Questionnaire, ScaleOption
from .responses import Answer, Response
from .rounds import LINK_KINDS, CollectionLink, Round, round_units
from .users import ROLES, ApiToken, User, user_units

__all__ = [
    "AUDIENCES", "ITEM_KINDS", "LEVELS", "LINK_KINDS", "ROLES",
    "Answer", "AnswerScale", "ApiToken", "AuditEntry", "Invitation", "CollectionLink", "Item", "Questionnaire", "Response",
    "Round", "ScaleOption", "Unit", "User", "round_units", "user_units",
]
