"""PDFs drawn on the server with fpdf2 and the shipped DejaVu fonts, in every script the portal speaks:
Latin, Cyrillic, Turkish and Arabic. Nothing is stored: each PDF is drawn on request.

Text goes through fpdf2's text shaping (HarfBuzz, `uharfbuzz`): Arabic letters are joined and every line
is laid out by the Unicode bidirectional algorithm, so glyphs stand in visual order and a reader (or a
text extractor) reads them in logical order. A document follows the active language: an Arabic PDF is
right to left (its own headings right-to-left paragraphs, every line right-aligned)
and carries its language (`/Lang`). What a person typed keeps its own direction, like `dir="auto"` on the
web pages: a paragraph takes the direction of its first strong letter, so a German street name in an
Arabic CV reads left to right inside it, and a phone number or an e-mail address (no letters of either
direction first) stays left to right. fpdf2 tags images and links only (the QR code has alternative
text); it does not tag paragraphs, so these are not PDF/UA documents.
"""

import logging
from pathlib import Path

import qrcode
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TextDirection

from hub.dates import format_when

FONTS = Path(__file__).parent / "fonts"
# fontTools reports every glyph subset at INFO; that is noise in the logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class _Document(FPDF):
    """An A4 page in the active language, with one way to write a paragraph in the right direction."""

    def __init__(self):
        super().__init__(format="A4")
        self.language = translation.get_language() or settings.LANGUAGE_CODE
        self.rtl = translation.get_language_bidi()
        self.set_auto_page_break(auto=True, margin=20)
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_creator("JMD digital-hub")
        self.set_lang(self.language)
        self.add_page()

    def write_line(self, height: float, text: str, *, typed: bool = False, align: str = "", url: str = ""):
        """One paragraph, wrapped. `typed`: what a person wrote (name, address, free text), whose direction
        comes from its own first strong letter; else the document's. `align` "C" centres; by default
        lines start at the document's start side (right in a right-to-left document)."""
        if url:
            direction = TextDirection.LTR  # an address of a page reads left to right in every language
        elif typed:
            direction = None  # fpdf2 takes the first strong letter's direction, left to right if none
        else:
            direction = TextDirection.RTL if self.rtl else TextDirection.LTR
        self.set_text_shaping(True, direction=direction)
        align = align or ("R" if self.rtl else "L")
        self.multi_cell(0, height, text, align=align, link=url or None, new_x="LMARGIN", new_y="NEXT")

    def write_typed(self, height: float, text: str, *, align: str = ""):
        """Free text a person typed: every line its own paragraph with its own direction."""
        for line in text.splitlines():
            if line.strip():
                self.write_line(height, line, typed=True, align=align)
            else:
                self.ln(height)


def _document() -> _Document:
    return _Document()


def certificate_pdf(certificate, *, verify_url: str) -> bytes:
    pdf = _document()
    pdf.set_title(_("Certificate") + ": " + certificate.course_title)
    pdf.set_draw_color(0, 84, 147)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_y(40)
    pdf.set_font("DejaVu", "B", 30)
    pdf.write_line(16, _("Certificate"), align="C")
    pdf.set_font("DejaVu", "", 13)
    pdf.write_line(10, _("Youth Migration Services (JMD)"), align="C")
    pdf.ln(18)
    pdf.write_line(10, _("This certifies that"), align="C")
    pdf.set_font("DejaVu", "B", 22)
    pdf.write_line(14, certificate.holder_name, typed=True, align="C")
    pdf.set_font("DejaVu", "", 13)
    pdf.write_line(10, _("has successfully completed the course"), align="C")
    pdf.set_font("DejaVu", "B", 18)
    pdf.write_line(12, certificate.course_title, typed=True, align="C")
    pdf.set_font("DejaVu", "", 12)
    pdf.ln(6)
    issued = format_when(certificate.issued_at, "date_long")
    pdf.write_line(8, _("Date: %(date)s") % {"date": issued}, align="C")
    if certificate.valid_until:
        until = format_when(certificate.valid_until, "date_long")
        pdf.write_line(8, _("Valid until: %(date)s") % {"date": until}, align="C")
    qr = qrcode.make(verify_url, border=1).get_image()
    pdf.image(qr, x=80, y=200, w=50, h=50, alt_text=_("QR code: %(link)s") % {"link": verify_url})
    pdf.set_y(254)
    pdf.set_font("DejaVu", "", 9)
    pdf.write_line(5, _("Check this certificate:"), align="C")
    pdf.write_line(5, verify_url, align="C", url=verify_url)
    return bytes(pdf.output())


def cv_pdf(data: dict, *, labels: dict) -> bytes:
    """A plain, clean CV (and cover letter on its own page when given). `labels` are the translated
    section headings; `data` is exactly what the young person typed (never stored)."""
    pdf = _document()
    pdf.set_title(data.get("name") or labels["cv"])
    pdf.set_font("DejaVu", "B", 22)
    if data.get("name"):
        pdf.write_line(11, data["name"], typed=True)
    else:
        pdf.write_line(11, labels["cv"])
    pdf.set_font("DejaVu", "", 10)
    # One line each: joined on one line, a phone number between Arabic words would be reordered.
    for part in (data.get("address"), data.get("phone"), data.get("email")):
        if part:
            pdf.write_line(6, part, typed=True)
    pdf.set_draw_color(0, 84, 147)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, 210 - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(6)
    for key in ("profile", "experience", "education", "skills", "languages"):
        text = (data.get(key) or "").strip()
        if not text:
            continue
        pdf.set_font("DejaVu", "B", 13)
        pdf.write_line(9, labels[key])
        pdf.set_font("DejaVu", "", 11)
        pdf.write_typed(6, text)
        pdf.ln(3)
    letter = (data.get("letter") or "").strip()
    if letter:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 13)
        pdf.write_line(9, labels["letter"])
        pdf.set_font("DejaVu", "", 11)
        pdf.write_typed(6, letter)
        if data.get("name"):
            pdf.ln(8)
            pdf.write_line(6, data["name"], typed=True)
    return bytes(pdf.output())
