"""Who answers an enquiry.

A new case goes to a counselor who speaks its language, covers its topic, is present and has spare
capacity — preferring the chosen site's team, then the least loaded, then whoever waited longest for a
case. With nobody eligible the case waits in the shared queue; `route_queue` hands queued cases out,
longest-waiting first, whenever capacity frees up (and on a schedule).
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms

from counseling.models import (
    LIVE_CHAT_STATUSES,
    OPEN_STATUSES,
    CallbackRequest,
    Case,
    CaseEvent,
    CaseStatus,
    Chat,
    CounselorProfile,
)
from hub.roles import Role, user_roles
from learning.gates import Activity, users_refused

COUNSELING_ROLES = [Role.COUNSELOR, Role.TRAINEE_COUNSELOR]


def present(profile: CounselorProfile, today) -> bool:
    if not profile.is_absent:
        return True
    return profile.absent_until is not None and profile.absent_until < today


def counselor_profiles():
    """Active counselors with their open-case count: one query, however many cases there are."""
    open_cases = (
        Case.objects.filter(counselor_id=OuterRef("user_id"), status__in=OPEN_STATUSES)
        .values("counselor_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        CounselorProfile.objects.filter(user__is_active=True)
        .filter(Exists(_in_counseling_role()))
        .select_related("user")
        .annotate(open_cases=Coalesce(Subquery(open_cases), 0))
    )


def _in_counseling_role():
    # EXISTS from the profile instead of joining users to groups: that join reads every youth's
    # membership too (20,000 rows in the benchmark) and needs DISTINCT.
    memberships = get_user_model().groups.through.objects
    return memberships.filter(user_id=OuterRef("user_id"), group__name__in=COUNSELING_ROLES)


def speaks(profile: CounselorProfile, case: Case) -> bool:
    return case.language in (profile.languages or [])


def covers(profile: CounselorProfile, case: Case) -> bool:
    return not profile.topics or case.topic in profile.topics


def site_team_ids(site) -> set[int]:
    if site is None:
        return set()
    users = get_users_with_perms(site, only_with_perms_in=["counsel_at_site"], with_superusers=False)
    return set(users.values_list("pk", flat=True))


def candidates(case: Case, *, today=None) -> list[CounselorProfile]:
    """Eligible counselors for the case, best first."""
    today = today or timezone.localdate()
    team = site_team_ids(case.site)
    profiles = list(counselor_profiles())
    # Required training (learning.gates): nobody is assigned a case who may not take one.
    refused = users_refused(Activity.CASES, [profile.user_id for profile in profiles])
    eligible = [
        profile
        for profile in profiles
        if profile.user_id not in refused
        and speaks(profile, case)
        and covers(profile, case)
        and present(profile, today)
        and profile.open_cases < profile.capacity
    ]
    never = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    return sorted(
        eligible,
        key=lambda p: (p.user_id not in team, p.open_cases / max(p.capacity, 1), p.last_assigned_at or never),
    )


@transaction.atomic
def route_case(case: Case, *, actor=None) -> object | None:
    """Assign the case to the best eligible counselor, or leave it queued. Returns the counselor."""
    for profile in candidates(case):
        # Lock the counselor and count again: two cases routed at once must not both take the last place.
        locked = CounselorProfile.objects.select_for_update().get(pk=profile.pk)
        open_now = Case.objects.filter(counselor_id=locked.user_id, status__in=OPEN_STATUSES).count()
        if open_now >= locked.capacity:
            continue
        assign(case, profile.user, actor=actor, kind=CaseEvent.Kind.ASSIGNED)
        locked.last_assigned_at = timezone.now()
        locked.save(update_fields=["last_assigned_at"])
        return profile.user
    if not case.events.filter(kind=CaseEvent.Kind.QUEUED).exists():
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.QUEUED, actor=actor)
    return None


def assign(case: Case, counselor, *, actor=None, kind=CaseEvent.Kind.ASSIGNED) -> None:
    case.counselor = counselor
    case.save(update_fields=["counselor"])
    CaseEvent.objects.create(case=case, kind=kind, actor=actor, counselor=counselor, site=case.site)


def queued_cases():
    # A callback request has its own worklist (counseling/callbacks.py), and a chat waits for a counselor
    # at the chat desk (counseling/chat.py): neither is a queued mail case.
    return (
        Case.objects.filter(counselor__isnull=True, status__in=OPEN_STATUSES)
        .exclude(Exists(CallbackRequest.objects.filter(case=OuterRef("pk"))))
        .exclude(Exists(Chat.objects.filter(case=OuterRef("pk"), status__in=LIVE_CHAT_STATUSES)))
    )


def route_queue(*, limit: int = 200) -> int:
    """Hand out queued cases, the longest-waiting first. Safe to run twice (routing locks counselors)."""
    routed = 0
    for case in queued_cases().select_related("site").order_by("created_at")[:limit]:
        if route_case(case) is not None:
            routed += 1
    return routed


def may_take(user, case: Case) -> bool:
    """A counselor may take a queued case in a language they speak."""
    if case.counselor_id is not None or case.status == CaseStatus.CLOSED:
        return False
    return could_take(user, case)


def could_take(user, case: Case) -> bool:
    """Counsels and speaks the case's language: the case is in their queue while nobody has it."""
    profile = CounselorProfile.objects.filter(user=user).first()
    return profile is not None and speaks(profile, case) and counsels(user)


def counsels(user) -> bool:
    return bool(user_roles(user) & set(COUNSELING_ROLES))


def counselors_speaking(language: str):
    profiles = CounselorProfile.objects.filter(user__is_active=True).filter(Exists(_in_counseling_role()))
    return [profile.user for profile in profiles.select_related("user") if language in profile.languages]
