"""QR posters, table tents, answer-code cards and poster packs: rendered, read back and scanned from the page."""
import io
import re
import subprocess

import pytest
from PIL import Image
from pyzbar.pyzbar import decode

from surveyapp.extensions import db
from surveyapp.models import CollectionLink
from surveyapp.services.collection import posters
from surveyapp.services.collection.links import add_link, link_url

PATIENT = "hvad-er-vigtigt-for-dig"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text by pdftotext, without the bidi control characters it puts around right-to-left runs."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return BIDI_CONTROLS.sub("", out.decode("utf-8"))


def pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def page_size(pdf: bytes) -> str:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return re.search(r"^Page size:\s+(.*)$", info, re.M).group(1)


def scan_page(pdf: bytes, page: int = 1) -> list[str]:
    """Print the page at 150 dpi (pdftoppm) and decode every QR code on the image, as a phone would."""
    png = subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), "-singlefile", "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return sorted(code.data.decode() for code in decode(Image.open(io.BytesIO(png))) if code.type == "QRCODE")


def embedded_fonts(pdf: bytes, tmp_path) -> dict[str, str]:
    """Font name -> 'yes'/'no' for embedded, from pdffonts."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1]: line.split()[-5] for line in lines}


def word_boxes(pdf: bytes) -> list[tuple[str, float, float]]:
    """(word, top, bottom) in points for every word of page 1, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return [(word, float(top), float(bottom)) for top, bottom, word in
            re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html)]


def open_link(round_, unit_code: str) -> CollectionLink:
    return next(link for link in round_.links if link.kind == "open" and link.unit.code == unit_code)


@pytest.fixture
def patient_round(make_round):
    return make_round(questionnaire=PATIENT, name="Hvad er vigtigt for dig?-dagen")


@pytest.fixture
def staff_round(make_round):
    return make_round(link_kinds=("open", "code"), name="Patientsikkerhedskultur forår")


def test_patient_poster_scans_to_the_link_and_speaks_six_languages(patient_round, tmp_path):
    link = open_link(patient_round, "H-A1")
    pdf = posters.poster_pdf(link)
    assert pdf_pages(pdf) == 1 and "(A4)" in page_size(pdf)
    assert scan_page(pdf) == [link_url(link.slug)] == ["http://surveyapp.test/s/" + link.slug]
    text = pdf_text(pdf)
    for expected in ("Hvad er vigtigt for dig?", "Er du tryg ved at være indlagt?", "Afsnit A1",
                     "Afdeling A · Sygehus H", "Du er anonym", "Scan QR-koden med mobilens kamera",
                     "What matters to you?", "Was ist Ihnen wichtig?", "Co jest dla Ciebie ważne?",
                     "Що для вас важливо?", "ما الذي يهمك؟"):
        assert expected in text
    fonts = embedded_fonts(pdf, tmp_path)
    assert {"DejaVu-Sans", "DejaVu-Sans-Bold", "Noto-Sans-Arabic"} <= set(fonts)
    assert set(fonts.values()) == {"yes"}


def test_patient_poster_marks_each_language_and_arabic_right_to_left(patient_round):
    html = posters.poster_html(open_link(patient_round, "H-A1"))
    assert '<html lang="da" dir="ltr">' in html
    assert '<div class="lang" lang="ar" dir="rtl">' in html
    for lang in ("en", "de", "pl", "uk"):
        assert f'<div class="lang" lang="{lang}" dir="ltr">' in html
    assert 'role="img" aria-label="QR-kode til Afsnit A1"' in html
    assert 'id="qr-path"' not in html and html.count("<svg") == 1


def test_table_tent_is_a_folded_a4_with_the_question_upright_on_both_sides(patient_round):
    link = open_link(patient_round, "H-B2")
    pdf = posters.poster_pdf(link, "a5")
    assert pdf_pages(pdf) == 1 and "(A4)" in page_size(pdf)
    assert scan_page(pdf) == [link_url(link.slug)] * 2
    assert pdf_text(pdf).count("Hvad er vigtigt for dig?") == 2
    assert '<div class="panel flipped">' in posters.poster_html(link, "a5")


def test_staff_poster_invites_to_answer_anonymously_in_two_minutes(staff_round):
    link = open_link(staff_round, "H-A2")
    pdf = posters.poster_pdf(link)
    assert scan_page(pdf) == [link_url(link.slug)]
    text = pdf_text(pdf)
    assert "Patientsikkerhedskultur" in text and "Afsnit A2" in text
    assert "Scan og svar anonymt, det tager to minutter" in " ".join(text.split())


def test_tents_and_posters_only_for_what_they_fit(staff_round):
    with pytest.raises(posters.PosterError):
        posters.poster_pdf(open_link(staff_round, "H-A1"), "a5")
    with pytest.raises(posters.PosterError):
        posters.poster_pdf(open_link(staff_round, "H-A1"), "a3")
    code = next(link for link in staff_round.links if link.kind == "code")
    with pytest.raises(posters.PosterError):
        posters.poster_pdf(code)


def test_code_cards_print_every_unused_code_of_the_afsnit_ten_to_a_page(staff_round):
    unit = open_link(staff_round, "H-A1").unit
    for _ in range(11):
        add_link(staff_round, unit, "code")
    db.session.flush()
    codes = [link for link in staff_round.links if link.kind == "code" and link.unit_id == unit.id]
    codes[0].used = True
    db.session.commit()
    unused = sorted(codes[1:], key=lambda link: link.id)
    pdf = posters.code_cards_pdf(staff_round, unit)
    assert pdf_pages(pdf) == 2
    assert scan_page(pdf, 1) == sorted(link_url(link.slug) for link in unused[:10])
    assert scan_page(pdf, 2) == [link_url(unused[10].slug)]
    text = pdf_text(pdf)
    assert all(posters.spaced_code(link.slug) in text for link in unused)
    assert posters.spaced_code(codes[0].slug) not in text
    assert text.count("Svarkode") == 11 and "Koden virker én gang og er ikke knyttet til dig." in " ".join(text.split())


def test_spaced_code_groups_by_four():
    assert posters.spaced_code("abcdefghijkm") == "abcd efgh ijkm"


def test_poster_pack_has_one_poster_per_afsnit_then_the_code_cards(staff_round):
    pdf = posters.pack_pdf(staff_round)
    assert pdf_pages(pdf) == 4
    assert scan_page(pdf, 3) == [link_url(open_link(staff_round, "H-B1").slug)]
    with_codes = posters.pack_pdf(staff_round, with_codes=True)
    assert pdf_pages(with_codes) == 4 + 4  # one card sheet per afsnit (one code each)
    only_a = posters.pack_pdf(staff_round, {open_link(staff_round, "H-A2").unit_id})
    assert pdf_pages(only_a) == 1 and "Afsnit A2" in pdf_text(only_a)
    with pytest.raises(posters.PosterError):
        posters.pack_html(staff_round, set())


def test_pack_loads_its_data_in_a_few_queries(staff_round, app):
    from sqlalchemy import event

    db.session.expire_all()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        posters.pack_html(staff_round, with_codes=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) <= 5, statements


# --- coordinator downloads ------------------------------------------------------------------------------------


def test_downloads_need_a_login(client, staff_round):
    response = client.get(f"/koordinator/plakater/runde/{staff_round.id}.pdf")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_coordinator_gets_posters_of_their_units_only(client, login_as, patient_round):
    a1, b1 = open_link(patient_round, "H-A1"), open_link(patient_round, "H-B1")
    login_as("coordinator", units=[a1.unit.parent])
    response = client.get(f"/koordinator/plakater/link/{a1.id}.pdf?size=a5")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert scan_page(response.data) == [link_url(a1.slug)] * 2
    assert client.get(f"/koordinator/plakater/link/{b1.id}.pdf").status_code == 404
    assert client.get("/koordinator/plakater/link/99999.pdf").status_code == 404
    pack = client.get(f"/koordinator/plakater/runde/{patient_round.id}.pdf")
    assert pack.status_code == 200 and pdf_pages(pack.data) == 2
    assert "Afsnit A1" in pdf_text(pack.data) and "Afsnit B1" not in pdf_text(pack.data)


def test_coordinator_without_units_in_the_round_gets_404(client, login_as, make_org, staff_round):
    other = make_org("X")
    login_as("coordinator", units=[other["X"]])
    assert client.get(f"/koordinator/plakater/runde/{staff_round.id}.pdf").status_code == 404
    unit = open_link(staff_round, "H-A1").unit
    assert client.get(f"/koordinator/plakater/runde/{staff_round.id}/afsnit/{unit.id}/svarkoder.pdf").status_code == 404


def test_code_cards_download_for_an_afsnit_in_scope(client, login_as, staff_round):
    a1, b1 = open_link(staff_round, "H-A1").unit, open_link(staff_round, "H-B1").unit
    login_as("coordinator", units=[a1])
    response = client.get(f"/koordinator/plakater/runde/{staff_round.id}/afsnit/{a1.id}/svarkoder.pdf")
    assert response.status_code == 200
    code = next(link for link in staff_round.links if link.kind == "code" and link.unit_id == a1.id)
    assert scan_page(response.data) == [link_url(code.slug)]
    assert client.get(f"/koordinator/plakater/runde/{staff_round.id}/afsnit/{b1.id}/svarkoder.pdf").status_code == 404


def test_admin_pack_covers_every_afsnit_with_codes(client, login_as, staff_round):
    login_as("admin")
    response = client.get(f"/koordinator/plakater/runde/{staff_round.id}.pdf?codes=1")
    assert response.status_code == 200 and pdf_pages(response.data) == 8
    assert client.get("/koordinator/plakater/runde/99999.pdf").status_code == 404


# --- command line -----------------------------------------------------------------------------------------------


def test_posters_command_writes_one_page_per_afsnit(runner, staff_round, tmp_path):
    out = tmp_path / "plakater.pdf"
    result = runner.invoke(args=["posters", "--round", str(staff_round.id), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"4 posters written to {out}")
    pdf = out.read_bytes()
    assert pdf_pages(pdf) == 4
    assert scan_page(pdf, 1) == [link_url(open_link(staff_round, "H-A1").slug)]


def test_posters_command_refuses_an_unknown_round(runner, tmp_path):
    result = runner.invoke(args=["posters", "--round", "424242", "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "there is no round 424242" in result.output
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("name", ["Afsnit K3 – Mave-tarm, brok og endokrin kirurgi",
                                  "Kirurgisk Afsnit K3 – Mave-tarm, brok og endokrin kirurgi samt dagkirurgisk funktion "
                                  "og ambulatorium for senfølger efter kræft i mave og tarm"])
def test_a_long_afsnit_name_still_fits_one_scannable_page(patient_round, name):
    link = open_link(patient_round, "H-A1")
    link.unit.name = name
    db.session.commit()
    pdf = posters.poster_pdf(link)
    assert pdf_pages(pdf) == 1
    assert scan_page(pdf) == [link_url(link.slug)]
    assert " ".join(name.split()[:4]) in " ".join(pdf_text(pdf).split())
    boxes = word_boxes(pdf)
    url_bottom = next(bottom for word, _, bottom in boxes if word.endswith(link.slug))
    languages_top = next(top for word, top, _ in boxes if word == "What")
    anonymity_top = next(top for word, top, _ in boxes if word == "anonym:")
    assert url_bottom < languages_top < anonymity_top  # nothing printed over anything else


def test_coordinator_makes_and_prints_answer_code_cards_from_the_downloads_page(client, login_as, make_org, make_round):
    from sqlalchemy import func, select

    from surveyapp.extensions import db
    from surveyapp.models import CollectionLink

    org = make_org("C")
    round_ = make_round(units=list(org.values()))
    login_as("coordinator", units=[org["C-A"]])
    page = client.get(f"/koordinator/download/runde/{round_.id}").get_data(as_text=True)
    assert "Svarkoder til engangsbrug" in page and "Afsnit A1" in page and "Afsnit B1" not in page
    response = client.post(f"/koordinator/plakater/runde/{round_.id}/svarkoder",
                           data={"unit": org["C-A1"].id, "count": 12})
    assert response.status_code == 302 and response.headers["Location"].endswith("/svarkoder.pdf")
    codes = db.session.scalar(select(func.count()).select_from(CollectionLink).where(CollectionLink.kind == "code"))
    assert codes == 12
    pdf = client.get(response.headers["Location"])
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    outside = client.post(f"/koordinator/plakater/runde/{round_.id}/svarkoder", data={"unit": org["C-B1"].id, "count": 3})
    assert outside.status_code == 302 and "/download/" in outside.headers["Location"]
    too_many = client.post(f"/koordinator/plakater/runde/{round_.id}/svarkoder", data={"unit": org["C-A1"].id, "count": 500})
    assert too_many.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CollectionLink).where(CollectionLink.kind == "code")) == 12


def test_viewers_cannot_make_answer_codes(client, login_as, make_round):
    round_ = make_round()
    login_as("viewer")
    assert client.post(f"/koordinator/plakater/runde/{round_.id}/svarkoder", data={"count": 3}).status_code == 403
