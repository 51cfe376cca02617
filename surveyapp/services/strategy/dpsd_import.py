"""Importing adverse-event cases from DPSD's Report Centre ("kun data" CSV, or an Excel extract).

Only what the indicators need is read and kept: the case id, the afsnit (from "Hændelsessted/Lokation"), the
dates of creation and closure and the severity category. Every other column is never read. A mapping that
would bring in a description, a headline, a name, a CPR number or any other free text is refused. An import is
all or nothing: `plan` checks every row and reports every error; `apply` writes only a plan without errors,
updating cases by their DPSD id.
"""
from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import indicator_rules as rules
from ...extensions import db
from ...models import DpsdCase, Unit
from ...privacy import contains_cpr
from ...timeutil import utcnow
from . import upsert
from .tables import RowError, Table, TableError, normalise, pairs, parse_date, read_csv, read_table

logger = logging.getLogger(__name__)

#: DPSD's own column names, in the Report Centre's order: the default layout.
DEFAULT_HEADERS = {
    "case_id": "ID", "created_on": "Opret-dato", "event_on": "Hændelsesdato", "location": "Hændelsessted/Lokation",
    "actual_consequence": "Faktisk konsekvens", "possible_consequence": "Mulig konsekvens",
    "severity": "Samlet alvorlighedskategori", "main_group": "DPSD klassifikation - Hovedgruppe", "status": "Status",
    "closed_on": "Afsluttet dato", "days_to_close": "Dage til sagsafslutning",
}
FIELDS = tuple(DEFAULT_HEADERS)
#: The fields that are read; the others of the layout are never read, let alone kept.
READ = ("case_id", "created_on", "location", "severity", "closed_on")
#: Parts of a column name that mean free text or a person: such a column is never mapped in.
FREE_TEXT_WORDS = ("beskriv", "overskrift", "titel", "cpr", "fritekst", "kommentar", "bemærk", "forslag", "patient",
                   "anmelder", "personnavn", "description", "headline", "title", "comment", "free text", "narrative",
                   "reporter", "person")
#: Whole column names that mean the same (a location's name is no person's: "Afsnitsnavn" is fine).
FREE_TEXT_NAMES = {"navn", "name", "tekst", "text", "fornavn", "efternavn", "first name", "last name"}
#: The reduced layout the admin page's confirmation carries (nothing but what is kept).
KEPT_HEADER = ("case_id", "unit_code", "created_on", "closed_on", "severity")
KEPT_MAPPING = {"case_id": "case_id", "location": "unit_code", "created_on": "created_on", "closed_on": "closed_on",
                "severity": "severity"}
SEVERITY_TEXT = {"ingen": "ingen", "lettere": "lettere", "alvorlig_risiko": "alvorlig patientsikkerhedsrisiko",
                 "alvorlig": "alvorlig", "doedelig": "dødelig"}
PREVIEW_ROWS = 10


@dataclass(frozen=True)
class CaseRow:
    row: int
    case_id: str
    unit_id: int
    unit_code: str
    created_on: date
    closed_on: date | None
    severity: str | None


@dataclass
class DpsdPlan:
    """What an import would do; nothing is written while `errors` holds anything."""

    rows: list[CaseRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Columns of the file that are not read (their contents never leave the upload).
    ignored_columns: list[str] = field(default_factory=list)
    #: DPSD field -> the file's column it is read from.
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def preview(self) -> list[CaseRow]:
        return self.rows[:PREVIEW_ROWS]


class ImportRefused(ValueError):
    """apply() was given a plan with errors."""


def looks_like_free_text(column: str) -> bool:
    """Whether a column name says it holds free text or a person (a description, a name, a CPR number)."""
    name = normalise(column)
    return name in FREE_TEXT_NAMES or any(word in name for word in FREE_TEXT_WORDS)


def read_mapping(text: str, errors: list[RowError]) -> dict[str, str]:
    """The `field,header` pairs of a mapping file over the default layout; every bad line is an error."""
    mapping = dict(DEFAULT_HEADERS)
    for row, name, header in pairs(text, "mapping", errors, ("field", "header")):
        if name not in DEFAULT_HEADERS:
            message = (_l("The field %(field)s is refused: the import never stores descriptions, headlines, names, CPR "
                          "numbers or other free text.", field=name) if looks_like_free_text(name) else
                       _l("Unknown field %(field)s: use one of %(fields)s.", field=name, fields=", ".join(FIELDS)))
            errors.append(RowError(row, str(message), "mapping"))
        elif not header:
            errors.append(RowError(row, str(_l("The column for %(field)s is missing.", field=name)), "mapping"))
        else:
            mapping[name] = header
    return mapping


def read_locations(text: str, errors: list[RowError], units: dict[str, Unit]) -> dict[str, Unit]:
    """The `location;unit_code` pairs of a locations file; an unknown code or a unit that is no afsnit is an error."""
    found = {}
    for row, location, code in pairs(text, "locations", errors, ("location", "unit_code")):
        unit = units.get(code)
        if unit is None or unit.level != "afsnit":
            errors.append(RowError(row, str(_l("%(code)s is no afsnit.", code=code)), "locations"))
        else:
            found[location] = unit
    return found


def _columns(table: Table, mapping: dict[str, str], errors: list[RowError]) -> dict[str, int]:
    """The index of each read field's column; a missing column or one holding free text is an error."""
    index = {normalise(name): i for i, name in enumerate(table.header) if name}
    columns = {}
    for name in READ:
        header = mapping[name]
        if looks_like_free_text(header):
            errors.append(RowError(1, str(_l("The column %(column)s would bring free text into %(field)s: the import "
                                             "never stores descriptions, headlines, names, CPR numbers or other free "
                                             "text.", column=header, field=name))))
        elif normalise(header) not in index:
            errors.append(RowError(1, str(_l("The column %(column)s (%(field)s) is missing.", column=header,
                                             field=name))))
        else:
            columns[name] = index[normalise(header)]
    return columns


class _Locations:
    """Location text -> afsnit: the locations file first, then an afsnit's exact code or name."""

    def __init__(self, units: dict[str, Unit], given: dict[str, Unit]):
        self.given = given
        afsnit = [u for u in units.values() if u.level == "afsnit"]
        self.by_code = {u.code: u for u in afsnit}
        names: dict[str, list[Unit]] = {}
        for unit in afsnit:
            names.setdefault(unit.name, []).append(unit)
        self.by_name = names

    def find(self, location: str) -> tuple[Unit | None, str | None]:
        if location in self.given:
            return self.given[location], None
        if location in self.by_code:
            return self.by_code[location], None
        named = self.by_name.get(location, [])
        if len(named) == 1:
            return named[0], None
        if named:
            return None, str(_l("The location %(location)s names several wards; map it in the locations file.",
                                location=location))
        return None, str(_l("Unknown location %(location)s: no afsnit has this name or code; map it in the locations "
                            "file.", location=location))


def _parse_row(row: int, cells: list[str], columns: dict[str, int], locations: _Locations, today: date,
               errors: list[RowError]) -> CaseRow | None:
    value = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
    before = len(errors)
    case_id = value["case_id"]
    if not case_id:
        errors.append(RowError(row, str(_l("The case id is missing."))))
    elif len(case_id) > 40 or contains_cpr(case_id):
        errors.append(RowError(row, str(_l("The case id %(id)s is not a DPSD case id.", id=case_id[:40]))))
    created_on = parse_date(value["created_on"])
    if created_on is None:
        errors.append(RowError(row, str(_l("Bad date %(value)s in %(field)s: write dd-mm-yyyy or yyyy-mm-dd.",
                                           value=value["created_on"] or '""', field="created_on"))))
    elif created_on > today:
        errors.append(RowError(row, str(_l("The case is created in the future (%(date)s).", date=created_on))))
    closed_on = parse_date(value["closed_on"]) if value["closed_on"] else None
    if value["closed_on"] and closed_on is None:
        errors.append(RowError(row, str(_l("Bad date %(value)s in %(field)s: write dd-mm-yyyy or yyyy-mm-dd.",
                                           value=value["closed_on"], field="closed_on"))))
    elif closed_on is not None and created_on is not None and closed_on < created_on:
        errors.append(RowError(row, str(_l("The case is closed before it was created."))))
    severity = rules.severity_code(value["severity"]) if value["severity"] else None
    if value["severity"] and severity is None:
        errors.append(RowError(row, str(_l("Unknown severity %(value)s: use ingen, lettere, alvorlig "
                                           "patientsikkerhedsrisiko, alvorlig or dødelig.", value=value["severity"]))))
    unit, problem = locations.find(value["location"])
    if problem:
        errors.append(RowError(row, problem))
    if len(errors) > before:
        return None
    return CaseRow(row, case_id, unit.id, unit.code, created_on, closed_on, severity)


def plan(data: bytes | str, mapping_text: str | None = None, locations_text: str | None = None,
         today: date | None = None) -> DpsdPlan:
    """Check an extract (bytes of a CSV or Excel file, or CSV text) and say what importing it would do."""
    result = DpsdPlan()
    today = today or utcnow().date()
    mapping = read_mapping(mapping_text, result.errors) if mapping_text else dict(DEFAULT_HEADERS)
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    given = read_locations(locations_text, result.errors, units) if locations_text else {}
    try:
        table = read_csv(data) if isinstance(data, str) else read_table(data)
    except TableError as exc:
        result.errors.append(RowError(0, exc.message))
        return result
    columns = _columns(table, mapping, result.errors)
    if len(columns) < len(READ):
        return result
    result.columns = {name: table.header[i] for name, i in columns.items()}
    result.ignored_columns = [h for i, h in enumerate(table.header) if h and i not in columns.values()]
    locations, seen = _Locations(units, given), {}
    for row, cells in table.rows:
        case = _parse_row(row, cells, columns, locations, today, result.errors)
        key = cells[columns["case_id"]] if columns["case_id"] < len(cells) else ""
        if key and key in seen:
            result.errors.append(RowError(row, str(_l("Duplicate case id %(id)s (also row %(other)d).", id=key,
                                                      other=seen[key]))))
        elif key:
            seen[key] = row
        if case is not None:
            result.rows.append(case)
    result.errors.sort(key=lambda e: (e.file != "", e.row))
    if result.ok:
        _count_changes(result)
    return result


def _changes(result: DpsdPlan) -> upsert.Changes:
    existing = {r.case_id: r for r in db.session.execute(
        select(DpsdCase.id, DpsdCase.case_id, DpsdCase.unit_id, DpsdCase.created_on, DpsdCase.closed_on,
               DpsdCase.severity))}
    return upsert.changes(
        result.rows, existing, key=lambda row: row.case_id,
        values=lambda row: {"case_id": row.case_id, "unit_id": row.unit_id, "created_on": row.created_on,
                            "closed_on": row.closed_on, "severity": row.severity},
        stored=lambda old: {"unit_id": old.unit_id, "created_on": old.created_on, "closed_on": old.closed_on,
                            "severity": old.severity})


def _count_changes(result: DpsdPlan) -> None:
    found = _changes(result)
    result.created, result.updated, result.unchanged = len(found.new), len(found.changed), found.unchanged


def apply(result: DpsdPlan) -> tuple[int, int]:
    """Write a plan without errors: new cases inserted, changed ones updated by case id; (created, updated)."""
    if not result.ok:
        raise ImportRefused("the import has errors; nothing was written")
    created, updated = upsert.write(DpsdCase, _changes(result), {"imported_at": utcnow()})
    logger.info("DPSD import: %d cases created, %d updated", created, updated)
    return created, updated


def kept_csv(result: DpsdPlan) -> str:
    """The plan's cases in the reduced layout (KEPT_HEADER): all that the confirmation step needs to carry."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(KEPT_HEADER)
    for row in result.rows:
        writer.writerow([row.case_id, row.unit_code, row.created_on.isoformat(),
                         row.closed_on.isoformat() if row.closed_on else "",
                         SEVERITY_TEXT[row.severity] if row.severity else ""])
    return out.getvalue()


def kept_mapping_text() -> str:
    """The mapping that reads `kept_csv` back."""
    return "field,header\n" + "".join(f"{f},{h}\n" for f, h in KEPT_MAPPING.items())
