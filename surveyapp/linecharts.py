"""Line charts as inline SVG made on the server: the key items across rounds (`line_chart`) and the dashboard's
small trend per row (`sparkline`). Pure functions of plain data, like `charts`: every text comes translated and
formatted, a hidden value is a gap (no point, no number), and each series has its own marker as well as its
colour.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from .charts import INK, MUTED, NEUTRAL, TRACK, _label_x, _svg, _text, _text_width

@dataclass(frozen=True)
class Series:
    """One line of a line chart or sparkline: a share 0-100 per point in time; None is a gap (hidden or
    no answers), never a zero."""

    name: str
    values: Sequence[float | None]
    #: The full text for the legend (line charts).
    label: str = ""
    #: Per point, the formatted value ("81,2 %"); shown next to the last point and in each point's title.
    value_texts: Sequence[str] = ()


#: Line colours of a chart's series; each series also has its own marker, so colour is never alone.
SERIES_COLOURS = (NEUTRAL, "#8a3a8f", "#8a5a00", "#2f6f6f")


def _segments(values: Sequence[float | None]) -> list[list[int]]:
    """Runs of consecutive indices with a value: a line is drawn within a run, never across a gap."""
    runs, run = [], []
    for i, value in enumerate(values):
        if value is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(i)
    return runs + [run] if run else runs


def _marker(kind: int, x: float, y: float, r: float, fill: str) -> str:
    shape = kind % 3
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}"/>'
    if shape == 1:
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{fill}"/>'
    return (f'<path d="M{x:.1f} {y - r * 1.2:.1f} L{x + r * 1.1:.1f} {y + r * 0.8:.1f} '
            f'L{x - r * 1.1:.1f} {y + r * 0.8:.1f} Z" fill="{fill}"/>')


def sparkline(series: Sequence[Series], target: float | None, label: str, panel_width: int = 60,
              height: int = 36) -> str:
    """A small chart for a table row: one small panel per series (its name at the left), a point per round
    joined within runs of shown values (the last round's point filled), and a dotted target line. The scale
    runs from 50 (lower if a value is lower) to 100, the same for every panel of the row. `label` is the
    text alternative with the numbers (the SVG's title). Compact markup: a dashboard draws hundreds."""
    shown = [v for s in series for v in s.values if v is not None]
    low = min([50.0] + [math.floor(v / 10) * 10 for v in shown])
    gap, name_width = 6, 9
    top, plot_bottom = 3, height - 3
    y = lambda v: plot_bottom - (plot_bottom - top) * (v - low) / (100 - low)  # noqa: E731
    names, targets, lines, points = [], [], [], []
    for k, line in enumerate(series):
        x0 = k * (panel_width + gap)
        left, right = x0 + name_width + 2, x0 + panel_width - 3
        count = len(line.values)
        xs = [(left + right) / 2] if count == 1 else [left + (right - left) * i / (count - 1) for i in range(count)]
        names.append(f'<text x="{x0}" y="{height / 2 + 4:g}">{escape(line.name)}</text>')
        if target is not None:
            targets.append(f"M{left - 2:g} {y(target):.1f}H{right + 2:g}")
        for run in _segments(line.values):
            if len(run) > 1:
                lines.append("M" + " L".join(f"{xs[i]:.1f},{y(line.values[i]):.1f}" for i in run))
        for i, value in enumerate(line.values):
            if value is not None:
                last = ' r="2.6" fill="' + NEUTRAL + '"' if i == count - 1 else ' r="1.8"'
                points.append(f'<circle cx="{xs[i]:.1f}" cy="{y(value):.1f}"{last}/>')
    width = max(1, len(series) * (panel_width + gap) - gap)
    parts = [f'<title>{escape(label)}</title>', f'<g font-size="10" fill="{MUTED}">{"".join(names)}</g>']
    if targets:
        parts.append(f'<path class="target" d="{"".join(targets)}" stroke="{MUTED}" stroke-dasharray="2 2"/>')
    if lines:
        parts.append(f'<path d="{"".join(lines)}" fill="none" stroke="{NEUTRAL}" stroke-width="1.5"/>')
    parts.append(f'<g fill="#fff" stroke="{NEUTRAL}" stroke-width="1.2">{"".join(points)}</g>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="sparkline" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img">{"".join(parts)}</svg>')


def _fitting(labels: Sequence[str | tuple[str, str]], chars: int) -> list[str]:
    """Each label's long form if every word of every long form fits in `chars`, else the short forms."""
    pairs = [(label, label) if isinstance(label, str) else label for label in labels]
    if all(len(word) <= chars for long, _short in pairs for word in long.split()):
        return [long for long, _short in pairs]
    return [short for _long, short in pairs]


def line_chart(series: Sequence[Series], x_labels: Sequence[str | tuple[str, str]], target: float | None, title: str,
               target_text: str = "", tick_text=lambda v: f"{v:g} %", width: int = 480,
               plot_height: int = 200, wrap: int = 58) -> str:
    """Shares 0-100 over time, one line and marker shape per series, on a 0-100 axis with the dashed target
    line; the last value of each series stands at its end, a legend below names each series in full and
    the target (`target_text`), so no line is drawn over a label.
    A None value is a gap: no point, no number, the line broken there. An x label may hold line breaks, or be
    a pair (long, short): the short forms are used when a word of a long one is wider than its room."""
    left, top = 12 + _text_width(tick_text(100), 12), 14
    longest_end = max((_text_width(f"{s.name}: {s.value_texts[-1]}", 13) for s in series
                       if s.value_texts and s.values and s.values[-1] is not None), default=0)
    right = width - max(16, longest_end + 16)
    bottom = top + plot_height
    count = len(x_labels)
    y = lambda v: bottom - plot_height * max(0.0, min(100.0, v)) / 100  # noqa: E731
    x = lambda i: (left + right) / 2 if count <= 1 else left + 12 + (right - left - 24) * i / (count - 1)  # noqa: E731
    parts = []
    for tick in (0, 20, 40, 60, 80, 100):
        parts.append(f'<line x1="{left:.1f}" y1="{y(tick):.1f}" x2="{right:.1f}" y2="{y(tick):.1f}" '
                     f'stroke="{TRACK if tick else MUTED}"/>')
        parts.append(_text(left - 6, y(tick) + 4, tick_text(tick), size=12, anchor="end", fill=MUTED))
    if target is not None:
        parts.append(f'<line class="target" x1="{left:.1f}" y1="{y(target):.1f}" x2="{right:.1f}" '
                     f'y2="{y(target):.1f}" stroke="{INK}" stroke-width="2" stroke-dasharray="8 4"/>')
    # A label may take its share of the width, or the room between two points if that is less.
    slot = min(width / max(1, count), (right - left) / max(1, count - 1))
    chars = max(6, int(slot / (12 * 0.62)) - 1)
    label_bottom = bottom
    for i, label in enumerate(_fitting(x_labels, chars)):
        lines = [line for part in label.split("\n") for line in textwrap.wrap(part, chars, break_long_words=False)]
        for n, line in enumerate(lines):
            px, anchor = _label_x(x(i), line, 12, 0, right)
            parts.append(_text(px, bottom + 18 + 15 * n, line, size=12, anchor=anchor, fill=MUTED))
            label_bottom = max(label_bottom, bottom + 18 + 15 * n)
    ends, whens = [], [" ".join(label.split()) for label in _fitting(x_labels, 10 ** 6)]
    for k, line in enumerate(series):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        values = list(line.values)[:count] + [None] * (count - len(line.values))
        texts = list(line.value_texts) + [""] * (count - len(line.value_texts))
        for run in _segments(values):
            if len(run) > 1:
                path = " ".join(f"{'M' if j == 0 else 'L'}{x(i):.1f},{y(values[i]):.1f}" for j, i in enumerate(run))
                parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for i, value in enumerate(values):
            if value is not None:
                tip = f"{line.name}, {whens[i]}: {texts[i]}" if texts[i] else f"{line.name}, {whens[i]}"
                parts.append(f'<g>{_marker(k, x(i), y(value), 5, colour)}<title>{escape(tip)}</title></g>')
        if values and values[-1] is not None and texts[-1]:
            ends.append([y(values[-1]) + 4, f"{line.name}: {texts[-1]}", colour])
    ends.sort()
    for j in range(1, len(ends)):  # keep the end labels apart
        ends[j][0] = max(ends[j][0], ends[j - 1][0] + 15)
    for end_y, text, colour in ends:
        parts.append(_text(x(count - 1) + 12, end_y, text, size=13, weight="bold", fill=colour))
    legend_y = label_bottom + 14
    for k, line in enumerate(series):
        colour = SERIES_COLOURS[k % len(SERIES_COLOURS)]
        for n, text in enumerate(textwrap.wrap(f"{line.name}  {line.label}".strip(), wrap) or [line.name]):
            legend_y += 18
            if n == 0:
                parts.append(f'<line x1="4" y1="{legend_y - 4}" x2="28" y2="{legend_y - 4}" stroke="{colour}" '
                             f'stroke-width="2.5"/>' + _marker(k, 16, legend_y - 4, 5, colour))
            parts.append(_text(36, legend_y, text, size=13))
    if target is not None and target_text:  # in the legend, where no line can cross it
        legend_y += 18
        parts.append(f'<line x1="4" y1="{legend_y - 4}" x2="28" y2="{legend_y - 4}" stroke="{INK}" stroke-width="2" '
                     f'stroke-dasharray="8 4"/>' + _text(36, legend_y, target_text, size=13))
    return _svg(title, width, int(legend_y + 10), parts)
