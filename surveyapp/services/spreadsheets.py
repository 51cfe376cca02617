"""Downloads as CSV (for a Danish Excel, or plain for tools) and Excel, written row by row.

The writers are generic: a list of `Column`s says how to read and type each value of a row object (a
`ResultRow`, a `RawResponse`, any dataclass), so another result type (audits) reuses them by declaring its
columns. Every text cell that a spreadsheet could take for a formula is neutralised (`neutralise`).
Numbers come from `services.results` unchanged: percentages are 0-100 and unrounded; suppressed numbers are
empty cells, exactly as the dashboard hides them.
"""
from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..scoring import decimals_below_target

#: A cell starting with one of these is a formula (or a DDE call) to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Rows buffered before a CSV chunk is yielded to the response.
CSV_CHUNK_ROWS = 500
KINDS = ("text", "int", "number", "percent", "bool", "date")


def neutralise(text: str) -> str:
    """The text made inert for spreadsheets: a leading quote before anything that could start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    """One column of a download: its machine name, its translated header, its kind and how to read it."""

    key: str
    label: Any
    #: text, int, number, percent (0-100 in the row; a percent-formatted fraction in Excel), bool, date.
    kind: str = "text"
    get: Callable[[Any], Any] | None = None
    #: Width in Excel, in characters.
    width: float = 12
    #: For people (Excel and the Danish CSV): the value as a translated word, e.g. a level's name.
    show: Callable[[Any], Any] | None = None

    def value(self, row: Any, for_people: bool = False) -> Any:
        value = self.get(row) if self.get is not None else getattr(row, self.key)
        return self.show(value) if for_people and self.show is not None and value is not None else value


@dataclass(frozen=True)
class CsvFlavour:
    """How a CSV is written: the Danish Excel reads `;` and decimal commas from UTF-8 with a byte order mark."""

    name: str
    delimiter: str
    decimal: str
    bom: bool
    #: Headers as translated labels (for people) or as the columns' keys (for tools).
    labels: bool


EXCEL_DA = CsvFlavour("excel", ";", ",", True, True)
PLAIN = CsvFlavour("plain", ",", ".", False, False)
FLAVOURS = {flavour.name: flavour for flavour in (EXCEL_DA, PLAIN)}


def csv_cell(value: Any, flavour: CsvFlavour) -> str:
    """One value as CSV text in the flavour's conventions; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        if flavour.labels:
            return _("yes") if value else _("no")
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).replace(".", flavour.decimal)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return neutralise(str(value))


def iter_csv(columns: Sequence[Column], rows: Iterable[Any], flavour: CsvFlavour) -> Iterator[str]:
    """The CSV text in chunks of a few hundred rows, so a large download streams with flat memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=flavour.delimiter, lineterminator="\r\n")
    if flavour.bom:
        buffer.write("\ufeff")
    writer.writerow([neutralise(str(c.label)) if flavour.labels else c.key for c in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([csv_cell(c.value(row, flavour.labels), flavour) for c in columns])
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@dataclass
class Sheet:
    """One worksheet: a title, columns and rows; `met_key` colours the percent columns green or red."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Any]
    met_key: str | None = None


HEADER_FONT = Font(bold=True)
MET_FILL = PatternFill(start_color="C6EFCE", end_color="C6EFCE", fill_type="solid")
NOT_MET_FILL = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
NUMBER_FORMATS = {"percent": "0.0%", "number": "0.0"}


#: The columns that hold a row's target (0-100): its other percent cells never read as reaching it by rounding.
TARGET_KEYS = ("target", "target_percent")


def _xlsx_cell(sheet, column: Column, value: Any, target: float | None = None) -> Any:
    """A value for a write-only row; a cell object only where a number format is needed (cell objects are slow).

    Percentages keep their unrounded value; a share just below the row's target gets the decimals that show it
    (79.95 % against 80 % as "79,95 %", not Excel's "80,0 %")."""
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula; a neutralised one never starts so.
        return neutralise(value)
    if value is None or isinstance(value, bool) or column.kind not in ("percent", "number"):
        return value
    cell = WriteOnlyCell(sheet, value / 100 if column.kind == "percent" else value)
    cell.number_format = NUMBER_FORMATS[column.kind]
    if column.kind == "percent" and column.key not in TARGET_KEYS:
        decimals = decimals_below_target(value, target)
        if decimals > 1:
            cell.number_format = "0." + "0" * decimals + "%"
    return cell


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", title).strip()[:31] or "-"


def _write_sheet(workbook: Workbook, spec: Sheet) -> None:
    sheet = workbook.create_sheet(sheet_title(spec.title))
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, neutralise(str(column.label)))
        cell.font = HEADER_FONT
        header.append(cell)
    sheet.append(header)
    count = 0
    target_column = next((c for c in spec.columns if c.key in TARGET_KEYS and c.kind == "percent"), None)
    for count, row in enumerate(spec.rows, start=1):
        target = target_column.value(row, True) if target_column else None
        target = target if isinstance(target, (int, float)) and not isinstance(target, bool) else None
        sheet.append([_xlsx_cell(sheet, c, c.value(row, True), target) for c in spec.columns])
    if spec.met_key and count:
        _colour_met(sheet, spec.columns, spec.met_key, count + 1)


def _colour_met(sheet, columns: Sequence[Column], met_key: str, last_row: int) -> None:
    """Green where the row's target is met, red where it is not; suppressed rows (empty met) stay white."""
    keys = [c.key for c in columns]
    met = get_column_letter(keys.index(met_key) + 1)
    for index, column in enumerate(columns, start=1):
        if column.kind == "percent" and column.key not in TARGET_KEYS or column.key == met_key:
            letter = get_column_letter(index)
            cells = f"{letter}2:{letter}{last_row}"
            sheet.conditional_formatting.add(cells, FormulaRule(formula=[f"${met}2=TRUE"], fill=MET_FILL))
            sheet.conditional_formatting.add(cells, FormulaRule(formula=[f"${met}2=FALSE"], fill=NOT_MET_FILL))


def write_xlsx(sheets: Iterable[Sheet], out: IO[bytes]) -> None:
    """Write a workbook of the sheets to `out`; rows go to disk as they come (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        _write_sheet(workbook, spec)
    workbook.save(out)


def iter_xlsx(sheets: Iterable[Sheet], chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """The workbook's bytes in chunks, built in a temporary file so memory stays flat for large sheets."""
    with tempfile.TemporaryFile() as fh:
        write_xlsx(sheets, fh)
        fh.seek(0)
        while chunk := fh.read(chunk_size):
            yield chunk


def key_value_columns() -> list[Column]:
    """Two columns for (label, value) pairs, e.g. a metadata sheet."""
    return [Column("field", _l("Field"), get=lambda pair: pair[0], width=28),
            Column("value", _l("Value"), get=lambda pair: pair[1], width=48)]
