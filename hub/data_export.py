"""Data rights of young people: "My data" (everything stored about them, as a ZIP with a readable HTML
page and a JSON file) and "Delete my account" (everything at once).

Each app knows its own tables, so each app contributes a section to the export and an eraser to the
deletion; they are listed here by dotted path (as INSTALLED_APPS lists apps), which keeps the dependency
direction apps -> hub. The ZIP is written to a temporary file that spills to disk, attachment by
attachment, so memory stays small however much a person has stored.
"""

import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from hub.audit import AuditAction, audit_record
from hub.models import PushSubscription, User
from hub.roles import user_roles

# Each returns an ExportSection for the user, writing files through `add_file`.
EXPORT_SECTIONS = [
    "counseling.data_rights.export_section",
    "sites.data_rights.export_section",
    "counseling.forum.data_rights.export_section",
    "learning.data_rights.export_section",
]
# Each removes what the user's row does not take with it by cascade (and leaves what must stay, such as
# the counselor's note that the person deleted their account – without anything of the person).
ERASERS = [
    "counseling.retention.erase_counseling_data",
]

SPOOL_BYTES = 4 * 1024 * 1024

# What the keys of the sections' items are called on the readable page (data.json keeps the keys).
FIELD_LABELS = {
    "username": _("Username"),
    "display_name": _("Display name"),
    "email_addresses": _("E-mail addresses"),
    "signed_up": _("Signed up"),
    "last_sign_in": _("Last sign-in"),
    "roles": _("Roles"),
    "round": _("Chat round"),
    "your_name": _("Your name there"),
    "joined": _("Joined"),
    "offer": _("Group offer"),
    "site": _("Site"),
    "starts": _("Starts"),
    "ends": _("Ends"),
    "how": _("How"),
    "language": _("Language"),
    "phone": _("Phone"),
    "status": _("Status"),
    "forum_name": _("Forum name"),
    "followed_threads": _("Threads you follow"),
    "thread": _("Thread"),
    "written_at": _("Written"),
    "text": _("Text"),
    "two_factor": _("Two-factor authentication"),
    "finished": _("Finished"),
    "good_answers": _("Good answers"),
    "answers": _("Your answers"),
    "reason": _("Reason"),
    "comment": _("Comment"),
    "answered": _("Answered"),
    "suspended_until": _("Suspended until"),
    "push_devices": _("Notifications on devices"),
}


def _readable(item: dict) -> list[tuple]:
    rows = []
    for key, value in item.items():
        if key == "kind":
            continue
        shown = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else value
        rows.append((FIELD_LABELS.get(key, key), shown))
    return rows


@dataclass
class ExportSection:
    key: str
    title: str
    items: list = field(default_factory=list)
    pairs: list = field(default_factory=list)  # (item, readable rows) for the HTML page


def _profile(user: User) -> ExportSection:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    emails = list(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    if user.email and user.email not in emails:
        emails.insert(0, user.email)
    return ExportSection(
        "profile",
        str(_("Your account")),
        [
            {
                "username": user.username,
                "display_name": user.display_name,
                "email_addresses": emails,
                "signed_up": user.date_joined,
                "last_sign_in": user.last_login,
                "roles": sorted(user_roles(user)),
                # Which methods and since when; never the secrets or codes themselves.
                "two_factor": [
                    f"{authenticator.get_type_display()} ({authenticator.created_at:%Y-%m-%d})"
                    for authenticator in Authenticator.objects.filter(user=user).order_by("pk")
                ],
                # Browsers with "tell me on this device": language and dates; never the push address or
                # the browser's keys (whoever holds them can post to that browser).
                "push_devices": [
                    f"{device.language} ({device.created_at:%Y-%m-%d}, {device.last_used_at:%Y-%m-%d})"
                    for device in PushSubscription.objects.filter(user=user).order_by("pk")
                ],
            }
        ],
    )


def data_export_build(*, user: User) -> tempfile.SpooledTemporaryFile:
    """The ZIP for one person, scoped to them by every section; the export is audited."""
    archive_file = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open
    with zipfile.ZipFile(archive_file, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add_file(path: str, data: bytes) -> str:
            archive.writestr(f"attachments/{path}", data)
            return f"attachments/{path}"

        sections = [_profile(user)] + [import_string(path)(user, add_file) for path in EXPORT_SECTIONS]
        exported_at = timezone.now()
        payload = {"exported_at": exported_at, "sections": {s.key: s.items for s in sections}}
        archive.writestr(
            "data.json", json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for section in sections:
            section.pairs = [
                (item, None if item.get("kind") == "case" else _readable(item)) for item in section.items
            ]
        page = render_to_string(
            "hub/data_export.html", {"sections": sections, "exported_at": exported_at, "person": user}
        )
        archive.writestr("index.html", page)
    # Audited without the person: the staff log must not list young people by username.
    audit_record(actor=None, action=AuditAction.OWN_DATA_EXPORT, target_type="account", target_id="")
    archive_file.seek(0)
    return archive_file


@transaction.atomic
def account_erase(*, user: User, erasers: list[Callable] | None = None) -> None:
    """Everything of the person, at once: each app's eraser, then the user row (cascading the rest)."""
    from hub.sockets import access_revoked

    for eraser in erasers or [import_string(path) for path in ERASERS]:
        eraser(user)
    access_revoked(user_ids=[user.pk], reason="deleted")  # their open sockets close after commit
    from hub.services import user_sessions_end

    user_sessions_end(user=user)  # their other signed-in devices
    user.delete()
