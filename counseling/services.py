"""Everything that changes a case. Content is sealed before it reaches the database; notifications
leave after the transaction commits and never carry content."""

from django.db import transaction
from django.utils import timezone, translation

from counseling import absence, access, inbox, live_notices, routing, sealing, stats
from counseling.clock import answer_clock
from counseling.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseStatus,
    CounselorProfile,
    InternalNote,
    Message,
    MessageStatus,
)
from hub.roles import Role, has_role
from hub.services import user_notify
from hub.sockets import access_revoked
from hub.statistics import Channel, StatKind


def _federal_state(case: Case) -> str | None:
    return case.site.federal_state if case.site_id else None


def _start_clock(case: Case, received_at) -> None:
    """A message from the young person waits for an answer: 24 h reminder, 40 h escalation, 48 h due."""
    clock = answer_clock(received_at, federal_state=_federal_state(case))
    case.remind_at, case.escalate_at, case.answer_due_at = clock.remind_at, clock.escalate_at, clock.due_at
    case.reminded_at = case.escalated_at = None


def _stop_clock(case: Case) -> None:
    case.remind_at = case.escalate_at = case.answer_due_at = None


def _store_attachments(case: Case, message: Message, files, *, by) -> None:
    for clean in files:
        Attachment.objects.create(
            message=message,
            uploaded_by=by,
            name_sealed=sealing.seal(case, clean.name, purpose="attachment-name"),
            content_type=clean.content_type,
            size=len(clean.data),
            data_sealed=sealing.seal(case, clean.data, purpose="attachment"),
            duration_ms=clean.duration_ms,
        )


@transaction.atomic
def enquiry_create(
    *,
    youth=None,
    opened_by=None,
    topic,
    language,
    site=None,
    postcode="",
    country_of_residence="",
    body,
    files=(),
    idempotency_key=None,
):
    """A new enquiry with its first message; routed at once, or queued."""
    if idempotency_key and (existing := Message.objects.filter(idempotency_key=idempotency_key).first()):
        return existing.case
    now = timezone.now()
    # No site chosen: the team of the site nearest to the postcode comes first (and its holidays count).
    site = site or routing.nearest_site(postcode)
    case = Case(
        youth=youth,
        opened_by=opened_by,
        topic=topic,
        language=language,
        site=site,
        postcode=postcode,
        country_of_residence=country_of_residence,
        wrapped_key=sealing.new_wrapped_key(),
        last_message_at=now,
    )
    _start_clock(case, now)
    case.save()
    author = youth or opened_by
    message = Message.objects.create(
        case=case,
        author=author,
        body_sealed=sealing.seal(case, body, purpose="message"),
        idempotency_key=idempotency_key,
        published_at=now,
    )
    _store_attachments(case, message, files, by=author)
    stats.case_opened(case, channel=Channel.MAIL)
    stats.case_stat(StatKind.MESSAGE, case)
    routing.route_case(case)
    if case.counselor_id:
        _notify_staff(case, message)
    else:
        inbox.announce_to_queue(case=case)
    return case


@transaction.atomic
def message_send(*, case: Case, author, body: str, files=(), idempotency_key=None) -> Message:
    """A reply in the thread. From the young person it (re)starts the answer clock; from a counselor it
    stops it — unless the counselor is a trainee, whose reply waits for the mentor first."""
    if idempotency_key and (existing := Message.objects.filter(idempotency_key=idempotency_key).first()):
        return existing
    # A colleague of the partner who asked writes as a participant too (counseling/access.py).
    from_staff = not access.is_participant(author, case)
    pending = from_staff and has_role(author, Role.TRAINEE_COUNSELOR) and not has_role(author, Role.COUNSELOR)
    now = timezone.now()
    message = Message.objects.create(
        case=case,
        author=author,
        from_staff=from_staff,
        body_sealed=sealing.seal(case, body, purpose="message"),
        status=MessageStatus.PENDING if pending else MessageStatus.PUBLISHED,
        idempotency_key=idempotency_key,
        published_at=None if pending else now,
    )
    _store_attachments(case, message, files, by=author)
    if not pending:
        stats.case_stat(StatKind.MESSAGE, case)
        stats.case_activity(case, previous=case.last_message_at)
    if pending:
        _notify_mentor(case, message)
    elif from_staff:
        _published_staff_reply(case, message)
    else:
        case.last_message_at = now
        if case.answer_due_at is None:
            _start_clock(case, now)
        if case.status in (CaseStatus.WAITING, CaseStatus.CLOSED):
            case.status = CaseStatus.OPEN if case.answered_at else CaseStatus.NEW
        case.save()
        if case.counselor_id is None:
            routing.route_case(case)
        _notify_staff(case, message)
    return message


def _published_staff_reply(case: Case, message: Message) -> None:
    now = timezone.now()
    case.last_message_at = now
    if case.answered_at is None:
        stats.first_answer(case, answered_at=now)
    case.answered_at = case.answered_at or now
    case.status = CaseStatus.WAITING
    _stop_clock(case)
    case.save()
    _notify_participant(case, message)


@transaction.atomic
def message_approve(*, message: Message, mentor) -> Message:
    message.status = MessageStatus.PUBLISHED
    message.reviewed_by = mentor
    message.published_at = timezone.now()
    message.save(update_fields=["status", "reviewed_by", "published_at"])
    stats.case_stat(StatKind.MESSAGE, message.case)
    stats.case_activity(message.case, previous=message.case.last_message_at)
    _published_staff_reply(message.case, message)
    inbox.announce(user_ids=[message.author_id], kind=inbox.Change.CASE, case=message.case)
    return message


@transaction.atomic
def message_return(*, message: Message, mentor, comment: str) -> Message:
    message.status = MessageStatus.RETURNED
    message.reviewed_by = mentor
    message.review_comment = comment
    message.save(update_fields=["status", "reviewed_by", "review_comment"])
    inbox.announce(user_ids=[message.author_id], kind=inbox.Change.CASE, case=message.case)
    return message


def message_body(message: Message) -> str:
    return message_text(message.case, message.body_sealed)


def message_text(case: Case, body_sealed: bytes) -> str:
    """A message's body from its sealed column, for a page that reads messages as rows."""
    return sealing.unseal(case, body_sealed, purpose="message")


def note_add(*, case: Case, author, body: str) -> InternalNote:
    return InternalNote.objects.create(
        case=case, author=author, body_sealed=sealing.seal(case, body, purpose="note")
    )


def note_body(note: InternalNote) -> str:
    return sealing.unseal(note.case, note.body_sealed, purpose="note")


def attachment_name(attachment: Attachment) -> str:
    return sealing.unseal(attachment.message.case, attachment.name_sealed, purpose="attachment-name")


def attachment_data(attachment: Attachment) -> bytes:
    return sealing.unseal_bytes(attachment.message.case, attachment.data_sealed, purpose="attachment")


@transaction.atomic
def case_set_status(*, case: Case, status: str, actor) -> Case:
    case.status = status
    if status == CaseStatus.CLOSED:
        _stop_clock(case)
        case.closed_at = timezone.now()
    case.save()
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STATUS, actor=actor, status=status)
    if status == CaseStatus.CLOSED:
        access_revoked(case_ids=[case.pk], reason="closed")  # a closed case has no live room
        _after_capacity_freed()
    return case


def case_set_labels(*, case: Case, labels) -> Case:
    case.labels.set(labels)
    return case


@transaction.atomic
def case_take(*, case: Case, counselor) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.counselor_id is not None:
        raise CaseAlreadyTaken
    routing.assign(locked, counselor, actor=counselor, kind=CaseEvent.Kind.TAKEN)
    inbox.announce_to_queue(case=locked, kind=inbox.Change.TAKEN)  # gone from the colleagues' queue
    return locked


class CaseAlreadyTaken(Exception):
    """Someone else took the case from the queue first."""


@transaction.atomic
def case_handover(*, case: Case, actor, counselor=None, site=None, note: str = "") -> Case:
    """To a colleague, or to another site (whose team routing then prefers). The note stays internal.
    The previous counselor's open sockets of the case check their access again after commit."""
    access_revoked(case_ids=[case.pk], reason="handover")
    inbox.announce(user_ids=[case.counselor_id], kind=inbox.Change.CASE, case=case)  # the row leaves
    if note:
        note_add(case=case, author=actor, body=note)
    if site is not None and site.pk != case.site_id:
        # Without a colleague named, the case waits for that site's team only: not back to whoever had it.
        previous = case.counselor_id
        case.site, case.counselor = site, None
        case.team_only, case.handed_over_from_id = counselor is None, previous
        case.save(update_fields=["site", "counselor", "team_only", "handed_over_from"])
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.HANDOVER, actor=actor, site=site)
        if counselor is None:
            routing.route_case(case, actor=actor)
    if counselor is not None:
        routing.assign(case, counselor, actor=actor, kind=CaseEvent.Kind.HANDOVER)
    _notify_staff(case, None)  # its new counselor, or (still waiting) whose queue box now shows it
    _after_capacity_freed()
    return case


def case_delete(*, case: Case) -> None:
    """The key goes first: whatever copy of the sealed rows survives (a backup) stays unreadable."""
    with transaction.atomic():
        access_revoked(case_ids=[case.pk], reason="deleted")
        sealing.destroy_key(case)
        case.delete()
    _after_capacity_freed()


@transaction.atomic
def absence_set(
    *, user, is_absent: bool, message: str = "", until=None, message_language: str = ""
) -> CounselorProfile:
    """The one way to set an absence; what it means is counseling/absence.py. `until` is the day the
    counselor is back. The message is kept in the counselor's words, with the language it is in."""
    profile, _created = CounselorProfile.objects.get_or_create(user=user)
    profile.is_absent, profile.absence_message, profile.absent_until = is_absent, message, until
    profile.absence_message_language = message_language or translation.get_language() or ""
    profile.save(update_fields=["is_absent", "absence_message", "absent_until", "absence_message_language"])
    transaction.on_commit(absence.spoken_languages_changed)
    live_notices.absence_announce(counselor_id=user.pk)
    if not is_absent:
        _after_capacity_freed()
    return profile


def _after_capacity_freed() -> None:
    from counseling.tasks import route_queue

    transaction.on_commit(route_queue.delay)


def _notify_staff(case: Case, message: Message | None) -> None:
    from counseling.tasks import notify_counselor

    counselor_id = case.counselor_id
    if counselor_id is None:  # waits in the queue (again): every counselor of its language hears of it
        inbox.announce_to_queue(case=case)
        return
    user_notify(user_id=counselor_id, event={"kind": "case", "case": str(case.public_id)})
    transaction.on_commit(lambda: notify_counselor.delay(case.pk, counselor_id))


def _notify_mentor(case: Case, message: Message) -> None:
    from counseling.tasks import notify_mentor

    inbox.announce_to_mentor(message=message)
    transaction.on_commit(lambda: notify_mentor.delay(message.pk))


def _push_participant(case: Case) -> None:
    """The young person's devices where they switched on "tell me on this device" (hub/push.py)."""
    from hub.tasks import push_new_message

    if case.youth_id is not None:
        transaction.on_commit(lambda: push_new_message.delay(case.youth_id))


def _notify_participant(case: Case, message: Message) -> None:
    from counseling.partners.selectors import member_ids
    from counseling.tasks import notify_participant

    for user_id in {case.youth_id, case.opened_by_id, *member_ids(case)} - {None}:
        user_notify(user_id=user_id, event={"kind": "reply", "case": str(case.public_id)})
    transaction.on_commit(lambda: notify_participant.delay(case.pk))
    _push_participant(case)
