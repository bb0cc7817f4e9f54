"""The audit log: one call per staff read or change of protected data.

Entries are append-only: the application has no way to change them, and on PostgreSQL a trigger
(migration hub 0006) refuses any UPDATE except clearing the actor when a user is deleted, any INSERT whose
time is not the present, and any DELETE of an entry the retention purge would not delete (younger than the
audit period in force, never less than a year)."""

from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.models import AuditEntry


class AuditAction(models.TextChoices):
    CASE_OPEN = "case.open", _("opened the case")
    ATTACHMENT_OPEN = "attachment.open", _("downloaded an attachment")
    MESSAGE_REVIEW = "message.review", _("reviewed a trainee reply")
    CALLBACK_NUMBER = "callback.number", _("saw a callback number")
    EXPORT_MADE = "export.made", _("made an export")
    # A young person's own "My data" download: recorded without who, so that the staff log does not
    # list young people by username (hub/data_export.py).
    OWN_DATA_EXPORT = "own_data.export", _("a young person downloaded their own data")
    ROUND_OPEN = "round.open", _("opened a chat round room")
    AGENDA_OPEN = "agenda.open", _("opened a site's appointment agenda")
    GROUP_OPEN = "group.open", _("opened a group offer's participant list")
    TRAINING_REPORT_OPEN = "training_report.open", _("opened a training report")
    FORUM_POST_OPEN = "forum_post.open", _("opened forum posts for moderation")
    ROLE_CHANGED = "role.changed", _("changed a role")
    TOTP_RESET = "totp.reset", _("reset two-factor authentication")
    RETENTION_CHANGED = "retention.changed", _("changed a retention period")
    ACCOUNT_CREATED = "account.created", _("created an account")
    ACCOUNT_CHANGED = "account.changed", _("changed an account")
    ACCOUNT_DELETED = "account.deleted", _("deleted an account")
    # Staff administration (counseling/staffing.py): site ids and field names in the details, no values.
    SITES_CHANGED = "sites.changed", _("changed the sites of a staff member")
    PROFILE_CHANGED = "profile.changed", _("changed a counselor profile")
    ACCOUNT_DEACTIVATED = "account.deactivated", _("deactivated an account")
    ACCOUNT_REACTIVATED = "account.reactivated", _("reactivated an account")
    INVITATION_SENT = "invitation.sent", _("invited a staff member")
    INVITATION_ACCEPTED = "invitation.accepted", _("accepted an invitation")
    # Case labels and the sites import (issue 16).
    LABEL_CREATED = "label.created", _("created a case label")
    LABEL_RENAMED = "label.renamed", _("renamed a case label")
    LABEL_DELETED = "label.deleted", _("deleted a case label")
    SITES_IMPORTED = "sites.imported", _("imported sites from a file")
    # Network partners (counseling/partners/): an organisation created, an account attached or detached.
    PARTNER_CHANGED = "partner.changed", _("changed a partner organisation")
    # Routing (counseling/assignment.py, counseling/routing_views.py).
    CASE_ASSIGN = "case.assign", _("assigned a case")
    FALLBACK_CHANGED = "fallback.changed", _("changed the fallback counselors")
    FEEDBACK_OPEN = "feedback.open", _("read the accessibility feedback")
    # Intervision (counseling/intervision/): request ids only, never the case or the content.
    INTERVISION_CHANGED = "intervision.changed", _("changed an intervision group")
    INTERVISION_POSTED = "intervision.posted", _("posted in intervision")
    INTERVISION_OPEN = "intervision.open", _("opened an intervision request")


def audit_record(*, actor, action: str, target_type: str, target_id, detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail[:200],
    )


def audit_recent(
    *,
    target_type: str = "",
    target_id: str = "",
    action: str = "",
    actor: str = "",
    since: date | None = None,
    until: date | None = None,
    limit: int = 200,
):
    entries = AuditEntry.objects.select_related("actor")
    if target_type:
        entries = entries.filter(target_type=target_type)
    if target_id:
        entries = entries.filter(target_id=target_id)
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__username__iexact=actor)
    if since:
        entries = entries.filter(at__gte=_start_of(since))
    if until:
        entries = entries.filter(at__lt=_start_of(until + timedelta(days=1)))
    return entries[:limit]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
