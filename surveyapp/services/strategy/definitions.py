"""The strategy's indicators: the built-in definitions, those an admin adds, and the ones computed here.

Imported indicators are rows (`Indicator`); the UTH indicators come from DPSD cases and the root-cause analysis
actions from the action plans, so they are computed and have fixed codes.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Indicator, User
from ..admin.changelog import record, snapshot

logger = logging.getLogger(__name__)

#: The strategy's own indicators from report extracts (names as the strategy writes them, in Danish).
BUILTIN = (
    {"code": "dok_vaeskeindgift", "name": "Dokumentation af væskeindgift", "kind": "share", "area": "faste",
     "level": "afsnit", "target": 0.9},
    {"code": "dok_medicinindgift", "name": "Dokumentation af medicinindgift", "kind": "share", "area": "faste",
     "level": "afsnit", "target": 0.9},
    {"code": "dok_ews", "name": "Dokumentation af EWS", "kind": "share", "area": "faste", "level": "afsnit",
     "target": 0.9},
    {"code": "dok_behandlingsniveau", "name": "Dokumenteret behandlingsniveau", "kind": "share", "area": "faste",
     "level": "afsnit", "target": 0.9},
    {"code": "behandlingsplan_96t", "name": "Behandlingsplan med kontaktoplysninger ved 96-timers behandlingsansvar",
     "kind": "share", "area": "sektor", "level": "afsnit", "target": 0.9},
    {"code": "fb_ledere_uddannet", "name": "FB: ledere uddannet i fælles beslutningstagning", "kind": "milestone",
     "area": "fb", "level": "afdeling", "due_on": date(2026, 12, 31)},
    {"code": "fb_tovholdere", "name": "FB: lokale tovholdere uddannet", "kind": "milestone", "area": "fb",
     "level": "afdeling", "due_on": date(2026, 12, 31)},
    {"code": "fb_uddannelsesplan", "name": "FB: uddannelsesplan lagt", "kind": "milestone", "area": "fb",
     "level": "afdeling", "due_on": date(2026, 12, 31)},
    {"code": "fb_implementeret", "name": "FB: afdelingen implementerer fælles beslutningstagning",
     "kind": "milestone", "area": "fb", "level": "afdeling", "due_on": date(2026, 12, 31)},
)
CODE = re.compile(r"^[a-z0-9_]{2,60}$")


@dataclass(frozen=True)
class Computed:
    """An indicator computed from the app's own data (DPSD cases, action plans)."""

    code: str
    name: object  # a lazy string: translated where it is shown
    kind: str
    area: str
    target: float | None
    direction: str
    source: str


COMPUTED = (
    Computed("uth_reported", _l("Reported adverse events (UTH)"), "count", "kultur", None, "up", "dpsd"),
    Computed("uth_closed_90d", _l("Adverse events closed within 90 days"), "share", "uth", 0.95, "up", "dpsd"),
    Computed("uth_median_days", _l("Median days to closure"), "count", "uth", None, "down", "dpsd"),
    Computed("rca_on_time", _l("Root-cause analysis actions done on time"), "share", "uth", 0.9, "up", "plans"),
)


class IndicatorError(ValueError):
    """An indicator cannot be defined as asked; `code` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def install_builtin() -> int:
    """Add the built-in definitions that are missing (safe to run again); returns how many were added."""
    have = set(db.session.scalars(select(Indicator.code)))
    added = [Indicator(builtin=True, direction="up", **spec) for spec in BUILTIN if spec["code"] not in have]
    db.session.add_all(added)
    db.session.flush()
    return len(added)


def indicators() -> list[Indicator]:
    """Every defined indicator, by strategy area and name."""
    return list(db.session.scalars(select(Indicator).order_by(Indicator.area, Indicator.name)))


def find(code: str) -> Indicator | None:
    return db.session.scalar(select(Indicator).where(Indicator.code == code))


def define(data: dict, actor: User) -> Indicator:
    """A new indicator from the admin's form; the code must be new and of a-z, 0-9 and _."""
    code = data["code"].strip()
    if not CODE.match(code) or any(code == c.code for c in COMPUTED):
        raise IndicatorError("code")
    if find(code) is not None:
        raise IndicatorError("taken")
    kind = data["kind"]
    indicator = Indicator(code=code, name=data["name"].strip(), kind=kind, area=data["area"], level=data["level"],
                          direction=data.get("direction") or "up",
                          target=data.get("target") if kind == "share" else None,
                          due_on=data.get("due_on") if kind == "milestone" else None, builtin=False)
    db.session.add(indicator)
    db.session.flush()
    record(actor, "indicator.create", indicator,
           after=snapshot(indicator, ("code", "name", "kind", "area", "level", "target", "direction", "due_on")))
    logger.info("indicator %s defined by %s", code, actor.id)
    return indicator


def api_definitions() -> list[dict]:
    """Every indicator as the API lists it: the computed ones first, then the imported ones."""
    computed = [{"indicator": c.code, "name": str(c.name), "kind": c.kind, "area": c.area, "level": "afsnit",
                 "target": c.target, "direction": c.direction, "due_on": None, "source": c.source} for c in COMPUTED]
    return computed + [{"indicator": i.code, "name": i.name, "kind": i.kind, "area": i.area, "level": i.level,
                        "target": i.target, "direction": i.direction,
                        "due_on": i.due_on.isoformat() if i.due_on else None, "source": "import"}
                       for i in indicators()]
