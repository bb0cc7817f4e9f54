"""The sites import as a page: an uploaded register is checked, previewed as a dry run, then applied.

Between preview and apply the file's text waits in the coordinator's session (database-backed, so any
process can answer the next request), under a random token that the preview page posts back. We keep it
server-side instead of re-posting it as a hidden field because then the file that is applied is exactly
the file that was previewed (a hidden field could be changed in the browser), and a register of a few
hundred kilobytes does not travel twice through the browser and the request size limits. A new upload
replaces the pending one; applying or cancelling removes it.
"""

import io
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from hub.audit import AuditAction, audit_record
from sites import importer

MAX_UPLOAD_BYTES = 1024 * 1024  # the register has about 500 rows of ~300 bytes
SESSION_KEY = "sites_import"


class UploadRefused(ValueError):
    """The file cannot be imported as a whole; the message (translated) says why."""


@dataclass(frozen=True)
class PendingImport:
    token: str
    name: str
    text: str


def register_read_upload(upload) -> str:
    """The upload's text, checked to be a CSV register with the required columns, or UploadRefused."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            gettext("The file is too large (%(size)s). A register may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)}
        )
    content = upload.read()
    if not upload.name.lower().endswith((".csv", ".txt")) or b"\x00" in content:
        raise UploadRefused(
            gettext("This is not a CSV file. Save the register as “CSV UTF-8” and upload that file.")
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRefused(
            gettext(
                "The file is not UTF-8 encoded text. Save the register as “CSV UTF-8” and upload that file."
            )
        ) from error
    try:
        rows = list(importer.read_csv(_text_file(text)))
    except importer.ImportFileError as error:
        raise UploadRefused(str(error)) from error
    if not rows:
        raise UploadRefused(gettext("The file has a header but no sites."))
    return text


def register_keep(session, *, name: str, text: str) -> PendingImport:
    pending = PendingImport(token=secrets.token_urlsafe(16), name=name[:100], text=text)
    session[SESSION_KEY] = {"token": pending.token, "name": pending.name, "text": pending.text}
    return pending


def register_pending(session) -> PendingImport | None:
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    return PendingImport(token=stored["token"], name=stored["name"], text=stored["text"])


def register_forget(session) -> None:
    session.pop(SESSION_KEY, None)


def register_preview(pending: PendingImport) -> importer.ImportReport:
    """What applying would do, computed by the import itself and rolled back."""
    with transaction.atomic():
        report = importer.sites_import(rows=importer.read_csv(_text_file(pending.text)))
        transaction.set_rollback(True)
    return report


def register_apply(pending: PendingImport, *, actor) -> importer.ImportReport:
    report = importer.sites_import(rows=importer.read_csv(_text_file(pending.text)))
    audit_record(
        actor=actor,
        action=AuditAction.SITES_IMPORTED,
        target_type="sites_import",
        target_id=pending.token,
        detail=(
            f"{pending.name}: created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, rejected {len(report.rejected)}"
        ),
    )
    return report


def _text_file(text: str) -> io.StringIO:
    return io.StringIO(text)
