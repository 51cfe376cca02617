"""Administration forms. Choices are filled by the view from services; every message is translated."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, DateTimeLocalField, EmailField, HiddenField, IntegerField, PasswordField,
                     SelectField, SelectMultipleField, StringField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

LEVEL_CHOICES = [SelectChoice("sygehus", _l("Hospital")), SelectChoice("afdeling", _l("Department")),
                 SelectChoice("afsnit", _l("Ward"))]
ROLE_CHOICES = [SelectChoice("admin", _l("Administrator")), SelectChoice("coordinator", _l("Coordinator")),
                SelectChoice("auditor", _l("Auditor")), SelectChoice("viewer", _l("Viewer"))]
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
NOT_A_NUMBER = _l("Enter a whole number.")
NOT_A_TIME = _l("Enter a date and time such as 2026-03-02 08:00.")
NOT_A_CHOICE = _l("Choose one of the options.")
NOT_A_DATE = _l("Enter a date such as 2025-03-31.")


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; the units of a round, a user's scope."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[
        InputRequired(message=_l("Enter a code.")),
        Length(max=40, message=_l("The code can have at most 40 characters.")),
        Regexp(r"^[A-Za-z0-9ÆØÅæøå_.\-]+$", message=_l("Use letters, digits, dot, dash and underscore only."))])
    name = StringField(_l("Name"), validators=[
        InputRequired(message=_l("Enter a name.")),
        Length(max=200, message=_l("The name can have at most 200 characters."))])
    level = SelectField(_l("Level"), choices=LEVEL_CHOICES, invalid_choice_message=NOT_A_CHOICE,
                        validators=[InputRequired(message=_l("Choose a level."))])
    parent_id = SelectField(_l("Parent unit"), coerce=_int_or_none, validate_choice=False, validators=[Optional()])
    headcount = IntegerField(_l("Headcount (staff in the ward)"), invalid_value_message=NOT_A_NUMBER, validators=[
        Optional(), NumberRange(min=0, max=100000, message=_l("Enter a whole number of 0 or more."))])
    active = BooleanField(_l("Active"), default=True)


class UnitEditForm(UnitForm):
    """Code and level are the unit's identity: they change only by CSV import."""
    code = None
    level = None


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(message=_l("Choose a CSV file."))])
    deactivate_missing = BooleanField(_l("Deactivate units that are not in the file"))


class ImportConfirmForm(FlaskForm):
    content = HiddenField(validators=[InputRequired(message=_l("The file is missing; upload it again."))])
    deactivate_missing = HiddenField()


class RoundForm(FlaskForm):
    name = StringField(_l("Name of the round"), validators=[
        InputRequired(message=_l("Enter a name for the round.")),
        Length(max=200, message=_l("The name can have at most 200 characters."))])
    questionnaire_id = SelectField(_l("Questionnaire version"), coerce=_int_or_none,
                                   invalid_choice_message=NOT_A_CHOICE, validators=[InputRequired(message=_l("Choose a questionnaire."))])
    opens_at = DateTimeLocalField(_l("Opens (Danish time)"), format=DATETIME_FORMAT,
                                  invalid_value_message=NOT_A_TIME, validators=[
        InputRequired(message=_l("Enter when the round opens."))])
    closes_at = DateTimeLocalField(_l("Closes (Danish time)"), format=DATETIME_FORMAT,
                                   invalid_value_message=NOT_A_TIME, validators=[
        InputRequired(message=_l("Enter when the round closes."))])
    target = IntegerField(_l("Target (% positive answers)"), invalid_value_message=NOT_A_NUMBER, validators=[
        InputRequired(message=_l("Enter the target in percent.")),
        NumberRange(min=1, max=100, message=_l("Enter a target from 1 to 100."))])
    min_group = IntegerField(_l("Anonymity threshold (fewest respondents shown)"),
                             invalid_value_message=NOT_A_NUMBER, validators=[
        InputRequired(message=_l("Enter the anonymity threshold.")),
        NumberRange(min=3, max=1000, message=_l("Enter a threshold of at least 3."))])
    codes_only = BooleanField(_l("Answer codes only (no open link): every answer needs a single-use code card"))
    units = MultiCheckboxField(_l("Ward"), coerce=int, validate_choice=False)

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The round must close after it opens."))

    def validate_units(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one ward."))


class RoundEditForm(RoundForm):
    """Name, times, target and threshold; the questionnaire and afsnit of an existing round change elsewhere."""
    questionnaire_id = None
    units = None

    def validate_units(self, field):  # no units field here
        pass


class AddUnitsForm(FlaskForm):
    units = MultiCheckboxField(_l("Wards to add"), coerce=int, validate_choice=False)

    def validate_units(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one ward."))


class ReopenForm(FlaskForm):
    closes_at = DateTimeLocalField(_l("New closing time (Danish time)"), format=DATETIME_FORMAT,
                                   invalid_value_message=NOT_A_TIME, validators=[
        InputRequired(message=_l("Enter when the round closes."))])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[
        InputRequired(message=_l("Enter an email address.")),
        Email(message=_l("Enter a valid email address."), check_deliverability=False),
        Length(max=254, message=_l("The email address is too long."))])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, invalid_choice_message=NOT_A_CHOICE,
                       validators=[InputRequired(message=_l("Choose a role."))])
    units = MultiCheckboxField(_l("Scope: the units they may see (with everything below)"), coerce=int,
                               validate_choice=False)
    active = BooleanField(_l("Active"), default=True)

    def validate_units(self, field):
        if self.role.data != "admin" and not field.data:
            raise ValidationError(_l("Choose at least one unit for a coordinator or a viewer."))


class UserEditForm(UserForm):
    email = None


def _password_field(label):
    return PasswordField(label, validators=[
        InputRequired(message=_l("Enter a password.")),
        Length(min=10, max=200, message=_l("The password must have at least 10 characters."))])


class SetPasswordForm(FlaskForm):
    password = _password_field(_l("New password"))
    confirm = PasswordField(_l("Repeat the password"), validators=[
        InputRequired(message=_l("Repeat the password.")),
        EqualTo("password", message=_l("The two passwords are not the same."))])


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(_l("Current password"), validators=[
        InputRequired(message=_l("Enter your current password."))])


class TokenForm(FlaskForm):
    name = StringField(_l("Name (what the token is for)"), validators=[
        InputRequired(message=_l("Enter a name.")),
        Length(max=100, message=_l("The name can have at most 100 characters."))])
    user_id = SelectField(_l("Scope"), coerce=_int_or_none, validate_choice=False, validators=[Optional()])
    can_read_raw = BooleanField(_l("May read anonymised raw responses"))


class QuestionnaireImportForm(FlaskForm):
    file = FileField(_l("Questionnaire file (YAML or JSON)"),
                     validators=[FileRequired(message=_l("Choose a questionnaire file."))])


KIND_CHOICES = [SelectChoice("scale", _l("Scale (scored)")), SelectChoice("choice", _l("Choice (background question)")),
                SelectChoice("text", _l("Free text"))]
CODE_PATTERN = Regexp(r"^[a-z0-9_]+$", message=_l("Use lower-case letters, digits and underscore only."))


class QuestionnaireNewForm(FlaskForm):
    code = StringField(_l("Code"), validators=[
        InputRequired(message=_l("Enter a code.")),
        Length(max=60, message=_l("The code can have at most 60 characters.")),
        Regexp(r"^[a-z0-9\-]+$", message=_l("Use lower-case letters, digits and dash only."))])
    audience = SelectField(_l("Audience"), choices=[SelectChoice("staff", _l("Staff")),
                                                   SelectChoice("patient", _l("Patients"))],
                           invalid_choice_message=NOT_A_CHOICE,
                           validators=[InputRequired(message=_l("Choose an audience."))])
    languages = MultiCheckboxField(_l("Languages"), validate_choice=False)

    def validate_languages(self, field):
        if "da" not in (field.data or []):
            raise ValidationError(_l("Danish must be one of the languages."))


def _text_fields(languages: list[str], prefix: str, label, required: bool, long: bool = False) -> dict:
    from wtforms import TextAreaField
    from surveyapp.i18n import LANGUAGE_NAMES

    kind = TextAreaField if long else StringField
    fields = {}
    for lang in languages:
        validators = [Length(max=2000, message=_l("The text can have at most 2000 characters."))]
        if required:
            validators.insert(0, InputRequired(message=_l("Enter the text in every language.")))
        else:
            validators.insert(0, Optional())
        fields[f"{prefix}_{lang}"] = kind(f"{label} · {LANGUAGE_NAMES.get(lang, lang)}", validators=validators)
    return fields


class _MetaFormBase(FlaskForm):
    languages = MultiCheckboxField(_l("Languages the respondent may choose"), validate_choice=False)

    def validate_languages(self, field):
        if "da" not in (field.data or []):
            raise ValidationError(_l("Danish must be one of the languages."))


def questionnaire_meta_form(languages: list[str]):
    """Languages, and title and introduction per language (Danish title required; gaps are listed as problems)."""
    fields = {**_text_fields(["da"], "title", _l("Title"), True),
              **_text_fields([lang for lang in languages if lang != "da"], "title", _l("Title"), False),
              **_text_fields(languages, "intro", _l("Introduction"), False, long=True)}
    return type("QuestionnaireMetaForm", (_MetaFormBase,), fields)


def item_form(languages: list[str]):
    """An item: code, kind, dimension, scale, flags, and its text and help per language."""
    fields = {
        "code": StringField(_l("Item code (keep it across versions)"), validators=[
            InputRequired(message=_l("Enter a code.")),
            Length(max=60, message=_l("The code can have at most 60 characters.")),
            CODE_PATTERN]),
        "kind": SelectField(_l("Kind"), choices=KIND_CHOICES, invalid_choice_message=NOT_A_CHOICE,
                            validators=[InputRequired(message=_l("Choose a kind."))]),
        "dimension": StringField(_l("Dimension"), validators=[
            Optional(), Length(max=100, message=_l("The dimension can have at most 100 characters."))]),
        "scale_id": SelectField(_l("Answer scale"), coerce=_int_or_none, validate_choice=False,
                                validators=[Optional()]),
        "key": BooleanField(_l("Key item (measured against the target)")),
        "reverse": BooleanField(_l("Reverse-scored (agreement is negative)")),
        "required": BooleanField(_l("Required")),
        "max_length": IntegerField(_l("Longest answer in characters (free text)"),
                                   invalid_value_message=NOT_A_NUMBER, validators=[
            Optional(), NumberRange(min=1, max=10000, message=_l("Enter a number from 1 to 10000."))]),
        **_text_fields(languages, "text", _l("Question"), True, long=True),
        **_text_fields(languages, "help", _l("Help text"), False),
    }
    return type("ItemForm", (FlaskForm,), fields)


class _ScaleFormBase(FlaskForm):
    languages: list[str] = []
    rows = 0

    def options(self) -> list[dict]:
        """The filled-in rows as option dicts, in order."""
        out = []
        for n in range(self.rows):
            value = self[f"value_{n}"].data
            if value is None:
                continue
            out.append({"value": value, "positive": bool(self[f"positive_{n}"].data),
                        "not_applicable": bool(self[f"na_{n}"].data),
                        "label": {lang: (self[f"label_{n}_{lang}"].data or "").strip() for lang in self.languages}})
        return out

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for n in range(self.rows):
            labels = [(self[f"label_{n}_{lang}"].data or "").strip() for lang in self.languages]
            if self[f"value_{n}"].data is None:
                if any(labels):
                    self[f"value_{n}"].errors.append(_l("Give the option a value."))
                    ok = False
            elif not all(labels):
                self[f"value_{n}"].errors.append(_l("Give the option a label in every language."))
                ok = False
        return ok


def scale_form(languages: list[str], rows: int):
    """An answer scale: its code and up to `rows` options (empty rows are ignored)."""
    fields = {"code": StringField(_l("Scale code"), validators=[
        InputRequired(message=_l("Enter a code.")),
        Length(max=60, message=_l("The code can have at most 60 characters.")),
        CODE_PATTERN])}
    for n in range(rows):
        fields[f"value_{n}"] = IntegerField(_l("Value"), invalid_value_message=NOT_A_NUMBER, validators=[
            Optional(), NumberRange(min=-1000, max=1000, message=_l("Enter a whole number."))])
        fields[f"positive_{n}"] = BooleanField(_l("Positive"))
        fields[f"na_{n}"] = BooleanField(_l("Not applicable"))
        for lang in languages:
            fields[f"label_{n}_{lang}"] = StringField(lang, validators=[
                Optional(), Length(max=200, message=_l("The label can have at most 200 characters."))])
    fields.update(languages=list(languages), rows=rows)
    return type("ScaleForm", (_ScaleFormBase,), fields)


class SurveyXactImportForm(FlaskForm):
    """Step 1 of a baseline import: the SurveyXact workbook and the round to make of it."""
    file = FileField(_l("SurveyXact dataset export (Excel)"), validators=[
        FileRequired(message=_l("Choose the Excel file exported from SurveyXact."))])
    mapping = FileField(_l("Mapping file (CSV, optional)"))
    questionnaire_id = SelectField(_l("Questionnaire version"), coerce=_int_or_none,
                                   invalid_choice_message=NOT_A_CHOICE,
                                   validators=[InputRequired(message=_l("Choose a questionnaire."))])
    name = StringField(_l("Name of the round"), validators=[
        InputRequired(message=_l("Enter a name for the round.")),
        Length(max=200, message=_l("The name can have at most 200 characters."))])
    opens = DateField(_l("First day of the measurement"), invalid_value_message=NOT_A_DATE,
                      validators=[InputRequired(message=_l("Enter the first day."))])
    closes = DateField(_l("Last day of the measurement"), invalid_value_message=NOT_A_DATE,
                       validators=[InputRequired(message=_l("Enter the last day."))])
    unit_variable = StringField(_l("Variable with the ward"), default="b_afsnit", validators=[
        InputRequired(message=_l("Enter the variable that holds the ward, e.g. b_afsnit.")),
        Length(max=100, message=_l("The variable name can have at most 100 characters."))])


class SurveyXactConfirmForm(FlaskForm):
    """Step 2: the checked upload (by its checksum) and the same choices, to import for real."""
    checksum = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{64}$")])
    mapping_text = HiddenField()
    questionnaire_id = HiddenField(validators=[InputRequired()])
    name = HiddenField(validators=[InputRequired(), Length(max=200)])
    opens = HiddenField(validators=[InputRequired()])
    closes = HiddenField(validators=[InputRequired()])
    unit_variable = HiddenField(validators=[InputRequired(), Length(max=100)])
