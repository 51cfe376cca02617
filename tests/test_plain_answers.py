"""The lean respondent path checks a post in plain Python (forms.respond.plain_answers) and leaves everything
else to the form: whenever it accepts a post, the form accepts it too and reads the same answers, for any post
a client can send (absent, blank, repeated, off-scale, padded, too long, with a CPR number or a NUL)."""
import pytest
from flask import request
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from forms.respond import FIELD_PREFIX, make_response_form, plain_answers
from surveyapp.services import questionnaires
from surveyapp.views.respond import TEXT_VALIDATORS

CHOICE_VALUES = st.sampled_from(["", " ", "1", "2", "3", "4", "5", "9", "0", "7", "99", " 4", "4 ", "enig", "-1"])
TEXT_VALUES = st.one_of(
    st.sampled_from(["", "   ", "hej", "  Godt arbejde  ", "010190-1234", "Min far 311299-4321", "a\x00b", "\x00",
                     "x" * 2000, "x" * 2001, "x" * 4001, "Ro & <fred>"]),
    st.text(max_size=40))


def _posts(questionnaire):
    """A strategy of form posts: per item nothing, one value or two."""
    fields = {}
    for item in questionnaire.items:
        values = TEXT_VALUES if item.kind == "text" else CHOICE_VALUES
        fields[FIELD_PREFIX + item.code] = st.lists(values, max_size=2)
    return st.fixed_dictionaries(fields).map(
        lambda chosen: MultiDict([(name, value) for name, values in chosen.items() for value in values]))


@pytest.mark.parametrize("code", ["patientsikkerhedskultur", "hvad-er-vigtigt-for-dig"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_post_the_plain_check_accepts_is_one_the_form_accepts_with_the_same_answers(app, code, lang):
    questionnaire = questionnaires.find(code)
    form_class = make_response_form(questionnaire, lang, TEXT_VALIDATORS)
    accepted = []

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(_posts(questionnaire))
    def check(post):
        with app.test_request_context("/s/x", method="POST", data=post):
            plain = plain_answers(form_class, request.form)
            form = form_class(meta={"csrf": False})
            if plain is not None:
                accepted.append(plain)
                assert not form.tampered()
                assert form.validate(), form.errors
                assert form.answers() == plain

    check()
    with app.test_request_context("/s/x", method="POST", data={
            FIELD_PREFIX + item.code: str(item.scale.options[0].value) for item in questionnaire.items
            if item.kind != "text"}):
        assert plain_answers(form_class, request.form) is not None  # an ordinary full answer takes the lean path
