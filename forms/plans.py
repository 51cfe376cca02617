"""Action plan forms: an intervention, its status and a line of its progress log."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from surveyapp.privacy import contains_cpr

KIND_CHOICES = [SelectChoice("indsats", _l("Intervention")),
                SelectChoice("kerneårsagsanalyse-tiltag", _l("Action from a root-cause analysis (counted against its due date)"))]
HIGHLIGHT_CHOICES = [SelectChoice("", _l("Not highlighted")),
                     SelectChoice("implemented", _l("Highlight as implemented this year")),
                     SelectChoice("new", _l("Highlight as new for the coming year"))]


def no_cpr(form, field) -> None:
    if contains_cpr(field.data):
        raise ValidationError(_l("Please leave out CPR numbers."))


class InterventionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, default="indsats",
                       invalid_choice_message=_l("Choose one of the options."))
    title = StringField(_l("Title"), validators=[
        InputRequired(message=_l("Give the intervention a title.")),
        Length(max=200, message=_l("Keep the title under 200 characters.")), no_cpr])
    description = TextAreaField(_l("Description"), validators=[Optional(), no_cpr])
    items = SelectMultipleField(_l("Items it addresses"), coerce=int, option_widget=CheckboxInput(),
                                widget=ListWidget(prefix_label=False),
                                validators=[Optional()])
    responsible = StringField(_l("Responsible (a role or a name of the ward's staff)"), validators=[
        Optional(), Length(max=200, message=_l("Keep it under 200 characters.")), no_cpr])
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])
    audit_template = SelectField(_l("Verified by the audit"), validators=[Optional()])
    highlight = SelectField(_l("Annual report"), choices=HIGHLIGHT_CHOICES, validators=[Optional()])

    def validate_items(self, field) -> None:
        if self.kind.data == "indsats" and not field.data:
            raise ValidationError(_l("Choose at least one item."))

    def validate_due_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The due date cannot lie before the start."))
        if not field.data and self.kind.data == "kerneårsagsanalyse-tiltag":
            raise ValidationError(_l("An action from a root-cause analysis needs a due date."))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), validators=[InputRequired(message=_l("Choose a status."))])


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Progress note"), validators=[
        InputRequired(message=_l("Write the note.")), Length(max=2000, message=_l("Keep the note under 2000 characters.")),
        no_cpr])


class CloseForm(FlaskForm):
    """Closing a plan: its own button under an explanation (CSRF only, no fields)."""
