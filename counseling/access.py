"""Who may see and do what with a case, a live chat, a chat round and a callback request. Every view,
consumer (counseling/consumers.py, on connect and before each event) and task goes through here.

- `access_<thing>(user, id, *, for_write=False)` returns the object, or raises Http404 when the user may
  not see it (so ids do not leak: the same answer as for an id that never existed) and PermissionDenied
  only when they may see it but not do this. Lists use `<thing>s_visible_to(user)`.
- The young person who asked (or the network partner who opened it for a client) sees the published
  thread of their own cases. A partner enquiry (counseling/partners/) belongs to the partner's
  organisation: every partner account of that organisation sees and answers it, no one else.
- Staff open a case when it is assigned to them, when they mentor its counselor, or when they work at
  its site (counselor or lead). Coordinators do not read case content by default.
- The live room of a case (chat lines, typing, video signalling on /ws/cases/<id>/) is for its young
  person and its own counselor while they counsel, and only while the case is not closed.
- Every staff opening is written to the audit log by the view that opens it.
- When access ends (handover, closing, deletion, role or site changes, deactivation, logout) the
  service that ends it calls `hub.sockets.access_revoked`, so open sockets check again at once.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.http import Http404

from counseling import routing
from counseling.models import (
    Attachment,
    CallbackRequest,
    CallbackStatus,
    Case,
    CaseEvent,
    CaseStatus,
    CaseTombstone,
    Chat,
    ChatRound,
    ChatStatus,
    CounselorProfile,
    Message,
    MessageStatus,
    RoundParticipant,
    RoundStatus,
)
from counseling.partners.models import PartnerEnquiry, PartnerMembership
from hub.prepared import PreparedRead
from hub.roles import Role, has_role
from sites.models import Site

SITE_PERMISSIONS = ("counsel_at_site", "lead_site")  # guardian codenames on sites.Site


# What the case pages read with the case. The chat too: they show its button, and a join costs less than
# another query.
CASE_RELATED = ("site", "counselor", "youth", "partner_enquiry__organisation", "chat")


# The lookup of every case page, with its SQL built once per process for each set of related rows
# (hub/prepared.py): building it cost more CPU than PostgreSQL took to answer it (issue 19).
_CASE_READS: dict[tuple[str, ...], PreparedRead] = {}


def _case_read(related: tuple[str, ...]) -> PreparedRead:
    read = _CASE_READS.get(related)
    if read is None:

        def build(public_id):
            # No related rows asked for: the row alone (select_related() without names would join all).
            cases = Case.objects.select_related(*related) if related else Case.objects.all()
            return cases.filter(public_id=public_id).order_by()[:1]

        read = _CASE_READS[related] = PreparedRead(Case, build, public_id=uuid.UUID)
    return read


def _case(public_id, related: tuple[str, ...] = CASE_RELATED, read: PreparedRead | None = None) -> Case:
    try:
        public_id = public_id if isinstance(public_id, uuid.UUID) else uuid.UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    case = next(iter((read or _case_read(related)).objects(public_id=public_id)), None)
    if case is None:
        raise Http404
    return case


def is_participant(user, case: Case) -> bool:
    """The young person of the case; for a partner enquiry every partner of its organisation (and no
    longer the partner who asked once they work for another); else the partner who opened it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if case.youth_id is not None:  # a young person's case is never a partner enquiry: no query
        return user.pk == case.youth_id
    enquiry = partner_enquiry_of(case)
    if enquiry is not None:
        return enquiry.organisation_id == partner_organisation_id(user)
    return user.pk == case.opened_by_id


def may_see_case(user, case: Case) -> bool:
    return is_participant(user, case) or may_open_case(user, case)


def access_case_participant(user, public_id, *, read: PreparedRead | None = None) -> Case:
    """`read`: the caller's own read of the case by its public_id (a PreparedRead of Case with the marker
    `public_id`, one row), for a page that reads what it states about the case in the same statement (the
    young person's case page: counseling/youth_case_page.py CASE). Who may see the case does not depend
    on it: a denied person gets the same 404, and what was read with the case is dropped with it."""
    case = _case(public_id, read=read)
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


def _site_permissions(user) -> dict[str, set[int]]:
    """The sites where the user holds "counsels at" and "leads" (guardian object permissions, their own
    and their groups'), both in one query: what guardian's get_objects_for_user gave, without building
    its two querysets per set (about 5 ms of an inbox page). Only sites that exist, as there."""

    def read():
        from guardian.models import GroupObjectPermission, UserObjectPermission

        shown = {
            "permission__content_type": ContentType.objects.get_for_model(Site),
            "permission__codename__in": SITE_PERMISSIONS,
            "object_pk__in": Site.objects.annotate(key=Cast("pk", CharField())).values("key"),
        }
        own = UserObjectPermission.objects.filter(user=user, **shown)
        groups = GroupObjectPermission.objects.filter(group__user=user, **shown)
        fields = ("object_pk", "permission__codename")
        held = {codename: set() for codename in SITE_PERMISSIONS}
        for object_pk, codename in own.values_list(*fields).union(groups.values_list(*fields), all=True):
            held[codename].add(int(object_pk))
        return held

    return _cached(user, "site_permissions", read)


def staff_site_ids(user) -> set[int]:
    """Sites where the user counsels or leads (guardian object permissions)."""
    return _cached(user, "sites", lambda: set().union(*_site_permissions(user).values()))


def lead_site_ids(user) -> set[int]:
    return _site_permissions(user)["lead_site"]


def counsel_site_ids(user) -> set[int]:
    return _site_permissions(user)["counsel_at_site"]


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


def access_case_staff(user, public_id, *, for_write: bool = False) -> Case:
    """The staff case page (read) and its actions (write: reply, status, labels)."""
    case = _case(public_id)
    if not may_open_case(user, case):
        raise Http404
    if for_write and not may_work_case(user, case):
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


def access_case_assignment(user, public_id) -> Case:
    """For handing a case over. Shows no content, so a coordinator may do it without opening the case."""
    case = _case(public_id)
    if may_manage_assignment(user, case):
        return case
    if may_open_case(user, case):
        raise PermissionDenied
    raise Http404


def _in_queue_of(user, case: Case) -> bool:
    """Queued (now, or until a colleague took it) in a language the user counsels in."""
    if case.status == CaseStatus.CLOSED or not routing.could_take(user, case):
        return False
    return case.counselor_id is None or case.events.filter(kind=CaseEvent.Kind.QUEUED).exists()


def access_case_to_take(user, public_id) -> Case:
    """A case from the user's queue. Also returned when a colleague was quicker (it was queued and the
    user speaks its language), so the view can say so. A case they may open but not take is 403."""
    case = _case(public_id)
    if _in_queue_of(user, case):
        return case
    if may_open_case(user, case):
        raise PermissionDenied
    raise Http404


# --- the live room of a case: /ws/cases/<id>/, the chat pages ---------------------------------------------


def is_live_member(user, case: Case) -> bool:
    """Takes part in the case's live room: its young person, or its own counselor while they counsel."""
    if is_participant(user, case):
        return True
    return (
        case.counselor_id is not None
        and case.counselor_id == user.pk
        and user.is_active
        and routing.counsels(user)
    )


def access_case_live(user, public_id) -> Case:
    """The case's websocket: 404 for a case the user may not see; 403 while they may see it but not
    take part, or once the case is closed."""
    # The row alone (no related rows, unlike the pages' _case): a socket asks again every RECHECK_SECONDS
    # and nothing here reads them (a partner enquiry's are fetched by is_participant when it asks). Its
    # SQL built once (hub/prepared.py): every socket's connect asks twice (hub/sockets.py).
    case = _case(public_id, ())
    if not may_see_case(user, case):
        raise Http404
    if not is_live_member(user, case):
        raise PermissionDenied
    if case.status == CaseStatus.CLOSED:
        raise PermissionDenied("closed")  # the reason a socket closed by a later check gives the page
    return case


def access_chat(user, public_id, *, for_write: bool = False) -> Chat:
    """A live chat (by its case's id). Read: the young person and the case's counselor (the transcript
    stays readable after the end). Write (end, convert, offer an appointment): the young person, or the
    counselor while they hold the counselor role. Staff who may open the case otherwise get 403."""
    live = Chat.objects.select_related("case", "case__counselor").filter(case__public_id=public_id).first()
    if live is None or not may_see_case(user, live.case):
        raise Http404
    if is_participant(user, live.case):
        return live
    if live.case.counselor_id == user.pk and (not for_write or has_role(user, Role.COUNSELOR)):
        return live
    raise PermissionDenied


def chats_waiting_for(user):
    """The waiting room as a counselor sees it: waiting chats in their languages, longest-waiting first."""
    if not has_role(user, Role.COUNSELOR):
        return Chat.objects.none()
    profile = CounselorProfile.objects.filter(user=user).first()
    languages = profile.languages if profile else []
    return (
        Chat.objects.filter(status=ChatStatus.WAITING, case__language__in=languages)
        .select_related("case")
        .order_by("requested_at")
    )


def access_chat_to_accept(user, public_id) -> Chat:
    """A chat from the user's waiting room; also when a colleague was quicker (same language), so the
    view can say so. Any other chat is 404, or 403 for one whose case they may open."""
    live = Chat.objects.select_related("case").filter(case__public_id=public_id).first()
    if live is None:
        raise Http404
    profile = CounselorProfile.objects.filter(user=user).first()
    if has_role(user, Role.COUNSELOR) and profile and live.case.language in profile.languages:
        return live
    if may_see_case(user, live.case):
        raise PermissionDenied
    raise Http404


# --- chat rounds ---------------------------------------------------------------------------------------


def round_participant(chat_round: ChatRound, user) -> RoundParticipant | None:
    if not user.is_authenticated:
        return None
    return RoundParticipant.objects.filter(round=chat_round, user=user).first()


def may_take_part(user, chat_round: ChatRound) -> bool:
    """The moderator, or a participant who was not removed; never once the round is closed."""
    if chat_round.status == RoundStatus.CLOSED or not user.is_authenticated or not user.is_active:
        return False
    if user.pk == chat_round.moderator_id:
        return True
    participant = round_participant(chat_round, user)
    return participant is not None and participant.removed_at is None


def access_round(user, public_id, *, for_write: bool = False) -> ChatRound:
    """Anyone with its link sees a round's page (404 only for a round that does not exist); running it
    (the moderator's room, opening, closing, removing someone) is its moderator's alone (403)."""
    chat_round = ChatRound.objects.filter(public_id=public_id).first()
    if chat_round is None:
        raise Http404
    if for_write and chat_round.moderator_id != user.pk:
        raise PermissionDenied
    return chat_round


def access_round_live(user, public_id) -> ChatRound:
    """The round's websocket: its moderator and its participants who were not removed (else 403)."""
    chat_round = access_round(user, public_id)
    if not may_take_part(user, chat_round):
        raise PermissionDenied
    return chat_round


# --- callback requests ----------------------------------------------------------------------------------


def callbacks_visible_to(user):
    """Counseling staff see the requests in the languages they counsel in, and the ones they took."""
    if not routing.counsels(user):
        return CallbackRequest.objects.none()
    profile = CounselorProfile.objects.filter(user=user).first()
    languages = profile.languages if profile else []
    return CallbackRequest.objects.filter(Q(case__language__in=languages) | Q(taken_by=user))


def access_callback(user, public_id, *, for_write: bool = False) -> CallbackRequest:
    """Read (and taking it: the service tells who was first): in the user's list. Write (record the
    outcome, which shows and then deletes the number): only the counselor who took it, while taken."""
    callback = callbacks_visible_to(user).select_related("case").filter(public_id=public_id).first()
    if callback is None:
        raise Http404
    if for_write and (callback.taken_by_id != user.pk or callback.status != CallbackStatus.TAKEN):
        raise PermissionDenied
    return callback


def may_see_escalated(user) -> bool:
    return has_role(user, Role.COORDINATOR) or has_role(user, Role.SITE_LEAD)


def may_review(user) -> bool:
    return has_role(user, Role.MENTOR) or bool(mentee_ids(user))


def access_message_review(user, message_id) -> Message:
    """A trainee's reply, for their mentor only."""
    message = Message.objects.select_related("case", "author").filter(pk=message_id).first()
    if message is None:
        raise Http404
    if message.author_id in mentee_ids(user):
        return message
    if may_see_case(user, message.case):
        raise PermissionDenied
    raise Http404


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


# --- network partners' enquiries (counseling/partners/) --------------------------------------------------


def partner_enquiry_of(case: Case) -> PartnerEnquiry | None:
    try:
        return case.partner_enquiry
    except PartnerEnquiry.DoesNotExist:
        return None


def partner_organisation_id(user) -> int | None:
    """The organisation of a network partner's account; None without the role or an organisation."""
    if not user.is_authenticated or not has_role(user, Role.NETWORK_PARTNER):
        return None
    return _cached(
        user,
        "partner_organisation",
        lambda: PartnerMembership.objects.filter(user=user).values_list("organisation_id", flat=True).first(),
    )


def partner_enquiries_visible_to(user):
    """The enquiries of the partner's organisation, whoever of it asked."""
    organisation_id = partner_organisation_id(user)
    if organisation_id is None:
        return Case.objects.none()
    return Case.objects.filter(partner_enquiry__organisation_id=organisation_id)


def access_partner_enquiry(user, public_id) -> Case:
    """A partner enquiry of the user's organisation (read and reply); any other case is 404."""
    case = (
        partner_enquiries_visible_to(user)
        .select_related("counselor", "partner_enquiry__organisation")
        .filter(public_id=public_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def access_partner_enquiry_staff(user, public_id) -> Case:
    """Referring the client to the youth channel: staff who may work the case (404/403 as for a reply),
    and only for a partner enquiry (404 for any other case)."""
    case = access_case_staff(user, public_id, for_write=True)
    if partner_enquiry_of(case) is None:
        raise Http404
    return case


# --- voice messages (counseling/voice.py) ---------------------------------------------------------------


def access_voice_summary(user, public_id) -> Attachment:
    """Writing a voice message's summary for the record: staff who may work the case (the case page's
    own rule: 404 for who may not open it, 403 for who may open but not work it); never the young person."""
    attachment = (
        Attachment.objects.select_related("message__case", "message__author")
        .filter(public_id=public_id, content_type__startswith="audio/")
        .first()
    )
    if attachment is None:
        raise Http404
    case = access_case_staff(user, attachment.message.case.public_id, for_write=True)
    attachment.message.case = case
    return attachment
