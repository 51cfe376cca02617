"""Importing DPSD cases from the Report Centre's extract: CSV with `;` and a BOM, and Excel; all or nothing."""
import io

import pytest
from openpyxl import Workbook

from surveyapp.extensions import db
from surveyapp.models import DpsdCase

HEADER = ("ID;Opret-dato;Hændelsesdato;Hændelsessted/Lokation;Faktisk konsekvens;Mulig konsekvens;"
          "Samlet alvorlighedskategori;DPSD klassifikation - Hovedgruppe;Status;Afsluttet dato;Dage til sagsafslutning")


def report_centre_csv(*rows: str) -> bytes:
    """A file as the Report Centre writes it ("kun data"): UTF-8 with a BOM, `;`, CRLF."""
    return ("\ufeff" + "\r\n".join((HEADER,) + rows) + "\r\n").encode("utf-8")


ROWS = ("1001;03-02-2026;01-02-2026;Afsnit A1;Ingen skade;Lettere skade;ingen;Medicinering;Afsluttet;20-02-2026;17",
        "1002;2026-02-15;2026-02-14;H-B2;Ingen skade;Alvorlig;alvorlig;Fald;Under behandling;;",
        "1003;10-03-2026;09-03-2026;Afsnit A2;Ingen skade;Ingen;Lettere;Kommunikation;Afsluttet;15-06-2026;97")


@pytest.fixture
def write(tmp_path):
    def write(name: str, data: bytes | str) -> str:
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return str(path)
    return write


def test_the_report_centre_csv_imports_its_cases_keeping_only_what_the_indicators_need(runner, make_org, write):
    make_org()
    result = runner.invoke(args=["import-dpsd", write("uth.csv", report_centre_csv(*ROWS))])
    assert result.exit_code == 0, result.output
    assert "imported: 3 created, 0 updated, 0 unchanged" in result.output
    assert "not read: Hændelsesdato, Faktisk konsekvens" in result.output
    cases = {c.case_id: c for c in db.session.scalars(db.select(DpsdCase))}
    assert cases["1001"].unit.code == "H-A1" and cases["1001"].severity == "ingen"
    assert str(cases["1001"].closed_on) == "2026-02-20"
    assert cases["1002"].closed_on is None and cases["1002"].unit.code == "H-B2"
    assert cases["1003"].severity == "lettere"
    assert set(DpsdCase.__table__.columns.keys()) == {"id", "case_id", "unit_id", "created_on", "closed_on",
                                                      "severity", "imported_at"}


def test_an_excel_extract_imports_like_the_csv(runner, make_org, write):
    from datetime import datetime
    make_org()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append([2001, datetime(2026, 4, 1, 9, 30), None, "Afsnit B1", None, None, "Alvorlig patientsikkerhedsrisiko",
                  None, "Afsluttet", datetime(2026, 4, 30), 29])
    data = io.BytesIO()
    workbook.save(data)
    result = runner.invoke(args=["import-dpsd", write("uth.xlsx", data.getvalue())])
    assert result.exit_code == 0, result.output
    case = db.session.scalar(db.select(DpsdCase))
    assert (case.case_id, case.unit.code, case.severity, str(case.created_on)) == ("2001", "H-B1", "alvorlig_risiko",
                                                                                   "2026-04-01")


def test_reimporting_an_overlapping_extract_updates_cases_by_id(runner, make_org, write):
    make_org()
    runner.invoke(args=["import-dpsd", write("a.csv", report_centre_csv(*ROWS))])
    closed = ROWS[1].replace("Under behandling;;", "Afsluttet;01-04-2026;45")
    result = runner.invoke(args=["import-dpsd", write("b.csv", report_centre_csv(closed, ROWS[2],
                               "1004;01-05-2026;;H-A1;;;ingen;;;;"))])
    assert result.exit_code == 0, result.output
    assert "imported: 1 created, 1 updated, 1 unchanged" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(DpsdCase)) == 4
    assert str(db.session.scalar(db.select(DpsdCase).filter_by(case_id="1002")).closed_on) == "2026-04-01"


def test_every_error_is_reported_by_row_and_nothing_is_written(runner, make_org, write):
    make_org()
    rows = ("1001;31-02-2026;;Afsnit A1;;;ingen;;;;",          # no such date
            "1002;01-02-2026;;Kantinen;;;ingen;;;;",            # unknown afsnit
            "1003;01-02-2026;;H-A1;;;moderat;;;;",              # not a DPSD severity
            "1004;01-02-2026;;H-A1;;;ingen;;;1/3/2026;",        # a date that does not parse
            "1004;02-02-2026;;H-A2;;;ingen;;;;")                # duplicate case id
    result = runner.invoke(args=["import-dpsd", write("bad.csv", report_centre_csv(*rows))])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("2: Bad date 31-02-2026") for line in lines)
    assert any(line.startswith("3: Unknown location Kantinen") for line in lines)
    assert any(line.startswith("4: Unknown severity moderat") for line in lines)
    assert any(line.startswith("5: Bad date 1/3/2026") for line in lines)
    assert any(line.startswith("6: Duplicate case id 1004 (also row 5)") for line in lines)
    assert "5 error(s); nothing was imported" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(DpsdCase)) == 0


def test_a_mapping_that_brings_in_a_description_is_refused(runner, make_org, write):
    make_org()
    header = "Sags-ID;Oprettet;Beskrivelse;Alvorlighed;Lukket"
    data = ("\ufeff" + header + "\r\n1;01-02-2026;Patient faldt på stuen;ingen;\r\n").encode()
    mapping = "field,header\ncase_id,Sags-ID\ncreated_on,Oprettet\nlocation,Beskrivelse\nseverity,Alvorlighed\n" \
              "closed_on,Lukket\n"
    result = runner.invoke(args=["import-dpsd", write("x.csv", data), "--mapping", write("m.csv", mapping)])
    assert result.exit_code == 1
    assert "The column Beskrivelse would bring free text into location" in result.output
    extra = runner.invoke(args=["import-dpsd", write("x.csv", data), "--mapping",
                                write("m2.csv", "description,Beskrivelse\n")])
    assert extra.exit_code == 1
    assert "mapping 1: The field description is refused: the import never stores descriptions" in extra.output
    assert db.session.scalar(db.select(db.func.count()).select_from(DpsdCase)) == 0


def test_another_layout_imports_through_a_mapping_and_a_locations_file(runner, make_org, write):
    make_org()
    data = ("\ufeffSagsnr;Oprettet;Sted;Alvorlighed;Lukket;Hændelsesbeskrivelse\r\n"
            "77;2026-05-02;Sengeafsnit 4;alvorlig;2026-05-20;Her står fri tekst\r\n").encode()
    mapping = "field,header\ncase_id,Sagsnr\ncreated_on,Oprettet\nlocation,Sted\nseverity,Alvorlighed\nclosed_on,Lukket\n"
    result = runner.invoke(args=["import-dpsd", write("x.csv", data), "--mapping", write("m.csv", mapping),
                                 "--locations", write("l.csv", "location;unit_code\nSengeafsnit 4;H-B1\n"),
                                 "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "not read: Hændelsesbeskrivelse" in result.output
    assert "dry run: 1 created" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(DpsdCase)) == 0
    runner.invoke(args=["import-dpsd", write("x.csv", data), "--mapping", write("m.csv", mapping),
                        "--locations", write("l.csv", "location;unit_code\nSengeafsnit 4;H-B1\n")])
    assert db.session.scalar(db.select(DpsdCase)).unit.code == "H-B1"


def test_a_locations_file_naming_an_unknown_unit_is_an_error(runner, make_org, write):
    make_org()
    result = runner.invoke(args=["import-dpsd", write("x.csv", report_centre_csv(ROWS[0])), "--locations",
                                 write("l.csv", "Sengeafsnit 4;NOPE\n")])
    assert result.exit_code == 1
    assert "locations 1: NOPE is no afsnit." in result.output
