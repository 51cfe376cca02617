"""QR codes for collection links, as PNG and as inline SVG."""
import io
import re

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _code(data: str) -> qrcode.QRCode:
    # Error correction M keeps a short URL at a coarse version that scans from a printed A4 at a distance.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_png(data: str, box_size: int = 10) -> bytes:
    """A black-on-white PNG of `data`, `box_size` pixels a module."""
    code = _code(data)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(data: str) -> str:
    """A standalone SVG document of `data`, one path, scalable to any print size."""
    image = _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_svg_inline(data: str, title: str = "") -> str:
    """The SVG without its XML declaration, to put straight into HTML or a PDF template (size it in CSS)."""
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", qr_svg(data))
    if title:
        svg = svg.replace(">", f' role="img" aria-label="{_escape(title)}">', 1)
    return svg


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of `data`'s code, quiet zone included, row by row (True is dark)."""
    return _code(data).get_matrix()
