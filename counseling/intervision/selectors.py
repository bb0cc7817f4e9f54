"""Reads of intervision: the lists on its pages and the mentors' view of their trainees' approvals."""

from django.db.models import Count, Q
from django.utils import timezone

from counseling.intervision import access
from counseling.intervision.models import IntervisionMeeting, IntervisionMember
from counseling.models import Message, MessageStatus
from hub.models import User


def requests_listed(user):
    return (
        access.requests_visible_to(user)
        .select_related("group")
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("-created_at", "-pk")
    )


def meetings_upcoming(user, *, now=None):
    now = now or timezone.now()
    groups = access.groups_visible_to(user) if access.may_manage_groups(user) else None
    ids = access.group_ids_of(user) | (
        set(groups.values_list("pk", flat=True)) if groups is not None else set()
    )
    return IntervisionMeeting.objects.filter(group_id__in=ids, ends_at__gte=now).select_related("group")


def members_of(group):
    return IntervisionMember.objects.filter(group=group).select_related("user").order_by("user__display_name")


def trainee_history(mentor, *, returns_shown: int = 200) -> list[dict]:
    """Per trainee of this mentor: how many replies were approved, returned or still wait, and the
    comments they were returned with (the reasons), newest first."""
    ids = access.trainee_ids(mentor)
    trainees = {
        user.pk: user for user in User.objects.filter(pk__in=ids).order_by("display_name", "username")
    }
    counts = {
        row["author_id"]: row
        for row in Message.objects.filter(author_id__in=ids, from_staff=True)
        .values("author_id")
        .annotate(
            approved=Count("pk", filter=Q(status=MessageStatus.PUBLISHED, reviewed_by__isnull=False)),
            returned=Count("pk", filter=Q(status=MessageStatus.RETURNED)),
            pending=Count("pk", filter=Q(status=MessageStatus.PENDING)),
        )
    }
    returns: dict[int, list] = {pk: [] for pk in trainees}
    for row in (
        Message.objects.filter(author_id__in=ids, status=MessageStatus.RETURNED)
        .order_by("-created_at")
        .values("author_id", "created_at", "review_comment", "case__public_id")[:returns_shown]
    ):
        returns[row["author_id"]].append(row)
    empty = {"approved": 0, "returned": 0, "pending": 0}
    return [
        {"trainee": trainee, **{k: counts.get(pk, empty)[k] for k in empty}, "returns": returns[pk]}
        for pk, trainee in trainees.items()
    ]
