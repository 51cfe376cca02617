"""The respondent form, built from a questionnaire's items (one field per item), in the respondent's language.

make_response_form(questionnaire, lang) returns a form class; instantiate it per request. Every item becomes
a field named item_<code>: scale and choice items radio buttons with the scale's options, text items a
textarea. Key items and items marked required must be answered. Item texts, help and option labels come from
the questionnaire data in `lang` (Danish when a text is missing); the messages come from the UI catalogs.
"""
from dataclasses import dataclass

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto as _AUTO
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from surveyapp.privacy import contains_cpr

FIELD_PREFIX = "item_"


@dataclass(frozen=True)
class ItemInfo:
    """What a template needs to show one item besides its field."""

    code: str
    kind: str
    label: str
    help: str
    required: bool
    key: bool
    max_length: int | None


class NoCprNumber:
    """Refuse a text holding something shaped like a CPR number, kindly: the respondent is asked to leave it
    out, and every other answer stays in the form."""

    def __init__(self, message=None):
        self.message = message or _l("It looks like your text contains a CPR number. Please remove it "
                                     "before you send. Your other answers are still filled in; nothing is "
                                     "stored until you send.")

    def __call__(self, form, field):
        if isinstance(field.data, str) and contains_cpr(field.data):
            raise ValidationError(self.message)


def _without_nul(value):
    """PostgreSQL cannot store NUL in text: a pasted text keeps everything else (SQLite would store it)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class ResponseForm(FlaskForm):
    """Base of the generated forms; `items` lists the ItemInfo of each item field in order."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            # Only text fields: a file part sent for a free text is no answer (it gave a 500 on len()).
            if formdata is _AUTO and request.method in ("POST", "PUT", "PATCH", "DELETE"):
                return request.form
            return super().wrap_formdata(form, formdata)

    idempotency_key = HiddenField()
    items: tuple[ItemInfo, ...] = ()

    def item_fields(self) -> list[tuple]:
        """(field, ItemInfo) for every item, in the questionnaire's order."""
        return [(self[FIELD_PREFIX + info.code], info) for info in self.items]

    def answers(self) -> dict:
        """{item code: option value or text} for the items answered; blank texts are left out."""
        out = {}
        for field, info in self.item_fields():
            data = field.data.strip() if isinstance(field.data, str) else field.data
            if data not in (None, ""):
                out[info.code] = data
        return out

    def validate_item(self, index: int) -> bool:
        """Validate only the item at `index` (one screen of a step-by-step form); its errors go on its field."""
        field, _info = self.item_fields()[index]
        return field.validate(self)

    def first_error(self) -> int | None:
        """The index of the first item with an error after validation, or None."""
        return next((i for i, (field, _info) in enumerate(self.item_fields()) if field.errors), None)

    def tampered(self) -> bool:
        """True if the post holds what no rendering of this form can send: a value not among an item's
        options, a repeated field, or a text far over its limit."""
        for field, info in self.item_fields():
            raw = field.raw_data or []
            if len(raw) > 1:
                return True
            if not raw or raw[0] == "":
                continue
            if info.kind == "text":
                if info.max_length and len(raw[0]) > 2 * info.max_length:
                    return True
            elif raw[0] not in {str(choice.value) for choice in field.choices}:
                return True
        return False


def _plain_rules(form_class) -> tuple:
    """(field name, code, kind, required, max length, {posted value: option value}) per item, once per class."""
    rules = form_class.__dict__.get("_plain_rules")
    if rules is None:
        rules = tuple(
            (FIELD_PREFIX + info.code, info.code, info.kind, info.required, info.max_length,
             {str(choice.value): choice.value for choice in getattr(form_class, FIELD_PREFIX + info.code).kwargs.get(
                 "choices", ())})
            for info in form_class.items)
        form_class._plain_rules = rules
    return rules


def plain_answers(form_class, formdata) -> dict | None:
    """The answers of a post that is plainly valid for `form_class`, checked in plain Python; None when the
    post needs the form (a missing required answer, a value off the scale, a repeated field, a text over its
    limit or with a CPR number, a NUL): the form then says what is wrong, as before. When this returns
    answers, they are exactly what `ResponseForm.answers()` gives after a successful `validate()`."""
    answers = {}
    for name, code, kind, required, max_length, options in _plain_rules(form_class):
        raw = formdata.getlist(name)
        if len(raw) > 1:
            return None
        value = raw[0] if raw else ""
        if kind == "text":
            if required or "\x00" in value:
                return None
            if not value.strip():
                continue  # Optional: a blank text is no answer
            if (max_length and len(value) > max_length) or contains_cpr(value):
                return None
            answers[code] = value.strip()
        elif value == "":
            if required:
                return None
        elif value in options:
            answers[code] = options[value]
        else:
            return None
    return answers


def _text(texts: dict | None, lang: str) -> str:
    texts = texts or {}
    return texts.get(lang) or texts.get("da") or ""


def _info(item, lang: str) -> ItemInfo:
    return ItemInfo(code=item.code, kind=item.kind, label=item.label(lang), help=_text(item.help, lang),
                    required=bool(item.required or item.key), key=bool(item.key), max_length=item.max_length)


def _choice_field(item, info: ItemInfo, lang: str) -> RadioField:
    if info.required:
        # A scale item is a statement to agree with (staff) or a question (the patient's "Er du tryg ...?").
        statement = item.kind == "scale" and not info.label.rstrip().endswith(("?", "\u061f"))
        message = _l("Choose an answer to this statement.") if statement else _l("Choose an answer to this question.")
        validators = [InputRequired(message=message)]
    else:
        validators = [Optional()]
    choices = [SelectChoice(value=option.value, label=option.text(lang)) for option in item.scale.options]
    # validate_choice=False: a value off the scale is tampering, caught by ResponseForm.tampered as a 400.
    return RadioField(info.label, validators=validators, choices=choices, coerce=int, validate_choice=False)


def _text_field(info: ItemInfo, text_validators) -> TextAreaField:
    validators = [InputRequired(message=_l("Write an answer."))] if info.required else [Optional()]
    if info.max_length:
        validators.append(Length(max=info.max_length,
                                 message=_l("Write at most %(max)d characters.")))
    validators.extend(text_validators)
    render_kw = {"maxlength": info.max_length} if info.max_length else {}
    return TextAreaField(info.label, validators=validators, render_kw=render_kw, filters=[_without_nul])


def make_response_form(questionnaire, lang: str, text_validators=()) -> type[ResponseForm]:
    """A form class with one field per item of `questionnaire`, labelled in `lang`.

    `text_validators` are added to every free-text field (e.g. a check that refuses CPR numbers).
    """
    attrs: dict = {}
    infos = []
    for item in questionnaire.items:
        info = _info(item, lang)
        infos.append(info)
        if item.kind == "text":
            attrs[FIELD_PREFIX + item.code] = _text_field(info, text_validators)
        else:
            attrs[FIELD_PREFIX + item.code] = _choice_field(item, info, lang)
    attrs["items"] = tuple(infos)
    return type("GeneratedResponseForm", (ResponseForm,), attrs)
