"""The issue's acceptance: on the demo data a coordinator sees per afsnit which key items meet 80 %, the
biggest challenges and the change since the last round, and no number leaks below the threshold."""
import re

from sqlalchemy import select

from surveyapp.extensions import db
from surveyapp.models import Round
from surveyapp.services.demo import seed as demo
from surveyapp.services.results.counts import round_results


def test_coordinator_on_the_demo_data(app, client):
    demo.seed(responses=400, seed=7)
    db.session.commit()
    follow_up = db.session.scalar(select(Round).where(Round.name == "Patientsikkerhedskultur, opfølgning"))
    assert client.post("/login", data={"email": "koordinator@nsr.example",
                                       "password": demo.DEMO_PASSWORD}).status_code == 302
    html = client.get(f"/koordinator/runde/{follow_up.id}").get_data(as_text=True)
    assert "Slagelse Sygehus" in html and "Næstved Sygehus" not in html
    assert "når målet" in html and "under målet" in html

    rows = round_results(follow_up)
    small = {r.unit_code for r in rows if r.respondents < follow_up.min_group}
    assert small, "the demo has afsnit below the threshold"
    assert all(r.suppressed and r.percent is None and r.positive is None for r in rows if r.unit_code in small)
    for row in (r for r in rows if r.unit_code in small and r.unit_code.startswith("SLA")):
        cells = html[html.index(f"/enhed/{row.unit_code}\""):].split("</tr>")[0]
        # The response rate stays visible (the follow-up needs it); no share of answers does.
        assert not re.search(r'class="num result[^"]*">\s*\d', cells)

    shown = next(r for r in rows if r.unit_code.startswith("SLA") and r.level == "afsnit" and not r.suppressed)
    unit = client.get(f"/koordinator/runde/{follow_up.id}/enhed/{shown.unit_code}").get_data(as_text=True)
    assert "Største udfordringer" in unit and "Udvikling siden Patientsikkerhedskultur, baseline" in unit
    assert "procentpoint" in unit and ("mere end tilfældigt" in unit or "kan skyldes tilfældigheder" in unit)
