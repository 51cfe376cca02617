"""The organisation as CSV: export the whole tree, and import it with a dry run first.

Columns: code, name, parent_code, level, headcount, active. UTF-8 (a BOM is fine); comma or semicolon
(Danish Excel) as separator. An import is all or nothing: `plan` checks every line and `apply` writes only
a plan without errors.
"""
import csv
import io
import logging
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import LEVELS, Unit, User
from ...models.org import PARENT_LEVEL
from ..spreadsheets import neutralise
from . import changelog

logger = logging.getLogger(__name__)

COLUMNS = ("code", "name", "parent_code", "level", "headcount", "active")
TRUE_WORDS = {"1", "true", "yes", "ja", "j", "y", "x"}
FALSE_WORDS = {"0", "false", "no", "nej", "n"}
#: The fields an import may change on an existing unit.
FIELDS = ("name", "parent_code", "level", "headcount", "active")


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    name: str
    parent_code: str | None
    level: str
    headcount: int | None
    active: bool


@dataclass
class ImportPlan:
    """What an import would do; nothing is written while `errors` holds anything."""
    created: list[Row] = field(default_factory=list)
    #: (row, {field: (old, new)})
    changed: list[tuple[Row, dict]] = field(default_factory=list)
    #: Codes of units the import deactivates (marked inactive in the file, or missing when asked).
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    #: (line number, message); line 0 for the file as a whole.
    errors: list[tuple[int, str]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(ValueError):
    """apply() was given a plan with errors."""


def export_csv() -> str:
    """The whole tree as CSV, every parent before its children, so the file imports back unchanged."""
    units = list(db.session.scalars(select(Unit)))
    codes = {unit.id: unit.code for unit in units}
    order = {level: n for n, level in enumerate(LEVELS)}
    units.sort(key=lambda u: (order[u.level], u.code))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for unit in units:
        # Names and codes are neutralised like every export (a name "=HYPERLINK(…)" must not run in Excel);
        # the import takes the leading quote off again, so the file still imports back unchanged.
        writer.writerow([neutralise(unit.code), neutralise(unit.name), neutralise(codes.get(unit.parent_id, "")), unit.level,
                         "" if unit.headcount is None else unit.headcount, 1 if unit.active else 0])
    return out.getvalue()


def decode(data: bytes) -> tuple[str | None, list[tuple[int, str]]]:
    """The text of an uploaded file, or the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, [(line, str(_l("The file is not UTF-8 encoded. Save it as \"CSV UTF-8\" and try again.")))]


def _separator(header: str) -> str | None:
    for separator in (",", ";"):
        if [c.strip().strip('"').lower() for c in header.split(separator)] == list(COLUMNS):
            return separator
    return None


def _unquoted(cell: str) -> str:
    """A cell of our own export: the quote that neutralised a formula start taken off again."""
    return cell[1:] if cell.startswith("'") and neutralise(cell[1:]) == cell else cell


def _parse_line(line: int, cells: list[str], errors: list) -> Row | None:
    if len(cells) != len(COLUMNS):
        errors.append((line, str(_l("Expected %(expected)d columns but found %(found)d.",
                                    expected=len(COLUMNS), found=len(cells)))))
        return None
    code, name, parent_code, level, headcount, active = (_unquoted(c.strip()) for c in cells)
    before = len(errors)
    if not code:
        errors.append((line, str(_l("The code is missing."))))
    elif len(code) > 40:
        errors.append((line, str(_l("The code %(code)s is longer than 40 characters.", code=code))))
    if not name:
        errors.append((line, str(_l("The name is missing."))))
    elif len(name) > 200:
        errors.append((line, str(_l("The name is longer than 200 characters."))))
    if level.lower() not in LEVELS:
        errors.append((line, str(_l("Bad level %(level)s: use sygehus, afdeling or afsnit.", level=level or '""'))))
    number = None
    if headcount:
        if headcount.isdigit():
            number = int(headcount)
        else:
            errors.append((line, str(_l("Bad number %(value)s in headcount: use a whole number of 0 or more.",
                                        value=headcount))))
    if active.lower() not in TRUE_WORDS | FALSE_WORDS | {""}:
        errors.append((line, str(_l("Bad value %(value)s in active: use 1 or 0.", value=active))))
    if len(errors) > before:
        return None
    return Row(line, code, name, parent_code or None, level.lower(), number,
               active.lower() not in FALSE_WORDS)


def parse(text: str, refused_codes: set | None = None) -> tuple[list[Row], list[tuple[int, str]]]:
    """The rows of a CSV text and every line-level error; codes of refused lines go into refused_codes."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [(1, str(_l("The file is empty.")))]
    separator = _separator(lines[0])
    if separator is None:
        if any(s in lines[0] for s in ("\t", "|")) or ("," not in lines[0] and ";" not in lines[0]):
            message = _l("Wrong separator: separate the columns with commas (or semicolons).")
        else:
            message = _l("The first line must name the columns: %(columns)s.", columns=",".join(COLUMNS))
        return [], [(1, str(message))]
    rows: list[Row] = []
    errors: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    next(reader)
    seen: dict[str, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        # Duplicates over every line, refused ones too, so one run reports every error of the file.
        code = _unquoted(cells[0].strip()) if cells else ""
        if code and code in seen:
            errors.append((line, str(_l("Duplicate code %(code)s (also on line %(other)d).",
                                        code=code, other=seen[code]))))
        elif code:
            seen[code] = line
        row = _parse_line(line, cells, errors)
        if row is not None:
            rows.append(row)
        elif refused_codes is not None and cells[0].strip():
            refused_codes.add(cells[0].strip())
    return rows, errors


def _check_tree(rows: list[Row], existing: dict[str, Unit], errors: list, refused: set[str]) -> None:
    """Unknown parents, wrong parent levels and cycles, on the tree as it would be."""
    # Duplicate codes are reported by parse(), over every line. The tree after the import: code -> (level, parent code), file rows over the database.
    tree = {code: (u.level, u.parent.code if u.parent else None) for code, u in existing.items()}
    lines = {row.code: row.line for row in rows}
    tree.update({row.code: (row.level, row.parent_code) for row in rows})
    for code, (level, parent) in tree.items():
        line = lines.get(code)
        if line is None and parent in lines:
            line = lines[parent]  # an untouched unit broken by a change to its parent
        if line is None:
            continue
        if parent in refused and parent not in tree:
            continue  # its own line is already reported
        if parent is not None and parent not in tree:
            errors.append((line, str(_l("Unknown parent %(parent)s for %(code)s.", parent=parent, code=code))))
            continue
        walk, node = {code}, parent
        while node is not None and node in tree:
            if node in walk:
                errors.append((line, str(_l("Cycle: %(code)s would be its own ancestor.", code=code))))
                break
            walk.add(node)
            node = tree[node][1]
        else:
            wanted = PARENT_LEVEL[level]
            have = tree[parent][0] if parent else None
            if parent in refused and parent not in lines:
                continue
            if wanted is None and parent is not None:
                errors.append((line, str(_l("A hospital has no parent, but %(code)s names %(parent)s.",
                                            code=code, parent=parent))))
            elif wanted is not None and have != wanted:
                message = (_l("%(code)s is a department and must sit below a hospital.", code=code)
                           if level == "afdeling" else
                           _l("%(code)s is a ward and must sit below a department.", code=code))
                errors.append((line, str(message)))


def _check_active(rows: list[Row], existing: dict[str, Unit], errors: list, deactivate_missing: bool) -> None:
    """No active unit below an inactive one, as the tree would be after the import."""
    lines = {row.code: row.line for row in rows}
    state = {code: (u.active and not (deactivate_missing and code not in lines), u.parent.code if u.parent else None)
             for code, u in existing.items()}
    state.update({row.code: (row.active, row.parent_code) for row in rows})
    for code, (active, parent) in state.items():
        if not active or parent not in state or state[parent][0]:
            continue
        line = lines.get(code) or lines.get(parent)
        if line is not None:
            errors.append((line, str(_l("%(code)s is active but sits below %(parent)s, which is not; deactivate "
                                        "%(code)s too or keep %(parent)s active.", code=code, parent=parent))))


def plan(text: str, deactivate_missing: bool = False) -> ImportPlan:
    """Check a CSV text against the database and say what importing it would do; writes nothing."""
    result = ImportPlan()
    refused: set[str] = set()
    rows, result.errors = parse(text, refused)
    existing = {u.code: u for u in db.session.scalars(select(Unit))}
    if rows:
        _check_tree(rows, existing, result.errors, refused)
        _check_active(rows, existing, result.errors, deactivate_missing)
    result.errors.sort(key=lambda e: e[0])
    result.rows = rows
    in_file = set()
    for row in rows:
        in_file.add(row.code)
        unit = existing.get(row.code)
        if unit is None:
            result.created.append(row)
            continue
        old = {"name": unit.name, "parent_code": unit.parent.code if unit.parent else None, "level": unit.level,
               "headcount": unit.headcount, "active": unit.active}
        new = {"name": row.name, "parent_code": row.parent_code, "level": row.level, "headcount": row.headcount,
               "active": row.active}
        diff = {k: (old[k], new[k]) for k in FIELDS if old[k] != new[k]}
        if unit.active and not row.active:
            result.deactivated.append(row.code)
        if diff:
            result.changed.append((row, diff))
        else:
            result.unchanged += 1
    if deactivate_missing:
        result.deactivated += sorted(code for code, u in existing.items() if code not in in_file and u.active)
    return result


def apply(result: ImportPlan, actor: User | None, deactivate_missing: bool = False) -> None:
    """Write a plan without errors: create, change, deactivate, each in the change log."""
    if not result.ok:
        raise ImportRefused("the import has errors; nothing was written")
    units = {u.code: u for u in db.session.scalars(select(Unit))}
    order = {level: n for n, level in enumerate(LEVELS)}
    for row in sorted(result.created, key=lambda r: order[r.level]):
        unit = Unit(code=row.code, name=row.name, level=row.level, headcount=row.headcount, active=row.active,
                    parent=units.get(row.parent_code))
        db.session.add(unit)
        units[row.code] = unit
        db.session.flush()
        changelog.record(actor, "unit.import_create", unit, None, _state(unit))
    for row, _diff in result.changed:
        unit = units[row.code]
        before = _state(unit)
        unit.name, unit.level, unit.headcount, unit.active = row.name, row.level, row.headcount, row.active
        unit.parent = units.get(row.parent_code)
        db.session.flush()
        changelog.record(actor, "unit.import_change", unit, before, _state(unit))
    if deactivate_missing:
        in_file = {row.code for row in result.rows}
        for code, unit in units.items():
            if code not in in_file and unit.active:
                before = _state(unit)
                unit.active = False
                changelog.record(actor, "unit.import_deactivate", unit, before, _state(unit))
    db.session.flush()
    logger.info("organisation import: %d created, %d changed, %d deactivated", len(result.created),
                len(result.changed), len(result.deactivated))


def _state(unit: Unit) -> dict:
    return {"code": unit.code, "name": unit.name, "level": unit.level,
            "parent_code": unit.parent.code if unit.parent else None, "headcount": unit.headcount,
            "active": unit.active}
