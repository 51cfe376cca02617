"""Coordinators' forms for printed material."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange


class CodeCardsForm(FlaskForm):
    """Make N single-use answer codes for an afsnit and print them as cards."""

    unit = SelectField(_l("Ward"), coerce=int, validators=[InputRequired(message=_l("Choose the ward."))])
    count = IntegerField(_l("Number of cards"), default=20, validators=[
        InputRequired(message=_l("Enter the number of cards.")),
        NumberRange(min=1, max=200, message=_l("Enter a whole number from 1 to 200."))])
