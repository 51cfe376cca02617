"""The message catalogs are current and Danish is complete."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def catalog(path: Path, locale: str | None = None):
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def test_template_holds_every_string_in_the_code(tmp_path):
    fresh = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "translations/babel.cfg",
                    "-k", "_l", "-k", "lazy_gettext", "-k", "_n:1,2", "--ignore-dirs", ".* __pycache__ node_modules instance",
                    "-o", str(fresh), "."], cwd=ROOT, check=True, capture_output=True)
    extracted = {m.id for m in catalog(fresh) if m.id}
    committed = {m.id for m in catalog(ROOT / "translations" / "messages.pot") if m.id}
    assert extracted - committed == set(), "run `make messages` and translate the new strings"


def test_danish_catalog_is_complete_and_has_no_fuzzy_entries():
    messages = [m for m in catalog(ROOT / "translations/da/LC_MESSAGES/messages.po", "da") if m.id]
    untranslated = [m.id for m in messages if not m.string or (isinstance(m.string, tuple) and not all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == [] and fuzzy == []
