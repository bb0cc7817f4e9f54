"""Who answers an enquiry.

A new case goes to a counselor who speaks its language, covers its topic, is present (the one absence
rule, counseling/absence.py) and has spare capacity — preferring its site's team (the chosen site, or the
site nearest to the postcode the young person gave), then the least loaded, then whoever waited longest
for a case. With nobody eligible the case waits in the shared queue; `route_queue` hands queued cases
out, longest-waiting first, whenever capacity frees up (and on a schedule).

Honest for every language: when no present counselor speaks the case's language at all, the case goes at
once to the fallback queue (counselors a coordinator marked as answering with a translation aid), or to
the coordinators' queue when there is no such counselor. A case handed over to another site is routed
only among that site's team and never back to the counselor who handed it over. Every decision is a
CaseEvent with its reason as data (rendered in the reader's language by counseling/routing_reasons.py).
"""

import copy
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from guardian.shortcuts import get_users_with_perms

from counseling import absence
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
from hub.roles import Role, has_role, user_roles
from learning.gates import Activity, users_refused

COUNSELING_ROLES = [Role.COUNSELOR, Role.TRAINEE_COUNSELOR]


class Rule:
    """`CaseEvent.reason["rule"]`: what routing (or a person) decided."""

    MATCHED = "matched"  # assigned automatically
    QUEUED = "queued"  # speakers exist, none with room: the shared queue
    FALLBACK = "fallback"  # nobody present speaks the language: the fallback counselors' queue
    COORDINATORS = "coordinators"  # …and no fallback counselor is present: the coordinators' queue
    TEAM_QUEUE = "team_queue"  # handed over to a site whose team has nobody free yet
    MANUAL = "manual"  # assigned by a coordinator or site lead


def present(profile: CounselorProfile, today=None) -> bool:
    """Kept for callers of the old name: the absence rule lives in counseling/absence.py."""
    return absence.is_present(profile, today)


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


def candidates(
    case: Case,
    *,
    today=None,
    at: datetime | None = None,
    only_team: bool = False,
    exclude=(),
    team: set[int] | None = None,
) -> list[CounselorProfile]:
    """Eligible counselors for the case, best first (`only_team`: its site's team alone; `team`: the
    site's team when the caller has read it already)."""
    at = at or absence.moment_of(today)
    team = site_team_ids(case.site) if team is None else team
    profiles = list(counselor_profiles())
    # Required training (learning.gates): nobody is assigned a case who may not take one.
    refused = users_refused(Activity.CASES, [profile.user_id for profile in profiles])
    eligible = [
        profile
        for profile in profiles
        if profile.user_id not in refused
        and profile.user_id not in exclude
        and (not only_team or profile.user_id in team)
        and speaks(profile, case)
        and covers(profile, case)
        and absence.is_present(profile, at)
        and profile.open_cases < profile.capacity
    ]
    never = datetime.min.replace(tzinfo=timezone.get_current_timezone())
    return sorted(
        eligible,
        key=lambda p: (p.user_id not in team, p.open_cases / max(p.capacity, 1), p.last_assigned_at or never),
    )


# No savepoint of its own inside a caller's transaction (a new enquiry's, a handover's): nobody catches
# its errors to go on, and a savepoint is two more statements on every routing.
@transaction.atomic(savepoint=False)
def route_case(case: Case, *, actor=None) -> object | None:
    """Assign the case to the best eligible counselor, or leave it queued (in the shared, fallback,
    coordinators' or a site team's queue, recorded with the reason). Returns the counselor."""
    at = timezone.now()
    exclude = {case.handed_over_from_id} - {None}
    team = site_team_ids(case.site)
    for profile in candidates(case, at=at, only_team=case.team_only, exclude=exclude, team=team):
        # Lock the counselor and count again: two cases routed at once must not both take the last place.
        locked = CounselorProfile.objects.select_for_update().get(pk=profile.pk)
        open_now = Case.objects.filter(counselor_id=locked.user_id, status__in=OPEN_STATUSES).count()
        if open_now >= locked.capacity:
            continue
        reason = _reason(case, Rule.MATCHED, team=profile.user_id in team)
        assign(case, profile.user, actor=actor, kind=CaseEvent.Kind.ASSIGNED, reason=reason)
        locked.last_assigned_at = timezone.now()
        locked.save(update_fields=["last_assigned_at"])
        return profile.user
    reason = _reason(case, _waiting_rule(case, at=at))
    last = case.events.filter(kind=CaseEvent.Kind.QUEUED).order_by("-created_at", "-pk").first()
    if last is None or last.reason.get("rule") != reason["rule"]:  # once per change, not every run
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.QUEUED, actor=actor, reason=reason)
    return None


def _waiting_rule(case: Case, *, at: datetime) -> str:
    if case.team_only:
        return Rule.TEAM_QUEUE
    if case.language in absence.languages_spoken_now(at=at):
        return Rule.QUEUED
    return Rule.FALLBACK if fallback_present(at=at) else Rule.COORDINATORS


def _reason(case: Case, rule: str, *, team: bool = False) -> dict:
    """The routing reason as data: rule, language, topic, and the site when its team mattered."""
    reason = {"rule": rule, "language": case.language, "topic": case.topic}
    if case.site_id and (team or rule == Rule.TEAM_QUEUE):
        reason.update(site=case.site_id, site_name=case.site.name, team=True)
        if case.postcode and nearest_site(case.postcode) == case.site:
            reason["nearest"] = case.postcode
    return reason


def fallback_present(*, at: datetime | None = None) -> bool:
    return counselor_profiles().filter(is_fallback=True).filter(absence.present_filter(at)).exists()


def nearest_site(postcode: str, *, offer: str = "online"):
    """The site offering online counseling (or `offer`: "on_site" for someone who has arrived and may
    come by, counseling/arrival.py) nearest to a German postcode (sites/finder.py), or None."""
    from sites.finder import locate, sites_nearest

    origin = locate(postcode) if postcode else None
    if origin is None:
        return None
    nearest = sites_nearest(origin=origin, offer=offer, limit=1)
    return nearest[0][0] if nearest else None


def assign(case: Case, counselor, *, actor=None, kind=CaseEvent.Kind.ASSIGNED, reason=None) -> None:
    # Assigned: the hand-over restrictions have done their job.
    case.counselor, case.team_only, case.handed_over_from = counselor, False, None
    case.save(update_fields=["counselor", "team_only", "handed_over_from"])
    CaseEvent.objects.create(
        case=case, kind=kind, actor=actor, counselor=counselor, site=case.site, reason=reason or {}
    )


def queued_cases():
    # A callback request has its own worklist (counseling/callbacks.py), and a chat waits for a counselor
    # at the chat desk (counseling/chat.py): neither is a queued mail case.
    return (
        Case.objects.filter(counselor__isnull=True, status__in=OPEN_STATUSES)
        .exclude(Exists(CallbackRequest.objects.filter(case=OuterRef("pk"))))
        .exclude(Exists(Chat.objects.filter(case=OuterRef("pk"), status__in=LIVE_CHAT_STATUSES)))
    )


def queue_for(user):
    """The "Queue" box: coordinators see every queued case (they assign them); a counselor the queued
    cases in their languages — a fallback counselor also those nobody present speaks — minus cases handed
    over to a site they do not counsel at, and cases they handed over themselves."""
    if has_role(user, Role.COORDINATOR):
        return queued_cases()
    profile = CounselorProfile.objects.filter(user=user).first()
    if profile is None or not counsels(user):
        return Case.objects.none()
    in_reach = Q(language__in=profile.languages or [])
    if profile.is_fallback:
        in_reach |= ~Q(language__in=absence.languages_spoken_now())
    return (
        queued_cases()
        .filter(in_reach)
        .filter(Q(team_only=False) | Q(site_id__in=counsel_site_ids(user)))
        .exclude(handed_over_from=user)
    )


def queue_audience(case: Case) -> set[int]:
    """Who has this queued case in their "Queue" box: the same rule as `queue_for`, read from the case's
    side, so the live inbox announces a case to exactly the people whose box shows it."""
    coordinators = get_user_model().objects.filter(is_active=True, groups__name=Role.COORDINATOR)
    audience = set(coordinators.values_list("pk", flat=True))
    unspoken = case.language not in absence.languages_spoken_now()
    team = site_team_ids(case.site) if case.team_only else None
    for profile in counselor_profiles().only("user_id", "languages", "is_fallback"):
        if case.language not in (profile.languages or []) and not (profile.is_fallback and unspoken):
            continue
        if team is not None and profile.user_id not in team:
            continue
        if profile.user_id != case.handed_over_from_id:
            audience.add(profile.user_id)
    return audience


def counsel_site_ids(user) -> set[int]:
    """Sites where the user counsels (not only leads): read with the access rules' sets, in their one
    query per request (counseling.access)."""
    from counseling import access  # access imports routing

    return access.counsel_site_ids(user)


def route_queue(*, limit: int = 200) -> int:
    """Hand out queued cases, the longest-waiting first. Safe to run twice (routing locks counselors)."""
    routed = 0
    from counseling import inbox  # inbox announces rows; it imports nothing of routing's callers

    for case in queued_cases().select_related("site").order_by("created_at")[:limit]:
        queued = copy.copy(case)  # as it waited: assigning clears its hand-over restrictions
        counselor = route_case(case)
        if counselor is not None:
            routed += 1
            # The live inbox: the row appears in the counselor's box and leaves everyone's queue box.
            inbox.announce(user_ids={counselor.pk}, kind=inbox.Change.CASE, case=case)
            inbox.announce(user_ids=queue_audience(queued), kind=inbox.Change.TAKEN, case=case)
    return routed


def may_take(user, case: Case) -> bool:
    """A counselor may take a queued case in a language they speak."""
    if case.counselor_id is not None or case.status == CaseStatus.CLOSED:
        return False
    return could_take(user, case)


def could_take(user, case: Case) -> bool:
    """The case is in their queue while nobody has it: they counsel and speak its language (or are a
    fallback counselor and nobody present speaks it), and it was not handed to a site they are not at."""
    profile = CounselorProfile.objects.filter(user=user).first()
    if profile is None or not counsels(user) or case.handed_over_from_id == user.pk:
        return False
    if case.team_only and case.site_id not in counsel_site_ids(user):
        return False
    if speaks(profile, case):
        return True
    return profile.is_fallback and case.language not in absence.languages_spoken_now()


def counsels(user) -> bool:
    return bool(user_roles(user) & set(COUNSELING_ROLES))


def counselors_speaking(language: str):
    """The active counselors who speak `language`, as users with their names only (the handover's list of
    colleagues: every profile and user column of every counselor was a tenth of a case page)."""
    profiles = CounselorProfile.objects.filter(user__is_active=True).filter(Exists(_in_counseling_role()))
    profiles = profiles.select_related("user").only(
        "languages", "user_id", *(f"user__{field}" for field in get_user_model().NAME_FIELDS)
    )
    return [profile.user for profile in profiles if language in profile.languages]
