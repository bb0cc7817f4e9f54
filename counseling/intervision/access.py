"""Who may see and do what in intervision. Every view goes through here (as counseling/access.py for
cases): 404 for whoever may not see a thing (the same answer as for an id that never existed), 403
only for someone who may see it but not do this.

- A request, its answers and its group's meetings: the members of its group, and the requester (also
  after leaving the group). Nobody else – not coordinators, not the case's site, not mentors of others.
- The link back to the case is the requester's alone; members see the excerpt, never the case.
- A group's page: its members; coordinators (who set groups up) and the mentor of a mentor's group also
  change it (members, meetings), without reading its requests unless they are members.
- Writing a request: counseling staff who may work the case (counseling/access.py).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from counseling import access as case_access
from counseling.intervision.models import (
    IntervisionGroup,
    IntervisionMeeting,
    IntervisionMember,
    IntervisionRequest,
)
from counseling.models import Case, CounselorProfile
from hub.roles import Role, has_role, works_with_cases


def group_ids_of(user) -> set[int]:
    """The groups the user belongs to, read once per request-bound user object."""
    if not user.is_authenticated or not user.is_active:
        return set()
    cache = user.__dict__.setdefault("_intervision_groups", {})
    if "ids" not in cache:
        cache["ids"] = set(IntervisionMember.objects.filter(user=user).values_list("group_id", flat=True))
    return cache["ids"]


def may_manage_groups(user) -> bool:
    return has_role(user, Role.COORDINATOR) or has_role(user, Role.MENTOR)


def may_manage_group(user, group: IntervisionGroup) -> bool:
    if has_role(user, Role.COORDINATOR):
        return True
    return has_role(user, Role.MENTOR) and group.mentor_id == user.pk


def groups_visible_to(user):
    """Groups whose page the user may open: their own, and those they manage."""
    if has_role(user, Role.COORDINATOR):
        return IntervisionGroup.objects.all()
    groups = IntervisionGroup.objects.filter(pk__in=group_ids_of(user))
    if has_role(user, Role.MENTOR):
        groups = groups | IntervisionGroup.objects.filter(mentor=user)
    return groups


def access_group(user, pk, *, for_write: bool = False) -> IntervisionGroup:
    group = groups_visible_to(user).select_related("provider_group", "mentor").filter(pk=pk).first()
    if group is None:
        raise Http404
    if for_write and not may_manage_group(user, group):
        raise PermissionDenied
    return group


def requests_visible_to(user):
    """The requests of the user's groups and their own: the one scope of every list."""
    if not user.is_authenticated or not user.is_active:
        return IntervisionRequest.objects.none()
    return IntervisionRequest.objects.filter(
        group_id__in=group_ids_of(user)
    ) | IntervisionRequest.objects.filter(requester=user)


def is_requester(user, request: IntervisionRequest) -> bool:
    return user.is_authenticated and request.requester_id == user.pk


def access_request(user, public_id, *, for_write: bool = False) -> IntervisionRequest:
    """Read and answer: members of its group and the requester. Write (mark what helped): the requester
    (403 for a member)."""
    request = (
        requests_visible_to(user).select_related("group", "requester").filter(public_id=public_id).first()
    )
    if request is None:
        raise Http404
    if for_write and not is_requester(user, request):
        raise PermissionDenied
    return request


def access_meeting(user, public_id) -> IntervisionMeeting:
    """A meeting's page and room: members of its group and whoever manages the group."""
    meeting = IntervisionMeeting.objects.select_related("group").filter(public_id=public_id).first()
    if meeting is None:
        raise Http404
    if meeting.group_id in group_ids_of(user) or may_manage_group(user, meeting.group):
        return meeting
    raise Http404


def access_home(user) -> None:
    """Intervision is counseling work: staff whose roles have nothing to do with cases (online mentors)
    get 403, as for the case inbox (hub.roles.works_with_cases)."""
    if not works_with_cases(user):
        raise PermissionDenied


def access_case_for_request(user, public_id) -> Case:
    """Writing a request about a case: 404/403 exactly as for replying in it."""
    return case_access.access_case_staff(user, public_id, for_write=True)


def trainee_ids(user) -> set[int]:
    return case_access.mentee_ids(user)


def access_mentor_page(user) -> None:
    """The trainees' approval history: mentors (and whoever has trainees assigned)."""
    if not (has_role(user, Role.MENTOR) or trainee_ids(user)):
        raise PermissionDenied


def accounts_for_groups():
    """Who can be a member: counseling staff (counselors, trainees, mentors) with a profile."""
    return CounselorProfile.objects.filter(user__is_active=True).values_list("user_id", flat=True)
