"""Charts for slides: a unit's chart as a 16:9 SVG, and the same SVG rendered to PNG on the server
(WeasyPrint draws the SVG into a one-page PDF of the slide's size, poppler's pdftoppm rasterises it)."""
from __future__ import annotations

import subprocess

from flask import Response

from ...charts import SLIDE_HEIGHT, SLIDE_WIDTH, slide
from ..pdf import render_pdf


def chart_slide(chart_svg: str, heading: str, subheading: str = "") -> str:
    """The chart on a 1920 x 1080 slide with a heading."""
    return slide(str(chart_svg), heading, subheading)


def svg_to_png(svg: str) -> bytes:
    """A PNG of a slide SVG at its own size in pixels (1920 x 1080)."""
    html = (f"<style>@page {{ size: {SLIDE_WIDTH}px {SLIDE_HEIGHT}px; margin: 0 }} body {{ margin: 0 }} "
            f"svg {{ display: block }}</style>{svg}")
    pdf = render_pdf(html)
    # 1920 CSS px are 20 inches; at 96 dpi that is 1920 pixels again.
    return subprocess.run(["pdftoppm", "-r", "96", "-png", "-singlefile"], input=pdf, capture_output=True,
                          check=True, timeout=30).stdout


def slide_response(svg: str, fmt: str, name: str) -> Response:
    """The slide as a download: `fmt` "svg" as it is, "png" rendered at 1920 x 1080."""
    body, mimetype = (svg.encode(), "image/svg+xml") if fmt == "svg" else (svg_to_png(svg), "image/png")
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"',
                                                      "Cache-Control": "no-store"})
