"""CPR-shaped numbers are recognised in free text."""
import pytest

from surveyapp.privacy import contains_cpr


@pytest.mark.parametrize("text", ["Min far 010150-1234 var glad", "0101501234", "cpr: 311299 1234", "150387–4321"])
def test_cpr_shaped_numbers_are_found(text):
    assert contains_cpr(text)


@pytest.mark.parametrize("text", [None, "", "Ring på 55 12 34 56", "Stue 12, seng 3", "321250-1234", "011350-1234",
                                  "123010150123456", "År 2026 og 1234 skridt"])
def test_ordinary_numbers_are_not_cpr(text):
    assert not contains_cpr(text)
