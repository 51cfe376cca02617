"""An administrator imports the organisation from CSV in the browser: dry run first, then the import."""
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import Unit
from tests.conftest import PASSWORD

FIXTURES = Path(__file__).resolve().parent.parent / "admin_fixtures"


def log_in(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_admin_imports_the_organisation_after_a_dry_run(page: Page, live_server, make_user):
    log_in(page, live_server, make_user("admin").email)
    page.goto(live_server + "/admin/units")
    page.get_by_role("link", name="Importér CSV").click()
    page.get_by_label("CSV-fil").set_input_files(str(FIXTURES / "excel-danish.csv"))
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("heading", name="Prøvekørsel: hvad importen vil gøre")).to_be_visible()
    expect(page.get_by_text("3 oprettes, 0 ændres, 0 deaktiveres, 0 uændrede.")).to_be_visible()
    assert db.session.scalar(select(db.func.count(Unit.id))) == 0
    page.get_by_role("button", name="Importér nu").click()
    expect(page.get_by_role("status")).to_contain_text("3 oprettet")
    expect(page.get_by_role("cell", name="Afsnit Ø1 NSR-MED-M1")).to_be_visible()
    assert db.session.scalar(select(Unit.name).where(Unit.code == "NSR")) == "Sygehus Syd, Næstved"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_a_broken_file_is_refused_with_line_numbers(page: Page, live_server, make_user):
    log_in(page, live_server, make_user("admin").email)
    page.goto(live_server + "/admin/units/import")
    page.get_by_label("CSV-fil").set_input_files(str(FIXTURES / "broken.csv"))
    page.get_by_role("button", name="Kontrollér filen").click()
    alert = page.locator("#import-errors")
    expect(alert).to_contain_text("Filen blev afvist; intet blev importeret")
    expect(alert).to_contain_text("Linje 4: Ukendt overordnet enhed NSR-UKENDT")
    expect(page.get_by_role("button", name="Importér nu")).to_have_count(0)
