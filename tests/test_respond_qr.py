"""Every collection link has a QR code, PNG and SVG, of its absolute public URL; a real decoder reads it back."""
import io
import subprocess

from PIL import Image
from pyzbar.pyzbar import decode


def test_png_qr_decodes_to_the_links_public_url(client, make_round):
    link = make_round().links[0]
    page = client.get(f"/s/{link.slug}/qr.png")
    assert page.status_code == 200 and page.mimetype == "image/png"
    assert "public" in page.headers["Cache-Control"] and "max-age=86400" in page.headers["Cache-Control"]
    decoded = decode(Image.open(io.BytesIO(page.data)))
    assert [d.data.decode() for d in decoded] == [f"http://surveyapp.test/s/{link.slug}"]


def test_svg_qr_decodes_after_rendering(client, make_round, tmp_path):
    link = make_round().links[0]
    page = client.get(f"/s/{link.slug}/qr.svg")
    assert page.status_code == 200 and page.mimetype == "image/svg+xml"
    svg = tmp_path / "qr.svg"
    svg.write_bytes(page.data)
    # Render the SVG as a browser or printer would (WeasyPrint -> PDF -> pdftoppm), then decode with zbar.
    from weasyprint import HTML
    pdf = tmp_path / "qr.pdf"
    HTML(string=f'<img src="{svg.as_uri()}" style="width:8cm">', base_url=str(tmp_path)).write_pdf(pdf)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    decoded = decode(Image.open(tmp_path / "page.png"))
    assert [d.data.decode() for d in decoded] == [f"http://surveyapp.test/s/{link.slug}"]


def test_qr_follows_the_configured_public_url_and_stays_coarse(app, client, make_round):
    app.config["SURVEYAPP_PUBLIC_URL"] = "https://survey.regionsjaelland.example"
    link = make_round().links[0]
    image = Image.open(io.BytesIO(client.get(f"/s/{link.slug}/qr.png?box=1").data))
    decoded = decode(image.resize((image.width * 8, image.height * 8), Image.NEAREST))
    assert decoded[0].data.decode() == f"https://survey.regionsjaelland.example/s/{link.slug}"
    modules = image.width - 8  # box size 1 with a 4-module quiet zone on each side
    assert modules <= 33  # QR version 4 or lower: big modules on an A4 poster


def test_qr_is_cacheable_and_answers_304(client, make_round):
    link = make_round().links[0]
    first = client.get(f"/s/{link.slug}/qr.svg")
    again = client.get(f"/s/{link.slug}/qr.svg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_qr_of_unknown_link_is_404(client, make_round):
    assert client.get("/s/nothere1/qr.png").status_code == 404
    assert client.get("/s/nothere1/qr.svg").status_code == 404
