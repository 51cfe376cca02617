"""Collection links: the short random slugs behind every QR code."""
import secrets

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import CollectionLink, Questionnaire, Round, Unit

#: No 0/O, 1/l/I: a code read off a printed card must be typed back without doubt.
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
#: 8 characters of 32: 40 bits for a ward's open link, short enough for a coarse QR code.
LINK_SLUG_LENGTH = 8
#: 12 characters of 32: 60 bits for a single-use answer code, hopeless to guess.
CODE_SLUG_LENGTH = 12


def new_slug(length: int = LINK_SLUG_LENGTH) -> str:
    """A random slug from `secrets`."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def add_link(round_: Round, unit: Unit, kind: str = "open") -> CollectionLink:
    """A new collection link for a unit in a round."""
    length = CODE_SLUG_LENGTH if kind == "code" else LINK_SLUG_LENGTH
    link = CollectionLink(round=round_, unit=unit, kind=kind, slug=new_slug(length))
    db.session.add(link)
    return link


def link_url(slug: str) -> str:
    """The absolute public URL of a slug, from SURVEYAPP_PUBLIC_URL (the app may sit behind a proxy)."""
    return f"{current_app.config['SURVEYAPP_PUBLIC_URL']}/s/{slug}"


def links_for_export(round_id: int | None = None) -> list[tuple]:
    """(round id, questionnaire code, audience, unit code, kind, slug) for every link, in a stable order."""

    query = (
        select(Round.id, Questionnaire.code, Questionnaire.audience, Unit.code, CollectionLink.kind,
               CollectionLink.slug)
        .join(CollectionLink.round)
        .join(Round.questionnaire)
        .join(CollectionLink.unit)
        .order_by(Round.id, Unit.code, CollectionLink.kind, CollectionLink.id)
    )
    if round_id is not None:
        query = query.where(Round.id == round_id)
    return list(db.session.execute(query))
