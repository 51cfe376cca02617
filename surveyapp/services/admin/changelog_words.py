"""The change log in words: what was done, to what, and each changed field with its values as a reader says
them ("Status: Planlagt → I gang"), never the stored keys (`intervention.status`, `i_gang`)."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db

from ...formatting import date_time, medium_date, percent
from ...models import Item

ACTIONS = {
    "action_plan.close": _l("Action plan closed"),
    "action_plan.create": _l("Action plan started"),
    "audit_template.create": _l("Audit template created"),
    "audit_template.update": _l("Audit template changed"),
    "indicator.create": _l("Indicator defined"),
    "intervention.create": _l("Intervention added"),
    "intervention.edit": _l("Intervention changed"),
    "intervention.note": _l("Note added to an intervention"),
    "intervention.status": _l("Status of an intervention changed"),
    "questionnaire.create": _l("Questionnaire created"),
    "questionnaire.import": _l("Questionnaire imported"),
    "questionnaire.item_create": _l("Question added"),
    "questionnaire.item_update": _l("Question changed"),
    "questionnaire.item_delete": _l("Question removed"),
    "questionnaire.item_move": _l("Question moved"),
    "questionnaire.new_version": _l("New version of a questionnaire"),
    "questionnaire.scale_create": _l("Answer scale added"),
    "questionnaire.scale_update": _l("Answer scale changed"),
    "questionnaire.update": _l("Questionnaire changed"),
    "round.add_units": _l("Wards added to a round"),
    "round.close": _l("Round closed"),
    "round.create": _l("Round created"),
    "round.import": _l("Round imported from SurveyXact"),
    "round.reopen": _l("Round reopened"),
    "round.update": _l("Round changed"),
    "token.create": _l("API token created"),
    "token.revoke": _l("API token revoked"),
    "unit.create": _l("Unit created"),
    "unit.deactivate": _l("Unit deactivated"),
    "unit.delete": _l("Unit deleted"),
    "unit.import_change": _l("Unit changed by import"),
    "unit.import_create": _l("Unit created by import"),
    "unit.import_deactivate": _l("Unit deactivated by import"),
    "unit.update": _l("Unit changed"),
    "user.change_password": _l("Password changed"),
    "user.create": _l("User created"),
    "user.deactivate": _l("User deactivated"),
    "user.invite": _l("Invitation sent"),
    "user.set_password": _l("Password set from an invitation"),
    "user.update": _l("User changed"),
}

TARGETS = {
    "action_plan": _l("Action plan"), "api_token": _l("API token"), "app_user": _l("User"),
    "audit_template": _l("Audit template"), "indicator": _l("Indicator"), "intervention": _l("Intervention"), "questionnaire": _l("Questionnaire"),
    "survey_round": _l("Round"), "unit": _l("Unit"),
}

FIELDS = {
    "active": _l("Active"), "asks_workflow": _l("Asks for the workflow"), "audience": _l("Audience"),
    "audit_template_code": _l("Audit template"), "can_read_raw": _l("May read raw data"), "closes_at": _l("Closes"),
    "code": _l("Code"), "codes_only": _l("Answer codes only"), "criteria": _l("Criteria"),
    "description": _l("Description"), "due_on": _l("Due"), "email": _l("Email"),
    "expires_in_days": _l("Expires after (days)"), "headcount": _l("Staff"), "help": _l("Help text"),
    "highlight": _l("Highlighted"), "intro": _l("Introduction"), "items": _l("Questions"), "key": _l("Key item"),
    "kind": _l("Kind"), "languages": _l("Languages"), "level": _l("Level"), "max_length": _l("Maximum length"),
    "min_group": _l("Anonymity threshold"), "name": _l("Name"), "note": _l("Note text"), "opens_at": _l("Opens"),
    "parent_code": _l("Placed under"), "parent_id": _l("Placed under"), "position": _l("Position"),
    "questionnaire_id": _l("Questionnaire"), "required": _l("Required"), "responsible": _l("Responsible"),
    "reverse": _l("Reversed"), "revoked_at": _l("Revoked"), "role": _l("Role"), "round": _l("Round"),
    "rule": _l("Rule"), "sample_size": _l("Samples"), "scale": _l("Answer scale"), "scope": _l("User"),
    "set_on": _l("Set on"), "starts_on": _l("Starts"), "status": _l("Status"), "target": _l("Target"),
    "text": _l("Text"), "title": _l("Title"), "unit": _l("Unit"), "units": _l("Units"), "version": _l("Version"),
    "dimension": _l("Dimension"),
}

#: Stored values that are words of the product: an intervention's status, a role, a unit's level.
VALUES = {
    "status": {"planlagt": _l("Planned"), "i_gang": _l("In progress"), "implementeret": _l("Implemented"),
               "opgivet": _l("Abandoned")},
    "role": {"admin": _l("Administrator"), "coordinator": _l("Coordinator"), "auditor": _l("Auditor"),
             "viewer": _l("Viewer")},
    "level": {"sygehus": _l("Hospital"), "afdeling": _l("Department"), "afsnit": _l("Ward")},
    "audience": {"staff": _l("Staff"), "patient": _l("Patients")},
    "kind": {"interview": _l("Ask staff"), "record": _l("Look at records")},
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def action_text(action: str) -> str:
    """What an entry did, in words; an action this module does not know is shown as it was stored."""
    words = ACTIONS.get(action)
    return str(words) if words is not None else action


def target_text(target_type: str) -> str:
    """What kind of thing an entry changed, in words ("Runde" for survey_round)."""
    words = TARGETS.get(target_type)
    return str(words) if words is not None else target_type


def value_text(field: str, value, items: dict[str, str] | None = None) -> str:
    """A stored value as a reader says it: a status in words, yes/no, a date in the tables' style, a question
    by its text (`items`: item code -> text)."""
    if value is None or value == "" or value == []:
        return "–"
    if field == "items" and isinstance(value, list):
        return "; ".join((items or {}).get(code, code) for code in value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field == "target" and isinstance(value, float) and value <= 1:
        return percent(value * 100, 0)
    if isinstance(value, str) and field in VALUES:
        return str(VALUES[field].get(value, value))
    if isinstance(value, str) and field.endswith(("_at", "_on")):
        return _moment(value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value_text(key, inner)}" for key, inner in value.items())
    if isinstance(value, list):
        return ", ".join(value_text(field, inner) for inner in value)
    return str(value)


def _moment(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return date_time(moment) if "T" in text else medium_date(moment.date())


def changes_text(changes: list[tuple[str, object, object]], items: dict[str, str] | None = None) -> list[Change]:
    """The changed fields of an entry ((field, before, after) from `changelog.changes`) in words; a field that
    reads the same before and after (empty on both sides, as on a new object) says nothing and is left out."""
    lines = [Change(str(FIELDS.get(name, name)), value_text(name, before, items), value_text(name, after, items))
             for name, before, after in changes]
    return [line for line in lines if line.before != line.after]


def item_texts(entries) -> dict[str, str]:
    """The text of every question an entry names by code (an intervention's items), in the page's language."""
    codes = {code for entry in entries for side in (entry.before or {}, entry.after or {})
             for code in (side.get("items") or []) if isinstance(code, str)}
    if not codes:
        return {}
    lang = get_locale().language if get_locale() else "da"
    texts = {}
    for code, text in db.session.execute(select(Item.code, Item.text).where(Item.code.in_(codes))):
        texts.setdefault(code, (text or {}).get(lang) or (text or {}).get("da") or code)
    return texts


@dataclass(frozen=True)
class EntryText:
    entry: object
    action: str
    target: str
    changes: list[Change]


def entries_text(entries, changes_of) -> list[EntryText]:
    """The change log page's rows: each entry with its action, its target and its changes in words."""
    items = item_texts(entries)
    return [EntryText(entry, action_text(entry.action), target_text(entry.target_type),
                      changes_text(changes_of(entry.before, entry.after), items)) for entry in entries]
