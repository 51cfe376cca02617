"""Matching a read SurveyXact export to a questionnaire's items and the organisation's afsnit; pure."""
import csv
import io
from dataclasses import dataclass, field

from ..privacy import contains_cpr
from .reader import COMPLETE_STATUS, N_, Error, Export, as_code as _code, normalise

MAPPING_KINDS = ("item", "value", "unit")
#: A mapping target that leaves a question out, or maps a label to "not applicable" / unanswered.
SKIP, NOT_APPLICABLE, BLANK = "-", "na", "blank"


@dataclass(frozen=True)
class OptionTarget:
    value: int
    label: str
    not_applicable: bool = False


@dataclass(frozen=True)
class ItemTarget:
    """An item of the questionnaire to import into: its Danish text and, for scale/choice items, its options."""

    code: str
    text: str
    kind: str  # "scale", "choice" or "text"
    options: tuple[OptionTarget, ...] = ()
    max_length: int | None = None


@dataclass(frozen=True)
class Mapping:
    """Overrides from a `kind,source,target` CSV."""

    items: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    item_code: str
    value: int | None = None
    not_applicable: bool = False
    text: str | None = None


@dataclass(frozen=True)
class Respondent:
    row: int
    unit_code: str
    answers: tuple[Answer, ...]


@dataclass
class Plan:
    """The matching and what an import would write; `ok` only without errors."""

    checksum: str
    #: (variable, item code, how: "text" or "mapping"), in dataset order.
    matched: list[tuple[str, str, str]] = field(default_factory=list)
    #: (variable, question text) of questions left out.
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    #: (source value, afsnit code, how: "code", "name" or "mapping").
    units: list[tuple[str, str, str]] = field(default_factory=list)
    respondents: list[Respondent] = field(default_factory=list)
    not_complete: int = 0
    no_answers: int = 0
    errors: list[Error] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def per_unit(self) -> dict[str, int]:
        """Respondents to import per afsnit code."""
        counts: dict[str, int] = {}
        for respondent in self.respondents:
            counts[respondent.unit_code] = counts.get(respondent.unit_code, 0) + 1
        return dict(sorted(counts.items()))

def read_mapping(text: str) -> tuple[Mapping, list[Error]]:
    """A mapping CSV (`kind,source,target`, kinds item/value/unit) and its errors, each with its line."""
    mapping, errors = Mapping(), []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if [h.strip() for h in header or []] != ["kind", "source", "target"]:
        return mapping, [Error("mapping", 1, N_("expected the header kind,source,target"))]
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            errors.append(Error("mapping", number, N_("expected three columns: kind,source,target")))
            continue
        kind, source, target = (cell.strip() for cell in row)
        if kind not in MAPPING_KINDS:
            errors.append(Error("mapping", number, N_('unknown kind "%(kind)s"; expected item, value or unit'), {"kind": kind}))
        elif not source:
            errors.append(Error("mapping", number, N_("the source is empty")))
        else:
            {"item": mapping.items, "value": mapping.values, "unit": mapping.units}[kind][
                source if kind == "item" else normalise(source)] = target
    return mapping, errors


def _match_items(export: Export, items: list[ItemTarget], mapping: Mapping, plan: Plan) -> dict[str, ItemTarget]:
    by_code = {item.code: item for item in items}
    by_text = {normalise(item.text): item for item in items}
    matched: dict[str, ItemTarget] = {}
    for question in export.questions:
        target = mapping.items.get(question.variable, mapping.items.get(question.name))
        if target is not None:
            if target == SKIP or target == "":
                plan.unmatched.append((question.variable, question.text or question.description))
            elif target not in by_code:
                plan.errors.append(Error("mapping", None, N_('unknown item "%(item)s" for %(variable)s'), {"item": target, "variable": question.variable}))
            else:
                matched[question.variable] = by_code[target]
                plan.matched.append((question.variable, target, "mapping"))
            continue
        item = next((by_text[normalise(t)] for t in question.match_texts() if normalise(t) in by_text), None)
        if item is not None and not question.multiple and (item.kind == "text") == (question.kind == "open"):
            matched[question.variable] = item
            plan.matched.append((question.variable, item.code, "text"))
        else:
            plan.unmatched.append((question.variable, question.text or question.description))
    for variable, item_code, _ in plan.matched:
        others = [v for v, c, _ in plan.matched if c == item_code and v != variable]
        if others and variable < others[0]:
            plan.errors.append(Error("Structure", None, N_("%(variable)s and %(other)s both match item %(item)s"),
                                     {"variable": variable, "other": others[0], "item": item_code}))
    return matched


def _option(item: ItemTarget, label: str, mapping: Mapping) -> OptionTarget | str | None:
    """The option a label means, BLANK for unanswered, or None when nothing matches."""
    key = normalise(label)
    target = mapping.values.get(key)
    if target is not None:
        if target == BLANK:
            return BLANK
        if target == NOT_APPLICABLE:
            return next((o for o in item.options if o.not_applicable), None)
        return next((o for o in item.options if str(o.value) == target), None)
    option = next((o for o in item.options if normalise(o.label) == key), None)
    if option is None and key.startswith("vedikke"):
        option = next((o for o in item.options if o.not_applicable), None)
    return option


def _unit_matcher(export: Export, variable: str, afsnit: list[tuple[str, str]], mapping: Mapping, plan: Plan):
    by_code = {normalise(code): code for code, _ in afsnit}
    by_name = {normalise(name): code for code, name in afsnit}
    codes = {code for code, _ in afsnit}
    found: dict[str, str | None] = {}

    def unit_of(value) -> tuple[str, str | None]:
        code = _code(value)
        source = export.labels.get(variable, {}).get(code, str(value)) if code is not None else str(value)
        if source not in found:
            how, unit = None, None
            for key in (source, str(value)):
                if normalise(key) in mapping.units:
                    how, unit = "mapping", mapping.units[normalise(key)]
                    unit = unit if unit in codes else None
                    break
            else:
                for how, table in (("code", by_code), ("name", by_name)):
                    unit = table.get(normalise(str(value))) or table.get(normalise(source))
                    if unit:
                        break
            found[source] = unit
            if unit:
                plan.units.append((source, unit, how))
        return source, found[source]
    return unit_of


def match(export: Export, items: list[ItemTarget], afsnit: list[tuple[str, str]], unit_variable: str,
          mapping: Mapping | None = None) -> Plan:
    """Match the export to the questionnaire's items and the organisation's afsnit; every error at once."""
    mapping = mapping or Mapping()
    plan = Plan(checksum=export.checksum)
    if unit_variable not in export.columns:
        plan.errors.append(Error("Dataset", 1, N_('the unit variable "%(variable)s" is not a column'), {"variable": unit_variable}))
    if COMPLETE_STATUS not in export.columns:
        plan.errors.append(Error("Dataset", 1, N_('the status column "%(column)s" (Gennemført) is missing'), {"column": COMPLETE_STATUS}))
    if plan.errors:
        return plan
    matched = _match_items(export, items, mapping, plan)
    unit_of = _unit_matcher(export, unit_variable, afsnit, mapping, plan)
    for number, row in export.rows:
        if _code(row.get(COMPLETE_STATUS)) != 1:
            plan.not_complete += 1
            continue
        answers = []
        for variable, item in matched.items():
            answer = _answer(export, number, variable, item, row.get(variable), mapping, plan)
            if answer is not None:
                answers.append(answer)
        unit_value = row.get(unit_variable)
        source, unit = unit_of(unit_value) if unit_value is not None else ("", None)
        if unit is None:
            plan.errors.append(Error("Dataset", number, N_('unknown afsnit "%(source)s"'), {"source": source}) if source
                               else Error("Dataset", number, N_("no afsnit")))
        elif not answers:
            plan.no_answers += 1
        else:
            plan.respondents.append(Respondent(number, unit, tuple(answers)))
    if not plan.matched:
        plan.errors.append(Error("Structure", None, N_("no question matches an item of the questionnaire")))
    elif not plan.respondents and not plan.errors:
        plan.errors.append(Error("Dataset", None, N_("no respondent to import")))
    return plan


def _answer(export: Export, number: int, variable: str, item: ItemTarget, value, mapping: Mapping,
            plan: Plan) -> Answer | None:
    if value is None:
        return None
    if item.kind == "text":
        text = str(value)
        if contains_cpr(text):
            plan.errors.append(Error("Dataset", number, N_("%(variable)s: a text shaped like a CPR number; remove it "
                                                             "or leave the question out with the mapping item,%(variable)s,-"),
                                     {"variable": variable}))
            return None
        if item.max_length and len(text) > item.max_length:
            plan.errors.append(Error("Dataset", number, N_("%(variable)s: a text longer than %(length)s characters"),
                                     {"variable": variable, "length": item.max_length}))
            return None
        return Answer(item.code, text=text)
    code = _code(value)
    label = export.labels.get(variable, {}).get(code) if code is not None else str(value)
    if label is None:
        plan.errors.append(Error("Dataset", number, N_("%(variable)s: value %(value)s has no label in the sheet Labels"),
                                 {"variable": variable, "value": value}))
        return None
    option = _option(item, label, mapping)
    if option is None:
        plan.errors.append(Error("Dataset", number, N_('%(variable)s: unknown label "%(label)s" for item %(item)s'),
                                 {"variable": variable, "label": label, "item": item.code}))
        return None
    if option == BLANK:
        return None
    if option.not_applicable:
        return Answer(item.code, not_applicable=True)
    return Answer(item.code, value=option.value)
