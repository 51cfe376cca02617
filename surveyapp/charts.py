"""Charts as inline SVG made on the server: no JavaScript, and the PDF export draws the same chart.

Pure functions of plain data, no Flask: the caller passes every text already translated and formatted
(Babel), and gets an SVG string whose texts are escaped. Colour is never the only signal: each bar carries
its value text (with a symbol for target met / not met) and marked bars get a text mark too.
"""
from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

OK = "#006e2e"
BAD = "#b00020"
NEUTRAL = "#004993"
TRACK = "#e6e6e6"
INK = "#1a1a1a"
MUTED = "#545454"
FONT = '"DejaVu Sans", "Noto Sans", system-ui, sans-serif'


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: a share 0-100 with an optional interval; percent None draws no bar."""

    label: str
    percent: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    #: Shown right of the bar, e.g. "82,4 % ✓" or "Skjult (under 5 svar)".
    value_text: str = ""
    met: bool | None = None
    #: Drawn with a thick outline and `mark_text` before the label (e.g. a biggest challenge).
    marked: bool = False
    mark_text: str = ""


@dataclass(frozen=True)
class Column:
    """One vertical column of a count chart, e.g. responses on a day."""

    label: str
    value: int
    value_text: str = ""


def _text(x: float, y: float, content: str, size: int = 13, anchor: str = "start", weight: str = "normal",
          fill: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}" '
            f'fill="{fill}">{escape(content)}</text>')


def bar_chart(bars: Sequence[Bar], target: float | None, title: str, target_text: str = "",
              width: int = 420, wrap: int = 48, label_width: int = 0) -> str:
    """Horizontal bars on a 0-100 scale with intervals and a dashed target line at `target` (0-100).

    Labels stand above their bar, or with `label_width` in a column of that width left of the bars: the wide,
    low shape a 16:9 slide fills with large type."""
    left, right = 4 + label_width, 96  # space for the labels on the left (if beside) and the value text on the right
    scale_width = width - left - right
    x = lambda percent: left + scale_width * max(0.0, min(100.0, percent)) / 100  # noqa: E731
    parts, y = [], 8
    for bar in bars:
        label = f"{bar.mark_text} {bar.label}".strip() if bar.marked else bar.label
        lines = textwrap.wrap(label, wrap) or [""]
        weight = "bold" if bar.marked else "normal"
        if label_width:
            top = y + 6
            bar_y = top + max(0, (len(lines) * 16 - 18) // 2)
            for number, line in enumerate(lines):
                parts.append(_text(4, top + 13 + 16 * number, line, weight=weight))
            next_y = top + max(18, len(lines) * 16) + 8
        else:
            for line in lines:
                y += 16
                parts.append(_text(left, y, line, weight=weight))
            bar_y = y + 6
            next_y = bar_y + 18 + 12
        y = bar_y
        parts.append(f'<rect x="{left}" y="{y}" width="{scale_width}" height="18" fill="{TRACK}"/>')
        if bar.percent is not None:
            colour = NEUTRAL if bar.met is None else (OK if bar.met else BAD)
            outline = f' stroke="{INK}" stroke-width="2"' if bar.marked else ""
            parts.append(f'<rect x="{left}" y="{y}" width="{x(bar.percent) - left:.1f}" height="18" '
                         f'fill="{colour}"{outline}/>')
        if bar.ci_low is not None and bar.ci_high is not None:
            mid, lo, hi = y + 9, x(bar.ci_low), x(bar.ci_high)
            parts.append(f'<path d="M{lo:.1f} {mid} H{hi:.1f} M{lo:.1f} {y + 3} V{y + 15} M{hi:.1f} {y + 3} V{y + 15}" '
                         f'stroke="{INK}" stroke-width="1.5" fill="none"/>')
        if target is not None:  # drawn over each bar only, so it never crosses a label
            parts.append(f'<line class="target" x1="{x(target):.1f}" y1="{y - 3}" x2="{x(target):.1f}" y2="{y + 21}" '
                         f'stroke="{INK}" stroke-width="2" stroke-dasharray="4 2"/>')
        parts.append(_text(width - right + 8, y + 14, bar.value_text, weight="bold"))
        y = next_y
    if target is not None:
        tx = x(target)
        if target_text:
            y += 10
            parts.append(_text(tx, y, target_text, size=12, anchor="middle", fill=MUTED))
    for tick in (0, 50, 100):
        y_tick = y + 16
        parts.append(_text(x(tick), y_tick, f"{tick}", size=11, anchor="middle", fill=MUTED))
    height = y + 24
    return _svg(title, width, height, parts)


def _nice_step(peak: float, most: int = 4) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most `most` steps up to `peak`."""
    raw = max(peak, 1) / most
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def _label_x(centre: float, text: str, size: int, low: float, high: float) -> tuple[float, str]:
    """Where to put a centred label so it stays inside [low, high]: (x, text-anchor)."""
    half = _text_width(text, size) / 2
    if centre - half < low:
        return low, "start"
    if centre + half > high:
        return high, "end"
    return centre, "middle"


def _text_width(text: str, size: int) -> float:
    """A generous estimate of a text's width in DejaVu Sans (about 0.62 em a character)."""
    return len(text) * size * 0.62


def column_chart(columns: Sequence[Column], title: str, width: int = 420, height: int = 160,
                 tick_text=str) -> str:
    """Vertical columns of counts (e.g. responses per day) on a y-axis with a few round ticks; labels under
    the first, middle and last column (every column when there are few), each kept inside the chart."""
    top, bottom = 20, 34
    peak = max((c.value for c in columns), default=0)
    step = max(1, int(_nice_step(peak)))
    axis_top = max(step, math.ceil(peak / step) * step)
    ticks = range(0, axis_top + 1, step)
    side = 8 + max(_text_width(tick_text(t), 11) for t in ticks)
    plot_height = height - top - bottom
    y = lambda value: height - bottom - plot_height * value / axis_top  # noqa: E731
    step_x = (width - side - 8) / max(1, len(columns))
    parts = []
    for tick in ticks:
        parts.append(f'<line class="tick" x1="{side:.1f}" y1="{y(tick):.1f}" x2="{width - 8}" y2="{y(tick):.1f}" '
                     f'stroke="{TRACK if tick else MUTED}"/>')
        parts.append(_text(side - 4, y(tick) + 4, tick_text(tick), size=11, anchor="end", fill=MUTED))
    parts.append(f'<line x1="{side:.1f}" y1="{top}" x2="{side:.1f}" y2="{height - bottom}" stroke="{MUTED}"/>')
    labelled = {0, len(columns) // 2, len(columns) - 1}
    for i, column in enumerate(columns):
        h = plot_height * column.value / axis_top
        cx = side + i * step_x
        parts.append(f'<rect x="{cx + step_x * 0.15:.1f}" y="{height - bottom - h:.1f}" width="{step_x * 0.7:.1f}" '
                     f'height="{h:.1f}" fill="{NEUTRAL}"><title>{escape(column.label)}: '
                     f'{escape(column.value_text or str(column.value))}</title></rect>')
        if column.value == peak and peak:
            text = column.value_text or str(column.value)
            x, anchor = _label_x(cx + step_x / 2, text, 11, side, width)
            parts.append(_text(x, height - bottom - h - 4, text, size=11, anchor=anchor))
        if len(columns) <= 14 or i in labelled:
            x, anchor = _label_x(cx + step_x / 2, column.label, 11, 0, width)
            parts.append(_text(x, height - bottom + 16, column.label, size=11, anchor=anchor, fill=MUTED))
    return _svg(title, width, height, parts)


def _svg(title: str, width: int, height: int, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
            f'font-family=\'{FONT}\'><title>{escape(title)}</title>{"".join(parts)}</svg>')


#: A slide at 16:9, in SVG user units (the PNG is rendered at this size in pixels).
SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080


def _placed(chart_svg: str, x: int, y: int, width: int, height: int) -> str:
    """The chart's root <svg> placed in a box of another SVG: its own size, class and namespace give way to
    the box (an element must not carry an attribute twice, or the file is not XML)."""
    opening = re.match(r"\s*<svg\b([^>]*)>", chart_svg)
    if opening is None:
        raise ValueError("not an SVG")
    kept = re.sub(r'\s(?:xmlns|class|width|height|x|y|preserveAspectRatio)="[^"]*"', "", opening.group(1))
    return (f'<svg x="{x}" y="{y}" width="{width}" height="{height}" preserveAspectRatio="xMidYMin meet"{kept}>'
            + chart_svg[opening.end():])


def slide(chart_svg: str, heading: str, subheading: str = "") -> str:
    """A chart placed on a 16:9 slide with a large heading: the chart keeps its aspect and grows to fit."""
    inner = _placed(chart_svg, 80, 200, SLIDE_WIDTH - 160, SLIDE_HEIGHT - 260)
    parts = [f'<title>{escape(heading)}</title>', f'<rect width="{SLIDE_WIDTH}" height="{SLIDE_HEIGHT}" fill="#fff"/>',
             _text(80, 100, heading, size=56, weight="bold"),
             _text(80, 160, subheading, size=34, fill=MUTED) if subheading else "", inner]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SLIDE_WIDTH} {SLIDE_HEIGHT}" '
            f'width="{SLIDE_WIDTH}" height="{SLIDE_HEIGHT}" font-family=\'{FONT}\'>{"".join(parts)}</svg>')
