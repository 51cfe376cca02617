"""Questionnaires as data files: validate, build models, and write them back out.

The file format (YAML or JSON) is the one of surveyapp/questionnaires/*.yaml: code, version, audience,
languages, unreviewed_languages, title, intro, scales (code -> options) and items.
"""
import logging
from pathlib import Path

import yaml
from sqlalchemy import select

from ..extensions import db
from ..models import AUDIENCES, ITEM_KINDS, AnswerScale, Item, Questionnaire, ScaleOption

logger = logging.getLogger(__name__)
BUILTIN_DIR = Path(__file__).resolve().parent.parent / "questionnaires"


class QuestionnaireError(ValueError):
    """A questionnaire file is not valid; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _texts(value, where: str, languages: list[str], errors: list[str], required: bool = True) -> dict:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        errors.append(f"{where}: expected a text per language, e.g. {{da: ..., en: ...}}")
        return {}
    missing = [lang for lang in languages if not str(value.get(lang) or "").strip()]
    if missing and (required or value):
        errors.append(f"{where}: missing text in {', '.join(missing)}")
    return {str(k): str(v) for k, v in value.items()}


def _validate_scales(data: dict, languages: list[str], errors: list[str]) -> dict:
    scales = data.get("scales") or {}
    if not isinstance(scales, dict):
        errors.append("scales: expected a mapping of scale code -> options")
        return {}
    for code, options in scales.items():
        if not isinstance(options, list) or len(options) < 2:
            errors.append(f"scales.{code}: expected a list of at least two options")
            continue
        values = [option.get("value") if isinstance(option, dict) else None for option in options]
        if any(not isinstance(v, int) or isinstance(v, bool) for v in values):
            errors.append(f"scales.{code}: every option needs a whole-number value")
        elif len(set(values)) != len(values):
            errors.append(f"scales.{code}: option values must be unique")
        for position, option in enumerate(options):
            if isinstance(option, dict):
                _texts(option.get("label"), f"scales.{code}[{position}].label", languages, errors)
                if option.get("positive") and option.get("not_applicable"):
                    errors.append(f"scales.{code}[{position}]: an option cannot be both positive and not applicable")
        if sum(bool(isinstance(o, dict) and o.get("not_applicable")) for o in options) > 1:
            errors.append(f"scales.{code}: at most one not-applicable option")
    return scales


def _validate_items(data: dict, scales: dict, languages: list[str], errors: list[str]) -> list:
    items = data.get("items")
    if not isinstance(items, list) or not items:
        errors.append("items: expected a list of at least one item")
        return []
    seen: set[str] = set()
    for position, item in enumerate(items):
        where = f"items[{position}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: expected a mapping")
            continue
        code = str(item.get("code") or "")
        where = f"items[{position}] ({code or 'no code'})"
        if not code:
            errors.append(f"{where}: missing code")
        elif code in seen:
            errors.append(f"{where}: the code {code} is used twice")
        seen.add(code)
        kind = item.get("kind", "scale")
        if kind not in ITEM_KINDS:
            errors.append(f"{where}: kind must be one of {', '.join(ITEM_KINDS)}")
        if kind == "text":
            if item.get("scale"):
                errors.append(f"{where}: a text item has no scale")
            if item.get("key"):
                errors.append(f"{where}: a text item cannot be a key item")
        elif item.get("scale") not in scales:
            errors.append(f"{where}: unknown scale {item.get('scale')!r}")
        if item.get("key") and kind != "scale":
            errors.append(f"{where}: only a scale item can be a key item")
        max_length = item.get("max_length")
        if max_length is not None and (not isinstance(max_length, int) or max_length <= 0):
            errors.append(f"{where}: max_length must be a positive whole number")
        _texts(item.get("text"), f"{where}.text", languages, errors)
        _texts(item.get("help"), f"{where}.help", languages, errors, required=False)
    return items


def validate(data) -> None:
    """Raise QuestionnaireError listing every problem with a questionnaire's data."""
    errors: list[str] = []
    if not isinstance(data, dict):
        raise QuestionnaireError(["the file must hold a mapping (code, version, audience, ...)"])
    if not str(data.get("code") or "").strip():
        errors.append("code: missing")
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        errors.append("version: must be a whole number from 1")
    if data.get("audience") not in AUDIENCES:
        errors.append(f"audience: must be one of {', '.join(AUDIENCES)}")
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
        errors.append("languages: expected a list such as [da, en]")
        languages = ["da"]
    unreviewed = data.get("unreviewed_languages") or []
    if not isinstance(unreviewed, list) or any(lang not in languages for lang in unreviewed):
        errors.append("unreviewed_languages: expected a list of languages taken from languages")
    _texts(data.get("title"), "title", languages, errors)
    _texts(data.get("intro"), "intro", languages, errors, required=False)
    scales = _validate_scales(data, languages, errors)
    _validate_items(data, scales, languages, errors)
    if errors:
        raise QuestionnaireError(errors)


def build(data: dict) -> Questionnaire:
    """A new (unsaved) Questionnaire from validated data."""
    validate(data)
    questionnaire = Questionnaire(
        code=data["code"], version=data.get("version", 1), audience=data["audience"],
        title=dict(data["title"]), intro=dict(data.get("intro") or {}), languages=list(data["languages"]),
        unreviewed_languages=list(data.get("unreviewed_languages") or []),
    )
    scales = {}
    for code, options in (data.get("scales") or {}).items():
        scale = AnswerScale(code=code)
        scale.options = [
            ScaleOption(position=position, value=o["value"], label=dict(o["label"]),
                        positive=bool(o.get("positive")), not_applicable=bool(o.get("not_applicable")))
            for position, o in enumerate(options)
        ]
        scales[code] = scale
    questionnaire.scales = list(scales.values())
    questionnaire.items = [
        Item(code=str(i["code"]), position=position, kind=i.get("kind", "scale"), dimension=i.get("dimension"),
             scale=scales.get(i.get("scale")), reverse=bool(i.get("reverse")), key=bool(i.get("key")),
             required=bool(i.get("required")), max_length=i.get("max_length"), text=dict(i["text"]),
             help=dict(i.get("help") or {}))
        for position, i in enumerate(data["items"])
    ]
    return questionnaire


def to_data(questionnaire: Questionnaire) -> dict:
    """The questionnaire in the file format; build(to_data(q)) gives the same questionnaire."""
    def option(o: ScaleOption) -> dict:
        out = {"value": o.value}
        if o.positive:
            out["positive"] = True
        if o.not_applicable:
            out["not_applicable"] = True
        out["label"] = dict(o.label)
        return out

    def item(i: Item) -> dict:
        out = {"code": i.code, "kind": i.kind}
        if i.scale is not None:
            out["scale"] = i.scale.code
        for attr in ("dimension", "max_length"):
            if getattr(i, attr) is not None:
                out[attr] = getattr(i, attr)
        for attr in ("key", "required", "reverse"):
            if getattr(i, attr):
                out[attr] = True
        out["text"] = dict(i.text)
        if i.help:
            out["help"] = dict(i.help)
        return out

    return {
        "code": questionnaire.code,
        "version": questionnaire.version,
        "audience": questionnaire.audience,
        "languages": list(questionnaire.languages),
        "unreviewed_languages": list(questionnaire.unreviewed_languages or []),
        "title": dict(questionnaire.title),
        "intro": dict(questionnaire.intro or {}),
        "scales": {s.code: [option(o) for o in s.options] for s in questionnaire.scales},
        "items": [item(i) for i in questionnaire.items],
    }


def read_file(path: Path) -> dict:
    """Parse a YAML or JSON questionnaire file (JSON is YAML); raise QuestionnaireError if unreadable."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise QuestionnaireError([f"{Path(path).name}: cannot be read: {exc}"]) from exc


def find(code: str, version: int | None = None) -> Questionnaire | None:
    """A questionnaire by code: the given version, else the newest."""
    query = select(Questionnaire).where(Questionnaire.code == code)
    if version is not None:
        query = query.where(Questionnaire.version == version)
    return db.session.scalar(query.order_by(Questionnaire.version.desc()).limit(1))


def install(data: dict, builtin: bool = False) -> tuple[Questionnaire, bool]:
    """Add a questionnaire version unless that code and version exist; returns (it, whether it was added)."""
    validate(data)
    existing = find(data["code"], data.get("version", 1))
    if existing is not None:
        return existing, False
    questionnaire = build(data)
    questionnaire.builtin = builtin
    db.session.add(questionnaire)
    db.session.flush()
    logger.info("questionnaire %s v%s installed", questionnaire.code, questionnaire.version)
    return questionnaire, True


def install_builtin() -> list[tuple[Questionnaire, bool]]:
    """Install every built-in questionnaire version that is not there yet."""
    files = sorted(BUILTIN_DIR.glob("*.yaml")) + sorted(BUILTIN_DIR.glob("*.json"))
    return [install(read_file(path), builtin=True) for path in files]
