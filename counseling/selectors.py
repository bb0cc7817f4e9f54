"""Reading cases: the participant's thread and the inbox (the staff timeline pages in timeline.py).
Content is unsealed here, only for people the access module has let through."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from counseling import absence, services
from counseling.access import cases_for_staff, lead_site_ids, mentee_ids
from counseling.models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseEvent,
    CaseTombstone,
    CounselorProfile,
    InternalNote,
    Message,
    MessageStatus,
)
from counseling.routing import queue_for
from hub.countries import GERMANY
from hub.prepared import PreparedRead
from hub.roles import Role, has_role


def _cases_of_participant(user_id: int):
    participant = Q(youth_id=user_id) | Q(opened_by_id=user_id)
    return Case.objects.filter(participant).order_by("-last_message_at", "-pk")


# The young person's list of their conversations, on every view: its SQL built once per process.
CASES_OF_PARTICIPANT = PreparedRead(Case, _cases_of_participant, user_id=int)


def cases_of_participant(user) -> list[Case]:
    """Their own cases, newest first (the list shows each case's topic, status and dates)."""
    return CASES_OF_PARTICIPANT.objects(user_id=user.pk)


@dataclass
class ThreadItem:
    kind: str  # message | note | event
    at: datetime
    message: Message | None = None
    body: str = ""
    attachments: tuple = ()
    note: InternalNote | None = None
    event: CaseEvent | None = None
    pk: int = 0  # of the message, note or event (the staff timeline pages by it: counseling/timeline.py)


def message_items(case: Case, messages) -> list[ThreadItem]:
    items = []
    for message in messages:
        message.case = case  # one unwrapped key for the whole thread
        attachments = tuple(
            (a, services.attachment_name(_with_case(a, message))) for a in message.attachments.all()
        )
        items.append(
            ThreadItem(
                kind="message",
                at=message.created_at,
                message=message,
                body=services.message_body(message),
                attachments=attachments,
            )
        )
    return items


def _with_case(attachment: Attachment, message: Message) -> Attachment:
    attachment.message = message
    return attachment


def attachments_prefetch() -> Prefetch:
    return Prefetch(
        "attachments",
        # With a voice message's length and summary (counseling/voice.py), shown beside its player.
        queryset=Attachment.objects.only(
            "public_id",
            "message_id",
            "name_sealed",
            "size",
            "content_type",
            "duration_ms",
            "summary_sealed",
            "summary_at",
        ),
    )


def messages_with_attachments(case: Case):
    return case.messages.select_related("author").prefetch_related(attachments_prefetch())


def published_messages(case_id: int):
    """Published messages only: a trainee's draft or a returned reply is never shown to the young person
    (nor to a partner; the young person's case page reads them as rows: counseling/youth_case_page.py)."""
    return Message.objects.filter(case_id=case_id, status=MessageStatus.PUBLISHED)


def thread_for_participant(case: Case) -> list[ThreadItem]:
    messages = published_messages(case.pk).select_related("author")
    return message_items(case, messages.prefetch_related(attachments_prefetch()))


def counselor_absence(case: Case) -> CounselorProfile | None:
    """The assigned counselor's profile while they are away (counseling/absence.py), else None."""
    if case.counselor_id is None:
        return None
    profile = CounselorProfile.objects.filter(user_id=case.counselor_id, is_absent=True).first()
    return None if profile is None or absence.is_present(profile) else profile


INBOX_BOXES = ("mine", "team", "queue", "escalated")
ABROAD = "abroad"  # the inbox's country filter: every country of residence but Germany


def inbox(user, *, box: str, filters: dict):
    """The cases of an inbox box, sorted by answer-due time: the view pages their ids and reads the rows
    of one page with what they show by id (counseling/inbox.py rows_of), never content."""
    if box == "mine":
        cases = Case.objects.filter(counselor=user)
    elif box == "team":
        cases = cases_for_staff(user)
    elif box == "queue":
        cases = queue_for(user)
    else:  # escalated: coordinators (all sites) and site leads (their sites), metadata only
        cases = Case.objects.filter(escalated_at__isnull=False, status__in=OPEN_STATUSES)
        if not has_role(user, Role.COORDINATOR):
            cases = cases.filter(site_id__in=lead_site_ids(user))
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    else:
        cases = cases.filter(status__in=OPEN_STATUSES)
    for field in ("language", "topic"):
        if filters.get(field):
            cases = cases.filter(**{field: filters[field]})
    if filters.get("site"):
        cases = cases.filter(site__slug=filters["site"])
    if filters.get("country") == ABROAD:
        cases = cases.exclude(country_of_residence__in=["", GERMANY])
    elif filters.get("country"):
        cases = cases.filter(country_of_residence=filters["country"])
    if filters.get("due") == "overdue":
        cases = cases.filter(answer_due_at__lt=timezone.now())
    elif filters.get("due") == "today":
        end = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.max.time()))
        cases = cases.filter(answer_due_at__lte=end)

    return cases.order_by(F("answer_due_at").asc(nulls_last=True), "-last_message_at", "pk")


def approvals_for(mentor):
    return (
        Message.objects.filter(status=MessageStatus.PENDING, author_id__in=mentee_ids(mentor))
        .select_related("case", "author")
        .order_by("created_at")
    )


def tombstones_of(user, limit: int = 10):
    """Cases of this counselor whose young person deleted their account (kept 30 days, no content)."""
    return CaseTombstone.objects.filter(counselor=user)[:limit]
