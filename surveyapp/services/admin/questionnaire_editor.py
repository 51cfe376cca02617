"""Editing questionnaires in the browser, version by version.

A version that a round has used is frozen: nothing in it changes, so the round's numbers keep their
meaning. Editing it means making a new version, a copy with the same item codes, so results compare
between rounds per item code.
"""

import yaml
from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import AnswerScale, Item, Questionnaire, Round, ScaleOption, User
from ..questionnaires import QuestionnaireError, build, find, install, to_data, validate
from . import changelog


class EditorError(ValueError):
    """An edit is not possible; the message says why (translated)."""


def is_frozen(questionnaire: Questionnaire) -> bool:
    """Whether a round uses this version."""
    return bool(db.session.scalar(select(exists().where(Round.questionnaire_id == questionnaire.id))))


def _editable(questionnaire: Questionnaire) -> None:
    if is_frozen(questionnaire):
        raise EditorError(_("This version is used by a round and cannot change. Make a new version to edit it."))


def problems(questionnaire: Questionnaire) -> list[str]:
    """What keeps this version from being complete (empty when it can be used in a round)."""
    try:
        validate(to_data(questionnaire))
    except QuestionnaireError as exc:
        return exc.errors
    return []


def versions() -> list[tuple[Questionnaire, int]]:
    """Every questionnaire version with the number of rounds using it, by code and newest version first."""
    counts = dict(db.session.execute(select(Round.questionnaire_id, func.count()).group_by(Round.questionnaire_id)).all())
    rows = db.session.scalars(select(Questionnaire).options(selectinload(Questionnaire.items))
                              .order_by(Questionnaire.code, Questionnaire.version.desc()))
    return [(q, counts.get(q.id, 0)) for q in rows]


def usable_ids() -> set[int]:
    """The versions a new round may use: complete ones."""
    return {q.id for q, _n in versions() if q.items and not problems(q)}


def _meta(q: Questionnaire) -> dict:
    return {"code": q.code, "version": q.version, "audience": q.audience, "title": q.title, "intro": q.intro,
            "languages": q.languages}


def create(actor: User, code: str, audience: str, languages: list[str], title: dict, intro: dict) -> Questionnaire:
    """A new, empty questionnaire (version 1); raises EditorError if the code is taken."""
    if find(code) is not None:
        raise EditorError(_("A questionnaire with the code %(code)s exists; make a new version of it instead.",
                            code=code))
    questionnaire = Questionnaire(code=code, version=1, audience=audience, languages=languages, title=title,
                                  intro=intro, unreviewed_languages=[])
    db.session.add(questionnaire)
    db.session.flush()
    changelog.record(actor, "questionnaire.create", questionnaire, None, _meta(questionnaire))
    return questionnaire


def update_meta(actor: User, questionnaire: Questionnaire, title: dict, intro: dict, languages: list[str]) -> None:
    """Change title, introduction and languages of an unfrozen version."""
    _editable(questionnaire)
    before = _meta(questionnaire)
    questionnaire.title, questionnaire.intro, questionnaire.languages = title, intro, languages
    questionnaire.unreviewed_languages = [lang for lang in questionnaire.unreviewed_languages or []
                                          if lang in languages]
    db.session.flush()
    changelog.record(actor, "questionnaire.update", questionnaire, before, _meta(questionnaire))


def new_version(actor: User, questionnaire: Questionnaire) -> Questionnaire:
    """A copy as the next version of the code, with the same item codes; editable until a round uses it."""
    data = to_data(questionnaire)
    data["version"] = (db.session.scalar(select(func.max(Questionnaire.version))
                                         .where(Questionnaire.code == questionnaire.code)) or 0) + 1
    copy = _build_unvalidated(data)
    db.session.add(copy)
    db.session.flush()
    changelog.record(actor, "questionnaire.new_version", copy, {"version": questionnaire.version},
                 {"version": copy.version})
    return copy


def _build_unvalidated(data: dict) -> Questionnaire:
    """build() for a draft that may not validate yet (a copy of an incomplete version)."""
    try:
        return build(data)
    except QuestionnaireError:
        pass
    questionnaire = Questionnaire(code=data["code"], version=data["version"], audience=data["audience"],
                                  title=data["title"], intro=data["intro"], languages=data["languages"],
                                  unreviewed_languages=data["unreviewed_languages"])
    scales = {code: AnswerScale(code=code, options=[
        ScaleOption(position=n, value=o["value"], label=o["label"], positive=bool(o.get("positive")),
                    not_applicable=bool(o.get("not_applicable"))) for n, o in enumerate(options)])
        for code, options in data["scales"].items()}
    questionnaire.scales = list(scales.values())
    questionnaire.items = [
        Item(code=i["code"], position=n, kind=i["kind"], dimension=i.get("dimension"), scale=scales.get(i.get("scale")),
             reverse=bool(i.get("reverse")), key=bool(i.get("key")), required=bool(i.get("required")),
             max_length=i.get("max_length"), text=i["text"], help=i.get("help") or {})
        for n, i in enumerate(data["items"])]
    return questionnaire


def _item_state(item: Item) -> dict:
    return {"code": item.code, "position": item.position, "kind": item.kind, "dimension": item.dimension,
            "scale": item.scale.code if item.scale else None, "reverse": item.reverse, "key": item.key,
            "required": item.required, "max_length": item.max_length, "text": item.text, "help": item.help}


def save_item(actor: User, questionnaire: Questionnaire, item: Item | None, *, code: str, kind: str,
              dimension: str | None, scale: AnswerScale | None, reverse: bool, key: bool, required: bool,
              max_length: int | None, text: dict, help: dict) -> Item:
    """Add an item at the end, or change one; raises EditorError on a frozen version or a bad combination."""
    _editable(questionnaire)
    taken = {i.code for i in questionnaire.items if i is not item}
    if code in taken:
        raise EditorError(_("The item code %(code)s is already used in this questionnaire.", code=code))
    if kind == "text":
        scale, key, reverse = None, False, False
    elif scale is None or scale.questionnaire_id != questionnaire.id:
        raise EditorError(_("Choose an answer scale for a scale or choice item."))
    if key and kind != "scale":
        raise EditorError(_("Only a scale item can be a key item."))
    before = _item_state(item) if item is not None else None
    if item is None:
        position = max((i.position for i in questionnaire.items), default=-1) + 1
        item = Item(questionnaire=questionnaire, position=position, code=code, kind=kind, text=text)
        db.session.add(item)
    item.code, item.kind, item.dimension, item.scale = code, kind, dimension or None, scale
    item.reverse, item.key, item.required = reverse, key, required
    item.max_length = max_length if kind == "text" else None
    item.text, item.help = text, {k: v for k, v in help.items() if v}
    db.session.flush()
    changelog.record(actor, "questionnaire.item_" + ("update" if before else "create"), questionnaire, before,
                 _item_state(item))
    return item


def move_item(actor: User, questionnaire: Questionnaire, item: Item, step: int) -> None:
    """Move an item one place up (-1) or down (+1)."""
    _editable(questionnaire)
    items = sorted(questionnaire.items, key=lambda i: i.position)
    index = items.index(item)
    other_index = index + step
    if not 0 <= other_index < len(items):
        return
    other = items[other_index]
    # Positions are unique per questionnaire: park one item while the other takes its place.
    mine, theirs = item.position, other.position
    item.position = -1 - mine
    db.session.flush()
    other.position = mine
    db.session.flush()
    item.position = theirs
    db.session.flush()
    changelog.record(actor, "questionnaire.item_move", questionnaire, {"code": item.code, "position": mine},
                 {"code": item.code, "position": theirs})


def delete_item(actor: User, questionnaire: Questionnaire, item: Item) -> None:
    """Remove an item from an unfrozen version (no answers can refer to it)."""
    _editable(questionnaire)
    changelog.record(actor, "questionnaire.item_delete", questionnaire, _item_state(item), None)
    questionnaire.items.remove(item)
    db.session.flush()


def _scale_state(scale: AnswerScale) -> dict:
    return {"code": scale.code, "options": [{"value": o.value, "label": o.label, "positive": o.positive,
                                             "not_applicable": o.not_applicable} for o in scale.options]}


def save_scale(actor: User, questionnaire: Questionnaire, scale: AnswerScale | None, code: str,
               options: list[dict]) -> AnswerScale:
    """Add or replace an answer scale; options are dicts of value, label, positive, not_applicable."""
    _editable(questionnaire)
    if code in {s.code for s in questionnaire.scales if s is not scale}:
        raise EditorError(_("The scale code %(code)s is already used in this questionnaire.", code=code))
    values = [o["value"] for o in options]
    if len(options) < 2:
        raise EditorError(_("A scale needs at least two options."))
    if len(set(values)) != len(values):
        raise EditorError(_("Each option needs its own value."))
    if sum(bool(o["not_applicable"]) for o in options) > 1:
        raise EditorError(_("A scale can have at most one not-applicable option."))
    if any(o["positive"] and o["not_applicable"] for o in options):
        raise EditorError(_("An option cannot be both positive and not applicable."))
    before = _scale_state(scale) if scale is not None else None
    if scale is None:
        scale = AnswerScale(questionnaire=questionnaire, code=code)
        db.session.add(scale)
    scale.code = code
    scale.options.clear()
    db.session.flush()
    scale.options.extend(ScaleOption(position=n, value=o["value"], label=o["label"], positive=o["positive"],
                                     not_applicable=o["not_applicable"]) for n, o in enumerate(options))
    db.session.flush()
    changelog.record(actor, "questionnaire.scale_" + ("update" if before else "create"), questionnaire, before,
                 _scale_state(scale))
    return scale


def import_data(actor: User, data) -> Questionnaire:
    """Install a questionnaire file's data as a new version; raises QuestionnaireError listing every problem."""
    validate(data)
    questionnaire, added = install(data)
    if not added:
        raise QuestionnaireError([_("Version %(version)s of %(code)s exists already; give the file a new version "
                                    "number.", version=data.get("version", 1), code=data["code"])])
    changelog.record(actor, "questionnaire.import", questionnaire, None, _meta(questionnaire))
    return questionnaire


def parse_upload(raw: bytes, filename: str) -> dict:
    """A YAML or JSON upload as data; raises QuestionnaireError when it cannot be read."""
    try:
        return yaml.safe_load(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise QuestionnaireError([_("%(name)s cannot be read: %(reason)s", name=filename, reason=str(exc))]) from exc


def export_yaml(questionnaire: Questionnaire) -> str:
    """The version in the built-in file format, ready to import elsewhere."""
    return yaml.safe_dump(to_data(questionnaire), allow_unicode=True, sort_keys=False, width=120)
