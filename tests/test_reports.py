"""PDF reports read back with pdftotext: the afsnit report and the overview of an afdeling or sygehus carry the
results service's numbers, hide small groups, compare with the previous round, in Danish or English."""
import subprocess
from datetime import timedelta

import pytest

from surveyapp.extensions import db
from surveyapp.formatting import percent as format_pct
from surveyapp.services.results.counts import load_round
from surveyapp.timeutil import utcnow
from tests.results_helpers import add_responses, closed, tryg


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture
def rounds(make_round, org):
    """A closed baseline and the current round; H-A1 improves from 2 of 5 to 4 of 5 positive."""
    start = utcnow() - timedelta(days=200)
    baseline = make_round(units=list(org.values()), opens=start, closes=start + timedelta(days=30), name="Baseline 2025")
    add_responses(baseline, org["H-A1"], tryg(5, 4, 2, 2, 1))
    add_responses(baseline, org["H-A2"], tryg(5, 5, 5, 5, 5))
    current = make_round(**closed(), units=list(org.values()), name="Opfølgning 2026")
    add_responses(current, org["H-A1"], tryg(5, 4, 4, 4, 2, None))
    add_responses(current, org["H-A2"], tryg(5, 5, 5, 5, 4))
    add_responses(current, org["H-B1"], tryg(5, 5))
    add_responses(current, org["H-B2"], tryg(1, 2, 4, 4, 5, 5, 5))
    db.session.commit()
    return baseline, current


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def report(client, round_, unit, tmp_path, lang="da"):
    response = client.get(f"/koordinator/download/runde/{round_.id}/rapport/{unit.id}.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return pdf_text(response.data, tmp_path)


def test_afsnit_report_has_its_numbers_challenges_change_rate_and_action_plan(client, login_as, rounds, org, tmp_path):
    baseline, current = rounds
    login_as("admin")
    text = report(client, current, org["H-A1"], tmp_path)
    score = load_round(current).item_score(org["H-A1"].id, "tryg_som_patient")
    assert score.percent == pytest.approx(80.0)
    assert "Afsnit A1" in text and "Opfølgning 2026" in text
    assert "Jeg ville føle mig tryg, hvis jeg var patient her" in text
    assert f"{format_pct(score.percent)} ✓ {format_pct(score.ci_low)}–{format_pct(score.ci_high)}".replace("\xa0", " ") \
        in text.replace("\xa0", " ")
    assert "+40,0" in text  # 40 % in the baseline, 80 % now
    assert "procentpoint siden Baseline 2025" in " ".join(text.split())
    assert "De tre største udfordringer" in text and "Handlingsplan" in text
    assert "Svarprocent" in text and "30,0 %" in text.replace("\xa0", " ")  # 6 of 20 staff
    assert "Side 1 / 2" in text and "Udskrevet" in text


def test_afsnit_report_in_english(client, login_as, rounds, org, tmp_path):
    login_as("admin")
    text = report(client, rounds[1], org["H-A1"], tmp_path, lang="en")
    assert "Results per item" in text and "The three biggest challenges" in text
    assert "80.0%" in text and "Page 1 / 2" in text and "Action plan" in text


def test_hidden_afsnit_report_shows_no_numbers(client, login_as, rounds, org, tmp_path):
    login_as("admin")
    text = " ".join(report(client, rounds[1], org["H-B1"], tmp_path).split())
    assert "så resultaterne er skjult for at beskytte anonymiteten" in text
    assert "100,0" not in text and "– – –" not in text and "skjult skjult" not in text
    assert text.count("skjult") >= 6  # every item row says hidden instead of numbers


def test_overview_reports_list_every_unit_below_with_the_dashboard_numbers(client, login_as, rounds, org, tmp_path):
    current = rounds[1]
    data = load_round(current)
    login_as("admin")
    for code, below in (("H", ["H-A", "H-A1", "H-A2", "H-B", "H-B1", "H-B2"]), ("H-A", ["H-A1", "H-A2"])):
        text = report(client, current, org[code], tmp_path).replace("\xa0", " ")
        assert "Alle enheder" in text and "Nøglespørgsmål" in text
        lines = {line.split()[2]: line for line in text.splitlines()
                 if line.strip().startswith(("Afsnit", "Afdeling")) and len(line.split()) > 3}
        for unit_code in below:
            score = data.item_score(org[unit_code].id, "tryg_som_patient")
            line = lines[unit_code]
            if score.suppressed:
                assert "skjult" in line
            else:
                assert format_pct(score.percent).replace("\xa0", " ") in line


def test_reports_respect_the_scope(client, login_as, rounds, org):
    login_as("coordinator", units=[org["H-B"]])
    url = f"/koordinator/download/runde/{rounds[1].id}/rapport"
    assert client.get(f"{url}/{org['H-A1'].id}.pdf").status_code == 404
    assert client.get(f"{url}/{org['H-B'].id}.pdf").status_code == 200
    assert client.get(f"{url}/{org['H-B'].id}.pdf?lang=xx").status_code == 400


def test_patient_round_report_and_csv_have_no_staff_response_rate(client, login_as, make_round, org, tmp_path):
    round_ = make_round(**closed(), questionnaire="hvad-er-vigtigt-for-dig", units=list(org.values()), name="Patientdag")
    add_responses(round_, org["H-A1"], [{"tryg_indlagt": v} for v in (5, 5, 4, 2, 1)]
                  + [{"tryg_indlagt": 5, "vigtigt_for_dig": "=ro om natten"}])
    db.session.commit()
    login_as("admin")
    text = " ".join(report(client, round_, org["H-A1"], tmp_path).split())
    assert "Besvarelser Mål 6 80 %" in text.replace("\xa0", " ")
    assert "Svarprocent" not in text and "Medarbejdere" not in text
    assert "66,7 %" in text.replace("\xa0", " ")  # 4 of 6 positive
    rows = client.get(f"/koordinator/download/runde/{round_.id}/resultater.csv?format=plain&level=afsnit")
    a1 = next(line for line in rows.get_data(as_text=True).splitlines() if line.startswith("afsnit,H-A1,"))
    assert ",6,,," in a1  # 6 respondents; no headcount and no response rate for patients
