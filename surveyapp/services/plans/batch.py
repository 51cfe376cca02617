"""Every afsnit's annual report at once: a zip of PDFs from the overview, and files in a folder from
`flask annual-reports`. Each report is the same as the one the afsnit's page gives."""
import io
import logging
import multiprocessing
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from flask_babel import force_locale
from sqlalchemy import select

from ...extensions import db
from ...models import Unit, User
from ..results.unit_report import subtree
from ..scopes import visible_unit_ids
from ..pdf import render_pdf
from .annual import annual_report, annual_report_html, annual_report_pdf

logger = logging.getLogger(__name__)


def afsnit_below(unit: Unit, user: User | None) -> list[Unit]:
    """The active afsnit at or below the unit, that the user may see (every one for None), by code."""
    within = subtree(unit.id)
    visible = visible_unit_ids(user) if user is not None else None
    ids = within if visible is None else within & visible
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids), Unit.level == "afsnit",
                                                      Unit.active.is_(True)).order_by(Unit.code)))


def annual_pdfs(unit: Unit, year: int, user: User | None, organisation: str, lang: str, today: date,
                status_names: dict) -> Iterator[tuple[str, bytes]]:
    """(file name, PDF) for each afsnit below the unit."""
    items: dict = {"scope": subtree(unit.id)}  # each round counted once for the batch (annual._load)
    for afsnit in afsnit_below(unit, user):
        report = annual_report(afsnit, year, organisation, lang, today, items)
        yield f"aarsrapport-{afsnit.code}-{year}.pdf", annual_report_pdf(report, status_names)


def annual_reports_zip(unit: Unit, year: int, user: User, organisation: str, lang: str, today: date,
                       status_names: dict) -> bytes:
    """A zip with one annual report PDF per afsnit below the unit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, pdf in annual_pdfs(unit, year, user, organisation, lang, today, status_names):
            archive.writestr(name, pdf)
    logger.info("annual reports of %s for %s zipped by %s", unit.code, year, user.id)
    return buffer.getvalue()


def annual_htmls(unit: Unit, year: int, organisation: str, lang: str, today: date,
                 status_names: dict) -> Iterator[tuple[str, str]]:
    """(file name, the PDF's HTML) for each afsnit below the unit: the PDF drawn elsewhere (`write_annual_reports`)."""
    items: dict = {"scope": subtree(unit.id)}
    for afsnit in afsnit_below(unit, None):
        report = annual_report(afsnit, year, organisation, lang, today, items)
        yield f"aarsrapport-{afsnit.code}-{year}.pdf", annual_report_html(report, status_names)


def write_annual_reports(unit: Unit, year: int, out: Path, organisation: str, lang: str, today: date,
                         status_names: dict, processes: int | None = None) -> list[Path]:
    """Write each afsnit's annual report below the unit into `out` (made if missing); returns the files.

    The reports' data and HTML are made here, one after the other; WeasyPrint, most of the time, draws the PDFs in
    `processes` worker processes (one per CPU by default), the HTML passed as text, so 100 afsnit take well
    under a minute on two cores."""
    out.mkdir(parents=True, exist_ok=True)
    with force_locale(lang):
        pages = list(annual_htmls(unit, year, organisation, lang, today, status_names))
    workers = processes or os.cpu_count() or 1
    written = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for (name, _html), pdf in zip(pages, pool.map(render_pdf, [html for _name, html in pages])):
            path = out / name
            path.write_bytes(pdf)
            written.append(path)
    return written
