"""The change log ("Ændringslog"): every administrative change, who made it, when, and the state before and after."""
import logging
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import ChangeLogEntry, User

logger = logging.getLogger(__name__)


def _plain(value):
    """A JSON-safe copy: dates as ISO text, sets and tuples as sorted lists."""
    if isinstance(value, (datetime, date)):
        return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(_plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """The named attributes of obj as a JSON-safe dict, for `before` and `after`."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def _label(target) -> str:
    for attr in ("code", "email", "name"):
        value = getattr(target, attr, None)
        if value:
            return str(value)[:200]
    return ""


def record(actor: User | None, action: str, target, before: dict | None = None,
           after: dict | None = None) -> ChangeLogEntry:
    """Add an audit entry for a change to `target` (a model object, flushed so it has an id)."""
    if getattr(target, "id", None) is None:
        db.session.flush()
    entry = ChangeLogEntry(
        actor_id=actor.id if actor is not None else None,
        actor_email=actor.email if actor is not None else None,
        action=action,
        target_type=getattr(target, "__tablename__", type(target).__name__.lower()),
        target_id=getattr(target, "id", None),
        target_label=_label(target),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    logger.info("%s on %s %s by %s", action, entry.target_type, entry.target_id,
                actor.id if actor is not None else "command line")
    return entry


def changes(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field that differs; for showing an entry."""
    before, after = before or {}, after or {}
    return [(key, before.get(key), after.get(key)) for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key)]


def entries(page: int = 1, per_page: int = 50, target_type: str | None = None,
            target_id: int | None = None) -> tuple[list[ChangeLogEntry], bool]:
    """A page of entries, newest first, optionally for one target; and whether there is a next page."""
    query = select(ChangeLogEntry).options(joinedload(ChangeLogEntry.actor)).order_by(ChangeLogEntry.id.desc())
    if target_type:
        query = query.where(ChangeLogEntry.target_type == target_type)
    if target_id is not None:
        query = query.where(ChangeLogEntry.target_id == target_id)
    rows = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page
