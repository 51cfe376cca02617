"""The coordinator's result pages: what each role sees, formatting, suppression and query counts."""
import re
from datetime import date, datetime, timedelta

import pytest

from surveyapp.extensions import db
from surveyapp.services.results.counts import clear_cache
from tests.results_helpers import add_responses, closed, count_queries, tryg

KEYS = ("tryg_som_patient", "laere_af_haendelser", "ledelse_foelger_op")


def staff(safe: int, learn: int, follow: int, **more) -> dict:
    return {"tryg_som_patient": safe, "laere_af_haendelser": learn, "ledelse_foelger_op": follow, **more}


@pytest.fixture
def org(make_org):
    return make_org("H")


@pytest.fixture
def rounds(make_round, org):
    """A closed baseline and a current round of the staff survey on hospital H."""
    units = list(org.values())
    before = make_round(units=units, name="Baseline", opens=datetime(2025, 3, 1), closes=datetime(2025, 4, 1))
    now = make_round(units=units, name="Opfølgning", opens=datetime(2026, 6, 6), closes=datetime(2026, 7, 6))
    # H-A1: tryg 2 of 10 before, 9 of 10 now: more than chance. The others stay put.
    add_responses(before, org["H-A1"], [staff(5 if i < 2 else 2, 4, 4) for i in range(10)])
    add_responses(now, org["H-A1"], [staff(5 if i < 9 else 2, 4 if i < 7 else 1, 4 if i < 5 else 2,
                                           faggruppe=1 if i < 6 else 2) for i in range(10)])
    add_responses(now, org["H-A2"], [staff(4, 4, 4, faggruppe=2) for _ in range(6)])
    add_responses(now, org["H-B1"], [staff(1, 1, 1, faggruppe=2) for _ in range(3)])  # below 5: hidden
    add_responses(now, org["H-B2"], [staff(4, 5, 4, faggruppe=1) for _ in range(8)])  # hidden as cover
    db.session.commit()
    return before, now


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_rounds_page_links_each_round_to_its_dashboard(client, login_as, rounds, make_round, org):
    open_round = make_round(units=list(org.values()), name="Åben runde")
    login_as("admin")
    html = page(client, "/koordinator/")
    assert f'/koordinator/runde/{rounds[0].id}"' in html and f'/koordinator/runde/{rounds[1].id}"' in html
    assert f'/koordinator/runde/{open_round.id}/opfoelgning"' in html
    assert f'/koordinator/runde/{rounds[0].id}/opfoelgning"' not in html  # closed: no follow-up link


def test_dashboard_shows_the_hierarchy_with_key_items_against_the_target(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}")
    names = ["Sygehus H", "Afdeling A", "Afsnit A1", "Afsnit A2", "Afdeling B", "Afsnit B1", "Afsnit B2"]
    positions = [html.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)
    # H-A1: tryg 9 of 10 = 90,0 % meets the target, with a symbol and words as well as the colour
    assert re.search(r'result-met">90,0\xa0% <span aria-hidden="true">✓</span><span class="visually-hidden">når målet',
                     html)
    assert "Svarprocent" in html and "50,0\xa0%" in html  # H-A1: 10 respondents of 20 staff
    assert "6. jun.–5. jul. 2026" in html  # the period with its last day: closes 6 July 00.00 UTC


def test_no_number_below_the_threshold_leaks_on_the_dashboard(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}")
    row = lambda name: html[html.index(f">{name}</a>"):].split("</tr>")[0]  # noqa: E731
    for name in ("Afsnit B1", "Afsnit B2"):
        cells = row(name)
        assert cells.count("result-hidden") == 3 and cells.count("%") == 1  # the response rate only
    assert "72,7\xa0%" in row("Afdeling B")  # B itself has 11 respondents: 8 of 11


def test_english_when_the_user_picks_it(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}?lang=en")
    assert "90.0%" in html and "Jun 6\u2009–\u2009Jul 5, 2026" in html and "meets the target" in html


def test_unit_page_has_bars_challenges_and_the_change_since_last_round(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}/enhed/H-A1")
    assert html.count("<svg") == 2 and 'class="target"' in html and "Største udfordringer" in html  # items, history
    assert "Udvikling siden Baseline" in html
    # tryg 20 % -> 90 %: +70 percentage points, more than chance; laere 100 % -> 70 %
    assert "+70,0 procentpoint (fra 20,0\xa0%)" in html and "mere end tilfældigt" in html
    challenges = html[html.index("Største udfordringer"):html.index("Alle spørgsmål")]
    assert "Hvis jeg kom med forslag" in challenges  # ledelse_foelger_op: 5 of 10, the weakest
    assert "SAQ-skalascore" in html and "Fordelt på Faggruppe" in html


def test_hidden_unit_page_shows_no_numbers(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}/enhed/H-B1")
    assert "Enhedens resultater er skjult" in html and "<svg" not in html and "procentpoint" not in html


def test_faggruppe_groups_below_the_threshold_are_hidden_with_their_cover(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}/enhed/H-A1")
    table = html[html.index("Fordelt på Faggruppe"):]
    # H-A1 has 6 doctors and 4 nurses: the nurses are too few, and the doctors would be 10 - 4
    assert "result-hidden" in table and "result-met" not in table and "result-missed" not in table
    # H-A: doctors 6 + 0, nurses 4 + 6. A2 has no doctors, so A's doctors would reveal A1's: hidden too
    department = page(client, f"/koordinator/runde/{rounds[1].id}/enhed/H-A")
    rows = department[department.index("Fordelt på Faggruppe"):].split("</tr>")
    doctors = next(r for r in rows if ">Læge<" in r)
    assert "result-hidden" in doctors and "result-met" not in doctors


def test_coordinator_sees_only_their_units(client, login_as, rounds, org):
    login_as("coordinator", units=[org["H-A"]])
    html = page(client, f"/koordinator/runde/{rounds[1].id}")
    assert "Afsnit A1" in html and "Afsnit B2" not in html and "Sygehus H" not in html
    for url in (f"/koordinator/runde/{rounds[1].id}/enhed/H-B1", f"/koordinator/runde/{rounds[1].id}/enhed/H",
                f"/koordinator/runde/{rounds[1].id}/enhed/NOPE"):
        page(client, url, 404)


@pytest.mark.parametrize("path", ["", "/opfoelgning", "/enhed/X-A1", "/enhed/X-A1/fritekst"])
def test_a_round_outside_the_scope_is_not_found(client, login_as, make_org, make_round, org, path):
    other = make_org("X")
    foreign = make_round(**closed(), questionnaire="hvad-er-vigtigt-for-dig", units=list(other.values()))
    login_as("coordinator", units=[org["H"]])
    assert client.get(f"/koordinator/runde/{foreign.id}{path}").status_code == 404
    assert client.get(f"/koordinator/runde/{foreign.id + 1000}{path}").status_code == 404


def test_follow_up_shows_responses_per_day_and_lowest_rate_first(client, login_as, make_round, org):
    round_ = make_round(units=list(org.values()), opens=datetime(2026, 6, 6), closes=datetime(2026, 6, 20))
    add_responses(round_, org["H-A1"], tryg(4, 4), on=date(2026, 6, 6))
    add_responses(round_, org["H-A1"], tryg(4), on=date(2026, 6, 8))
    add_responses(round_, org["H-B2"], tryg(*[4] * 12), on=date(2026, 6, 8))
    db.session.commit()
    login_as("viewer", units=[org["H"]])
    html = page(client, f"/koordinator/runde/{round_.id}/opfoelgning")
    assert "<svg" in html and "Besvarelser pr. dag" in html and "15 besvarelser" in html
    rates = html[html.index("Svarprocent pr. afsnit"):]
    order = [rates.index(name) for name in ("Afsnit A2", "Afsnit B1", "Afsnit A1", "Afsnit B2")]
    assert order == sorted(order)  # 0 %, 0 %, 15 %, 60 %
    assert "60,0\xa0%" in rates and "15,0\xa0%" in rates
    days = html[html.index("Besvarelser pr. dag som tabel"):]
    assert "7. jun. 2026</td><td class=\"num\" data-label=\"Besvarelser\">0" in days


@pytest.fixture
def patient_round(make_round, org):
    round_ = make_round(**closed(), questionnaire="hvad-er-vigtigt-for-dig", units=list(org.values()))
    day = round_.opens_at.date()
    add_responses(round_, org["H-A1"], [{"tryg_indlagt": 5, "vigtigt_for_dig": "Ro om natten."}] * 3, on=day)
    add_responses(round_, org["H-A1"], [{"tryg_indlagt": 2, "vigtigt_for_dig": "Good food."}], on=day + timedelta(1),
                  language="en")
    add_responses(round_, org["H-A1"], [{"tryg_indlagt": 4}] * 2, on=day)
    db.session.commit()
    return round_


def test_patients_tryg_per_afsnit_and_free_texts_newest_first(client, login_as, patient_round, org):
    login_as("coordinator", units=[org["H-A1"]])
    html = page(client, f"/koordinator/runde/{patient_round.id}")
    assert "Er du tryg ved at være indlagt?" in html and "83,3\xa0%" in html  # 5 of 6 in the two highest
    texts = page(client, f"/koordinator/runde/{patient_round.id}/enhed/H-A1/fritekst")
    assert texts.index("Good food.") < texts.index("Ro om natten.") and texts.count("Ro om natten.") == 3
    assert 'lang="en"' in texts


def test_free_texts_are_for_the_afsnit_coordinators_only(client, login_as, patient_round, org):
    login_as("viewer", units=[org["H"]])
    assert "/fritekst" not in page(client, f"/koordinator/runde/{patient_round.id}")
    page(client, f"/koordinator/runde/{patient_round.id}/enhed/H-A1/fritekst", 403)


def test_free_texts_of_another_afsnit_are_not_found(client, login_as, patient_round, org):
    login_as("coordinator", units=[org["H-B"]])
    assert client.get(f"/koordinator/runde/{patient_round.id}/enhed/H-A1/fritekst").status_code == 404


def test_heavy_pages_run_a_fixed_number_of_queries(client, login_as, rounds, org):
    login_as("admin")
    urls = [f"/koordinator/runde/{rounds[1].id}", f"/koordinator/runde/{rounds[1].id}/enhed/H-A1",
            f"/koordinator/runde/{rounds[1].id}/opfoelgning"]
    before = {}
    for url in urls:
        db.session.expire_all()  # the tests share one session with the requests: start each page cold
        clear_cache()
        with count_queries() as counter:
            page(client, url)
        before[url] = counter[0]
    add_responses(rounds[1], org["H-A2"], [staff(4, 4, 4, faggruppe=3) for _ in range(30)])
    add_responses(rounds[1], org["H-B1"], [staff(2, 4, 4) for _ in range(30)])
    db.session.commit()
    for url in urls:
        db.session.expire_all()
        clear_cache()
        with count_queries() as counter:
            page(client, url)
        assert counter[0] == before[url], url
    # The dashboard counts the previous round too, for the change per key item; the unit page counts every
    # round of the questionnaire for the key items' history and looks up the afsnit's action plan.
    assert before[urls[0]] <= 22 and before[urls[1]] <= 41 and before[urls[2]] <= 8


def test_follow_up_lists_only_the_afsnit_in_scope(client, login_as, rounds, org):
    login_as("coordinator", units=[org["H-A"]])
    html = page(client, f"/koordinator/runde/{rounds[1].id}/opfoelgning")
    assert "Afsnit A1" in html and "Afsnit A2" in html and "Afsnit B1" not in html
    assert "16 besvarelser" in html  # 10 + 6 in H-A; H-B's 11 are not counted


def test_viewer_sees_the_numbers_of_their_units(client, login_as, rounds, org):
    login_as("viewer", units=[org["H-A1"]])
    html = page(client, f"/koordinator/runde/{rounds[1].id}")
    assert "Afsnit A1" in html and "Afdeling A<" not in html and "90,0\xa0%" in html
    page(client, f"/koordinator/runde/{rounds[1].id}/enhed/H-A1")
    page(client, f"/koordinator/runde/{rounds[1].id}/enhed/H-A", 404)


def test_patient_rounds_show_no_staff_response_rate(client, login_as, patient_round, org):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{patient_round.id}")
    assert "Svarprocent" not in html and "i meget høj grad" in html
    follow = page(client, f"/koordinator/runde/{patient_round.id}/opfoelgning")
    assert "Svarprocent" not in follow and "Besvarelser pr. afsnit" in follow


def test_dashboard_names_key_items_by_number_with_a_legend_and_a_headline(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}")
    assert '<dt>1</dt><dd>Jeg ville føle mig tryg, hvis jeg var patient her</dd>' in html
    thead = html[html.index("<thead>"):html.index("</thead>")]
    assert "Jeg ville føle mig tryg" not in thead and ">1<" in thead
    # A1 misses on ledelse (5 of 10); A2 meets all three; B1 and B2 are hidden.
    assert re.search(r'headline-count">1 af 2</span>\s*afsnit med resultater', html)


def test_dashboard_shows_the_change_since_the_previous_round_and_whether_it_is_chance(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}")
    a1 = html[html.index(">Afsnit A1</a>"):html.index(">Afsnit A2</a>")]
    assert "▲" in a1 and "+70,0" in a1 and "mere end tilfældigt" in a1 and "kan skyldes tilfældigheder" in html  # tryg 20 % -> 90 %
    assert "Baseline" in html
    baseline = page(client, f"/koordinator/runde/{rounds[0].id}")
    assert "change-significant" not in baseline and 'class="change' not in baseline


def test_dashboard_sorts_the_afsnit_by_a_column_and_filters_by_afdeling(client, login_as, rounds):
    login_as("admin")
    url = f"/koordinator/runde/{rounds[1].id}"
    html = page(client, url + "?sort=respondents&dir=desc")
    assert 'aria-sort="descending"' in html and ">Afdeling A</a>" not in html
    body = html[html.index("<tbody>"):]
    order = [body.index(f">Afsnit {name}</a>") for name in ("A1", "B2", "A2", "B1")]  # 10, 8, 6, 3
    assert order == sorted(order)
    html = page(client, url + "?sort=item0")  # hidden afsnit last, the rest by tryg ascending
    body = html[html.index("<tbody>"):]
    assert body.index(">Afsnit A1</a>") < body.index(">Afsnit A2</a>") < body.index(">Afsnit B1</a>")
    html = page(client, url + "?sort=nonsense")
    assert ">Afdeling A</a>" in html  # an unknown column keeps the hierarchy
    afdeling = re.search(r'<option value="(\d+)"[^>]*>Afdeling B</option>', html).group(1)
    html = page(client, f"{url}?afdeling={afdeling}")
    body = html[html.index("<tbody>"):]
    assert ">Afdeling B</a>" in body and ">Afsnit B1</a>" in body and ">Afsnit A1</a>" not in body


def test_a_ward_s_print_material_and_links_are_one_click_from_its_unit_page(client, login_as, rounds, org, make_round):
    patients = make_round(units=[org["H-A1"]], name="Patientdag", questionnaire="hvad-er-vigtigt-for-dig")
    login_as("coordinator", units=[org["H-A"]])
    html = page(client, f"/koordinator/runde/{rounds[1].id}/enhed/H-A1")
    assert 'href="/koordinator/afsnit/H-A1/materialer"' in html
    html = page(client, "/koordinator/afsnit/H-A1/materialer")
    assert html.index("Patientdag") < html.index("Opfølgning") < html.index("Baseline")  # newest first
    open_link = next(link for link in patients.links if link.kind == "open" and link.unit_id == org["H-A1"].id)
    assert f"/koordinator/plakater/link/{open_link.id}.pdf?size=a5" in html  # table tent for patients only
    # The closed rounds offer nothing to print (they take no answers), only the way to their results.
    assert html.count("size=a5") == 1 and html.count("size=a4") == 1
    assert html.count("Runden er lukket og tager ikke imod flere svar") == 2
    assert f'href="/koordinator/runde/{rounds[1].id}/enhed/H-A1"' in html
    assert "/s/" in html
    page(client, "/koordinator/afsnit/H-B1/materialer", 404)  # outside the scope
    page(client, "/koordinator/afsnit/H-A/materialer", 404)  # an afdeling has no material of its own


def test_the_unit_chart_downloads_as_a_16_9_slide_in_svg_and_png(client, login_as, rounds):
    login_as("admin")
    url = f"/koordinator/runde/{rounds[1].id}/enhed/H-A1"
    html = page(client, url)
    assert f'href="{url}/diagram.png"' in html and f'href="{url}/diagram.svg"' in html
    svg = client.get(url + "/diagram.svg")
    assert svg.mimetype == "image/svg+xml" and "attachment" in svg.headers["Content-Disposition"]
    body = svg.get_data(as_text=True)
    assert 'viewBox="0 0 1920 1080"' in body and "Afsnit A1" in body and 'class="target"' in body
    png = client.get(url + "/diagram.png")
    assert png.mimetype == "image/png" and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png.data[16:20], "big"), int.from_bytes(png.data[20:24], "big")
    assert (width, height) == (1920, 1080)
    assert client.get(f"/koordinator/runde/{rounds[1].id}/enhed/H-A1/diagram.gif").status_code == 404


def test_the_unit_page_shows_the_key_items_across_the_rounds(client, login_as, rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[1].id}/enhed/H-A1")
    section = html[html.index("Nøglespørgsmålene på tværs af målerunderne"):html.index("</table>", html.index("history-table"))]
    assert section.index("Baseline") < section.index("Opfølgning")
    assert "20,0\xa0%" in section and "90,0\xa0%" in section  # tryg before and now
    baseline = page(client, f"/koordinator/runde/{rounds[0].id}/enhed/H-A1")
    assert "history-table" not in baseline  # one round: no history yet


def test_the_staff_meeting_pdf_has_16_9_pages_with_the_key_items_challenges_and_room_to_discuss(client, login_as, rounds, tmp_path):
    import subprocess

    login_as("admin")
    url = f"/koordinator/runde/{rounds[1].id}/enhed/H-A1"
    assert f'href="{url}/personalemoede.pdf"' in page(client, url)
    pdf = client.get(url + "/personalemoede.pdf")
    assert pdf.mimetype == "application/pdf"
    (tmp_path / "m.pdf").write_bytes(pdf.data)
    info = subprocess.run(["pdfinfo", str(tmp_path / "m.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+3\n", info)
    width, height = [float(v) for v in info.split("Page size:")[1].split("pts")[0].split(" x ")]
    assert abs(width / height - 16 / 9) < 0.01
    text = subprocess.run(["pdftotext", str(tmp_path / "m.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Jeg ville føle mig tryg" in text and "Største udfordringer" in text and "+70,0" in text


def png_size(data: bytes) -> tuple[int, int]:
    """The PNG's size: decoded with Pillow when it is installed, else read from the IHDR header."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    try:
        from io import BytesIO

        from PIL import Image
    except ImportError:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    with Image.open(BytesIO(data)) as image:
        image.load()
        return image.size


def svg_words(svg: str) -> str:
    """Every text, title and aria-label of an SVG, as one string."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return " ".join([el.text or "" for el in root.iter() if el.tag.endswith(("text", "title"))]
                    + [el.get("aria-label") for el in root.iter() if el.get("aria-label")])


@pytest.fixture
def three_rounds(make_round, org):
    """Three closed rounds; H-A1 has 3 respondents in the middle one: hidden, though it has a share (2 of 3)."""
    units = list(org.values())
    made = [make_round(units=units, name=name, opens=opens, closes=opens + timedelta(days=30))
            for name, opens in (("Baseline", datetime(2025, 3, 1)), ("Midtvejs", datetime(2025, 9, 1)),
                                ("Opfølgning", datetime(2026, 3, 1)))]
    add_responses(made[0], org["H-A1"], [staff(5 if i < 7 else 2, 4, 4) for i in range(10)])  # 70 %
    add_responses(made[1], org["H-A1"], [staff(5 if i < 2 else 2, 4, 4) for i in range(3)])  # 66,7 %, hidden
    add_responses(made[1], org["H-A2"], [staff(4, 4, 4) for _ in range(9)])
    add_responses(made[2], org["H-A1"], [staff(5 if i < 9 else 2, 4, 4) for i in range(10)])  # 90 %
    add_responses(made[2], org["H-A2"], [staff(4, 4, 4) for _ in range(6)])
    db.session.commit()
    return made


def test_each_dashboard_row_has_a_trend_with_the_numbers_in_words_and_hidden_rounds_as_gaps(client, login_as,
                                                                                           three_rounds):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{three_rounds[2].id}")
    row = lambda name: html[html.index(f">{name}</a>"):].split("</tr>")[0]  # noqa: E731
    a1 = row("Afsnit A1")
    spark = a1[a1.index("<svg"):a1.index("</svg>") + 6]
    words = svg_words(spark)
    assert "Udvikling over 3 målerunder" in words
    assert "Nøglespørgsmål 1: 70,0\xa0% → skjult → 90,0\xa0%" in words
    assert "66,7" not in words and "67" not in words  # the hidden round's share appears nowhere
    assert spark.count("<circle") == 3 * 2  # two shown rounds per key item; the hidden one is a gap
    assert "Udvikling" in html[:html.index("<tbody>")]  # the column header
    b1 = row("Afsnit B1")  # no answers in any round: every point hidden, no number, no point
    assert "<circle" not in b1 and "%" not in svg_words(b1[b1.index("<svg"):b1.index("</svg>") + 6])


def test_a_dashboard_with_one_closed_round_or_an_open_round_has_no_trend_column(client, login_as, rounds, make_round,
                                                                                 org):
    login_as("admin")
    html = page(client, f"/koordinator/runde/{rounds[0].id}")
    assert 'class="sparkline"' not in html and "trend-col" not in html
    live = make_round(units=list(org.values()), name="Åben runde")  # after two closed ones: results not out
    add_responses(live, org["H-A1"], [staff(4, 4, 4) for _ in range(10)])
    db.session.commit()
    html = page(client, f"/koordinator/runde/{live.id}")
    assert 'class="sparkline"' not in html and "trend-col" not in html


def test_the_dashboard_trend_counts_each_round_once_whatever_the_number_of_rows(client, login_as, three_rounds, org):
    url = f"/koordinator/runde/{three_rounds[2].id}"

    def queries(unit) -> int:
        login_as("coordinator", units=[unit])
        db.session.expire_all()
        clear_cache()
        with count_queries() as counter:
            html = page(client, url)
        assert 'class="sparkline"' in html
        return counter[0]

    # An afdeling (3 rows) and the whole hospital (7 rows): each round is counted once for all its rows.
    assert queries(org["H-A"]) == queries(org["H"])


def test_the_unit_page_draws_the_key_items_across_the_rounds_and_offers_it_as_a_slide(client, login_as, three_rounds):
    login_as("admin")
    url = f"/koordinator/runde/{three_rounds[2].id}/enhed/H-A1"
    html = page(client, url)
    section = html[html.index("Nøglespørgsmålene på tværs af målerunderne"):html.index("history-table")]
    chart = section[section.index("<svg"):section.index("</svg>") + 6]
    words = svg_words(chart)
    assert "1: 90,0\xa0%" in words and "Mål 80\xa0%" in words and "Jeg ville føle mig tryg" in words
    assert "66,7" not in words and "67\xa0%" not in words  # the hidden middle round: a gap, no number
    assert chart.count("<title>") == 1 + 3 * 2  # the chart's title and one per shown point
    assert f'href="{url}/udvikling.png"' in section and f'href="{url}/udvikling.svg"' in section
    svg = client.get(url + "/udvikling.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "attachment" in svg.headers["Content-Disposition"] and svg.headers["Cache-Control"] == "no-store"
    body = svg.get_data(as_text=True)
    assert 'viewBox="0 0 1920 1080"' in body and "Afsnit A1" in body and "66,7" not in svg_words(body)
    png = client.get(url + "/udvikling.png")
    assert png.mimetype == "image/png" and png_size(png.data) == (1920, 1080)


def test_the_history_slide_is_not_found_without_a_history_or_for_a_hidden_unit(client, login_as, three_rounds):
    login_as("admin")
    assert client.get(f"/koordinator/runde/{three_rounds[0].id}/enhed/H-A1/udvikling.svg").status_code == 404
    assert client.get(f"/koordinator/runde/{three_rounds[2].id}/enhed/H-B1/udvikling.svg").status_code == 404


def test_the_responses_per_day_download_as_a_slide_unless_the_page_hides_them(client, login_as, rounds, make_round, org):
    login_as("admin")
    url = f"/koordinator/runde/{rounds[1].id}/opfoelgning"
    html = page(client, url)
    assert f'href="{url}/diagram.png"' in html and f'href="{url}/diagram.svg"' in html
    svg = client.get(url + "/diagram.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and "attachment" in svg.headers["Content-Disposition"]
    words = svg_words(svg.get_data(as_text=True))
    assert "Besvarelser pr. dag" in words and "Opfølgning" in words and "6. jun." in words
    png = client.get(url + "/diagram.png")
    assert png.mimetype == "image/png" and png_size(png.data) == (1920, 1080)
    few = make_round(units=[org["H-A1"]], name="Få svar")
    add_responses(few, org["H-A1"], [staff(4, 4, 4) for _ in range(3)])  # under the threshold: days hidden
    db.session.commit()
    assert "diagram.svg" not in page(client, f"/koordinator/runde/{few.id}/opfoelgning")
    assert client.get(f"/koordinator/runde/{few.id}/opfoelgning/diagram.svg").status_code == 404
    assert client.get(f"/koordinator/runde/{few.id}/opfoelgning/diagram.png").status_code == 404


def test_auditors_reach_no_survey_chart_slide(client, login_as, three_rounds, org):
    login_as("auditor", units=[org["H"]])
    base = f"/koordinator/runde/{three_rounds[2].id}"
    for path in ("/enhed/H-A1/udvikling.svg", "/enhed/H-A1/diagram.png", "/opfoelgning/diagram.svg"):
        assert client.get(base + path).status_code == 403, path
