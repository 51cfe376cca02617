"""The Danish catalog is complete: every UI string translated, none fuzzy, the header's strings extracted."""
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_every_danish_string_is_translated_and_none_is_fuzzy():
    with open(ROOT / "translations/da/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh, locale="da")
    untranslated = [m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_templates_in_underscore_folders_are_extracted():
    # pybabel skips folders starting with "_" unless told otherwise (Makefile: --ignore-dirs).
    with open(ROOT / "translations/messages.pot", "rb") as fh:
        ids = {m.id for m in read_po(fh)}
    assert {"Log out", "Main menu", "Please correct the following", "Administration"} <= ids
