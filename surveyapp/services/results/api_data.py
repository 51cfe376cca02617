"""The JSON API's resources as plain dicts, with exactly the field names the API documents."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from ...extensions import db
from ...models import AnswerScale, Item, Questionnaire, Round, Unit, round_units
from ...scoring import decoded_options
from .raw import RawResponse


def units(visible: set[int] | None) -> list[dict]:
    """The units the reader may see: code, name, level, parent_code, headcount; hospitals first."""
    parent = aliased(Unit)
    query = (select(Unit.id, Unit.code, Unit.name, Unit.level, parent.code, Unit.headcount)
             .outerjoin(parent, parent.id == Unit.parent_id)
             .order_by(Unit.level != "sygehus", Unit.level != "afdeling", Unit.code))
    if visible is not None:
        query = query.where(Unit.id.in_(visible))
    return [{"code": code, "name": name, "level": level, "parent_code": parent_code, "headcount": headcount}
            for _id, code, name, level, parent_code, headcount in db.session.execute(query)]


def _options(item: Item, lang: str) -> list[dict]:
    if item.scale is None:
        return []
    options = item.scale.options
    positive = decoded_options([(o.value, o.positive, o.not_applicable) for o in options],
                               item.reverse and item.kind == "scale")
    return [{"value": o.value, "label": o.text(lang), "positive": positive[o.value],
             "not_applicable": o.not_applicable} for o in options]


def questionnaire(code: str, version: int | None, lang: str) -> dict | None:
    """A questionnaire (its latest version unless one is given) with its items; texts in `lang`."""
    query = (select(Questionnaire).where(Questionnaire.code == code)
             .options(selectinload(Questionnaire.items).selectinload(Item.scale)
                      .selectinload(AnswerScale.options))
             .order_by(Questionnaire.version.desc()).limit(1))
    if version is not None:
        query = query.where(Questionnaire.version == version)
    found = db.session.scalar(query)
    if found is None:
        return None
    return {
        "code": found.code, "version": found.version, "audience": found.audience, "title": found.text(lang),
        # Per item the scale's options with `positive` as scored (mirrored for a reversed item), so a BI tool
        # decodes a raw value without knowing the reversal rule.
        "languages": list(found.languages),
        "items": [{"code": item.code, "text": item.label(lang), "kind": item.kind, "dimension": item.dimension,
                   "key": item.key, "reverse": item.reverse,
                   "positive_values": item.scale.positive_values if item.scale is not None else [],
                   "options": _options(item, lang)}
                  for item in found.items],
    }


def rounds(visible: set[int] | None) -> list[dict]:
    """The rounds touching the reader's units, newest first; target as a fraction (0.8)."""
    query = (select(Round, Questionnaire.code, Questionnaire.audience)
             .join(Questionnaire, Questionnaire.id == Round.questionnaire_id)
             .order_by(Round.opens_at.desc(), Round.id.desc()))
    if visible is not None:
        query = query.where(Round.id.in_(select(round_units.c.round_id).where(round_units.c.unit_id.in_(visible))))
    return [{"id": round_.id, "name": round_.name, "questionnaire": code, "audience": audience,
             "opens_at": round_.opens_at, "closes_at": round_.closes_at, "target": round_.target,
             "min_group": round_.min_group, "source": round_.source}
            for round_, code, audience in db.session.execute(query)]


def response_dict(response: RawResponse) -> dict:
    """An anonymised response: id (a pseudonym), unit_code, language and answers (item code -> value or null)."""
    return {"id": response.response_id, "unit_code": response.unit_code, "language": response.language,
            "answers": response.answers}
