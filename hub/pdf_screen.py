"""Does a PDF carry active content? Answered by parsing it (pypdf), not by searching its bytes.

Every object the cross-reference lists is looked at – also those packed in object streams behind any
chain of filters pypdf can decode – and every object the trailer reaches. Used for counseling attachments
(counseling/uploads.py) and CMS documents (hub/documents.py).
"""

import io

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NullObject


class PdfUncheckable(Exception):
    """Encrypted, broken or too large to walk: the file cannot be vouched for."""


# Names that make a PDF do something when it is opened or clicked, or carry other files: scripts (also in
# additional actions on pages, annotations and form fields), launch actions, embedded files and file
# attachments, XFA forms, embedded go-to actions and rich media. pypdf has already decoded #xx escapes.
_PDF_ACTIVE_NAMES = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/FileAttachment",
        "/XFA",
        "/GoToE",
        "/RichMedia",
    }
)
# Real letters, scans and CVs have a few thousand objects; this bounds the work a crafted file can cause.
MAX_PDF_OBJECTS = 200_000


def pdf_has_active_content(data: bytes) -> bool:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise PdfUncheckable("encrypted")
        return _has_active_content(reader)
    except PdfUncheckable:
        raise
    except Exception as error:  # pypdf reports malformed input through many exception types
        raise PdfUncheckable(str(error)) from error


def _has_active_content(reader: PdfReader) -> bool:
    # Every object the cross-reference knows (even one no page refers to), then what the trailer reaches.
    pending: list = []
    for number in reader.xref_objStm:
        # pypdf skips an object stream it cannot unpack; a viewer that can would run what is inside.
        if isinstance(reader.get_object(number), NullObject | None):
            raise PdfUncheckable("an object stream cannot be unpacked")
        pending.append(IndirectObject(number, 0, reader))
    for generation, numbers in reader.xref.items():
        pending += [IndirectObject(number, generation, reader) for number in numbers]
    pending.append(reader.trailer)
    seen: set[tuple[int, int]] = set()
    budget = MAX_PDF_OBJECTS
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        budget -= 1
        if budget < 0:
            raise PdfUncheckable("too many objects to check")
        if isinstance(item, NameObject) and item in _PDF_ACTIVE_NAMES:
            return True
        if isinstance(item, DictionaryObject):  # streams too: their dictionary is checked, not their data
            if any(key in _PDF_ACTIVE_NAMES for key in item):
                return True
            pending += item.values()  # raw values: indirect references are followed above, once
        elif isinstance(item, ArrayObject):
            pending += item
    return False
