"""The annual report's sentences read correctly for 0, 1, 2 and many, in Danish and in English (Babel's plural
forms through the compiled catalogs)."""
import pytest
from flask_babel import force_locale

from surveyapp.services.plans import annual_words as words
from surveyapp.services.results.dashboard import Headline


@pytest.fixture
def say(app):
    def run(lang: str, function, *args):
        with app.test_request_context(), force_locale(lang):
            return function(*args)
    return run


@pytest.mark.parametrize("count, da, en", [
    (0, "Ingen indsatser har overskredet deres frist.", "No intervention is past its due date."),
    (1, "1 indsats har overskredet sin frist.", "1 intervention is past its due date."),
    (2, "2 indsatser har overskredet deres frist.", "2 interventions are past their due date."),
    (12, "12 indsatser har overskredet deres frist.", "12 interventions are past their due date."),
])
def test_overdue_sentence(say, count, da, en):
    assert say("da", words.overdue, count) == da and say("en", words.overdue, count) == en


@pytest.mark.parametrize("count, da, en", [
    (0, "Ingen nye indsatser er valgt for det kommende år.", "No new intervention is chosen for the coming year."),
    (1, "1 ny indsats er valgt for det kommende år.", "1 new intervention is chosen for the coming year."),
    (2, "2 nye indsatser er valgt for det kommende år.", "2 new interventions are chosen for the coming year."),
    (7, "7 nye indsatser er valgt for det kommende år.", "7 new interventions are chosen for the coming year."),
])
def test_new_interventions_sentence(say, count, da, en):
    assert say("da", words.new_chosen, count) == da and say("en", words.new_chosen, count) == en


def test_implemented_sentence_for_none_one_and_many(say):
    assert say("da", words.implemented, 0, 0, 2026) == "Ingen indsats blev implementeret i 2026."
    assert say("en", words.implemented, 0, 0, 2026) == "No intervention was implemented in 2026."
    assert say("da", words.implemented, 1, 1, 2026) == ("1 indsats blev implementeret i 2026. "
                                                        "Den seneste audit af arbejdsgangen bekræfter den.")
    assert say("en", words.implemented, 1, 0, 2026) == ("1 intervention was implemented in 2026. "
                                                        "Its status says so; no audit has verified it.")
    assert say("en", words.implemented, 2, 1, 2026) == ("2 interventions were implemented in 2026. "
                                                        "1 of them is verified by the latest audit of its workflow.")
    assert say("da", words.implemented, 5, 3, 2026) == ("5 indsatser blev implementeret i 2026. "
                                                        "Heraf er 3 bekræftet af de seneste audits af arbejdsgangene.")


@pytest.mark.parametrize("count, da, en", [
    (0, "Ingen implementerede indsatser er fremhævet; strategien beder om to.",
     "No implemented intervention is highlighted; the strategy asks for two."),
    (1, "1 implementeret indsats er fremhævet; strategien beder om to.",
     "1 implemented intervention is highlighted; the strategy asks for two."),
])
def test_a_shortfall_in_the_two_and_two_names_what_is_there(say, count, da, en):
    assert say("da", words.highlighted, count, "implemented") == da
    assert say("en", words.highlighted, count, "implemented") == en


def test_wards_meeting_the_target_and_ward_counts(say):
    one = Headline("afsnit", 1, 1, 1)
    many = Headline("afsnit", 2, 5, 6)
    assert say("en", words.met_all, one, "R") == "1 of 1 ward with results meets the target on every key item in R."
    assert say("en", words.met_all, many, "R") == "2 of 5 wards with results meet the target on every key item in R."
    assert say("da", words.met_all, many, "R") == "2 af 5 afsnit med resultater når målet på alle nøglespørgsmål i R."
    assert say("en", words.met_all, Headline("afsnit", 0, 0, 3), "R") == \
        "No ward has results to compare with the target in R."
    assert [say("en", words.wards, n) for n in (0, 1, 2)] == ["0 wards", "1 ward", "2 wards"]
    assert [say("da", words.wards, n) for n in (0, 1, 2)] == ["0 afsnit", "1 afsnit", "2 afsnit"]
