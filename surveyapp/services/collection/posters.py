"""Printable QR posters, table tents and answer-code cards as PDF (WeasyPrint).

Every document is one HTML rendered once: a pack of 200 posters is one WeasyPrint run with page breaks,
not 200 runs glued together. Printed texts are Danish (the ward's language); a patient poster adds the
questionnaire's other languages underneath, each in its own script direction.
"""
import logging
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...formatting import long_date
from ...i18n import LANGUAGE_NAMES, text_direction
from ...models import CollectionLink, Item, Questionnaire, Round, Unit
from ...timeutil import last_day
from ..pdf import render_pdf
from .links import link_url
from .materials import require_printable
from .qr import qr_matrix

logger = logging.getLogger(__name__)

#: A4 portrait poster, or an A4 sheet folded into an A5 table tent.
SIZES = ("a4", "a5")
#: Answer-code cards on an A4 sheet: 2 columns x 5 rows of about 105 x 59 mm.
CARDS_PER_PAGE = 10
PRINTED_LANGUAGE = "da"


class PosterError(ValueError):
    """A poster was asked for something that has none (e.g. an A5 tent for a staff survey)."""


@dataclass(frozen=True)
class LanguageBlock:
    """The poster's words in one language."""

    lang: str
    dir: str
    name: str
    title: str
    question: str
    call: str
    #: "Svar senest 28. december 2026": the round's last day (inclusive), in this language.
    deadline: str = ""


@dataclass(frozen=True)
class Poster:
    """Everything one poster or tent prints; templates only lay it out."""

    audience: str
    url: str
    qr: str
    unit_name: str
    unit_path: str
    main: LanguageBlock
    others: list[LanguageBlock] = field(default_factory=list)
    anonymity: str = ""
    round_name: str = ""

    @property
    def name_length(self) -> str:
        """'short', 'long' or 'very-long': the band's type size steps down so the page never spills over."""
        length = len(self.unit_name)
        return "short" if length <= 36 else "long" if length <= 80 else "very-long"


@dataclass(frozen=True)
class CodeCard:
    """One single-use answer code: its QR, its code written out, nothing about any person."""

    url: str
    qr: str
    code: str


@dataclass(frozen=True)
class CardSheet:
    """Up to CARDS_PER_PAGE cards of one afsnit, for one printed page."""

    title: str
    unit_name: str
    cards: list[CodeCard]
    #: "Svar senest 28. december 2026", in Danish.
    deadline: str = ""


def qr_svg_print(url: str, label: str = "") -> str:
    """An inline SVG of the QR code with each row's dark runs as one rectangle, for print.

    qrcode's own SVG draws every module as its own square; merging runs halves the path, and WeasyPrint
    renders a sheet of cards about 40 % faster. No id attribute: a pack holds thousands of codes.
    """
    matrix = qr_matrix(url)
    size = len(matrix)
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < size and row[x]:
                x += 1
            runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
    accessible = f' role="img" aria-label="{escape(label)}"' if label else ' aria-hidden="true"'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges"'
            f'{accessible}><path fill="#000" d="{"".join(runs)}"/></svg>')


def spaced_code(slug: str) -> str:
    """A slug in groups of four, easier to read off a card and type back: 'abcd efgh ijkm'."""
    return " ".join(slug[i:i + 4] for i in range(0, len(slug), 4))


def _question(questionnaire: Questionnaire) -> Item | None:
    key = questionnaire.key_items
    return key[0] if key else next(iter(questionnaire.items), None)


def deadline_text(round_: Round, lang: str = PRINTED_LANGUAGE) -> str:
    """"Svar senest 28. december 2026": the round's last day (`timeutil.last_day`, inclusive) in `lang`."""
    with force_locale(lang):
        return _("Answer by %(date)s", date=long_date(last_day(round_.closes_at), lang))


def _block(questionnaire: Questionnaire, lang: str, round_: Round) -> LanguageBlock:
    question = _question(questionnaire)
    deadline = deadline_text(round_, lang)
    with force_locale(lang):
        if questionnaire.audience == "patient":
            call = _("Scan the QR code with your phone's camera. You answer anonymously.")
        else:
            call = _("Scan and answer anonymously, it takes two minutes")
    title = questionnaire.title.get(lang) or questionnaire.text(PRINTED_LANGUAGE)
    text = question.text.get(lang, "") if question is not None else ""
    return LanguageBlock(lang=lang, dir=text_direction(lang), name=LANGUAGE_NAMES.get(lang, lang),
                         title=title, question="" if text == title else text, call=call, deadline=deadline)


def _unit_path(unit: Unit) -> str:
    names, parent = [], unit.parent
    while parent is not None:
        names.append(parent.name)
        parent = parent.parent
    return " · ".join(names)


def poster_for(link: CollectionLink) -> Poster:
    """The finished data of the poster for a collection link (its round's questionnaire, its afsnit)."""
    questionnaire = link.round.questionnaire
    url = link_url(link.slug)
    main = _block(questionnaire, PRINTED_LANGUAGE, link.round)
    others = []
    if questionnaire.audience == "patient":
        others = [_block(questionnaire, lang, link.round) for lang in questionnaire.languages if lang != PRINTED_LANGUAGE]
    with force_locale(PRINTED_LANGUAGE):
        anonymity = _("You are anonymous: we do not ask for your name, and no one can see who answered what.")
        label = _("QR code for %(unit)s", unit=link.unit.name)
    return Poster(audience=questionnaire.audience, url=url, qr=qr_svg_print(url, label), unit_name=link.unit.name,
                  unit_path=_unit_path(link.unit), main=main, others=others, anonymity=anonymity,
                  round_name=link.round.name)


def card_sheets(round_: Round, unit: Unit, links: list[CollectionLink]) -> list[CardSheet]:
    """The answer-code cards of `links`, CARDS_PER_PAGE to a sheet."""
    urls = [link_url(link.slug) for link in links]
    cards = [CodeCard(url=url, qr=qr_svg_print(url), code=spaced_code(link.slug)) for url, link in zip(urls, links)]
    title = round_.questionnaire.text(PRINTED_LANGUAGE)
    deadline = deadline_text(round_)
    return [CardSheet(title=title, unit_name=unit.name, cards=cards[i:i + CARDS_PER_PAGE], deadline=deadline)
            for i in range(0, len(cards), CARDS_PER_PAGE)]


def _render(template: str, **context) -> str:
    with force_locale(PRINTED_LANGUAGE):
        return render_template(template, **context)


def poster_html(link: CollectionLink, size: str = "a4") -> str:
    """The HTML of a link's poster: A4, or (patient surveys) an A5 table tent printed on a folded A4."""
    if size not in SIZES:
        raise PosterError(f"unknown poster size {size!r}")
    if link.kind != "open":
        raise PosterError("posters are made for open links; answer codes get cards")
    require_printable(link.round)
    poster = poster_for(link)
    if size == "a5" and poster.audience != "patient":
        raise PosterError("table tents are made for the patient question")
    return _render("pdf/posters.html", title=poster.main.title, posters=[(poster, size)], sheets=[])


def poster_pdf(link: CollectionLink, size: str = "a4") -> bytes:
    """The PDF of a link's poster (see poster_html)."""
    return render_pdf(poster_html(link, size))


def unused_code_links(round_id: int, unit_ids: set[int] | None = None) -> list[CollectionLink]:
    """The single-use code links not answered with yet, by afsnit code, for the units given (None: all)."""
    query = (select(CollectionLink).join(CollectionLink.unit)
             .where(CollectionLink.round_id == round_id, CollectionLink.kind == "code",
                    CollectionLink.used.is_(False))
             .options(joinedload(CollectionLink.unit))
             .order_by(Unit.code, CollectionLink.id))
    if unit_ids is not None:
        query = query.where(CollectionLink.unit_id.in_(unit_ids))
    return list(db.session.scalars(query))


def code_cards_html(round_: Round, unit: Unit) -> str:
    """The HTML of the unused answer-code cards of one afsnit in a round."""
    require_printable(round_)
    sheets = card_sheets(round_, unit, unused_code_links(round_.id, {unit.id}))
    return _render("pdf/posters.html", title=round_.questionnaire.text(PRINTED_LANGUAGE), posters=[], sheets=sheets)


def code_cards_pdf(round_: Round, unit: Unit) -> bytes:
    """The PDF of the unused answer-code cards of one afsnit (raises PosterError when there are none,
    RoundClosed for a closed round)."""
    require_printable(round_)
    if not unused_code_links(round_.id, {unit.id}):
        raise PosterError("this afsnit has no unused answer codes in this round")
    return render_pdf(code_cards_html(round_, unit))


def pack_links(round_id: int, unit_ids: set[int] | None = None) -> list[CollectionLink]:
    """The open links of a round with their units, parents and questionnaire loaded, by afsnit code."""
    query = (select(CollectionLink).join(CollectionLink.unit)
             .where(CollectionLink.round_id == round_id, CollectionLink.kind == "open")
             .options(joinedload(CollectionLink.unit).joinedload(Unit.parent).joinedload(Unit.parent),
                      joinedload(CollectionLink.round).joinedload(Round.questionnaire)
                      .selectinload(Questionnaire.items))
             .order_by(Unit.code, CollectionLink.id))
    if unit_ids is not None:
        query = query.where(CollectionLink.unit_id.in_(unit_ids))
    return list(db.session.scalars(query).unique())


def pack_html(round_: Round, unit_ids: set[int] | None = None, with_codes: bool = False) -> str:
    """One HTML with an A4 poster per afsnit of the round (only `unit_ids` if given), then the code cards."""
    require_printable(round_)
    links = pack_links(round_.id, unit_ids)
    if not links:
        raise PosterError("the round has no open links for these units")
    posters = [(poster_for(link), "a4") for link in links]
    sheets = []
    if with_codes:
        by_unit: dict[int, list[CollectionLink]] = {}
        for link in unused_code_links(round_.id, unit_ids):
            by_unit.setdefault(link.unit_id, []).append(link)
        for codes in by_unit.values():
            sheets.extend(card_sheets(round_, codes[0].unit, codes))
    return _render("pdf/posters.html", title=round_.name, posters=posters, sheets=sheets)


def pack_pdf(round_: Round, unit_ids: set[int] | None = None, with_codes: bool = False) -> bytes:
    """The poster pack of a round as one PDF (see pack_html)."""
    pdf = render_pdf(pack_html(round_, unit_ids, with_codes))
    logger.info("poster pack for round %s rendered (%d bytes)", round_.id, len(pdf))
    return pdf
