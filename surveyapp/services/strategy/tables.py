"""Reading the tables an import is given: `;`-separated CSV (UTF-8, a BOM is fine) or an Excel workbook.

Cells come back as stripped text (Excel dates as ISO dates, whole numbers without ".0"), each row with its row
number in the file (the header is row 1), so every error can name its row.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

#: An .xlsx file is a zip archive.
XLSX_MAGIC = b"PK\x03\x04"
_DATE = re.compile(r"^(?:(\d{1,2})-(\d{1,2})-(\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


@dataclass(frozen=True)
class RowError:
    """An import error: the row of the file (0: the file as a whole) and the reason; `file` names a side file."""

    row: int
    message: str
    file: str = ""

    def __str__(self) -> str:
        return f"{self.file} {self.row}: {self.message}" if self.file else f"{self.row}: {self.message}"


class TableError(ValueError):
    """The file cannot be read as a table at all."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Table:
    header: list[str]
    #: (row number, cells), blank rows left out.
    rows: list[tuple[int, list[str]]]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode(data: bytes) -> str:
    """The text of a CSV upload; raises TableError when it is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise TableError(str(_l("The file is not UTF-8 encoded (line %(line)d). Save it as \"CSV UTF-8\" and try "
                                "again.", line=line))) from exc


def read_csv(text: str, separator: str = ";") -> Table:
    """A `separator`-separated text as a table; raises TableError when empty or separated otherwise."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise TableError(str(_l("The file is empty.")))
    if separator not in lines[0]:
        raise TableError(str(_l("Wrong separator: separate the columns with semicolons (;).")))
    reader = csv.reader(io.StringIO(text), delimiter=separator)
    header = [c.strip() for c in next(reader)]
    rows = []
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append((reader.line_num, [c.strip() for c in cells]))
    return Table(header, rows)


def read_xlsx(data: bytes) -> Table:
    """The first sheet of a workbook as a table; raises TableError when it is no workbook."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableError(str(_l("The Excel file cannot be read."))) from exc
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = [_cell(v) for v in next(values, ())]
        if not any(header):
            raise TableError(str(_l("The file is empty.")))
        rows = [(number, [_cell(v) for v in row]) for number, row in enumerate(values, start=2)
                if any(v is not None and str(v).strip() for v in row)]
    finally:
        workbook.close()
    return Table(header, rows)


def read_table(data: bytes) -> Table:
    """An upload as a table: an Excel workbook by its signature, otherwise `;`-separated UTF-8 CSV."""
    return read_xlsx(data) if data.startswith(XLSX_MAGIC) else read_csv(decode(data))


def parse_date(text: str) -> date | None:
    """A date written dd-mm-yyyy or yyyy-mm-dd (a time after it is ignored); None when it is neither."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    day, month, year = (match.group(1), match.group(2), match.group(3)) if match.group(1) else \
        (match.group(6), match.group(5), match.group(4))
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def normalise(name: str) -> str:
    """A column name compared without case, surrounding spaces or repeated spaces."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def pairs(text: str, file: str, errors: list[RowError], header: tuple[str, str]) -> list[tuple[int, str, str]]:
    """The (row, first, second) pairs of a small two-column side file (`,` or `;`), its header row skipped."""
    lines = text.splitlines()
    separator = ";" if lines and ";" in lines[0] else ","
    found = []
    for cells in (reader := csv.reader(io.StringIO(text), delimiter=separator)):
        row = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if row == 1 and [normalise(c) for c in cells] == list(header):
            continue
        if len(cells) != 2:
            errors.append(RowError(row, str(_l("Expected 2 columns but found %(found)d.", found=len(cells))), file))
            continue
        found.append((row, cells[0].strip(), cells[1].strip()))
    return found
