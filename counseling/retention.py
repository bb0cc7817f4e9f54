"""Counseling's purges for the one retention mechanism (hub/retention.py) and the erasure of a young
person's counseling data when they delete their account.

Deleting cases is done table by table for a whole batch of case ids (a few statements per batch instead
of Django's row-by-row cascade collector), keys first: the wrapped keys are wiped before any row goes, so
a backup of the message tables taken at any moment stays unreadable for the deleted cases.
"""

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from counseling.guests import guests_due_for_deletion
from counseling.models import (
    Attachment,
    CallbackRequest,
    Case,
    CaseEvent,
    CaseStatus,
    CaseTombstone,
    Chat,
    ChatRound,
    InternalNote,
    Message,
    RoundMessage,
    RoundParticipant,
    RoundStatus,
)
from hub.models import User
from hub.retention import POLICIES, Purge, policy_cutoff, policy_values
from hub.roles import Role
from hub.sockets import access_revoked

TOMBSTONE_DAYS = 30


def cases_remove(case_ids: list[int]) -> int:
    """Delete these cases with everything in them. Call inside a transaction."""
    if not case_ids:
        return 0
    access_revoked(case_ids=case_ids, reason="deleted")  # open sockets of these cases close after commit
    Case.objects.filter(pk__in=case_ids).update(wrapped_key=b"")
    Attachment.objects.filter(message__case_id__in=case_ids).delete()
    placeholders = ", ".join(["%s"] * len(case_ids))
    with connection.cursor() as cursor:
        # Messages are many: one statement, not the collector (which would load every sealed body).
        cursor.execute(f"DELETE FROM {Message._meta.db_table} WHERE case_id IN ({placeholders})", case_ids)  # noqa: S608 - table name from the model, ids as parameters
    for model in (InternalNote, CaseEvent, CallbackRequest, Chat):
        model.objects.filter(case_id__in=case_ids).delete()
    Case.labels.through.objects.filter(case_id__in=case_ids).delete()
    # Whatever else points at a case (rows of other apps) cascades here, through Django's collector.
    _total, per_model = Case.objects.filter(pk__in=case_ids).delete()
    return per_model.get(Case._meta.label, 0)


def _due_cases(now: datetime):
    cutoff = policy_cutoff("closed_cases", now=now)
    last = Coalesce("last_message_at", "created_at")
    closed = Q(status=CaseStatus.CLOSED, closed_at__lt=cutoff)
    waiting = Q(status=CaseStatus.WAITING)
    return (
        Case.objects.alias(last=last).filter(closed | waiting, last__lt=cutoff).exclude(youth__is_guest=True)
    )


CLOSED_CASES = Purge(
    "closed_cases", _("Closed and inactive cases"), _due_cases, lambda ids, now: cases_remove(ids)
)


def _inactive_cases(now: datetime):
    """Cases of every status with no message and no event since the cutoff: nothing is kept forever,
    not even a "new" case that nobody answered."""
    cutoff = policy_cutoff("inactive_cases", now=now)
    recent_event = CaseEvent.objects.filter(case=OuterRef("pk"), created_at__gte=cutoff)
    return (
        Case.objects.alias(last=Coalesce("last_message_at", "created_at"))
        .filter(last__lt=cutoff)
        .exclude(Exists(recent_event))
        .exclude(youth__is_guest=True)
    )


INACTIVE_CASES = Purge(
    "inactive_cases",
    _("Cases of any status without activity"),
    _inactive_cases,
    lambda ids, now: cases_remove(ids),
)


def case_deletion_due(case: Case) -> datetime:
    """When the purges above will find this case due, if nothing happens in it until then (the case page
    tells the young person and the counselor). Any new message or event moves it."""
    return deletion_due_after(case, case.events.aggregate(last=Max("created_at"))["last"])


def deletion_due_after(case: Case, last_event: datetime | None) -> datetime:
    """case_deletion_due() for a page that has read the time of the case's last event already."""
    last_message = case.last_message_at or case.created_at
    last_activity = max(last_message, last_event or last_message)
    periods = policy_values("inactive_cases", "closed_cases")
    due = last_activity + POLICIES["inactive_cases"].delta(periods["inactive_cases"])
    closed_period = POLICIES["closed_cases"].delta(periods["closed_cases"])
    if case.status == CaseStatus.CLOSED:
        due = min(due, max(case.closed_at or last_message, last_message) + closed_period)
    elif case.status == CaseStatus.WAITING:
        due = min(due, last_message + closed_period)
    return due


def _guests_remove(ids: list[int], now: datetime) -> int:
    cases_remove(list(Case.objects.filter(youth_id__in=ids).values_list("pk", flat=True)))
    User.objects.filter(pk__in=ids).delete()
    return len(ids)


GUEST_CHATS = Purge(
    "guest_chats",
    _("Guest chats and guest accounts"),
    lambda now: guests_due_for_deletion(now=now),
    _guests_remove,
)


def _due_callback_numbers(now: datetime):
    cutoff = policy_cutoff("callback_numbers", now=now)
    return CallbackRequest.objects.filter(last_slot_ends_at__lt=cutoff).exclude(phone_sealed=b"")


def _forget_numbers(ids: list[int], now: datetime) -> int:
    return CallbackRequest.objects.filter(pk__in=ids).update(phone_sealed=b"", number_deleted_at=now)


CALLBACK_NUMBERS = Purge("callback_numbers", _("Callback numbers"), _due_callback_numbers, _forget_numbers)


def _due_rounds(now: datetime):
    """Closed rounds that still hold something of the people in them (kept transcript, participants)."""
    cutoff = policy_cutoff("chat_rounds", now=now)
    holds = (
        Exists(RoundMessage.objects.filter(round=OuterRef("pk")))
        | Exists(RoundParticipant.objects.filter(round=OuterRef("pk")))
        | ~Q(wrapped_key=b"")
    )
    return ChatRound.objects.filter(holds, status=RoundStatus.CLOSED, closed_at__lte=cutoff)


def _rounds_empty(ids: list[int], now: datetime) -> int:
    ChatRound.objects.filter(pk__in=ids).update(wrapped_key=b"")
    RoundMessage.objects.filter(round_id__in=ids).delete()
    RoundParticipant.objects.filter(round_id__in=ids).delete()
    return len(ids)


CHAT_ROUNDS = Purge(
    "chat_rounds", _("Transcripts and participants of topic chat rounds"), _due_rounds, _rounds_empty
)


def _tombstones_remove(ids: list[int], now: datetime) -> int:
    return CaseTombstone.objects.filter(pk__in=ids).delete()[0]


CASE_TOMBSTONES = Purge(
    "case_tombstones",
    _("Notes that a young person deleted their account"),
    lambda now: CaseTombstone.objects.filter(deleted_at__lt=now - timedelta(days=TOMBSTONE_DAYS)),
    _tombstones_remove,
)


def _inactive_youth(now: datetime):
    """Young people's accounts that never asked, booked or joined anything and were not used lately."""
    from sites.models import Appointment, GroupParticipation

    cutoff = policy_cutoff("inactive_youth", now=now)
    user = OuterRef("pk")
    return (
        User.objects.filter(groups__name=Role.YOUTH, is_staff=False, is_guest=False, date_joined__lt=cutoff)
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .exclude(Exists(Case.objects.filter(Q(youth=user) | Q(opened_by=user))))
        .exclude(Exists(Appointment.objects.filter(youth=user)))
        .exclude(Exists(GroupParticipation.objects.filter(youth=user)))
        .exclude(Exists(RoundParticipant.objects.filter(user=user)))
        .exclude(Exists(User.groups.through.objects.filter(user=user).exclude(group__name=Role.YOUTH)))
    )


def _accounts_remove(ids: list[int], now: datetime) -> int:
    User.objects.filter(pk__in=ids).delete()
    return len(ids)


INACTIVE_YOUTH = Purge(
    "inactive_youth",
    _("Accounts of young people who never asked anything"),
    _inactive_youth,
    _accounts_remove,
)


# --- "delete my account" ----------------------------------------------------------------------------------


def erase_counseling_data(user: User) -> None:
    """Everything of theirs in counseling goes at once. Each case that a counselor worked leaves a
    content-free tombstone, so that the counselor sees "the person deleted their account"."""
    cases = Case.objects.filter(youth=user)
    CaseTombstone.objects.bulk_create(
        [
            CaseTombstone(public_id=public_id, counselor_id=counselor_id, site_id=site_id, topic=topic)
            for public_id, counselor_id, site_id, topic in cases.filter(
                Q(counselor__isnull=False) | Q(site__isnull=False)
            ).values_list("public_id", "counselor_id", "site_id", "topic")
        ],
        ignore_conflicts=True,
    )
    if cases_remove(list(cases.values_list("pk", flat=True))):
        from counseling.services import _after_capacity_freed

        _after_capacity_freed()  # their open cases no longer count against the counselors' capacity
    RoundMessage.objects.filter(author=user).delete()
    RoundParticipant.objects.filter(user=user).delete()
