"""Administration forms. Choices are filled by the view from services; every message is translated."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateTimeLocalField, EmailField, HiddenField, IntegerField, PasswordField,
                     SelectField, SelectMultipleField, StringField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

LEVEL_CHOICES = [SelectChoice("sygehus", _l("Sygehus")), SelectChoice("afdeling", _l("Afdeling")),
                 SelectChoice("afsnit", _l("Afsnit"))]
ROLE_CHOICES = [SelectChoice("admin", _l("Administrator")), SelectChoice("coordinator", _l("Coordinator")),
                SelectChoice("viewer", _l("Viewer"))]
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


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
        InputRequired(message=_l("Enter a name.")), Length(max=200, message=_l("The name can have at most 200 characters."))])
    level = SelectField(_l("Level"), choices=LEVEL_CHOICES,
                        validators=[InputRequired(message=_l("Choose a level."))])
    parent_id = SelectField(_l("Parent unit"), coerce=_int_or_none, validate_choice=False,
                            validators=[Optional()])
    headcount = IntegerField(_l("Headcount (staff in the afsnit)"), validators=[
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
                                   validators=[InputRequired(message=_l("Choose a questionnaire."))])
    opens_at = DateTimeLocalField(_l("Opens (Danish time)"), format=DATETIME_FORMAT, validators=[
        InputRequired(message=_l("Enter when the round opens."))])
    closes_at = DateTimeLocalField(_l("Closes (Danish time)"), format=DATETIME_FORMAT, validators=[
        InputRequired(message=_l("Enter when the round closes."))])
    target = IntegerField(_l("Target (% positive answers)"), validators=[
        InputRequired(message=_l("Enter the target in percent.")),
        NumberRange(min=1, max=100, message=_l("Enter a target from 1 to 100."))])
    min_group = IntegerField(_l("Anonymity threshold (fewest respondents shown)"), validators=[
        InputRequired(message=_l("Enter the anonymity threshold.")),
        NumberRange(min=3, max=1000, message=_l("Enter a threshold of at least 3."))])
    units = MultiCheckboxField(_l("Afsnit"), coerce=int, validate_choice=False)

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The round must close after it opens."))

    def validate_units(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one afsnit."))


class AddUnitsForm(FlaskForm):
    units = MultiCheckboxField(_l("Afsnit to add"), coerce=int, validate_choice=False)

    def validate_units(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one afsnit."))


class ReopenForm(FlaskForm):
    closes_at = DateTimeLocalField(_l("New closing time (Danish time)"), format=DATETIME_FORMAT, validators=[
        InputRequired(message=_l("Enter when the round closes."))])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[
        InputRequired(message=_l("Enter an email address.")),
        Email(message=_l("Enter a valid email address."), check_deliverability=False),
        Length(max=254, message=_l("The email address is too long."))])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validators=[InputRequired(message=_l("Choose a role."))])
    units = SelectMultipleField(_l("Scope: the units they may see (with everything below)"), coerce=int,
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
        InputRequired(message=_l("Enter a name.")), Length(max=100, message=_l("The name can have at most 100 characters."))])
    user_id = SelectField(_l("Scope"), coerce=_int_or_none, validate_choice=False, validators=[Optional()])
    can_read_raw = BooleanField(_l("May read anonymised raw responses"))


class QuestionnaireImportForm(FlaskForm):
    file = FileField(_l("Questionnaire file (YAML or JSON)"),
                     validators=[FileRequired(message=_l("Choose a questionnaire file."))])
