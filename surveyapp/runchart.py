"""Run charts as inline SVG, made on the server: the same markup in the page and in the PDF."""
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH, HEIGHT = 480, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 64


@dataclass(frozen=True)
class ChartText:
    """The words a chart needs, already translated by the caller."""

    title: str
    median: str
    target: str
    point_labels: list[str]  # one per point, e.g. a formatted date
    value_labels: list[str]  # one per point, e.g. "90 %"


def _y(share: float) -> float:
    return TOP + (1 - share) * (HEIGHT - TOP - BOTTOM)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if count == 1 else index * span / (count - 1))


def runchart_svg(shares: list[float], median: float | None, target: float, highlighted: set[int],
                 text: ChartText) -> Markup:
    """An SVG run chart: shares (0-1) in order, the median and target lines; highlighted points are part of a signal."""
    count = len(shares)
    parts = [f'<svg class="runchart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="rc-title" '
             f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, sans-serif" font-size="13">',
             f'<title id="rc-title">{escape(text.title)}</title>']
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = _y(tick)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#545454">{int(tick * 100)} %</text>')
    y = _y(target)
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#006e2e" '
                 f'stroke-width="2" stroke-dasharray="8 4"/>')
    parts.append(f'<text x="{WIDTH - RIGHT}" y="{y - 5:.1f}" text-anchor="end" fill="#006e2e">{escape(text.target)}</text>')
    if median is not None:
        y = _y(median)
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#545454" stroke-width="1.5"/>')
        parts.append(f'<text x="{LEFT + 4}" y="{y - 5:.1f}" fill="#545454">{escape(text.median)}</text>')
    if count:
        path = " ".join(f"{'M' if i == 0 else 'L'}{_x(i, count):.1f},{_y(s):.1f}" for i, s in enumerate(shares))
        parts.append(f'<path d="{path}" fill="none" stroke="#004993" stroke-width="2"/>')
    for i, share in enumerate(shares):
        x, y = _x(i, count), _y(share)
        fill = "#b00020" if i in highlighted else "#004993"
        shape = (f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{fill}"/>' if i in highlighted
                 else f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{fill}"/>')
        parts.append(f'<g>{shape}<title>{escape(text.point_labels[i])}: {escape(text.value_labels[i])}</title></g>')
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="end" fill="#545454" '
                     f'transform="rotate(-35 {x:.1f} {HEIGHT - BOTTOM + 16})">{escape(text.point_labels[i])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
