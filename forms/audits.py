"""Audit forms: starting an audit and recording one sample."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

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


class TemplateForm(FlaskForm):
    """An audit template: name, kind, sample size, rule and criteria (one a line: "question | correct answer")."""

    name_da = StringField(_l("Name (Danish)"), validators=[
        InputRequired(message=_l("Give the audit a name.")), Length(max=200, message=_l("Keep the name under 200 characters."))])
    name_en = StringField(_l("Name (English, optional)"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[SelectChoice("interview", _l("Ask staff (interview)")),
                                            SelectChoice("record", _l("Review records"))])
    sample_size = IntegerField(_l("Sample size"), default=10, validators=[
        InputRequired(message=_l("Enter the number of samples.")),
        NumberRange(min=1, max=200, message=_l("Enter a whole number from 1 to 200."))])
    rule_kind = SelectField(_l("Rule"), choices=[SelectChoice("k_of_n", _l("k of n correct (e.g. 9 of 10)")),
                                                  SelectChoice("share", _l("Target share (e.g. 90 %)"))])
    rule_k = IntegerField(_l("k (correct)"), default=9, validators=[Optional(), NumberRange(min=1, message=_l("Enter a whole number from 1."))])
    rule_n = IntegerField(_l("n (asked)"), default=10, validators=[Optional(), NumberRange(min=1, message=_l("Enter a whole number from 1."))])
    target_percent = IntegerField(_l("Target share in percent"), default=90, validators=[
        Optional(), NumberRange(min=1, max=100, message=_l("Enter a percentage from 1 to 100."))])
    asks_workflow = BooleanField(_l("The auditor names the workflow (generic template)"))
    criteria = TextAreaField(_l("Questions, one a line; after a | the correct answer for the auditor (optional)"),
                             validators=[InputRequired(message=_l("Write at least one question.")),
                                         Length(max=5000, message=_l("Keep the questions under 5,000 characters."))])

    def validate_rule_k(self, field) -> None:
        if self.rule_kind.data == "k_of_n":
            if not field.data or not self.rule_n.data:
                raise ValidationError(_l("Enter both k and n."))
            if field.data > self.rule_n.data:
                raise ValidationError(_l("k cannot be larger than n."))

    def validate_target_percent(self, field) -> None:
        if self.rule_kind.data == "share" and not field.data:
            raise ValidationError(_l("Enter the target share."))
