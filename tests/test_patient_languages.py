"""The patient question in six languages: every text in the data, UI catalogs served where a page allows them."""
import pytest
from flask import Blueprint, abort, g

from surveyapp.i18n import PATIENT_LANGUAGES
from surveyapp.services import questionnaires as qs

QUESTIONNAIRE = "hvad-er-vigtigt-for-dig"


def patient_data():
    return qs.read_file(qs.BUILTIN_DIR / f"{QUESTIONNAIRE}.yaml")


def texts_of(data):
    """(where, {lang: text}) for every translatable text of a questionnaire file."""
    yield "title", data["title"]
    yield "intro", data["intro"]
    for code, options in data["scales"].items():
        for option in options:
            yield f"scales.{code}.{option['value']}", option["label"]
    for item in data["items"]:
        yield f"{item['code']}.text", item["text"]
        if "help" in item:
            yield f"{item['code']}.help", item["help"]


def test_patient_questionnaire_offers_the_six_patient_languages():
    data = patient_data()
    assert data["languages"] == ["da", "en", "de", "pl", "uk", "ar"] == list(PATIENT_LANGUAGES)
    assert data["version"] == 1


@pytest.mark.parametrize("lang", PATIENT_LANGUAGES)
def test_every_patient_text_is_present_in_every_language(lang):
    for where, texts in texts_of(patient_data()):
        assert str(texts.get(lang) or "").strip(), f"{where} has no {lang} text"


def test_machine_made_languages_are_marked_unreviewed_in_the_data(app):
    stored = qs.find(QUESTIONNAIRE)
    assert stored.unreviewed_languages == ["de", "pl", "uk", "ar"]
    assert set(stored.unreviewed_languages) <= set(stored.languages)


def test_translations_differ_from_danish_and_arabic_is_in_arabic_script():
    data = patient_data()
    for where, texts in texts_of(data):
        for lang in ("de", "pl", "uk", "ar"):
            assert texts[lang] != texts["da"], f"{where} in {lang} is a copy of the Danish"
        assert any("\u0600" <= ch <= "\u06ff" for ch in texts["ar"]), f"{where} in ar is not Arabic script"
        assert any("\u0400" <= ch <= "\u04ff" for ch in texts["uk"]), f"{where} in uk is not Cyrillic"
    assert data["items"][0]["text"]["de"] == "Fühlen Sie sich hier im Krankenhaus sicher?"
    assert data["scales"]["lup5"][-1]["label"]["pl"] == "Nie wiem"


def test_stored_questionnaire_answers_in_each_language(app):
    question = qs.find(QUESTIONNAIRE).items[0]
    assert question.label("ar") == "هل تشعر بالأمان أثناء إقامتك في المستشفى؟"
    assert [o.text("uk") for o in question.scale.options][:2] == ["Дуже великою мірою", "Великою мірою"]


@pytest.fixture
def patient_page(app):
    """A page that allows the patient languages, as the respondent pages do through g.languages."""
    bp = Blueprint("patient_probe", __name__)

    @bp.before_request
    def allow_patient_languages():
        g.languages = PATIENT_LANGUAGES

    @bp.get("/probe/missing")
    def missing():
        abort(404)

    app.register_blueprint(bp)
    return "/probe/missing"


@pytest.mark.parametrize("lang, message, direction", [
    ("de", "Die Seite wurde nicht gefunden.", "ltr"),
    ("pl", "Nie znaleziono strony.", "ltr"),
    ("uk", "Сторінку не знайдено.", "ltr"),
    ("ar", "لم يتم العثور على الصفحة.", "rtl"),
])
def test_patient_pages_serve_the_ui_catalog_of_each_patient_language(client, patient_page, lang, message, direction):
    html = client.get(f"{patient_page}?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert message in html
    skip = {"de": "Zum Inhalt springen", "pl": "Przejdź do treści", "uk": "Перейти до вмісту",
            "ar": "انتقل إلى المحتوى"}[lang]
    assert skip in html


def test_patient_language_switch_lists_the_other_languages_by_their_own_names(client, patient_page):
    html = client.get(f"{patient_page}?lang=ar").get_data(as_text=True)
    assert 'aria-label="اللغة"' in html
    for name in ("Dansk", "English", "Deutsch", "Polski", "Українська"):
        assert name in html


def test_staff_pages_do_not_switch_to_a_patient_language(client):
    html = client.get("/no-such-page?lang=ar").get_data(as_text=True)
    assert '<html lang="da" dir="ltr">' in html
    assert "Siden blev ikke fundet." in html


PATIENT_FACING = [
    "Skip to content", "Language", "Error code %(code)s",
    "The page was not found. Check the address or scan the QR code again.",
    "Something went wrong on our side. Please try again in a moment.",
    "Scan the QR code with your phone's camera. You answer anonymously.",
    "You are anonymous: we do not ask for your name, and no one can see who answered what.",
]


@pytest.mark.parametrize("lang", ["de", "pl", "uk", "ar"])
def test_machine_made_catalogs_say_so_and_translate_what_patients_meet(lang):
    from babel.messages.pofile import read_po

    path = qs.BUILTIN_DIR.parent.parent / "translations" / lang / "LC_MESSAGES" / "messages.po"
    assert "MACHINE-MADE, NOT REVIEWED" in path.read_text(encoding="utf-8").split('msgid ""')[0]
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    for msgid in PATIENT_FACING:
        message = catalog.get(msgid)
        assert message is not None and message.string and "fuzzy" not in message.flags, (lang, msgid)
        assert message.string != msgid


def test_unreviewed_languages_must_be_languages_of_the_questionnaire():
    data = patient_data()
    data["unreviewed_languages"] = ["de", "tr"]
    with pytest.raises(qs.QuestionnaireError) as error:
        qs.validate(data)
    assert error.value.errors == ["unreviewed_languages: expected a list of languages taken from languages"]
