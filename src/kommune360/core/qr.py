"""QR codes (PyPI ``qrcode``): SVG for pages and PDFs, PNG for e-mail attachments."""

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """An inline SVG (no XML declaration) that scales with its container."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    return svg.strip()


def qr_png(data: str) -> bytes:
    buffer = io.BytesIO()
    qrcode.make(data, box_size=8, border=2).save(buffer, format="PNG")
    return buffer.getvalue()
