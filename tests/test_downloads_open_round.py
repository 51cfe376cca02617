"""An open round's downloads page offers no results files or reports (they would only say "hidden"): it says when
the results are released and where the response counts are (issue 24)."""
from datetime import datetime, timedelta

from surveyapp.timeutil import utcnow


def test_open_round_downloads_say_when_results_come_and_offer_no_result_files(client, login_as, make_round):
    round_ = make_round(opens=utcnow() - timedelta(days=2))
    login_as("admin")
    page = client.get(f"/koordinator/download/runde/{round_.id}?lang=da").get_data(as_text=True)
    assert "Resultaterne frigives, når runden lukker" in page
    assert f"/koordinator/runde/{round_.id}/opfoelgning" in page
    assert "resultater.csv" not in page and "resultater.xlsx" not in page and "rapport" not in page


def test_closed_round_downloads_offer_the_results(client, login_as, make_round):
    round_ = make_round(opens=datetime(2026, 1, 5), closes=datetime(2026, 2, 1))
    login_as("admin")
    page = client.get(f"/koordinator/download/runde/{round_.id}?lang=da").get_data(as_text=True)
    assert "resultater.csv" in page and "resultater.xlsx" in page
    assert "Resultaterne frigives" not in page
