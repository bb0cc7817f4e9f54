"""Writes of intervision: groups and members, requests, answers, meetings. Each change is audited
(hub/audit.py) with ids only; a request's audit entries name the request, never its case."""

from dataclasses import dataclass

from django.db import transaction

from counseling import access as case_access
from counseling.intervision import identifying
from counseling.intervision.models import (
    IntervisionAnswer,
    IntervisionGroup,
    IntervisionMeeting,
    IntervisionMember,
    IntervisionRequest,
)
from counseling.models import Case
from hub.audit import AuditAction, audit_record
from hub.sealed import new_wrapped_key, seal, unseal
from hub.sockets import access_revoked


@dataclass
class IdentifyingDetails(Exception):
    """The excerpt or question still holds something that could identify someone."""

    flags: list


def case_known_data(case: Case) -> list[str]:
    """What the case itself knows about the people in it: the young person's username, the counselor's
    name, the site's town and street, a partner's organisation (an excerpt quoting them would lead back to
    the case)."""
    known = []
    if case.youth_id and case.youth:
        known.append(case.youth.username)
    if case.counselor_id and case.counselor:
        known += [
            case.counselor.get_full_name(),
            *case.counselor.get_full_name().split(),
            case.counselor.username,
        ]
    if case.site_id and case.site:
        known += [case.site.town, case.site.street.rsplit(" ", 1)[0], case.site.postcode]
    enquiry = case_access.partner_enquiry_of(case)
    if enquiry is not None:  # a network partner's enquiry: the organisation names the client's town
        known.append(enquiry.organisation.name)
    return [value for value in known if value]


def identifying_flags(case: Case, text: str, *, language: str) -> list[identifying.Flag]:
    return identifying.flags_in(
        text, language=language, known=case_known_data(case), towns=identifying.site_towns()
    )


@transaction.atomic
def request_create(
    *, requester, case: Case, group: IntervisionGroup, topic: str, language: str, excerpt: str, question: str
) -> IntervisionRequest:
    """Refuses (IdentifyingDetails) while a flag remains: the form checks first, this is the guard."""
    flags = identifying_flags(case, excerpt, language=case.language) + identifying_flags(
        case, question, language=language
    )
    if flags:
        raise IdentifyingDetails(flags)
    request = IntervisionRequest(
        group=group,
        requester=requester,
        case=case,
        topic=topic,
        language=language,
        wrapped_key=new_wrapped_key(),
    )
    request.excerpt_sealed = seal(request, excerpt, purpose="intervision-excerpt")
    request.question_sealed = seal(request, question, purpose="intervision-question")
    request.save()
    _audit(requester, AuditAction.INTERVISION_POSTED, "intervision_request", request.public_id, "request")
    return request


def request_excerpt(request: IntervisionRequest) -> str:
    return unseal(request, request.excerpt_sealed, purpose="intervision-excerpt")


def request_question(request: IntervisionRequest) -> str:
    return unseal(request, request.question_sealed, purpose="intervision-question")


def request_opened(*, request: IntervisionRequest, reader) -> None:
    _audit(reader, AuditAction.INTERVISION_OPEN, "intervision_request", request.public_id)


def answer_add(*, request: IntervisionRequest, author, body: str) -> IntervisionAnswer:
    answer = IntervisionAnswer.objects.create(
        request=request, author=author, body_sealed=seal(request, body, purpose="intervision-answer")
    )
    _audit(author, AuditAction.INTERVISION_POSTED, "intervision_request", request.public_id, "answer")
    return answer


def answer_body(answer: IntervisionAnswer) -> str:
    return unseal(answer.request, answer.body_sealed, purpose="intervision-answer")


def answer_mark(*, answer: IntervisionAnswer, helped: bool, actor) -> None:
    IntervisionAnswer.objects.filter(pk=answer.pk).update(helped=helped)
    detail = f"answer {answer.pk} {'helped' if helped else 'unmarked'}"
    _audit(actor, AuditAction.INTERVISION_POSTED, "intervision_request", answer.request.public_id, detail)


@transaction.atomic
def group_create(*, actor, name: str, kind: str, provider_group=None, language: str = "", mentor=None):
    group = IntervisionGroup.objects.create(
        name=name,
        kind=kind,
        provider_group=provider_group,
        language=language,
        mentor=mentor,
        created_by=actor,
    )
    if mentor is not None:
        IntervisionMember.objects.get_or_create(group=group, user=mentor)
    _audit(actor, AuditAction.INTERVISION_CHANGED, "intervision_group", group.pk, "created")
    return group


def member_add(*, group: IntervisionGroup, user, actor) -> None:
    _member, created = IntervisionMember.objects.get_or_create(group=group, user=user)
    if created:
        _audit(
            actor, AuditAction.INTERVISION_CHANGED, "intervision_group", group.pk, f"member {user.pk} added"
        )


def member_remove(*, group: IntervisionGroup, user_id: int, actor) -> None:
    if IntervisionMember.objects.filter(group=group, user_id=user_id).delete()[0]:
        # Their open meeting video sockets check again and close (counseling/intervision/consumers.py).
        access_revoked(user_ids=[user_id], reason="removed")
        _audit(
            actor, AuditAction.INTERVISION_CHANGED, "intervision_group", group.pk, f"member {user_id} removed"
        )


def meeting_schedule(*, group: IntervisionGroup, title: str, starts_at, ends_at, actor) -> IntervisionMeeting:
    meeting = IntervisionMeeting.objects.create(
        group=group, title=title, starts_at=starts_at, ends_at=ends_at, created_by=actor
    )
    _audit(actor, AuditAction.INTERVISION_CHANGED, "intervision_group", group.pk, f"meeting {meeting.pk}")
    return meeting


def _audit(actor, action, target_type, target_id, detail=""):
    audit_record(actor=actor, action=action, target_type=target_type, target_id=target_id, detail=detail)
