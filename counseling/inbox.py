"""What an inbox row says beyond the case's own fields, and how an open inbox hears that a row changed.

A row shows who wrote last, whether the young person wrote since this staff member last opened the case
(unread; `CaseRead`) and whether a reply waits for a mentor — read as annotations of the one inbox query,
so the page costs the same queries for 5 rows or 50.

Live: the services announce "this case changed for you" to a user's notification sockets (hub/services.py,
`user.<id>` groups), with ids and kinds only. The inbox page then fetches the row over HTTP
(staff_views.inbox_row), where the box's own selection decides whether this user sees it. A case that
waits in the queue is announced to every counselor who speaks its language: a group per language would
have to live in hub's NotificationConsumer, which knows nothing about counseling, and the queue's
readers are a few dozen people at most.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from counseling.models import Case, CaseRead, CounselorProfile, Message, MessageStatus
from hub.models import User
from hub.services import user_group


class Change:
    """The kinds of inbox events (the page treats them alike: fetch the row again)."""

    CASE = "case"  # a new case of mine, a young person's new message, a handover to me or away from me
    QUEUED = "queued"  # a case waits in the queue in one of my languages
    TAKEN = "taken"  # a colleague took it from the queue
    APPROVAL = "approval"  # a trainee's reply waits for me as their mentor


# What a row prints of the case and the rows it joins (inbox_display.row_html); nothing else is read. The
# joined site alone has some forty columns (its texts in eight languages): 50 of them per page were a
# quarter of the rows' time to read and build.
ROW_FIELDS = (
    *("public_id", "youth_id", "opened_by_id", "topic", "language", "site_id", "status", "counselor_id"),
    *("created_at", "last_message_at", "answer_due_at", "escalated_at"),
    *("site__name", "partner_enquiry__organisation__name"),
    *(f"{person}__{field}" for person in ("youth", "opened_by", "counselor") for field in User.NAME_FIELDS),
)


def rows_of(ids, *, user) -> list[Case]:
    """The cases of one inbox page with what their rows show, in the order of `ids` (the box's selection
    picked them: selectors.inbox). Read by id in a second, plain query: planned together with the box's
    filters (the queue's anti-joins, the access rules), the joins and subqueries of the rows took
    PostgreSQL 12-30 ms to plan; apart, each query plans in about a millisecond. Labels come as
    `case.label_names`, (case, name) pairs of one query: no Label objects, no prefetch machinery."""
    cases = (
        Case.objects.filter(pk__in=ids)
        .select_related("site", "counselor", "partner_enquiry__organisation")
        .only(*ROW_FIELDS)
    )
    by_pk = {case.pk: case for case in with_row_facts(cases, user=user)}
    for case in by_pk.values():
        case.label_names = []
    names = Case.labels.through.objects.filter(case_id__in=by_pk).order_by("label__name", "label_id")
    for case_id, name in names.values_list("case_id", "label__name"):
        by_pk[case_id].label_names.append(name)
    return [by_pk[pk] for pk in ids if pk in by_pk]


def with_row_facts(cases, *, user):
    """The inbox query with what each row shows besides the case's fields; no content, no extra query."""
    messages = Message.objects.filter(case=OuterRef("pk"))
    last_published = messages.filter(status=MessageStatus.PUBLISHED).order_by("-created_at", "-pk")
    youth_wrote_at = messages.filter(from_staff=False).order_by("-created_at").values("created_at")[:1]
    read_at = CaseRead.objects.filter(case=OuterRef("pk"), user=user).values("read_at")[:1]
    return cases.select_related("youth", "opened_by").annotate(
        last_from_staff=Subquery(last_published.values("from_staff")[:1]),
        youth_wrote_at=Subquery(youth_wrote_at),
        read_at=Subquery(read_at),
        # On the partial index of pending replies (Message.Meta): the whole (case, status) index
        # was read for this otherwise.
        approval_waiting=Exists(messages.filter(status=MessageStatus.PENDING)),
    )


def is_unread(case) -> bool:
    """The young person wrote after this staff member last opened the case (or they never opened it).
    Decided here from the two annotations: as an SQL expression it repeated both subqueries per row."""
    wrote, read = case.youth_wrote_at, case.read_at
    return wrote is not None and (read is None or wrote > read)


def case_mark_read(*, case: Case, user) -> None:
    """The staff member has the case page in front of them: what the young person wrote so far is read."""
    # One INSERT … ON CONFLICT DO UPDATE: update_or_create took four round trips (a transaction, a locking
    # read, the write) on every opening of a case page.
    CaseRead.objects.bulk_create(
        [CaseRead(case=case, user=user, read_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["case", "user"],
        update_fields=["read_at"],
    )


# --- live announcements ---------------------------------------------------------------------------------


def announce(*, user_ids, kind: str, case: Case) -> None:
    """Tell these users' open pages that the case's row may have changed: one batch after commit."""
    groups = [user_group(user_id) for user_id in sorted(set(user_ids) - {None})]
    if not groups:
        return
    message = {"type": "user.event", "event": {"kind": "inbox", "change": kind, "case": str(case.public_id)}}

    async def send_all():
        layer = get_channel_layer()
        for group in groups:
            await layer.group_send(group, message)

    transaction.on_commit(async_to_sync(send_all))


def announce_to_queue(*, case: Case, kind: str = Change.QUEUED) -> None:
    """A case entered or left the queue: everyone whose queue box shows it hears of it (the rule is
    routing.queue_audience, the same as the box's); whether they may see it is checked again when the row
    is fetched."""
    from counseling.routing import queue_audience  # routing announces through this module too

    announce(user_ids=queue_audience(case), kind=kind, case=case)


def announce_to_mentor(*, message: Message) -> None:
    mentor_id = (
        CounselorProfile.objects.filter(user_id=message.author_id).values_list("mentor_id", flat=True).first()
    )
    announce(user_ids=[mentor_id], kind=Change.APPROVAL, case=message.case)
