"""PDFs drawn on the server with fpdf2 and the shipped DejaVu fonts (Latin, Cyrillic, Greek, Turkish…;
Arabic letters render unshaped — see README). Nothing is stored: each PDF is drawn on request."""

import logging
from pathlib import Path

import qrcode
from django.utils.translation import gettext as _
from fpdf import FPDF

from hub.dates import format_when

FONTS = Path(__file__).parent / "fonts"
# fontTools reports every glyph subset at INFO; that is noise in the logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _document() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_creator("JMD digital-hub")
    pdf.add_page()
    return pdf


def certificate_pdf(certificate, *, verify_url: str) -> bytes:
    pdf = _document()
    pdf.set_title(_("Certificate") + ": " + certificate.course_title)
    pdf.set_draw_color(0, 84, 147)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 190, 277)
    pdf.set_y(40)
    pdf.set_font("DejaVu", "B", 30)
    pdf.cell(0, 16, _("Certificate"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 10, _("Youth Migration Services (JMD)"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(18)
    pdf.cell(0, 10, _("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 22)
    pdf.multi_cell(0, 14, certificate.holder_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 13)
    pdf.cell(0, 10, _("has successfully completed the course"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 12, certificate.course_title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 12)
    pdf.ln(6)
    issued = format_when(certificate.issued_at, "date_long")
    pdf.cell(0, 8, _("Date: %(date)s") % {"date": issued}, align="C", new_x="LMARGIN", new_y="NEXT")
    if certificate.valid_until:
        until = format_when(certificate.valid_until, "date_long")
        pdf.cell(0, 8, _("Valid until: %(date)s") % {"date": until}, align="C", new_x="LMARGIN", new_y="NEXT")
    qr = qrcode.make(verify_url, border=1).get_image()
    pdf.image(qr, x=80, y=200, w=50, h=50)
    pdf.set_y(254)
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(0, 5, _("Check this certificate:"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, verify_url, align="C", link=verify_url, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def cv_pdf(data: dict, *, labels: dict) -> bytes:
    """A plain, clean CV (and cover letter on its own page when given). `labels` are the translated
    section headings; `data` is exactly what the young person typed (never stored)."""
    pdf = _document()
    pdf.set_title(data.get("name") or labels["cv"])
    pdf.set_font("DejaVu", "B", 22)
    pdf.multi_cell(0, 11, data.get("name") or labels["cv"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    contact = "  ·  ".join(
        part for part in (data.get("address"), data.get("phone"), data.get("email")) if part
    )
    if contact:
        pdf.multi_cell(0, 6, contact, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(0, 84, 147)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, 210 - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(6)
    for key in ("profile", "experience", "education", "skills", "languages"):
        text = (data.get(key) or "").strip()
        if not text:
            continue
        pdf.set_font("DejaVu", "B", 13)
        pdf.cell(0, 9, labels[key], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    letter = (data.get("letter") or "").strip()
    if letter:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 13)
        pdf.cell(0, 9, labels["letter"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 11)
        pdf.multi_cell(0, 6, letter, new_x="LMARGIN", new_y="NEXT")
        if data.get("name"):
            pdf.ln(8)
            pdf.cell(0, 6, data["name"], new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
