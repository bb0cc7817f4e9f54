"""Printable QR codes of a channel's short link, drawn on the server (SVG for print, PNG for posts)."""

import io

import qrcode
import qrcode.image.svg


def _qr(data: str) -> qrcode.QRCode:
    # Error correction M survives a scratched poster; a border of 4 modules is what scanners expect.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str) -> bytes:
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode").encode()


def qr_png(data: str, *, box_size: int = 12) -> bytes:
    code = _qr(data)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
