"""The run chart SVG: a point per audit, the median and target lines, escaped text."""
import xml.etree.ElementTree as ET

from surveyapp.runchart import ChartText, runchart_svg

NS = "{http://www.w3.org/2000/svg}"


def chart(shares, highlighted=frozenset(), title="Run chart"):
    labels = [f"2026-0{i + 1}-01" for i in range(len(shares))]
    return runchart_svg(shares, 0.8, 0.9, set(highlighted),
                        ChartText(title, "Median", "Mål 90 %", labels, [f"{s:.0%}" for s in shares]))


def test_chart_has_a_point_per_audit_and_both_lines():
    root = ET.fromstring(str(chart([0.7, 0.8, 0.9, 1.0])))
    assert len(root.findall(f"{NS}g")) == 4
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Median" in texts and "Mål 90 %" in texts
    dashed = [line for line in root.iter(f"{NS}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1 and float(dashed[0].get("y1")) < float(dashed[0].get("y2")) + 1


def test_signal_points_are_drawn_differently_and_text_is_escaped():
    svg = str(chart([0.5, 0.6], highlighted={1}, title="<script>x</script>"))
    root = ET.fromstring(svg)
    assert len(root.findall(f"{NS}g/{NS}rect")) == 1 and len(root.findall(f"{NS}g/{NS}circle")) == 1
    assert "<script>" not in svg and root.find(f"{NS}title").text == "<script>x</script>"


def test_single_point_is_centred():
    root = ET.fromstring(str(chart([0.9])))
    grid = root.find(f"{NS}line")
    centre = (float(grid.get("x1")) + float(grid.get("x2"))) / 2
    assert abs(float(root.find(f"{NS}g/{NS}circle").get("cx")) - centre) < 0.1


def test_the_first_turned_date_label_fits_and_the_line_labels_stand_clear_of_every_line():
    import math

    labels = ["01.02.2026", "01.03.2026", "01.04.2026"]
    root = ET.fromstring(str(runchart_svg([0.6, 0.9, 0.95], 0.9, 0.9, set(),
                                          ChartText("t", "Median 90 %", "Mål 90 %", labels, ["60 %", "90 %", "95 %"]))))
    first = next(t for t in root.iter(f"{NS}text") if t.text == "01.02.2026")
    # Turned by 35 degrees and anchored at its end: it reaches cos(35°) of its width to the left.
    assert float(first.get("x")) - math.cos(math.radians(35)) * len(first.text) * 12 * 0.62 >= 0
    plot_right = max(float(line.get("x2")) for line in root.iter(f"{NS}line"))
    line_labels = [t for t in root.iter(f"{NS}text") if t.get("class") == "line-label"]
    assert {t.text for t in line_labels} == {"Median 90 %", "Mål 90 %"}
    assert all(float(t.get("x")) > plot_right + 5 for t in line_labels)  # right of every line and point
    ys = sorted(float(t.get("y")) for t in line_labels)
    assert ys[1] - ys[0] >= 15  # the same share: the two labels are moved apart, not overprinted
    width = float(root.get("viewBox").split()[2])
    assert all(float(t.get("x")) + len(t.text) * 13 * 0.62 <= width for t in line_labels)
