"""Who may see and do what with a case. Every view and task goes through here.

- The young person who asked (or the network partner who opened it for a client) sees the published
  thread of their own cases; anyone else gets 404, so case ids do not leak.
- Staff open a case when it is assigned to them, when they mentor its counselor, or when they work at
  its site (counselor or lead). Coordinators do not read case content by default.
- Every staff opening is written to the audit log by the view that opens it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from counseling import routing
from counseling.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseStatus,
    CaseTombstone,
    CounselorProfile,
    Message,
    MessageStatus,
)
from hub.roles import Role, has_role
from sites.models import Site


def _case(public_id) -> Case:
    case = Case.objects.select_related("site", "counselor", "youth").filter(public_id=public_id).first()
    if case is None:
        raise Http404
    return case


def is_participant(user, case: Case) -> bool:
    return user.is_authenticated and user.pk in (case.youth_id, case.opened_by_id)


def access_case_participant(user, public_id) -> Case:
    case = _case(public_id)
    if not is_participant(user, case):
        raise Http404
    return case


def _cached(user, name: str, read):
    # Read once per request-bound user object (like hub.roles.user_roles): an inbox page asks for every
    # row, and the case page's forms ask again.
    cache = user.__dict__.setdefault("_counseling_scope", {})
    if name not in cache:
        cache[name] = read()
    return cache[name]


def staff_site_ids(user) -> set[int]:
    """Sites where the user counsels or leads (guardian object permissions)."""
    from guardian.shortcuts import get_objects_for_user

    def read():
        sites = get_objects_for_user(
            user,
            ["sites.counsel_at_site", "sites.lead_site"],
            klass=Site,
            any_perm=True,
            with_superuser=False,
        )
        return set(sites.values_list("pk", flat=True))

    return _cached(user, "sites", read)


def lead_site_ids(user) -> set[int]:
    from guardian.shortcuts import get_objects_for_user

    def read():
        sites = get_objects_for_user(user, "sites.lead_site", klass=Site, with_superuser=False)
        return set(sites.values_list("pk", flat=True))

    return _cached(user, "lead_sites", read)


def mentee_ids(user) -> set[int]:
    return _cached(
        user,
        "mentees",
        lambda: set(CounselorProfile.objects.filter(mentor=user).values_list("user_id", flat=True)),
    )


def may_open_case(user, case: Case) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if case.counselor_id is not None and case.counselor_id == user.pk:
        return True
    if case.counselor_id is not None and case.counselor_id in mentee_ids(user):
        return True
    return case.site_id is not None and case.site_id in staff_site_ids(user)


def access_case_staff(user, public_id) -> Case:
    case = _case(public_id)
    if not may_open_case(user, case):
        raise PermissionDenied
    return case


def may_manage_assignment(user, case: Case) -> bool:
    """Reassign or hand over: the assigned counselor, a lead of the case's site, or a coordinator
    (who reassigns from the inbox without reading the content)."""
    if case.counselor_id == user.pk or has_role(user, Role.COORDINATOR):
        return True
    return case.site_id is not None and case.site_id in lead_site_ids(user)


def may_work_case(user, case: Case) -> bool:
    """Reply, change status and labels: counseling staff who may open the case (not a lead alone)."""
    return may_open_case(user, case) and routing.counsels(user)


def access_case_staff_write(user, public_id) -> Case:
    case = access_case_staff(user, public_id)
    if not may_work_case(user, case):
        raise PermissionDenied
    return case


def access_case_assignment(user, public_id) -> Case:
    """For handing a case over. Shows no content, so a coordinator may do it without opening the case."""
    case = _case(public_id)
    if not may_manage_assignment(user, case):
        raise PermissionDenied
    return case


def access_case_to_take(user, public_id) -> Case:
    """A case from the user's queue. Also returned when a colleague was quicker (it was queued and the
    user speaks its language), so the view can say so; any other case is 403."""
    case = _case(public_id)
    if case.status == CaseStatus.CLOSED or not routing.could_take(user, case):
        raise PermissionDenied
    if case.counselor_id is not None and not case.events.filter(kind=CaseEvent.Kind.QUEUED).exists():
        raise PermissionDenied
    return case


def may_see_escalated(user) -> bool:
    return has_role(user, Role.COORDINATOR) or has_role(user, Role.SITE_LEAD)


def may_review(user) -> bool:
    return has_role(user, Role.MENTOR) or bool(mentee_ids(user))


def access_message_review(user, message_id) -> Message:
    """A trainee's reply, for their mentor only."""
    message = Message.objects.select_related("case", "author").filter(pk=message_id).first()
    if message is None:
        raise Http404
    if message.author_id not in mentee_ids(user):
        raise PermissionDenied
    return message


def cases_for_staff(user):
    """Every case the user may open: assigned, mentees', or of their sites."""
    return Case.objects.filter(
        Q(counselor=user) | Q(counselor_id__in=mentee_ids(user)) | Q(site_id__in=staff_site_ids(user))
    )


def access_attachment(user, public_id) -> tuple[Attachment, bool]:
    """The attachment and whether the reader is staff (staff reads are audited)."""
    attachment = Attachment.objects.select_related("message__case").filter(public_id=public_id).first()
    if attachment is None:
        raise Http404
    message = attachment.message
    if is_participant(user, message.case):
        if message.status != MessageStatus.PUBLISHED and message.author_id != user.pk:
            raise Http404
        return attachment, False
    if may_open_case(user, message.case):
        return attachment, True
    raise Http404


def access_case_tombstone(user, public_id) -> CaseTombstone:
    """What is left of a case whose young person deleted their account: for its counselor, the staff of
    its site and coordinators; anyone else gets the same 404 as for a case that never existed."""
    tombstone = CaseTombstone.objects.filter(public_id=public_id).select_related("site").first()
    if tombstone is None:
        raise Http404
    if tombstone.counselor_id == user.pk or has_role(user, Role.COORDINATOR):
        return tombstone
    if tombstone.site_id is not None and tombstone.site_id in staff_site_ids(user) | lead_site_ids(user):
        return tombstone
    raise Http404
