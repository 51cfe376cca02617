"""Reading a SurveyXact dataset export (Excel, read-only openpyxl) into plain data; pure, no Flask, no database."""
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

SHEETS = ("Labels", "Variables", "Dataset", "Complete", "Structure")
VARIABLES_HEADER = ("variableName", "variableDescription")
STRUCTURE_HEADER = ("questionName", "variableName", "questionType", "subType", "questionText", "choiceValue",
                    "choiceText")
#: stato_4 is "Samlet status - Gennemført".
COMPLETE_STATUS = "stato_4"


def N_(message: str) -> str:
    """Marks an error message for the catalogs (extracted with `-k N_`); it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Error:
    """One problem, with where it is: `Dataset:17: unknown ward "Kardio 2"`.

    `message` is the English source text with %(name)s placeholders filled from `params`, so the CLI prints it
    as it is and a page translates it first (`text(gettext)`)."""

    sheet: str
    row: int | None
    message: str
    params: dict = field(default_factory=dict, compare=False)

    def text(self, translate=None) -> str:
        """The message with its location; `translate(message, **params)` is e.g. Flask-Babel's gettext."""
        message = translate(self.message, **self.params) if translate else self.message % self.params
        where = f"{self.sheet}:{self.row}" if self.row is not None else self.sheet
        return f"{where}: {message}" if where else message

    def __str__(self) -> str:
        return self.text()


class ExportError(ValueError):
    """The file cannot be read as a SurveyXact export; `errors` says why."""

    def __init__(self, errors: list[Error]):
        super().__init__("; ".join(map(str, errors)))
        self.errors = errors


@dataclass(frozen=True)
class Question:
    """One dataset column of a question: its variable, type and the texts it may be matched by."""

    variable: str
    name: str
    kind: str  # "closed" or "open"
    multiple: bool
    text: str
    description: str

    def match_texts(self) -> list[str]:
        """questionText first, then the item part of a battery's description ("<battery> - <item>")."""
        texts = [self.text, self.description]
        if " - " in self.description:
            texts.append(self.description.split(" - ", 1)[1])
        return [t for t in texts if t]


@dataclass
class Export:
    """What the workbook holds, as read."""

    checksum: str
    labels: dict[str, dict[int, str]]
    descriptions: dict[str, str]
    questions: list[Question]
    columns: list[str]
    #: (row number in the Dataset sheet, {variable: value}) for every non-empty row.
    rows: list[tuple[int, dict[str, object]]]

def normalise(text) -> str:
    """Text for matching: case, punctuation and white space ignored (letters such as æ, ø, å kept)."""
    text = unicodedata.normalize("NFC", str(text or "")).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _cell(value):
    """A cell as read, with texts stripped and blank texts as None."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def as_code(value) -> int | None:
    """A numeric code written as 4, 4.0 or "4"; None when it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"-?\d+(\.0+)?", value.strip()):
        return int(float(value))
    return None


def _sheet_rows(sheet) -> list[tuple[int, tuple]]:
    """The sheet's non-empty rows with their numbers, however large the sheet says it is: SurveyXact declares
    every sheet as `<dimension ref="A1"/>`, and a read-only worksheet would trust that and yield one cell."""
    sheet.reset_dimensions()
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        row = tuple(_cell(v) for v in row)
        if any(v is not None for v in row):
            rows.append((number, row))
    return rows


def _check_header(name: str, rows, expected: tuple[str, ...], errors: list[Error]) -> list[tuple[int, tuple]]:
    if not rows or rows[0][0] != 1:
        errors.append(Error(name, 1, N_("the header row is missing; expected %(expected)s"), {"expected": ", ".join(expected)}))
        return []
    header = tuple(str(v) if v is not None else "" for v in rows[0][1][:len(expected)])
    if header != expected:
        errors.append(Error(name, 1, N_("wrong header %(header)s; expected %(expected)s"),
                            {"header": ", ".join(header), "expected": ", ".join(expected)}))
        return []
    return rows[1:]


def read_export(data: bytes) -> Export:
    """Read a SurveyXact Excel export; raise ExportError listing every problem with the file's layout."""
    from openpyxl import load_workbook

    checksum = hashlib.sha256(data).hexdigest()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExportError([Error("", None, N_("the file is not an Excel workbook (.xlsx) exported from SurveyXact"))]) from exc
    try:
        missing = [name for name in SHEETS if name not in workbook.sheetnames]
        if missing:
            raise ExportError([Error(name, None, N_("sheet missing")) for name in missing])
        errors: list[Error] = []
        sheets = {name: _sheet_rows(workbook[name]) for name in SHEETS}
    finally:
        workbook.close()
    labels: dict[str, dict[int, str]] = {}
    for number, row in sheets["Labels"]:
        code = as_code(row[1] if len(row) > 1 else None)
        if not row[0] or code is None or len(row) < 3 or row[2] is None:
            errors.append(Error("Labels", number, N_("expected a variable name, a numeric value and a label")))
            continue
        labels.setdefault(str(row[0]), {})[code] = str(row[2])
    descriptions = {str(row[0]): str(row[1] or "") for _, row in
                    _check_header("Variables", sheets["Variables"], VARIABLES_HEADER, errors) if row[0]}
    dataset = sheets["Dataset"]
    columns: list[str] = []
    if not dataset or dataset[0][0] != 1 or not any(dataset[0][1]):
        errors.append(Error("Dataset", 1, N_("the header row of variable names is missing")))
    else:
        columns = [str(v) if v is not None else "" for v in dataset[0][1]]
        if descriptions and "" not in columns:
            for variable in columns:
                if variable not in descriptions:
                    errors.append(Error("Dataset", 1, N_('variable "%(variable)s" is not in the sheet Variables'), {"variable": variable}))
    questions = _questions(_check_header("Structure", sheets["Structure"], STRUCTURE_HEADER, errors), descriptions)
    if errors:
        raise ExportError(errors)
    rows = [(number, {col: row[i] if i < len(row) else None for i, col in enumerate(columns) if col})
            for number, row in dataset[1:]]
    return Export(checksum, labels, descriptions, [q for q in questions if q.variable in columns], columns, rows)


def _questions(rows, descriptions: dict[str, str]) -> list[Question]:
    """One Question per question variable of Structure (a choice row repeats the variable; kept once)."""
    seen: dict[str, Question] = {}
    for _, row in rows:
        row = row + (None,) * (len(STRUCTURE_HEADER) - len(row))
        variable = str(row[1] or "")
        if not variable.startswith("s_") or variable in seen:
            continue
        seen[variable] = Question(variable=variable, name=str(row[0] or ""),
                                  kind="open" if str(row[2]).lower() == "open" else "closed",
                                  multiple=str(row[3]).lower() == "multiple", text=str(row[4] or ""),
                                  description=descriptions.get(variable, ""))
    return list(seen.values())
