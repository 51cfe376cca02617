"""Recording audits, resuming them, their results, run charts and re-audit dates."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from surveyapp.extensions import db
from surveyapp.models import AuditAnswer, AuditSample
from surveyapp.services.audits import recording as audits
from surveyapp.services.audits import templates as audit_templates
from surveyapp.timeutil import utcnow


@pytest.fixture
def ward(make_org):
    return make_org()["H-A1"]


def answer_form(audit, answer="yes", note=""):
    return {f"c{c.id}": answer for c in audit.template.criteria} | {"note": note}


def start(client, ward, template="isbar-vagtoverlevering", workflow=""):
    template_id = audit_templates.find(template).id
    response = client.post("/audit/ny", data={"template": template_id, "unit": ward.id, "workflow": workflow,
                                               "audited_on": "2026-11-20"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return audits.load_audit(int(response.headers["Location"].split("/")[2]), _admin())


def _admin():
    from surveyapp.models import User

    return User(role="admin")


def test_builtin_templates_carry_the_hospitals_rules(app):
    isbar = audit_templates.find("isbar-vagtoverlevering")
    assert (isbar.kind, isbar.sample_size, isbar.rule_k, isbar.rule_n) == ("interview", 10, 9, 10)
    record = audit_templates.find("96-timers-behandlingsansvar")
    assert (record.kind, record.rule_kind, record.target_share) == ("record", "share", 0.9)
    generic = audit_templates.find("spoerg-10-personaler")
    assert generic.asks_workflow and generic.text("da") == "Spørg 10 personaler"


def test_template_round_trips_through_its_file_format(app):
    template = audit_templates.find("96-timers-behandlingsansvar")
    data = audit_templates.to_data(template)
    assert audit_templates.to_data(audit_templates.build(data)) == data
    with pytest.raises(audit_templates.TemplateError, match="rule"):
        audit_templates.validate(data | {"rule": {"k": 11, "n": 10}})


def test_auditor_records_ten_samples_and_nine_correct_is_implemented(client, login_as, ward):
    login_as("auditor", units=[ward])
    audit = start(client, ward)
    for number in range(1, 11):
        response = client.post(f"/audit/{audit.id}/stikproeve/{number}",
                               data=answer_form(audit, "no" if number == 4 else "yes"))
        assert response.status_code == 302
    assert response.headers["Location"] == f"/audit/{audit.id}"
    page = client.get(f"/audit/{audit.id}").get_data(as_text=True)
    assert "90" in page and "Implementeret" in page and "9 af 10 korrekte" in page


def test_eight_of_ten_is_not_implemented(client, login_as, ward):
    login_as("auditor", units=[ward])
    audit = start(client, ward)
    for number in range(1, 11):
        client.post(f"/audit/{audit.id}/stikproeve/{number}", data=answer_form(audit, "no" if number <= 2 else "yes"))
    assert "Ikke implementeret" in client.get(f"/audit/{audit.id}").get_data(as_text=True)


def test_each_sample_is_saved_as_entered_and_the_audit_resumes_where_it_stopped(client, login_as, ward):
    login_as("auditor", units=[ward])
    audit = start(client, ward)
    for number in (1, 2, 3):
        client.post(f"/audit/{audit.id}/stikproeve/{number}", data=answer_form(audit))
    assert db.session.scalar(select(func.count()).select_from(AuditSample)) == 3
    page = client.get(f"/audit/{audit.id}").get_data(as_text=True)
    assert f"/audit/{audit.id}/stikproeve/4" in page and "Fortsæt med stikprøve 4" in page
    # correcting a sample replaces its answers
    client.post(f"/audit/{audit.id}/stikproeve/2", data=answer_form(audit, "no"))
    assert db.session.scalar(select(func.count()).select_from(AuditAnswer)) == 3 * len(audit.template.criteria)


def test_missing_answer_keeps_the_others_and_names_the_question(client, login_as, ward):
    login_as("auditor", units=[ward])
    audit = start(client, ward)
    first, second = audit.template.criteria
    response = client.post(f"/audit/{audit.id}/stikproeve/1", data={f"c{first.id}": "yes"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Besvar dette spørgsmål" in page
    assert page.count("checked") == 1  # the answer given is still chosen
    summary = page[page.index('id="error-summary"'):page.index("</ul>", page.index('id="error-summary"'))]
    assert f'href="#c{second.id}">{second.label("da")}: ' in summary
    assert db.session.scalar(select(func.count()).select_from(AuditSample)) == 0


def test_a_note_with_a_cpr_number_is_refused(client, login_as, ward):
    login_as("auditor", units=[ward])
    audit = start(client, ward)
    response = client.post(f"/audit/{audit.id}/stikproeve/1", data=answer_form(audit, note="Pt 010150-1234"))
    assert response.status_code == 200 and "CPR" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditSample)) == 0


def test_tampered_answer_value_is_refused(client, login_as, ward):
    login_as("auditor", units=[ward])
    audit = start(client, ward)
    response = client.post(f"/audit/{audit.id}/stikproeve/1", data=answer_form(audit, "maybe"))
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditSample)) == 0


def test_generic_template_needs_the_workflow_named(client, login_as, ward):
    login_as("auditor", units=[ward])
    template_id = audit_templates.find("spoerg-10-personaler").id
    response = client.post("/audit/ny", data={"template": template_id, "unit": ward.id, "audited_on": "2026-11-20"})
    assert response.status_code == 200 and "Angiv hvilken arbejdsgang" in response.get_data(as_text=True)
    audit = start(client, ward, "spoerg-10-personaler", workflow="Faldforebyggelse")
    assert audit.workflow == "Faldforebyggelse"


def test_finishing_sets_the_reaudit_date_and_locks_the_audit(client, login_as, ward):
    login_as("auditor", units=[ward])
    audit = start(client, ward)
    client.post(f"/audit/{audit.id}/stikproeve/1", data=answer_form(audit))
    due = utcnow().date() + timedelta(days=3)
    client.post(f"/audit/{audit.id}/afslut", data={"reaudit_on": due.isoformat()})
    index = client.get("/audit/").get_data(as_text=True)
    assert "Audits, der skal laves" in index and ward.name in index
    late = client.post(f"/audit/{audit.id}/stikproeve/2", data=answer_form(audit))
    assert late.status_code == 302 and late.headers["Location"] == f"/audit/{audit.id}"
    assert db.session.scalar(select(func.count()).select_from(AuditSample)) == 1


def test_viewer_sees_results_but_cannot_record(client, login_as, ward):
    login_as("viewer", units=[ward])
    assert client.get("/audit/ny").status_code == 403
    assert client.get("/audit/resultater").status_code == 200


def test_audits_outside_the_users_scope_are_not_found(client, login_as, make_org, ward, make_user):
    other = make_org("X")["X-A1"]
    audit = audits.start_audit(audit_templates.find("isbar-vagtoverlevering"), other, make_user("admin"),
                               date(2026, 11, 1))
    db.session.commit()
    login_as("auditor", units=[ward])
    assert client.get(f"/audit/{audit.id}").status_code == 404
    assert client.get(f"/audit/{audit.id}/stikproeve/1").status_code == 404
    assert client.get(f"/audit/resultater/{other.id}/isbar-vagtoverlevering").status_code == 404
    template_id = audit_templates.find("isbar-vagtoverlevering").id
    refused = client.post("/audit/ny", data={"template": template_id, "unit": other.id, "audited_on": "2026-11-20"})
    assert refused.status_code == 200  # not a choice the form offers


def record_finished(ward, user, shares: list[float], template="isbar-vagtoverlevering", first=date(2026, 1, 1)):
    """A finished audit per share, 30 days apart from `first`, each with that share of correct samples."""
    template = audit_templates.find(template)
    for index, share in enumerate(shares):
        audit = audits.start_audit(template, ward, user, first + timedelta(days=30 * index))
        correct = round(share * template.sample_size)
        for number in range(1, template.sample_size + 1):
            answer = "yes" if number <= correct else "no"
            audits.save_sample(audit, number, {c.id: answer for c in template.criteria}, None)
        audits.finish(audit, None)
    db.session.commit()


def test_run_chart_shows_the_median_target_and_a_shift_in_words(client, login_as, ward, make_user):
    record_finished(ward, make_user("admin"), [0.3, 0.4, 0.5, 0.4, 0.5, 0.4, 0.6, 0.8, 0.9, 0.8, 1.0, 0.9, 1.0])
    login_as("coordinator", units=[ward])
    page = client.get(f"/audit/resultater/{ward.id}/isbar-vagtoverlevering").get_data(as_text=True)
    assert page.count("<circle") + page.count("<rect") == 13
    assert "Median" in page and "Mål 90" in page
    assert "Skift: 6 audits i træk over medianen" in page


def test_results_roll_up_from_samples_not_shares(client, login_as, make_org, make_user):
    org = make_org()
    admin = make_user("admin")
    record_finished(org["H-A1"], admin, [1.0])
    record_finished(org["H-A2"], admin, [0.5])
    login_as("coordinator", units=[org["H"]])
    rows, _, _ = audits.latest_results(admin, "isbar-vagtoverlevering")
    by_code = {r.unit_code: r for r in rows}
    assert by_code["H-A"].tally.correct == 15 and by_code["H-A"].tally.applicable == 20
    assert by_code["H-A1"].implemented and not by_code["H-A2"].implemented and not by_code["H"].implemented
    page = client.get("/audit/resultater?template=isbar-vagtoverlevering").get_data(as_text=True)
    assert "15/20" in page and "Afsnit A1" in page


def test_run_chart_downloads_as_a_pdf_with_the_same_numbers(client, login_as, ward, make_user, tmp_path):
    import subprocess

    record_finished(ward, make_user("admin"), [0.6, 0.7, 0.9])
    login_as("coordinator", units=[ward])
    response = client.get(f"/audit/resultater/{ward.id}/isbar-vagtoverlevering.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (tmp_path / "report.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "ISBAR ved vagtoverlevering" in text and "Afsnit A1" in text
    assert "6/10" in text and "9/10" in text and "Side 1 / 1" in text
    assert client.get(f"/audit/resultater/{ward.id + 100}/isbar-vagtoverlevering.pdf").status_code == 404


def test_run_chart_words_count_only_the_points_that_make_the_signal(client, login_as, ward, make_user, tmp_path):
    import subprocess

    # median 0.5; the six audits above it are interrupted by two on the median: "6 audits", not 8.
    record_finished(ward, make_user("admin"),
                    [0.2, 0.3, 0.2, 0.3, 0.5, 0.8, 0.9, 0.5, 0.8, 0.9, 0.5, 0.8, 0.9, 0.2, 0.3, 0.2])
    login_as("coordinator", units=[ward])
    page = client.get(f"/audit/resultater/{ward.id}/isbar-vagtoverlevering").get_data(as_text=True)
    assert "Skift: 6 audits i træk over medianen" in page and "8 audits i træk" not in page
    response = client.get(f"/audit/resultater/{ward.id}/isbar-vagtoverlevering.pdf")
    (tmp_path / "chart.pdf").write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "chart.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Skift: 6 audits i træk over medianen" in " ".join(text.split())


def test_results_explain_a_missing_sample_and_count_implemented_afsnit(client, login_as, make_org, make_user):
    org = make_org()
    admin = make_user("admin")
    template = audit_templates.find("isbar-vagtoverlevering")  # 9 of 10
    audit = audits.start_audit(template, org["H-A1"], admin, date(2026, 10, 1))
    for number in range(1, 11):
        answer = "na" if number == 10 else "yes"  # nothing applied in the tenth sample
        audits.save_sample(audit, number, {c.id: answer for c in template.criteria}, None)
    audits.finish(audit, None)
    db.session.commit()
    record_finished(org["H-A2"], admin, [1.0])
    login_as("coordinator", units=[org["H"]])
    page = client.get("/audit/resultater?template=isbar-vagtoverlevering").get_data(as_text=True)
    row = page[page.index("Afsnit A1</a>"):].split("</tr>")[0]
    assert "9 af 9 relevante — der mangler 1 stikprøve" in row and "✘ Nej" not in row
    department = page[page.index("<strong>Afdeling A</strong>"):].split("</tr>")[0]
    assert "19/19" in department and "1 af 2 afsnit" in department
    shown = client.get(f"/audit/{audit.id}").get_data(as_text=True)
    assert "9 af 9 relevante — der mangler 1 stikprøve" in shown


def test_a_full_share_of_too_few_samples_is_not_shown_as_failing(client, login_as, ward):
    login_as("auditor", units=[ward])
    audit = start(client, ward)
    client.post(f"/audit/{audit.id}/stikproeve/1", data=answer_form(audit))
    page = client.get(f"/audit/{audit.id}").get_data(as_text=True)
    assert 'class="result-box result-pending"' in page and "result-bad" not in page


def test_results_open_on_the_template_of_the_newest_finished_audit(client, login_as, ward, make_user):
    """Without a choice the results page shows the newest audit's template, not the first one with nothing yet."""
    first = audit_templates.active_templates()[0].code
    other = next(t.code for t in audit_templates.active_templates() if t.code != first)
    record_finished(ward, make_user("admin"), [0.9], template=other)
    login_as("coordinator", units=[ward])
    page = client.get("/audit/resultater").get_data(as_text=True)
    assert f'value="{other}" selected' in page and "Endnu ingen afsluttede audits" not in page
    assert "9/10" in page


def test_run_chart_downloads_as_a_16_9_slide_in_svg_and_png(client, login_as, ward, make_user):
    import xml.etree.ElementTree as ET
    from io import BytesIO

    record_finished(ward, make_user("admin"), [0.6, 0.7, 0.9])
    login_as("auditor", units=[ward])
    url = f"/audit/resultater/{ward.id}/isbar-vagtoverlevering"
    html = client.get(url).get_data(as_text=True)
    assert f'href="{url}/diagram.png"' in html and f'href="{url}/diagram.svg"' in html
    svg = client.get(url + "/diagram.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and "attachment" in svg.headers["Content-Disposition"]
    root = ET.fromstring(svg.get_data(as_text=True))
    assert root.get("viewBox") == "0 0 1920 1080"
    words = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "ISBAR ved vagtoverlevering" in words and "01.01.2026" in words and "Mål 90\xa0%" in words
    png = client.get(url + "/diagram.png")
    assert png.mimetype == "image/png" and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    try:
        from PIL import Image
    except ImportError:
        size = int.from_bytes(png.data[16:20], "big"), int.from_bytes(png.data[20:24], "big")
    else:
        size = Image.open(BytesIO(png.data)).size
    assert size == (1920, 1080)
    assert client.get(f"/audit/resultater/{ward.id + 100}/isbar-vagtoverlevering/diagram.svg").status_code == 404


def test_run_chart_slide_without_finished_audits_is_not_found(client, login_as, ward):
    login_as("auditor", units=[ward])
    assert client.get(f"/audit/resultater/{ward.id}/isbar-vagtoverlevering/diagram.svg").status_code == 404


def test_run_chart_pdf_footer_is_in_the_sans_font_of_the_page(client, login_as, ward, make_user, tmp_path):
    import subprocess

    record_finished(ward, make_user("admin"), [0.6, 0.7])
    login_as("coordinator", units=[ward])
    (tmp_path / "r.pdf").write_bytes(client.get(f"/audit/resultater/{ward.id}/isbar-vagtoverlevering.pdf").data)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "r.pdf")], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("DejaVu-Sans" in name or "DejaVuSans" in name for name in names), names  # no serif footer


def test_a_share_below_the_rule_never_reads_as_reaching_it(app):
    from flask_babel import force_locale

    from surveyapp.services.audits.pages import share_text

    with app.test_request_context(), force_locale("da"):
        nine_of_ten = audit_templates.find("spoerg-10-personaler")
        assert share_text(26 / 29, nine_of_ten) == "89\xa0%"  # 89.66 %: not "90 %" beside "✘ Nej"
        assert share_text(27 / 30, nine_of_ten) == "90\xa0%" and share_text(0.955, nine_of_ten) == "96\xa0%"


def test_a_run_chart_of_two_audits_says_too_few_measurements(client, login_as, ward, make_user):
    record_finished(ward, make_user("admin"), [0.5, 0.9])
    login_as("coordinator", units=[ward])
    page = client.get(f"/audit/resultater/{ward.id}/isbar-vagtoverlevering").get_data(as_text=True)
    assert "For få målinger: 2 audits indtil nu" in page and "mindst 6" in page
    assert "Intet skift" not in page and "ingen trend" not in page


def test_a_run_chart_follows_one_workflow_of_ask_ten_staff(client, login_as, ward, make_user):
    admin = make_user("admin")
    template = audit_templates.find("spoerg-10-personaler")
    for day, workflow in ((1, "Håndhygiejne"), (2, "Faldforebyggelse"), (3, "håndhygiejne ")):
        audit = audits.start_audit(template, ward, admin, date(2026, 1, day), workflow)
        for number in range(1, 11):
            audits.save_sample(audit, number, {c.id: "yes" for c in template.criteria}, None)
        audits.finish(audit, None)
    db.session.commit()
    login_as("coordinator", units=[ward])
    url = f"/audit/resultater/{ward.id}/spoerg-10-personaler"
    latest = client.get(url).get_data(as_text=True)  # the latest audited workflow first, its two audits together
    assert "Spørg 10 personaler: håndhygiejne" in latest and latest.count("<circle") + latest.count("<rect") == 2
    other = client.get(url + "?workflow=faldforebyggelse").get_data(as_text=True)
    assert "Spørg 10 personaler: Faldforebyggelse" in other and other.count("<circle") + other.count("<rect") == 1
    results = client.get("/audit/resultater?template=spoerg-10-personaler&workflow=Faldforebyggelse").get_data(as_text=True)
    assert "<option selected>Faldforebyggelse</option>" in results
