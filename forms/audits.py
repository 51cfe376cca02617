"""Audit forms: starting an audit and recording one sample."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from surveyapp.privacy import contains_cpr


def no_cpr(form, field) -> None:
    if contains_cpr(field.data):
        raise ValidationError(_l("Please leave out CPR numbers and names: samples are numbered, never named."))


class StartAuditForm(FlaskForm):
    template = SelectField(_l("Audit"), coerce=int,
                           validators=[InputRequired(message=_l("Choose what to audit."))])
    unit = SelectField(_l("Ward"), coerce=int, validators=[InputRequired(message=_l("Choose the ward."))])
    workflow = StringField(_l("Workflow audited"), validators=[
        Optional(), Length(max=200, message=_l("Keep the name of the workflow under 200 characters.")), no_cpr])
    audited_on = DateField(_l("Date of the audit"), validators=[InputRequired(message=_l("Enter the date."))])


class FinishAuditForm(FlaskForm):
    reaudit_on = DateField(_l("Audit again on (optional)"), validators=[Optional()])


ANSWER_CHOICES = (SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No")), SelectChoice("na", _l("Not applicable")))


def make_sample_form(criteria, lang: str, **kwargs) -> FlaskForm:
    """A form with one yes / no / not applicable question per criterion, and a note."""

    class SampleForm(FlaskForm):
        note = TextAreaField(_l("Note (optional)"), validators=[
            Optional(), Length(max=1000, message=_l("Keep the note under 1,000 characters.")), no_cpr])

    for criterion in criteria:
        setattr(SampleForm, f"c{criterion.id}", RadioField(
            criterion.label(lang), choices=list(ANSWER_CHOICES),
            validators=[InputRequired(message=_l("Answer this question (or choose not applicable)."))],
            description=criterion.guidance.get(lang) or criterion.guidance.get("da") or ""))
    return SampleForm(**kwargs)
