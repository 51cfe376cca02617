"""The meeting deck of an afdeling: for each of its afsnit in a round, the key items as a bar chart against the
target and the biggest challenges (`scoring.biggest_challenges`, via the unit report), as 16:9 slides in one PDF.

Figures, challenges and charts are the unit page's own (`unit_report`, `item_chart`): a hidden afsnit shows none.
"""
from dataclasses import dataclass, replace

from flask import render_template
from markupsafe import Markup

from ...models import Round, Unit, User
from ..pdf import render_pdf
from ..results.charts import item_chart
from ..results.unit_report import UnitReport, unit_report
from ..scopes import visible_unit_ids


@dataclass(frozen=True)
class DeckSlide:
    unit: Unit
    report: UnitReport
    chart: Markup | None


def deck_slides(round_: Round, afdeling: Unit, user: User, lang: str) -> list[DeckSlide]:
    """One slide per afsnit of the afdeling in the round that the user may see, by name."""
    visible = visible_unit_ids(user)
    afsnit = sorted((u for u in round_.units if u.parent_id == afdeling.id and u.level == "afsnit"
                     and (visible is None or u.id in visible)), key=lambda u: u.name)
    slides = []
    for unit in afsnit:
        report = unit_report(round_, unit.id, lang)
        if report is None:
            continue
        key = replace(report, items=[line for line in report.items if line.key] or report.items[:3])
        chart = None if report.suppressed else item_chart(key, for_slide=True)
        slides.append(DeckSlide(unit, report, chart))
    return slides


def meeting_deck_pdf(round_: Round, afdeling: Unit, user: User, lang: str) -> bytes:
    """The afdeling's deck as a 16:9 PDF: a title slide, then one slide per afsnit."""
    html = render_template("pdf/meeting_deck.html", round=round_, afdeling=afdeling, lang=lang,
                           slides=deck_slides(round_, afdeling, user, lang))
    return render_pdf(html)
