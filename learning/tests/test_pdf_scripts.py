"""PDFs in every script: an Arabic CV or certificate is shaped, ordered right to left and right-aligned,
what a person typed in another direction (a German street, a phone number) keeps its own order, and
Cyrillic and Turkish come out as typed.

Two readings back, because one alone would prove little:
- pypdf's `extract_text()`, the ordinary text extraction. pypdf assumes a PDF stores right-to-left glyphs
  in visual order (as a correctly laid-out PDF does) and turns each run of right-to-left characters back
  into logical order; runs of different direction on one line stay in visual order (left to right).
  A purely Arabic line (the name) therefore comes back in logical order only if it was laid out right.
- `pdf_glyphs.page_lines`, which reads every glyph's x position from the content stream: reading a
  right-to-left line's glyphs from right to left must give the typed text; lines' start and end x show
  the alignment; mixed lines are checked by where each part stands.
"""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from learning.pdf import certificate_pdf
from learning.tests.factories import CertificateFactory, CourseFactory
from learning.tests.pdf_glyphs import glyph_forms, page_lines

NAME = "محمد أحمد العلي"
# A4 is 595.28 pt wide; margins of 1 cm (28.35 pt) and fpdf2's cell padding (1 mm, 2.83 pt) on each side.
LINE_START, LINE_END = 28.35 + 2.83, 595.28 - 28.35 - 2.83


def cv(client, language, **data):
    response = client.post(f"/{language}/learn/cv/", {"name": NAME} | data)
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_arabic_cv_pdf_extracts_to_the_typed_name_in_logical_order(client):
    pdf = cv(client, "ar")
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()[0] == NAME
    first = page_lines(pdf)[0]
    assert first.right_to_left() == NAME  # glyphs read from right to left: the name as typed
    # Shaped: م and ل stand at the start and in the middle of words, each in two different forms.
    forms = glyph_forms(pdf)
    assert forms["م"] >= 2 and forms["ل"] >= 2


def test_an_arabic_cv_is_right_aligned_and_a_german_one_left_aligned(client):
    data = {"phone": "+49 176 1234567", "skills": "أتكلم العربية والألمانية"}
    arabic = page_lines(cv(client, "ar", **data))
    assert [round(line.end, 1) for line in arabic] == [round(LINE_END, 1)] * len(arabic)
    assert all(line.start > 300 for line in arabic)  # short lines: they start right of the middle
    german = page_lines(cv(client, "de", **data))
    assert [round(line.start, 1) for line in german] == [round(LINE_START, 1)] * len(german)


def test_mixed_content_in_an_arabic_cv_reads_in_the_right_order(client):
    pdf = cv(
        client,
        "ar",
        address="شارع Hauptstraße 5، برلين",
        phone="+49 176 1234567",
        email="m.ali@example.org",
        experience="2025 – تدريب، مخبز Schmidt، بون\nPraktikum bei der Bäckerei Schmidt, Bonn",
    )
    lines = {line.left_to_right(): line for line in page_lines(pdf)}
    # The phone number and the address stay left to right, right-aligned like the rest.
    assert "+49 176 1234567" in lines and "m.ali@example.org" in lines
    assert round(lines["+49 176 1234567"].end, 1) == round(LINE_END, 1)
    # The German street name reads left to right between the Arabic words, which read right to left:
    # شارع first (rightmost), then the street, then برلين (leftmost).
    address = next(line for text, line in lines.items() if "Hauptstraße 5" in text)
    street_x = min(x for x, text in address.pieces if text == "H")
    first_word_x = min(x for x, text in address.pieces if text == "ش")
    last_word_x = min(x for x, text in address.pieces if text == "ب")
    assert first_word_x > street_x > last_word_x
    assert address.right_to_left().startswith("شارع")
    # A German line in an Arabic CV is a left-to-right paragraph, still aligned to the right.
    german = lines["Praktikum bei der Bäckerei Schmidt, Bonn"]
    assert round(german.end, 1) == round(LINE_END, 1)
    assert "2025" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_pdf_carries_its_language(client):
    assert PdfReader(io.BytesIO(cv(client, "ar"))).trailer["/Root"]["/Lang"] == "ar"
    assert PdfReader(io.BytesIO(cv(client, "ru"))).trailer["/Root"]["/Lang"] == "ru"


@pytest.mark.parametrize(
    ("language", "name", "skills"),
    [
        ("ru", "Олена Коваленко", "Украинский, русский, немецкий B1; работа в команде"),
        ("uk", "Олена Коваленко", "Українська, німецька B1; їжа, ґанок, є"),
        ("tr", "Ayşe Öztürk", "Türkçe, Almanca B1; İğdır'da çalıştım, ışık"),
        ("sq", "Arbër Çela", "Shqip, gjermanisht B1; çështje, ëndërr"),
    ],
)
def test_cyrillic_turkish_and_albanian_come_out_as_typed_and_left_aligned(client, language, name, skills):
    pdf = cv(client, language, name=name, skills=skills)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert text.splitlines()[0] == name and skills in text
    lines = page_lines(pdf)
    assert lines[0].left_to_right() == name
    assert {round(line.start, 1) for line in lines} == {round(LINE_START, 1)}


@pytest.mark.django_db
def test_an_arabic_name_on_a_certificate_is_in_logical_order_and_centred(counselor):
    counselor.display_name = NAME
    counselor.save()
    certificate = CertificateFactory(user=counselor, course=CourseFactory(title="حماية البيانات", slug="dp"))
    with translation.override("ar"):
        pdf = certificate_pdf(
            certificate, verify_url=f"https://example.org/ar/certificates/{certificate.code}/"
        )
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert NAME in text and "حماية البيانات" in text
    name_line = next(line for line in page_lines(pdf) if line.right_to_left() == NAME)
    assert abs((name_line.start + name_line.end) / 2 - 595.28 / 2) < 1
    link = f"https://example.org/ar/certificates/{certificate.code}/"
    assert any(line.left_to_right() == link for line in page_lines(pdf))
