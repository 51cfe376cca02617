"""Run charts as inline SVG, made on the server: the same markup in the page, the PDF and the slide."""
import math
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 560, 260
LEFT, TOP, BOTTOM = 48, 16, 64
FONT_SIZE = 13
#: The date labels are turned this much (degrees) so that a year of monthly audits fits under the axis.
LABEL_ANGLE = 35


@dataclass(frozen=True)
class ChartText:
    """The words a chart needs, already translated by the caller."""

    title: str
    median: str
    target: str
    point_labels: list[str]  # one per point, e.g. a formatted date
    value_labels: list[str]  # one per point, e.g. "90 %"


def _width(text: str, size: int = FONT_SIZE) -> float:
    """A generous estimate of a text's width in DejaVu Sans."""
    return len(text) * size * 0.62


@dataclass(frozen=True)
class _Frame:
    left: float
    right: float

    def y(self, share: float) -> float:
        return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)

    def x(self, index: int, count: int) -> float:
        span = self.right - self.left
        return self.left + (span / 2 if count == 1 else index * span / (count - 1))


def _frame(text: ChartText) -> _Frame:
    """Room on the left for the first (turned) date label, on the right for the median and target labels."""
    first = text.point_labels[0] if text.point_labels else ""
    left = max(LEFT, math.cos(math.radians(LABEL_ANGLE)) * _width(first, 12) + 6)
    right = WIDTH - max(_width(text.median), _width(text.target)) - 16
    return _Frame(left, right)


def _line_labels(frame: _Frame, median: float | None, target: float) -> list[tuple[float, str]]:
    """The y of the target's and the median's labels at the right end of their lines, kept 15 px apart."""
    wanted = [(frame.y(target) + 4, "target")] + ([(frame.y(median) + 4, "median")] if median is not None else [])
    wanted.sort()
    if len(wanted) == 2 and wanted[1][0] - wanted[0][0] < 15:
        middle = (wanted[0][0] + wanted[1][0]) / 2
        wanted = [(middle - 7.5, wanted[0][1]), (middle + 7.5, wanted[1][1])]
    return wanted


def runchart_svg(shares: list[float], median: float | None, target: float, highlighted: set[int],
                 text: ChartText, chart_id: str = "rc") -> Markup:
    """An SVG run chart: shares (0-1) in order, the median and target lines; highlighted points are part of a signal.

    The median's and the target's labels stand right of the plot, where no line or point can cross them.
    `chart_id` keeps the title's id unique where a page holds several charts."""
    count = len(shares)
    frame = _frame(text)
    bottom = HEIGHT - BOTTOM
    parts = [f'<svg class="runchart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{chart_id}-title" '
             f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" font-size="{FONT_SIZE}">',
             f'<title id="{chart_id}-title">{escape(text.title)}</title>']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = frame.y(tick)
        parts.append(f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        parts.append(f'<text x="{frame.left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" fill="#545454">'
                     f'{int(tick * 100)} %</text>')
    y = frame.y(target)
    parts.append(f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="#006e2e" '
                 f'stroke-width="2" stroke-dasharray="8 4"/>')
    if median is not None:
        y = frame.y(median)
        parts.append(f'<line x1="{frame.left:.1f}" x2="{frame.right:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#545454" stroke-width="1.5"/>')
    for label_y, which in _line_labels(frame, median, target):
        words, colour = (text.target, "#006e2e") if which == "target" else (text.median, "#545454")
        parts.append(f'<text class="line-label" x="{frame.right + 12:.1f}" y="{label_y:.1f}" fill="{colour}">'
                     f'{escape(words)}</text>')
    if count:
        path = " ".join(f"{'M' if i == 0 else 'L'}{frame.x(i, count):.1f},{frame.y(s):.1f}"
                        for i, s in enumerate(shares))
        parts.append(f'<path d="{path}" fill="none" stroke="#004993" stroke-width="2"/>')
    for i, share in enumerate(shares):
        x, y = frame.x(i, count), frame.y(share)
        fill = "#b00020" if i in highlighted else "#004993"
        shape = (f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{fill}"/>' if i in highlighted
                 else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}"/>')
        parts.append(f'<g>{shape}<title>{escape(text.point_labels[i])}: {escape(text.value_labels[i])}</title></g>')
        parts.append(f'<text class="date" x="{x:.1f}" y="{bottom + 16}" text-anchor="end" fill="#545454" '
                     f'font-size="12" transform="rotate(-{LABEL_ANGLE} {x:.1f} {bottom + 16})">'
                     f'{escape(text.point_labels[i])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
