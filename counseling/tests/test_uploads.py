import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from counseling import uploads
from counseling.tests.pdfs import HARMLESS_ACTION, harmless_pdf, pdf_with_object_stream
from counseling.uploads import (
    ACTIVE_CONTENT,
    ALLOWED_CONTENT_TYPES,
    DOCX,
    JPEG,
    NOT_ALLOWED,
    PDF,
    PNG,
    TOO_LARGE,
    UNREADABLE,
    CleanFile,
    UploadRefused,
    inspect_upload,
    max_bytes,
)

PDF_BYTES = harmless_pdf()
# Filter chains an object stream may hide behind; each must be unpacked all the way.
CHAINS = [("FlateDecode",), ("FlateDecode", "FlateDecode"), ("FlateDecode", "ASCIIHexDecode")]
GPS_IFD = ExifTags.IFD.GPSInfo


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def refusal(uploaded):
    # The messages are checked in their English source; German is the site's default language.
    with translation.override("en"), pytest.raises(UploadRefused) as caught:
        inspect_upload(uploaded)
    return caught.value


class RawUpload:
    """An upload whose name reaches us unaltered (SimpleUploadedFile already strips "/" paths)."""

    def __init__(self, name, data):
        self.name, self.size, self._data = name, len(data), data

    def chunks(self):
        yield self._data


def exif_with_gps():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretPhone"
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    return exif


def jpeg_bytes(size=(40, 20), mode="RGB", **options):
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 0).save(out, "JPEG", **options)
    return out.getvalue()


def png_bytes(image=None, **options):
    out = io.BytesIO()
    (image or Image.new("RGB", (30, 10), "blue")).save(out, "PNG", **options)
    return out.getvalue()


def docx_bytes(
    extra=(), content_types=b'<Types><Default Extension="xml" ContentType="application/xml"/></Types>'
):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", b"<Relationships/>")
        archive.writestr("word/document.xml", b"<w:document><w:body><w:p/></w:body></w:document>")
        for name, data in extra:
            archive.writestr(name, data)
    return out.getvalue()


# Accepted files ---------------------------------------------------------------------------------------


def test_a_pdf_is_kept_byte_for_byte():
    clean = inspect_upload(upload("Zeugnis.pdf", PDF_BYTES, "application/pdf"))

    assert clean == CleanFile(name="Zeugnis.pdf", content_type=PDF, data=PDF_BYTES)


def test_the_type_comes_from_the_content_not_the_name_or_the_browser():
    clean = inspect_upload(upload("holiday.png", PDF_BYTES, "image/png"))

    assert (clean.name, clean.content_type) == ("holiday.pdf", PDF)


def test_a_jpeg_loses_exif_gps_comment_and_xmp():
    original = jpeg_bytes(exif=exif_with_gps(), comment=b"secret-comment", xmp=b"<x>secret-xmp</x>")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the sample really has GPS

    clean = inspect_upload(upload("me.jpeg", original, "image/jpeg"))

    assert (clean.name, clean.content_type) == ("me.jpg", JPEG)
    image = Image.open(io.BytesIO(clean.data))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(GPS_IFD)
    for secret in (b"Exif", b"SecretPhone", b"secret-comment", b"secret-xmp"):
        assert secret not in clean.data


def test_a_jpeg_is_turned_upright_before_its_exif_is_dropped():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to view"

    clean = inspect_upload(upload("phone.jpg", jpeg_bytes(size=(40, 20), exif=exif)))

    assert Image.open(io.BytesIO(clean.data)).size == (20, 40)


def test_a_cmyk_jpeg_is_stored_as_rgb():
    clean = inspect_upload(upload("print.jpg", jpeg_bytes(mode="CMYK")))

    assert Image.open(io.BytesIO(clean.data)).mode == "RGB"


def test_a_png_loses_exif_and_text_chunks():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret-text")
    text.add_text("XML:com.adobe.xmp", "secret-xmp", zip=True)
    original = png_bytes(exif=exif_with_gps(), pnginfo=text)
    assert b"eXIf" in original and b"tEXt" in original  # the sample really carries both

    clean = inspect_upload(upload("screen.PNG", original, "image/png"))

    assert (clean.name, clean.content_type) == ("screen.png", PNG)
    image = Image.open(io.BytesIO(clean.data))
    assert image.format == "PNG"
    assert dict(image.getexif()) == {}
    assert "Comment" not in image.info
    for chunk in (b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"secret-text"):
        assert chunk not in clean.data


def test_a_png_keeps_its_transparency():
    image = Image.new("P", (4, 4), 1)
    image.putpalette([255, 255, 255, 0, 0, 0])

    clean = inspect_upload(upload("icon.png", png_bytes(image, transparency=1)))

    assert Image.open(io.BytesIO(clean.data)).info["transparency"] == 1


def test_a_docx_is_kept_byte_for_byte():
    original = docx_bytes()

    clean = inspect_upload(upload("Bewerbung.docx", original, "application/msword"))

    assert clean == CleanFile(name="Bewerbung.docx", content_type=DOCX, data=original)


@pytest.mark.parametrize("filters", CHAINS, ids="+".join)
def test_a_pdf_with_a_harmless_object_stream_is_accepted_whatever_its_filters(filters):
    original = pdf_with_object_stream(HARMLESS_ACTION, filters=filters)

    assert inspect_upload(upload("scan.pdf", original)).data == original


def test_allowed_content_types_are_the_four_documented_ones():
    assert {PDF, JPEG, PNG, DOCX} == ALLOWED_CONTENT_TYPES


# Refused types ----------------------------------------------------------------------------------------


def gif_bytes():
    out = io.BytesIO()
    Image.new("RGB", (2, 2)).save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("Zeugnis.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("Zeugnis.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("photo.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
        ("notes.docx", b"#!/bin/sh\nrm -rf ~\n"),
        ("notes.pdf", b"just some plain text"),
        ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("animation.png", gif_bytes()),
        ("empty.pdf", b""),
        ("padded.pdf", b" %PDF-1.4\n%%EOF"),  # a header behind other bytes makes a polyglot
    ],
)
def test_anything_but_the_four_types_is_refused_whatever_its_name(name, data):
    refused = refusal(upload(name, data, "application/pdf"))

    assert refused.code == NOT_ALLOWED
    assert f"“{name}”" in refused.message
    assert "PDF, JPG, PNG or Word (DOCX)" in refused.message


def test_a_zip_that_is_not_a_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/workbook.xml", b"<workbook/>")

    assert refusal(upload("table.docx", out.getvalue())).code == NOT_ALLOWED


# Active content ---------------------------------------------------------------------------------------


def written_by_pypdf(change) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotation(writer, entries: dict) -> None:
    annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), **entries})
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])


JS_ACTION = DictionaryObject(
    {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("x")}
)
WRITTEN = {
    "document script (names tree)": lambda w: w.add_open_action(JavaScript("app.alert(1);")),
    "embedded file": lambda w: w.add_attachment("run.exe", b"MZ"),
    "page additional action": lambda w: w.pages[0].__setitem__(
        NameObject("/AA"), DictionaryObject({NameObject("/O"): JS_ACTION})
    ),
    "annotation additional action": lambda w: _annotation(
        w, {NameObject("/Subtype"): NameObject("/Widget"), NameObject("/AA"): DictionaryObject()}
    ),
    "file attachment annotation": lambda w: _annotation(
        w, {NameObject("/Subtype"): NameObject("/FileAttachment")}
    ),
    "XFA form": lambda w: w._root_object.__setitem__(
        NameObject("/AcroForm"), DictionaryObject({NameObject("/XFA"): ArrayObject()})
    ),
    "launch action": lambda w: w._root_object.__setitem__(
        NameObject("/OpenAction"),
        DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd")}
        ),
    ),
}


@pytest.mark.parametrize("change", WRITTEN.values(), ids=WRITTEN.keys())
def test_a_pdf_with_scripts_actions_embedded_files_or_xfa_is_refused(change):
    refused = refusal(upload("form.pdf", written_by_pypdf(change)))

    assert refused.code == ACTIVE_CONTENT
    assert "“form.pdf”" in refused.message


HIDDEN = {
    "script": b"<< /S /JavaScript /JS (app.alert(1)) >>",
    "script, names spelled with #xx": b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
    "launch": b"<< /S /Launch /F (cmd.exe) >>",
    "embedded go-to": b"<< /S /GoToE /T << /R /C /N (a) >> >>",
}


@pytest.mark.parametrize("filters", CHAINS, ids="+".join)
@pytest.mark.parametrize("hidden", HIDDEN.values(), ids=HIDDEN.keys())
def test_active_content_in_an_object_stream_behind_chained_filters_is_found(hidden, filters):
    data = pdf_with_object_stream(hidden, filters=filters)
    assert b"Java" not in data and b"Launch" not in data  # only visible after unpacking

    assert refusal(upload("form.pdf", data)).code == ACTIVE_CONTENT


def test_an_object_stream_that_cannot_be_unpacked_is_refused():
    data = pdf_with_object_stream(filters=("FlateDecode", "FlateDecode"))
    start = data.index(b"stream\n") + len(b"stream\n")
    broken = data[:start] + b"!" * 8 + data[start + 8 :]

    assert refusal(upload("form.pdf", broken)).code == UNREADABLE


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", b"%PDF-1.7\n" + b"\x00" * 200],
    ids=["no cross-reference", "garbage"],
)
def test_a_pdf_that_cannot_be_parsed_is_refused(data):
    assert refusal(upload("scan.pdf", data)).code == UNREADABLE


def test_an_encrypted_pdf_is_refused_because_it_cannot_be_checked():
    data = written_by_pypdf(lambda w: w.encrypt(user_password="", owner_password="owner"))

    refused = refusal(upload("locked.pdf", data))

    assert refused.code == UNREADABLE
    assert "protected with a password" in refused.message


@pytest.mark.parametrize(
    "extra",
    [
        {"extra": [("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")]},
        {"extra": [("word/VBAPROJECT.BIN", b"\xd0\xcf\x11\xe0macro")]},
        {
            "content_types": b'<Types><Override PartName="/word/document.xml" '
            b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
        },
    ],
)
def test_a_docx_with_macros_is_refused(extra):
    refused = refusal(upload("homework.docx", docx_bytes(**extra)))

    assert refused.code == ACTIVE_CONTENT
    assert "macros" in refused.message


# Broken files and bombs -------------------------------------------------------------------------------


def test_a_docx_that_unpacks_to_more_than_50_mb_is_refused():
    bomb = docx_bytes(extra=[("word/media/zeros.bin", bytes(50 * 1024 * 1024))])
    assert len(bomb) < max_bytes()  # small on the wire

    assert refusal(upload("bomb.docx", bomb)).code == UNREADABLE


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04 this is not really a zip",
        docx_bytes()[:-40],  # cut off in the central directory
    ],
)
def test_a_broken_docx_is_refused(data):
    assert refusal(upload("broken.docx", data)).code == UNREADABLE


def stored_docx():
    # Stored, not deflated, so that changing one byte of a part keeps the archive readable.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return out.getvalue()


def test_a_docx_whose_part_does_not_match_its_checksum_is_refused():
    original = stored_docx()
    assert inspect_upload(upload("ok.docx", original)).content_type == DOCX

    damaged = original.replace(b"<w:document/>", b"<w:documenT/>")

    assert refusal(upload("damaged.docx", damaged)).code == UNREADABLE


def png_with_bad_pixel_checksum():
    data = bytearray(png_bytes())
    at = data.index(b"IDAT")
    length = int.from_bytes(data[at - 4 : at], "big")
    data[at + 4 + length] ^= 0xFF  # first byte of the IDAT CRC: decodable pixels, damaged file
    return bytes(data)


@pytest.mark.parametrize(
    "data",
    [
        png_with_bad_pixel_checksum(),
        png_bytes()[:60],  # truncated in the middle of the pixels
        png_bytes().replace(b"IDAT", b"IDAX"),  # no pixel data at all
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        jpeg_bytes()[:200],
    ],
)
def test_a_broken_image_is_refused(data):
    refused = refusal(upload("broken.png", data))

    assert refused.code == UNREADABLE
    assert "could not be opened" in refused.message


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 20 * 20)
    assert inspect_upload(upload("small.png", png_bytes(Image.new("L", (20, 20))))).content_type == PNG

    refused = refusal(upload("huge.png", png_bytes(Image.new("L", (21, 20)))))

    assert refused.code == UNREADABLE


def test_the_pixel_limit_is_about_forty_million():
    assert 30_000_000 <= uploads.MAX_PIXELS <= 50_000_000


# Size -------------------------------------------------------------------------------------------------


def test_a_file_over_5_mb_is_refused():
    data = PDF_BYTES + b"\n" * (5 * 1024 * 1024 + 1 - len(PDF_BYTES))
    assert inspect_upload(upload("ok.pdf", data[:-1])).content_type == PDF

    with translation.override("en"):
        refused = refusal(upload("big.pdf", data))

    assert refused.code == TOO_LARGE
    assert "“big.pdf”" in refused.message
    assert "5.0\xa0MB" in refused.message


def test_the_size_is_checked_on_the_bytes_read_not_only_the_declared_size():
    uploaded = upload("liar.pdf", PDF_BYTES + b"\n" * (5 * 1024 * 1024))
    uploaded.size = 100

    assert refusal(uploaded).code == TOO_LARGE


def test_the_declared_size_refuses_before_anything_is_read():
    uploaded = upload("big.pdf", PDF_BYTES)
    uploaded.size = 5 * 1024 * 1024 + 1

    assert refusal(uploaded).code == TOO_LARGE


def test_the_limit_comes_from_the_settings(settings):
    settings.COUNSELING_ATTACHMENT_MAX_BYTES = len(PDF_BYTES)
    assert max_bytes() == len(PDF_BYTES)
    assert inspect_upload(upload("ok.pdf", PDF_BYTES)).content_type == PDF

    assert refusal(upload("big.pdf", PDF_BYTES + b"\n")).code == TOO_LARGE


def test_the_default_limit_is_5_mb(settings):
    del settings.COUNSELING_ATTACHMENT_MAX_BYTES

    assert max_bytes() == 5 * 1024 * 1024


# Names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Lea\\Desktop\\Zeugnis.pdf", "Zeugnis.pdf"),
        ("/var/www/.htaccess", "attachment.pdf"),
        ("report.exe", "report.pdf"),
        ("invoice.pdf.exe", "invoice_pdf.pdf"),
        ("photo\u202egpj.exe", "photo_gpj.pdf"),  # right-to-left override: "photoexe.jpg" on screen
        ("Übung Größe 1.pdf", "Übung Größe 1.pdf"),
        ("شهادة المدرسة.pdf", "شهادة المدرسة.pdf"),
        ("-rf.pdf", "rf.pdf"),
        ("a  <script>  b.pdf", "a _script_ b.pdf"),
        (".pdf", "attachment.pdf"),
        ("", "attachment.pdf"),
        ("...", "attachment.pdf"),
        ("x" * 200 + ".pdf", "x" * 80 + ".pdf"),
    ],
)
def test_the_stored_name_is_a_safe_base_name_with_the_detected_extension(name, stored):
    assert inspect_upload(RawUpload(name, PDF_BYTES)).name == stored


def test_a_refusal_names_the_file_without_its_path():
    refused = refusal(RawUpload("../../secret/Lebenslauf.pdf", b"<html></html>"))

    assert "“Lebenslauf.pdf”" in refused.message
    assert "secret" not in refused.message


def test_the_clean_file_cannot_be_changed_afterwards():
    clean = inspect_upload(upload("a.pdf", PDF_BYTES))

    with pytest.raises(AttributeError):
        clean.name = "other.exe"
