"""Attachments that young people and counselors add to mail-counseling messages.

The rules callers rely on:

- Only PDF, JPEG, PNG and DOCX are accepted, and the type is read from the content. The file name and the
  content type the browser sent are never trusted: a page named "zeugnis.pdf" is still a web page.
- Images are decoded and encoded again, so nothing but the picture survives: no EXIF (GPS position,
  camera, time), no XMP, no comments or text chunks, no ICC profile. EXIF orientation is applied first.
- PDFs and DOCX files are kept byte for byte, but refused when they carry scripts, launch actions,
  embedded files, XFA forms or macros, and refused when they cannot be checked (encrypted, broken, zip
  bombs).
- The stored name is a safe base name plus the extension of the detected type.
- Voice messages (counseling/voice.py) go through `inspect_upload(..., voice=True)`: only audio as
  browsers record it (WebM/Matroska, Ogg with Opus or Vorbis, MP4/M4A), found by its first bytes, kept
  byte for byte (no transcoding), at most `max_voice_bytes()` (about 3 minutes of Opus, with room to spare).

PDFs are parsed (pypdf) and every object is looked at, whatever filters or object streams hide it in; what
pypdf cannot parse is refused. Serve attachments as downloads all the same (Content-Disposition:
attachment, X-Content-Type-Options: nosniff): a viewer may read a broken file differently.
"""

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, NamedTuple

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from hub import pdf_screen

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WEBM = "audio/webm"
MATROSKA = "audio/x-matroska"
OGG = "audio/ogg"
MP4_AUDIO = "audio/mp4"
ALLOWED_CONTENT_TYPES = frozenset({PDF, JPEG, PNG, DOCX})
VOICE_CONTENT_TYPES = frozenset({WEBM, MATROSKA, OGG, MP4_AUDIO})

MAX_BYTES = 5 * 1024 * 1024
# A phone photo has 12 to 50 million pixels; decoding more than this costs too much memory.
MAX_PIXELS = 40_000_000
# What a DOCX may unpack to: real documents stay far below, zip bombs do not. (pypdf caps each PDF stream.)
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_NAME_LENGTH = 80
# Three minutes of Opus at the 32-128 kbit/s browsers record at stay under 3 MB.
MAX_VOICE_BYTES = 3 * 1024 * 1024

NOT_ALLOWED = "not_allowed"
TOO_LARGE = "too_large"
ACTIVE_CONTENT = "active_content"
UNREADABLE = "unreadable"
NOT_VOICE = "not_voice"
VOICE_TOO_LARGE = "voice_too_large"

_MESSAGES = {
    NOT_ALLOWED: _("“%(name)s” is not a PDF, JPG, PNG or Word (DOCX) file. Please choose another file."),
    TOO_LARGE: _("“%(name)s” is larger than %(limit)s. Please make it smaller or send it in parts."),
    ACTIVE_CONTENT: _(
        "“%(name)s” contains macros or scripts, which can start programs on a device. To keep everyone "
        "safe, it cannot be sent. You can send a screenshot of it instead."
    ),
    UNREADABLE: _(
        "“%(name)s” could not be opened. It may be damaged, protected with a password or too big to "
        "check. Please choose another file."
    ),
    NOT_VOICE: _(
        "“%(name)s” is not a voice recording we can play (WebM, Ogg or M4A). Please record your message "
        "again or choose another file."
    ),
    VOICE_TOO_LARGE: _(
        "“%(name)s” is larger than %(limit)s – longer than a voice message can be (3 minutes). Please "
        "record a shorter one."
    ),
}


class UploadRefused(Exception):
    """`message` is meant for the person who chose the file; `code` is one of the constants above."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CleanFile:
    name: str
    content_type: str
    data: bytes
    duration_ms: int | None = None  # a voice message's length as its recorder measured it


def max_bytes() -> int:
    return getattr(settings, "COUNSELING_ATTACHMENT_MAX_BYTES", MAX_BYTES)


def max_voice_bytes() -> int:
    return getattr(settings, "COUNSELING_VOICE_MAX_BYTES", MAX_VOICE_BYTES)


def inspect_upload(uploaded: UploadedFile, *, voice: bool = False) -> CleanFile:
    """Returns the file as it may be stored and shown, or raises UploadRefused. With voice=True only a
    voice recording is accepted, whatever the file is called or the browser says it is."""
    raw_name = uploaded.name or ""
    shown = _shown_name(raw_name)
    data = _read_capped(uploaded, shown, voice=voice)
    if voice:
        kind = _sniff_audio(data)
        if kind is None:
            raise _refuse(NOT_VOICE, shown)
    else:
        kind = next((kind for kind in _KINDS if data.startswith(kind.magic)), None)
    if kind is None:
        raise _refuse(NOT_ALLOWED, shown)
    return CleanFile(
        name=f"{_safe_stem(raw_name)}.{kind.extension}",
        content_type=kind.content_type,
        data=kind.clean(data, shown),
    )


def _refuse(code: str, name: str) -> UploadRefused:
    # Formatted now, in the language of the request that is refusing the file.
    limit = max_voice_bytes() if code == VOICE_TOO_LARGE else max_bytes()
    params = {"name": name, "limit": filesizeformat(limit)}
    return UploadRefused(code, str(_MESSAGES[code]) % params)


def _read_capped(uploaded: UploadedFile, shown: str, *, voice: bool) -> bytes:
    limit, too_large = (max_voice_bytes(), VOICE_TOO_LARGE) if voice else (max_bytes(), TOO_LARGE)
    if (uploaded.size or 0) > limit:
        raise _refuse(too_large, shown)
    # The size is what the client declared; a body that keeps going is cut off all the same.
    data = bytearray()
    for chunk in uploaded.chunks():
        data += chunk
        if len(data) > limit:
            raise _refuse(too_large, shown)
    return bytes(data)


# Names: only letters, digits, "-", "_" and space survive; everything else (dots, slashes, control and
# direction characters that make "exe.pdf" look like "fdp.exe") becomes "_".
_UNSAFE_RUN = re.compile(r"[^\w\- ]+")


def _base_name(raw_name: str) -> str:
    # Browsers may send a whole path, and a crafted request any path: only the last part is a name.
    # NFKC folds look-alike forms (full-width letters, ligatures) into plain ones.
    return unicodedata.normalize("NFKC", raw_name).replace("\\", "/").rsplit("/", 1)[-1]


def _safe_stem(raw_name: str) -> str:
    base = _base_name(raw_name)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = re.sub(" {2,}", " ", _UNSAFE_RUN.sub("_", stem))
    # No leading "-": a name must never read as a command-line option.
    return stem.strip(" _-")[:MAX_NAME_LENGTH].strip(" _-") or "attachment"


def _shown_name(raw_name: str) -> str:
    # The name as the person chose it, minus paths and invisible characters, for refusal messages.
    base = _base_name(raw_name)
    extension = base.rsplit(".", 1)[-1] if "." in base else ""
    extension = _UNSAFE_RUN.sub("", extension)[:10]
    return f"{_safe_stem(raw_name)}.{extension}" if extension else _safe_stem(raw_name)


# PDF ------------------------------------------------------------------------------------------------


def _clean_pdf(data: bytes, shown: str) -> bytes:
    # hub/pdf_screen.py parses the file; one that cannot be parsed cannot be vouched for.
    try:
        active = pdf_screen.pdf_has_active_content(data)
    except pdf_screen.PdfUncheckable as error:
        raise _refuse(UNREADABLE, shown) from error
    if active:
        raise _refuse(ACTIVE_CONTENT, shown)
    return data


# Images ---------------------------------------------------------------------------------------------


def _clean_jpeg(data: bytes, shown: str) -> bytes:
    # Phones often write MPO (a JPEG with extra pictures appended); only the first picture is kept.
    return _reencode(data, shown, ("JPEG", "MPO"), _save_jpeg)


def _clean_png(data: bytes, shown: str) -> bytes:
    return _reencode(data, shown, ("PNG",), _save_png)


def _reencode(data: bytes, shown: str, formats: tuple[str, ...], save: Callable) -> bytes:
    out = io.BytesIO()
    try:
        save(_decode(data, formats), out)
    except Exception as error:  # Pillow reports malformed input through many exception types
        raise _refuse(UNREADABLE, shown) from error
    return out.getvalue()


def _decode(data: bytes, formats: tuple[str, ...]) -> Image.Image:
    with Image.open(io.BytesIO(data), formats=formats) as probe:
        # Checked before any pixel is decoded: a file of a few kilobytes can unpack to gigabytes. Our own
        # limit, because lowering Image.MAX_IMAGE_PIXELS would change it for every other Pillow user.
        if probe.width * probe.height > MAX_PIXELS:
            raise Image.DecompressionBombError(f"{probe.width}x{probe.height} pixels")
        probe.verify()
    # verify() leaves the image unusable, so the pixels come from a fresh decoder.
    image = Image.open(io.BytesIO(data), formats=formats)
    image.load()
    return ImageOps.exif_transpose(image)


def _save_jpeg(image: Image.Image, out: IO[bytes]) -> None:
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Pillow copies the JPEG comment from .info into the new file.
    image.info = {}
    image.save(out, "JPEG", quality=85)


def _save_png(image: Image.Image, out: IO[bytes]) -> None:
    # Transparency is part of the picture; everything else in .info (ICC profile, text) is not.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    image.save(out, "PNG")


# DOCX -----------------------------------------------------------------------------------------------

_DOCX_PARTS = frozenset({"[Content_Types].xml", "word/document.xml"})


def _clean_docx(data: bytes, shown: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_docx(archive, shown)
    except UploadRefused:
        raise
    except Exception as error:  # zipfile reports broken archives through many exception types
        raise _refuse(UNREADABLE, shown) from error
    return data


def _check_docx(archive: zipfile.ZipFile, shown: str) -> None:
    names = archive.namelist()
    if not _DOCX_PARTS.issubset(names):
        raise _refuse(NOT_ALLOWED, shown)  # another kind of ZIP: a spreadsheet, a Java archive, …
    # Sizes from the directory: nothing is unpacked before we know it stays small.
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise _refuse(UNREADABLE, shown)
    if _has_macros(archive, names):
        raise _refuse(ACTIVE_CONTENT, shown)
    # Unpacks every part and checks its CRC: a broken part would break the file for the counselor too.
    if archive.testzip() is not None:
        raise _refuse(UNREADABLE, shown)


def _has_macros(archive: zipfile.ZipFile, names: list[str]) -> bool:
    # Part names are case-insensitive in Office files; a macro project may also be declared by type only.
    if any(name.rsplit("/", 1)[-1].lower() == "vbaproject.bin" for name in names):
        return True
    content_types = archive.read("[Content_Types].xml").lower()
    return b"vbaproject" in content_types or b"macroenabled" in content_types


class _Kind(NamedTuple):
    magic: bytes
    extension: str
    content_type: str
    clean: Callable[[bytes, str], bytes]


_KINDS = (
    _Kind(b"%PDF-", "pdf", PDF, _clean_pdf),
    _Kind(b"\xff\xd8\xff", "jpg", JPEG, _clean_jpeg),
    _Kind(b"\x89PNG\r\n\x1a\n", "png", PNG, _clean_png),
    # Every DOCX starts with a local file header; a ZIP behind other bytes is not accepted.
    _Kind(b"PK\x03\x04", "docx", DOCX, _clean_docx),
)


# Voice recordings --------------------------------------------------------------------------------------


def _keep(data: bytes, shown: str) -> bytes:
    return data  # no transcoding: the browser's recording is stored (sealed) as it came


def _sniff_audio(data: bytes) -> _Kind | None:
    """Chromium and Firefox record WebM (an EBML document), Firefox may record Ogg, Safari MP4/M4A."""
    head = data[:64]
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        # The EBML header names its document type near the start: a WebM or Matroska file.
        if b"webm" in head:
            return _Kind(b"", "webm", WEBM, _keep)
        if b"matroska" in head:
            return _Kind(b"", "mka", MATROSKA, _keep)
        return None
    if data.startswith(b"OggS"):
        # The first page carries the codec's identification header: audio only, not Theora video.
        return _Kind(b"", "ogg", OGG, _keep) if b"OpusHead" in head or b"\x01vorbis" in head else None
    if data[4:8] == b"ftyp":
        return _Kind(b"", "m4a", MP4_AUDIO, _keep)
    return None
