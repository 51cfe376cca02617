"""Strategy data forms: a DPSD extract, an indicator's definition, an indicator's data file."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp

NOT_A_CHOICE = _l("Choose one of the options.")


class DpsdUploadForm(FlaskForm):
    file = FileField(_l("DPSD extract (CSV from the Report Centre, or Excel)"), validators=[
        FileRequired(message=_l("Choose the extract from DPSD's Report Centre."))])
    mapping = FileField(_l("Mapping file for another layout (CSV field,header; optional)"))
    locations = FileField(_l("Locations file (CSV location;unit_code; optional)"))


class DpsdConfirmForm(FlaskForm):
    """The checked cases, reduced to what is kept (case id, afsnit, dates, severity)."""
    content = HiddenField(validators=[InputRequired(message=_l("The file is missing; upload it again."))])


KIND_CHOICES = [SelectChoice("share", _l("Share (numerator / denominator) against a target")),
                SelectChoice("count", _l("Count")),
                SelectChoice("milestone", _l("Milestone (done / not done by a date)"))]
AREA_CHOICES = [SelectChoice("kultur", _l("Patient safety culture (indsats 1)")),
                SelectChoice("uth", _l("Learning from adverse events (indsats 2)")),
                SelectChoice("faste", _l("Fixed measures: documentation and audits")),
                SelectChoice("sektor", _l("Transitions between sectors")),
                SelectChoice("fb", _l("Shared decision-making"))]
LEVEL_CHOICES = [SelectChoice("afsnit", _l("Ward")), SelectChoice("afdeling", _l("Department"))]
DIRECTION_CHOICES = [SelectChoice("up", _l("Higher is better")), SelectChoice("down", _l("Lower is better"))]


class IndicatorForm(FlaskForm):
    code = StringField(_l("Code (a-z, 0-9 and _)"), validators=[
        InputRequired(message=_l("Give the indicator a code.")),
        Regexp(r"^[a-z0-9_]{2,60}$", message=_l("Use 2 to 60 of a-z, 0-9 and _."))])
    name = StringField(_l("Name"), validators=[InputRequired(message=_l("Give the indicator a name.")),
                                               Length(max=200, message=_l("Keep the name under 200 characters."))])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, invalid_choice_message=NOT_A_CHOICE)
    area = SelectField(_l("Strategy area"), choices=AREA_CHOICES, invalid_choice_message=NOT_A_CHOICE)
    level = SelectField(_l("Level"), choices=LEVEL_CHOICES, invalid_choice_message=NOT_A_CHOICE)
    direction = SelectField(_l("Direction"), choices=DIRECTION_CHOICES, invalid_choice_message=NOT_A_CHOICE)
    target_percent = IntegerField(_l("Target in percent (shares)"), validators=[
        Optional(), NumberRange(0, 100, message=_l("Enter a whole number from 0 to 100."))])
    due_on = DateField(_l("Deadline (milestones)"), validators=[Optional()])


class IndicatorUploadForm(FlaskForm):
    indicator = SelectField(_l("Indicator"), invalid_choice_message=NOT_A_CHOICE)
    file = FileField(_l("Data file (CSV with ; or Excel)"), validators=[FileRequired(message=_l("Choose a file."))])


class IndicatorConfirmForm(FlaskForm):
    indicator = HiddenField(validators=[InputRequired()])
    content = HiddenField(validators=[InputRequired(message=_l("The file is missing; upload it again."))])
