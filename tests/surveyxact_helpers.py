"""SurveyXact dataset exports built with openpyxl in the layout SurveyXact writes (see the README)."""
import io
import random
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import Workbook

ENIGHED = {1: "Helt uenig", 2: "Uenig", 3: "Hverken enig eller uenig", 4: "Enig", 5: "Helt enig",
           6: "Ved ikke"}
FAGGRUPPE = {1: "Læge", 2: "Sygeplejerske", 3: "Social- og sundhedsassistent", 4: "Terapeut", 5: "Sekretær",
             6: "Andet"}
BATTERY = "Hvor enig eller uenig er du i følgende udsagn om dit afsnit?"
#: (variable, item code or None, question text in Structure, description in Variables, labels)
QUESTIONS = [
    # A single question, its text with other case and punctuation than the questionnaire's.
    ("s_1", "tryg_som_patient", "Jeg ville føle mig tryg, hvis jeg var patient her.",
     "Jeg ville føle mig tryg, hvis jeg var patient her.", ENIGHED),
    # A battery: questionText is the battery's, the item's text follows " - " in the description.
    ("s_2", "laere_af_haendelser", BATTERY,
     f"{BATTERY} - Kulturen her hos os gør det nemt at lære af andres utilsigtede hændelser", ENIGHED),
    ("s_3", "ledelse_foelger_op", BATTERY,
     f"{BATTERY} - Hvis jeg kom med forslag til patientsikkerheden, ville ledelsen følge op på dem", ENIGHED),
    ("s_4", "svaert_at_sige_til", BATTERY,
     f"{BATTERY} - DET ER SVÆRT AT SIGE TIL, HVIS JEG OPDAGER PROBLEMER MED PATIENTBEHANDLINGEN", ENIGHED),
    ("s_5", "faggruppe", "Faggruppe:", "Faggruppe:", FAGGRUPPE),
    # Not in the questionnaire: left out.
    ("s_6", None, "Hvor længe har du arbejdet i afsnittet?", "Hvor længe har du arbejdet i afsnittet?",
     {1: "Under et år", 2: "Et år eller mere"}),
]
STATUS = ["Ny", "Distribueret", "Nogen svar", "Gennemført", "Frafaldet"]
BACKGROUND = ["respondentkey", "b_email", "b_afsnit", "closetime"]
#: b_afsnit codes and their labels: one matches an afsnit by name, two by code.
AFSNIT_LABELS = {1: "Afsnit A1", 2: "H-A2", 3: "h-b1"}
AFSNIT_CODES = {1: "H-A1", 2: "H-A2", 3: "H-B1"}


@dataclass
class Row:
    """One respondent: afsnit code (b_afsnit value), status index 0-4, answers {variable: code or None}."""

    afsnit: int | str
    status: int = 3
    answers: dict = field(default_factory=dict)


def random_rows(seed: int = 7, count: int = 40) -> list[Row]:
    """Complete respondents spread over three afsnit, some blanks, plus one incomplete and one empty."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        answers = {}
        for variable, _, _, _, labels in QUESTIONS:
            answers[variable] = rng.choice([None] + list(labels)) if rng.random() < 0.9 else None
        answers["s_1"] = rng.choice(list(ENIGHED))
        rows.append(Row(afsnit=1 + i % 3, answers=answers))
    rows.append(Row(afsnit=1, status=2, answers={"s_1": 5, "s_2": 5}))
    rows.append(Row(afsnit=2, status=3, answers={"s_6": 1}))
    return rows


def workbook(rows: list[Row], questions=QUESTIONS, sheets=("Labels", "Variables", "Dataset", "Complete", "Structure"),
             extra_labels=(), variables_header=("variableName", "variableDescription"), float_codes=True,
             afsnit_labels=AFSNIT_LABELS) -> bytes:
    """The bytes of a SurveyXact export of `rows`."""
    status_vars = [f"stato_{k}" for k in range(1, 6)]
    variables = [(q[0], q[3]) for q in questions] + [
        ("respondentkey", "Respondentnøgle"), ("b_email", "E-mail"), ("b_afsnit", "Afsnit"),
        ("closetime", "Afsluttet")] + [(v, f"Samlet status - {s}") for v, s in zip(status_vars, STATUS)]
    book = Workbook()
    book.remove(book.active)
    made = {name: book.create_sheet(name) for name in sheets}

    def code(value):
        return float(value) if float_codes and isinstance(value, int) else value

    if "Labels" in made:
        for variable, _, _, _, labels in questions:
            for value, label in (labels or {}).items():
                made["Labels"].append([variable, code(value), label])
        for value, label in afsnit_labels.items():
            made["Labels"].append(["b_afsnit", code(value), label])
        for variable in status_vars:
            made["Labels"].append([variable, 0, "Nej"])
            made["Labels"].append([variable, 1, "Ja"])
        for row in extra_labels:
            made["Labels"].append(list(row))
    if "Variables" in made:
        made["Variables"].append(list(variables_header))
        for variable, description in variables:
            made["Variables"].append([variable, description])
    labels_of = {q[0]: q[4] for q in questions}
    for name in ("Dataset", "Complete"):
        if name not in made:
            continue
        sheet = made[name]
        sheet.append([v for v, _ in variables] if name == "Dataset" else [d for _, d in variables])
        for i, row in enumerate(rows):
            answers = [row.answers.get(q[0]) for q in questions]
            status = [1 if k == row.status else 0 for k in range(5)]
            if name == "Dataset":
                cells = [code(a) if a is not None and q[4] else a for q, a in zip(questions, answers)]
                afsnit = code(row.afsnit)
            else:
                cells = [labels_of[q[0]].get(a) if a is not None and q[4] else a for q, a in zip(questions, answers)]
                afsnit = afsnit_labels.get(row.afsnit, row.afsnit)
            sheet.append(cells + [f"KEY{i:05d}", f"person{i}@example.org", afsnit, "2025-03-14 10:12:00"]
                         + [code(s) for s in status])
        for _ in range(3):
            sheet.append([None] * len(variables))
    if "Structure" in made:
        sheet = made["Structure"]
        sheet.append(["questionName", "variableName", "questionType", "subType", "questionText", "choiceValue",
                      "choiceText"])
        for n, (variable, _, text, _, labels) in enumerate(questions, start=1):
            if labels is None:
                sheet.append([f"q{n}", variable, "Open", "String", text, None, None])
            for value, label in (labels or {}).items():
                sheet.append([f"q{n}", variable, "Closed", "Single", text, value, label])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_dimension_a1(data: bytes) -> bytes:
    """The workbook with every sheet declaring its size as `<dimension ref="A1"/>`, as SurveyXact writes it
    whatever the sheet holds (openpyxl writes the true size)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", info.filename):
                content, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1"/>', content)
                assert count == 1, info.filename
            target.writestr(info, content)
    return out.getvalue()


def expected_counts(rows: list[Row], reverse=("svaert_at_sige_til",)) -> dict[tuple[str, str], tuple[int, int]]:
    """(afsnit code, item code) -> (n, positive), counted straight from the rows, as the results should say."""
    counts: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        if row.status != 3:
            continue
        matched = {q[1]: row.answers.get(q[0]) for q in QUESTIONS if q[1] and row.answers.get(q[0]) is not None}
        if not matched:
            continue
        for item, value in matched.items():
            if item == "faggruppe" or value == 6:
                continue
            scored = 6 - value if item in reverse else value
            tally = counts.setdefault((AFSNIT_CODES[row.afsnit], item), [0, 0])
            tally[0] += 1
            tally[1] += scored >= 4
    return {key: tuple(v) for key, v in counts.items()}


def main(argv: list[str]) -> None:
    """`python -m tests.surveyxact_helpers OUT.xlsx CODE...`: an example export for the afsnit CODE... (README)."""
    out, codes = argv[0], argv[1:]
    labels = {i: code for i, code in enumerate(codes, start=1)}
    rows = [Row(afsnit=1 + i % len(codes), status=row.status, answers=row.answers) for i, row in enumerate(random_rows(count=20 * len(codes)))]
    with open(out, "wb") as fh:
        fh.write(workbook(rows, afsnit_labels=labels))
    print(f"{len(rows)} respondents written to {out}")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
