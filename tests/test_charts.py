"""Server-made SVG charts: plain data in, escaped SVG out, never colour alone."""
import xml.etree.ElementTree as ET

from surveyapp.charts import Bar, Column, bar_chart, column_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_bar_chart_draws_bars_intervals_target_and_value_texts():
    bars = [Bar("Tryg som patient", 82.4, 75.0, 88.0, "82,4 % ✓", met=True),
            Bar("Ledelsen følger op", 61.0, 52.0, 69.0, "61,0 % ✗", met=False, marked=True, mark_text="▲ Udfordring:"),
            Bar("Skjult afsnit", None, value_text="skjult (< 5)")]
    root = parse(bar_chart(bars, 80.0, "Spørgsmål mod målet", "Mål 80 %", width=600))
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Spørgsmål mod målet"
    labels = texts(root)
    assert "82,4 % ✓" in labels and "61,0 % ✗" in labels and "skjult (< 5)" in labels
    assert "▲ Udfordring: Ledelsen følger op" in labels and "Mål 80 %" in labels
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill") not in ("#e6e6e6",)]
    assert len(rects) == 2  # the hidden bar draws nothing
    # 0-100 maps onto 600 - 4 - 96 = 500 px: 82.4 % is 412 px wide
    assert abs(float(rects[0].get("width")) - 500 * 0.824) < 0.1
    targets = [line for line in root.iter(f"{SVG}line") if line.get("class") == "target"]
    assert len(targets) == 3 and {t.get("x1") for t in targets} == {f"{4 + 500 * 0.8:.1f}"}
    assert len(list(root.iter(f"{SVG}path"))) == 2  # intervals for the two visible bars


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
