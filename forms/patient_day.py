"""The "Hvad er vigtigt for dig?"-dag form: the patient round for chosen afsnit, for one day or a period."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Length, NumberRange

from .admin import NOT_A_CHOICE, NOT_A_NUMBER, MultiCheckboxField, _int_or_none

NOT_A_DATE = _l("Enter a date such as 2026-06-06.")


class PatientDayForm(FlaskForm):
    name = StringField(_l("Name of the round"), validators=[
        InputRequired(message=_l("Enter a name for the round.")),
        Length(max=200, message=_l("The name can have at most 200 characters."))])
    questionnaire_id = SelectField(_l("Patient questionnaire"), coerce=_int_or_none,
                                   invalid_choice_message=NOT_A_CHOICE,
                                   validators=[InputRequired(message=_l("Choose a questionnaire."))])
    first_day = DateField(_l("Day (or first day)"), invalid_value_message=NOT_A_DATE,
                          validators=[InputRequired(message=_l("Enter the day."))])
    last_day = DateField(_l("Last day"), invalid_value_message=NOT_A_DATE,
                         validators=[InputRequired(message=_l("Enter the last day."))])
    min_group = IntegerField(_l("Anonymity threshold (fewest respondents shown)"),
                             invalid_value_message=NOT_A_NUMBER, validators=[
        InputRequired(message=_l("Enter the anonymity threshold.")),
        NumberRange(min=3, max=1000, message=_l("Enter a threshold of at least 3."))])
    target = IntegerField(_l("Target (% positive answers)"), invalid_value_message=NOT_A_NUMBER, validators=[
        InputRequired(message=_l("Enter the target in percent.")),
        NumberRange(min=1, max=100, message=_l("Enter a target from 1 to 100."))])
    units = MultiCheckboxField(_l("Ward"), coerce=int, validate_choice=False)

    def validate_last_day(self, field):
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def validate_units(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one ward."))
