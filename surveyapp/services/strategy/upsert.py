"""Writing imported rows by their natural key: new ones inserted in one executemany, changed ones updated by
primary key in one bulk update, unchanged ones left alone. Shared by the DPSD and the indicator imports."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ...extensions import db


@dataclass
class Changes:
    #: Values of the rows to insert (their key included).
    new: list[dict] = field(default_factory=list)
    #: Values of the rows to update, each with the stored row's "id".
    changed: list[dict] = field(default_factory=list)
    unchanged: int = 0


def changes(rows: Iterable, existing: dict, key: Callable, values: Callable[[object], dict],
            stored: Callable[[object], dict]) -> Changes:
    """Sort rows into new, changed and unchanged against `existing` (key -> stored row with an `id`)."""
    found = Changes()
    for row in rows:
        old, wanted = existing.get(key(row)), values(row)
        if old is None:
            found.new.append(wanted)
        elif {name: wanted[name] for name in stored(old)} == stored(old):
            found.unchanged += 1
        else:
            found.changed.append({"id": old.id, **wanted})
    return found


def write(model, found: Changes, extra: dict | None = None) -> tuple[int, int]:
    """Insert the new rows (a Core executemany: no ORM bookkeeping per row) and update the changed ones."""
    from sqlalchemy import update

    extra = extra or {}
    if found.new:
        db.session.execute(model.__table__.insert(), [{**row, **extra} for row in found.new])
    if found.changed:
        db.session.execute(update(model), [{**row, **extra} for row in found.changed])
    db.session.flush()
    return len(found.new), len(found.changed)
