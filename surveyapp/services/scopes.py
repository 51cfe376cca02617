"""Which units a user may see: the units they are given and everything below them."""
from collections import defaultdict

from sqlalchemy import select

from ..extensions import db
from ..models import Unit, User


def descendants(children: dict[int | None, list[int]], roots: list[int]) -> set[int]:
    """All ids below and including roots, given a parent id -> child ids map."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        stack.extend(children.get(unit_id, ()))
    return seen


def child_map() -> dict[int | None, list[int]]:
    """parent id -> child ids, for the whole organisation in one query."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in db.session.execute(select(Unit.id, Unit.parent_id)):
        children[parent_id].append(unit_id)
    return children


def visible_unit_ids(user: User) -> set[int] | None:
    """The ids of the units `user` may see; None means every unit (admins)."""
    if user.is_admin:
        return None
    return descendants(child_map(), [unit.id for unit in user.units])


def can_see(user: User, unit_id: int) -> bool:
    """Whether `user` may see the unit with this id."""
    visible = visible_unit_ids(user)
    return visible is None or unit_id in visible
