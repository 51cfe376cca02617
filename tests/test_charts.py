"""Server-made SVG charts: plain data in, escaped SVG out, never colour alone."""
import xml.etree.ElementTree as ET
from itertools import pairwise

from surveyapp.charts import Bar, Column, bar_chart, column_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_bar_chart_draws_bars_intervals_target_and_value_texts():
    bars = [Bar("Tryg som patient", 82.4, 75.0, 88.0, "82,4 % ✓", met=True),
            Bar("Ledelsen følger op", 61.0, 52.0, 69.0, "61,0 % ✗", met=False, marked=True, mark_text="Udfordring 1:"),
            Bar("Skjult afsnit", None, value_text="skjult (< 5)")]
    root = parse(bar_chart(bars, 80.0, "Spørgsmål mod målet", "Mål 80 %", width=600))
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Spørgsmål mod målet"
    labels = texts(root)
    assert "82,4 % ✓" in labels and "61,0 % ✗" in labels and "skjult (< 5)" in labels
    assert "Udfordring 1: Ledelsen følger op" in labels and "Mål 80 %" in labels
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill") not in ("#e6e6e6",)]
    assert len(rects) == 2  # the hidden bar draws nothing
    # 0-100 maps onto 600 - 4 - 96 = 500 px: 82.4 % is 412 px wide
    assert abs(float(rects[0].get("width")) - 500 * 0.824) < 0.1
    targets = [line for line in root.iter(f"{SVG}line") if line.get("class") == "target"]
    assert len(targets) == 3 and {t.get("x1") for t in targets} == {f"{4 + 500 * 0.8:.1f}"}
    assert len(list(root.iter(f"{SVG}path"))) == 2  # intervals for the two visible bars


def test_bar_chart_for_a_slide_puts_the_labels_beside_the_bars_in_a_wide_low_shape():
    long = "Hvis jeg kom med forslag til patientsikkerheden, ville ledelsen følge op på dem"
    bars = [Bar(long, 88.6, 74.0, 95.0, "88,6 % ✓", met=True), Bar("Tryg som patient", 61.0, value_text="61,0 % ✗"),
            Bar("Skjult", None, value_text="skjult (< 5)")]
    above = parse(bar_chart(bars, 80.0, "t", "Mål 80 %"))
    beside = parse(bar_chart(bars, 80.0, "t", "Mål 80 %", width=860, wrap=44, label_width=330))
    shape = lambda root: [float(v) for v in root.get("viewBox").split()[2:]]  # noqa: E731
    (w_above, h_above), (w_beside, h_beside) = shape(above), shape(beside)
    assert w_beside / h_beside > 2 * (w_above / h_above) and w_beside / h_beside > 1.9  # about 16:9 or wider
    tracks = [r for r in beside.iter(f"{SVG}rect") if r.get("fill") == "#e6e6e6"]
    assert {r.get("x") for r in tracks} == {"334"}  # every bar starts right of the label column
    label_lines = [t for t in beside.iter(f"{SVG}text") if t.get("x") == "4.0"]
    assert len(label_lines) == 5 and all(len(t.text) <= 44 for t in label_lines)  # the long label wraps in three
    for text in beside.iter(f"{SVG}text"):
        assert 0 <= float(text.get("y")) <= h_beside
    # Each bar sits level with its label: its middle between the label's first and last line.
    first = [float(t.get("y")) for t in label_lines[:2]]
    assert first[0] - 13 <= float(tracks[0].get("y")) + 9 <= first[1]


def test_chart_texts_are_escaped():
    svg = bar_chart([Bar("<script>alert(1)</script> & co", 50.0, value_text="50 %")], None, 'Titel "x" <y>')
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg
    parse(svg)  # well-formed


def test_long_labels_wrap_onto_several_lines():
    label = "Hvis jeg kom med forslag til patientsikkerheden, ville ledelsen følge op på dem i mit afsnit"
    root = parse(bar_chart([Bar(label, 70.0, value_text="70 %")], 80.0, "t", wrap=40))
    assert len([t for t in texts(root) if t and t != "70 %" and not t.isdigit()]) == 3


def test_column_chart_scales_to_the_busiest_day_and_labels_it():
    columns = [Column("1. jun.", 4), Column("2. jun.", 0), Column("3. jun.", 8, "8")]
    root = parse(column_chart(columns, "Besvarelser pr. dag", width=600, height=180))
    rects = list(root.iter(f"{SVG}rect"))
    heights = [float(r.get("height")) for r in rects]
    assert heights == [63.0, 0.0, 126.0]  # plot height 180 - 20 - 34 = 126
    assert rects[2].find(f"{SVG}title").text == "3. jun.: 8"
    assert "8" in texts(root) and "1. jun." in texts(root)


def test_column_chart_without_data_is_still_an_svg():
    root = parse(column_chart([], "Ingen"))
    assert root.tag == f"{SVG}svg"


def test_a_slide_puts_the_chart_on_a_16_9_canvas_under_a_large_heading():
    from surveyapp.charts import Bar, bar_chart, slide

    svg = slide(bar_chart([Bar("Tryg", 82.0, 70.0, 90.0, "82 % ✓", True)], 80.0, "Titel", "Mål"), "Afsnit <A1>", "Runde")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1920 1080"')
    assert 'font-size="56"' in svg and "Afsnit &lt;A1&gt;" in svg
    assert 'preserveAspectRatio="xMidYMin meet"' in svg and svg.count("<svg") == 2


def inside_viewbox(root: ET.Element) -> list[str]:
    """Texts that stick out of the SVG's viewBox (their width estimated generously, 0.62 em a character)."""
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    out = []
    for t in root.iter(f"{SVG}text"):
        if t.get("transform"):
            continue
        x, y, size = float(t.get("x")), float(t.get("y")), float(t.get("font-size") or 13)
        w = len(t.text or "") * size * 0.62
        start = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor") or "start"]
        if start < -0.5 or start + w > width + 0.5 or y - size < -0.5 or y > height + 0.5:
            out.append(t.text or "")
    return out


def test_column_chart_has_a_y_axis_with_round_ticks_and_keeps_every_label_inside():
    from surveyapp.charts import Column, column_chart

    columns = [Column(f"{day}. sep.", count) for day, count in zip(range(24, 31), (26, 43, 35, 50, 38, 34, 40))]
    root = parse(column_chart(columns, "Besvarelser pr. dag"))
    assert [t.text for t in root.iter(f"{SVG}text")][:4] == ["0", "20", "40", "60"]  # ticks, bottom up
    assert len([line for line in root.iter(f"{SVG}line") if line.get("class") == "tick"]) == 4
    assert "24. sep." in texts(root) and inside_viewbox(root) == []
    many = [Column(f"{day:02d}.02.2026", day) for day in range(1, 29)]
    root = parse(column_chart(many, "t", width=300))
    first = next(t for t in root.iter(f"{SVG}text") if t.text == "01.02.2026")
    assert first.get("text-anchor") == "start" and inside_viewbox(root) == []


def test_sparkline_draws_a_panel_per_key_item_with_the_target_and_gaps_not_zeros():
    from surveyapp.linecharts import Series, sparkline

    label = "Udvikling over 4 målerunder. Nøglespørgsmål 1: 72 % → skjult → 78 % → 81 %"
    root = parse(sparkline([Series("1", [72.0, None, 78.0, 81.0]), Series("2", [None, 60.0, 65.0, None])], 80.0,
                           label))
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == label  # its accessible name
    assert texts(root) == ["1", "2"] and inside_viewbox(root) == []
    target = next(p for p in root.iter(f"{SVG}path") if p.get("class") == "target")
    assert target.get("d").count("M") == 2 and target.get("d").count("H") == 2  # one per panel
    assert len(list(root.iter(f"{SVG}circle"))) == 5  # one per shown point; none for the gaps
    line = next(p for p in root.iter(f"{SVG}path") if p.get("class") != "target")
    # item 1: the line stops at the gap (the lone point 72 stands alone) and goes on from 78 to 81;
    # item 2: 60 -> 65. Nothing is drawn at zero for the hidden rounds.
    assert line.get("d").count("M") == 2 and line.get("d").count("L") == 2
    bottom = float(root.get("viewBox").split()[3]) - 3
    assert all(float(c.get("cy")) < bottom for c in root.iter(f"{SVG}circle"))


def test_sparkline_without_any_shown_value_draws_no_line_and_no_point():
    from surveyapp.linecharts import Series, sparkline

    root = parse(sparkline([Series("1", [None, None]), Series("2", [None, None])], 80.0, "skjult → skjult"))
    assert list(root.iter(f"{SVG}circle")) == []
    assert [p.get("class") for p in root.iter(f"{SVG}path")] == ["target"]


def test_sparkline_scale_runs_from_50_to_100_and_lower_only_for_a_lower_value():
    from surveyapp.linecharts import Series, sparkline

    cy = lambda values: [float(c.get("cy")) for c in  # noqa: E731
                         parse(sparkline([Series("1", values)], 80.0, "x")).iter(f"{SVG}circle")]
    top, bottom = 3.0, 36 - 3.0
    assert cy([50.0, 100.0]) == [bottom, top]
    low, high = cy([33.0, 100.0])
    assert high == top and bottom - 2 < low < bottom  # the scale starts at 30: 33 is just above its floor


def test_line_chart_breaks_lines_at_gaps_keeps_labels_inside_and_apart():
    from surveyapp.linecharts import Series, line_chart

    series = [Series("1", [72.0, None, 81.0], "Jeg ville føle mig tryg", ["72,0 %", "", "81,0 %"]),
              Series("2", [60.0, 70.0, 80.5], "Kulturen her hos os", ["60,0 %", "70,0 %", "80,5 %"]),
              Series("3", [None, None, 81.5], "Hvis jeg kom med forslag", ["", "", "81,5 %"])]
    labels = ["Patientsikkerhedskultur, baseline (11. november 2025)", "Opfølgning (1. juni 2026)",
              "Opfølgning (30. september 2026)"]
    root = parse(line_chart(series, labels, 80.0, "Nøglespørgsmålene", "Mål 80 %", tick_text=lambda v: f"{v:g} %"))
    assert inside_viewbox(root) == []
    markers = root.findall(f"{SVG}g")
    assert len(markers) == 2 + 3 + 1  # one per shown point
    lines = [p for p in root.findall(f"{SVG}path") if p.get("fill") == "none"]
    assert len(lines) == 1 and lines[0].get("d").count("L") == 2  # only series 2 has two neighbours
    ends = {t.text: float(t.get("y")) for t in root.iter(f"{SVG}text") if t.text and t.text[:2] in ("1:", "2:", "3:")}
    assert set(ends) == {"1: 81,0 %", "2: 80,5 %", "3: 81,5 %"}
    ys = sorted(ends.values())
    assert all(b - a >= 15 for a, b in pairwise(ys))  # close values do not overprint
    assert "Mål 80 %" in texts(root) and "1  Jeg ville føle mig tryg" in texts(root)  # the legend
    assert len([line for line in root.iter(f"{SVG}line") if line.get("class") == "target"]) == 1


def test_a_slide_is_well_formed_xml_with_the_chart_nested_once():
    from surveyapp.charts import Column, column_chart, slide
    from surveyapp.runchart import ChartText, runchart_svg

    for chart in (column_chart([Column("1. jun.", 3)], "Besvarelser"),
                  str(runchart_svg([0.5, 0.9], 0.7, 0.9, set(), ChartText("R", "Median 70 %", "Mål 90 %",
                                                                              ["01.02.2026", "01.03.2026"], ["50 %", "90 %"])))):
        root = parse(slide(chart, "Afsnit A1", "Runde"))  # a duplicated attribute would raise here
        assert root.get("viewBox") == "0 0 1920 1080"
        inner = root.find(f"{SVG}svg")
        assert (inner.get("x"), inner.get("width"), inner.get("height")) == ("80", "1760", "820")
        assert inner.get("class") is None and inner.get("viewBox").startswith("0 0 ")


def test_line_chart_falls_back_to_short_x_labels_when_a_long_word_would_not_fit():
    from surveyapp.linecharts import Series, line_chart

    labels = [("Patientsikkerhedskultur, baseline\n11. november 2025", "nov. 2025"),
              ("Patientsikkerhedskultur, midtvejs\n1. juni 2026", "jun. 2026"),
              ("Patientsikkerhedskultur, opfølgning\n30. september 2026", "sep. 2026")]
    root = parse(line_chart([Series("1", [70.0, 75.0, 80.0], "a", ["70 %", "75 %", "80 %"])], labels, 80.0, "t"))
    assert {"nov. 2025", "jun. 2026", "sep. 2026"} <= set(texts(root)) and inside_viewbox(root) == []
    assert not any("Patientsikkerhedskultur" in t for t in texts(root))
    two = parse(line_chart([Series("1", [70.0, 80.0], "a", ["70 %", "80 %"])], labels[:2], 80.0, "t"))
    assert "Patientsikkerhedskultur," in texts(two) and "11. november 2025" in texts(two)
    assert inside_viewbox(two) == []
