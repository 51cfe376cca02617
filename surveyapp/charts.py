"""Charts as inline SVG made on the server: no JavaScript, and the PDF export draws the same chart.

Pure functions of plain data, no Flask: the caller passes every text already translated and formatted
(Babel), and gets an SVG string whose texts are escaped. Colour is never the only signal: each bar carries
its value text (with a symbol for target met / not met) and marked bars get a text mark too.
"""
from __future__ import annotations

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
              width: int = 420, wrap: int = 48) -> str:
    """Horizontal bars on a 0-100 scale with intervals and a dashed target line at `target` (0-100)."""
    left, right = 4, 96  # space for the value text on the right
    scale_width = width - left - right
    x = lambda percent: left + scale_width * max(0.0, min(100.0, percent)) / 100  # noqa: E731
    parts, y = [], 8
    for bar in bars:
        label = f"{bar.mark_text} {bar.label}".strip() if bar.marked else bar.label
        for line in textwrap.wrap(label, wrap) or [""]:
            y += 16
            parts.append(_text(left, y, line, weight="bold" if bar.marked else "normal"))
        y += 6
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
        y += 18 + 12
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


def column_chart(columns: Sequence[Column], title: str, width: int = 420, height: int = 160) -> str:
    """Vertical columns of counts (e.g. responses per day); labels under the first, middle and last column."""
    top, bottom, side = 20, 34, 8
    plot_height = height - top - bottom
    peak = max((c.value for c in columns), default=0) or 1
    step = (width - 2 * side) / max(1, len(columns))
    parts = [f'<line x1="{side}" y1="{height - bottom}" x2="{width - side}" y2="{height - bottom}" stroke="{MUTED}"/>']
    labelled = {0, len(columns) // 2, len(columns) - 1}
    for i, column in enumerate(columns):
        h = plot_height * column.value / peak
        cx = side + i * step
        parts.append(f'<rect x="{cx + step * 0.15:.1f}" y="{height - bottom - h:.1f}" width="{step * 0.7:.1f}" '
                     f'height="{h:.1f}" fill="{NEUTRAL}"><title>{escape(column.label)}: '
                     f'{escape(column.value_text or str(column.value))}</title></rect>')
        if column.value == peak:
            parts.append(_text(cx + step / 2, height - bottom - h - 4, column.value_text or str(column.value),
                               size=11, anchor="middle"))
        if len(columns) <= 14 or i in labelled:
            parts.append(_text(cx + step / 2, height - bottom + 16, column.label, size=11, anchor="middle", fill=MUTED))
    return _svg(title, width, height, parts)


def _svg(title: str, width: int, height: int, parts: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
            f'font-family=\'{FONT}\'><title>{escape(title)}</title>{"".join(parts)}</svg>')


#: A slide at 16:9, in SVG user units (the PNG is rendered at this size in pixels).
SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080


def slide(chart_svg: str, heading: str, subheading: str = "") -> str:
    """A chart placed on a 16:9 slide with a large heading: the chart keeps its aspect and grows to fit."""
    inner = chart_svg.replace('<svg xmlns="http://www.w3.org/2000/svg" class="chart" ',
                              f'<svg x="80" y="200" width="{SLIDE_WIDTH - 160}" height="{SLIDE_HEIGHT - 260}" '
                              'preserveAspectRatio="xMidYMin meet" ', 1)
    parts = [f'<rect width="{SLIDE_WIDTH}" height="{SLIDE_HEIGHT}" fill="#fff"/>',
             _text(80, 100, heading, size=56, weight="bold"),
             _text(80, 160, subheading, size=34, fill=MUTED) if subheading else "", inner]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SLIDE_WIDTH} {SLIDE_HEIGHT}" '
            f'width="{SLIDE_WIDTH}" height="{SLIDE_HEIGHT}" font-family=\'{FONT}\'>{"".join(parts)}</svg>')
