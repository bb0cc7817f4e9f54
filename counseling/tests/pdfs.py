"""PDFs for upload tests: a harmless one written by pypdf, and hand-built ones whose parts sit in an
object stream behind chained filters, found only through a cross-reference stream (as a crafted file
would hide them)."""

import binascii
import io
import zlib

from pypdf import PdfWriter


def harmless_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


HARMLESS_ACTION = b"<< /S /GoTo /D [3 0 R /Fit] >>"


def _encode(raw: bytes, filters: tuple[str, ...]) -> bytes:
    # A reader applies the filters in order, so they are put on in reverse.
    for name in reversed(filters):
        raw = zlib.compress(raw) if name == "FlateDecode" else binascii.hexlify(raw) + b">"
    return raw


def pdf_with_object_stream(
    hidden: bytes = HARMLESS_ACTION,
    *,
    filters: tuple[str, ...] = ("FlateDecode",),
    catalog_extra: bytes = b"",
    page_extra: bytes = b"",
) -> bytes:
    """The catalog's /OpenAction (object 5) lives only in the compressed object stream 4."""
    header = b"5 0 "
    packed = _encode(header + hidden, filters)
    filter_names = b" ".join(b"/" + name.encode() for name in filters)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R " + catalog_extra + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page_extra + b" >>",
        4: b"<< /Type /ObjStm /N 1 /First %d /Filter [%s] /Length %d >>\nstream\n"
        % (len(header), filter_names, len(packed))
        + packed
        + b"\nendstream",
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[6] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [b"\x01" + offsets[n].to_bytes(4, "big") + (0).to_bytes(2, "big") for n in (1, 2, 3, 4)]
    rows += [b"\x02" + (4).to_bytes(4, "big") + (0).to_bytes(2, "big")]  # object 5: stream 4, index 0
    rows += [b"\x01" + offsets[6].to_bytes(4, "big") + (0).to_bytes(2, "big")]
    xref = b"".join(rows)
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(xref)
        + xref
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)
