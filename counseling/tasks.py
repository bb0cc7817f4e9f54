"""Counseling jobs: notices (never content, never the topic), the answer clock's reminders and
escalations, and handing out queued cases. Every job is safe to run twice: rows are claimed by a
conditional UPDATE before anything is sent."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from guardian.shortcuts import get_users_with_perms

from counseling import access, routing
from counseling.models import OPEN_STATUSES, Case, CaseEvent, CounselorProfile, Message
from hub.roles import Role
from hub.youth_mail import youth_language, youth_link, youth_mail_send


def _mail(*, to: list[str], template: str, context: dict, language: str) -> None:
    if not to:
        return
    with translation.override(language if language in dict(settings.LANGUAGES) else "de"):
        EmailMessage(
            subject=render_to_string(f"counseling/mail/{template}_subject.txt", context).strip(),
            body=render_to_string(f"counseling/mail/{template}.txt", context),
            from_email=settings.NEUTRAL_FROM_EMAIL,
            to=to,
        ).send()


def _staff_link(case: Case) -> str:
    return settings.SITE_URL + reverse("counseling_staff:case", args=[case.public_id])


@shared_task(name="counseling.notify_counselor", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_counselor(case_id: int, counselor_id: int | None) -> bool:
    case = Case.objects.filter(pk=case_id).first()
    user = get_user_model().objects.filter(pk=counselor_id, is_active=True).first() if counselor_id else None
    # Handed on again before this ran: only someone who may still open the case hears of it.
    if case is None or user is None or not user.email or not access.may_open_case(user, case):
        return False
    _mail(to=[user.email], template="staff_new_message", context={"link": _staff_link(case)}, language="de")
    return True


@shared_task(name="counseling.notify_mentor", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_mentor(message_id: int) -> bool:
    message = Message.objects.select_related("case").filter(pk=message_id).first()
    profile = (
        CounselorProfile.objects.select_related("mentor").filter(user_id=message.author_id).first()
        if message
        else None
    )
    mentor = profile.mentor if profile else None
    if mentor is None or not mentor.email:
        return False
    context = {"link": settings.SITE_URL + reverse("counseling_staff:approvals")}
    _mail(to=[mentor.email], template="staff_approval", context=context, language="de")
    return True


@shared_task(name="counseling.notify_participant", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_participant(case_id: int) -> bool:
    """ "You have a new reply" – to the young person (or partner) only if they gave an address (user.email
    is set once the address is confirmed), in the language they last used, linking to the page in it."""
    case = Case.objects.select_related("youth", "opened_by").filter(pk=case_id).first()
    if case is None:
        return False
    recipients = [user for user in (case.youth, case.opened_by) if user is not None and user.email]
    for user in recipients:
        language = youth_language(user, case.language)
        link = youth_link("counseling:case", language=language, args=[case.public_id])
        youth_mail_send(
            to=user.email, template="counseling/mail/reply_notice", context={"link": link}, language=language
        )
    return bool(recipients)


@shared_task(name="counseling.check_answer_clock")
def check_answer_clock() -> dict:
    """Remind the counselor at 24 h, escalate to the site's leads and the coordinators at 40 h."""
    now = timezone.now()
    reminded = escalated = 0
    due = Case.objects.filter(status__in=OPEN_STATUSES, answer_due_at__isnull=False)
    for case in due.filter(remind_at__lte=now, reminded_at=None, counselor__isnull=False).select_related(
        "counselor"
    ):
        if Case.objects.filter(pk=case.pk, reminded_at=None).update(reminded_at=now):
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REMINDED, counselor=case.counselor)
            if case.counselor.email:
                _mail(
                    to=[case.counselor.email],
                    template="staff_reminder",
                    context={"link": _staff_link(case), "case": case},
                    language="de",
                )
            reminded += 1
    for case in due.filter(escalate_at__lte=now, escalated_at=None).select_related("site"):
        if Case.objects.filter(pk=case.pk, escalated_at=None).update(escalated_at=now):
            CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.ESCALATED, site=case.site)
            _mail(
                to=escalation_recipients(case),
                template="staff_escalation",
                context={
                    "link": settings.SITE_URL + reverse("counseling_staff:inbox") + "?box=escalated",
                    "case": case,
                },
                language="de",
            )
            escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def escalation_recipients(case: Case) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.COORDINATOR)
    addresses = set(users.exclude(email="").values_list("email", flat=True))
    if case.site is not None:
        leads = get_users_with_perms(case.site, only_with_perms_in=["lead_site"], with_superusers=False)
        addresses |= set(leads.filter(is_active=True).exclude(email="").values_list("email", flat=True))
    return sorted(addresses)


@shared_task(name="counseling.route_queue")
def route_queue() -> int:
    return routing.route_queue()


@shared_task(name="counseling.purge_callback_numbers")
def purge_callback_numbers() -> int:
    from hub.retention import retention_run

    return retention_run(trigger="beat", keys=["callback_numbers"]).total


@shared_task(name="counseling.purge_guests")
def purge_guests() -> int:
    from hub.retention import retention_run

    return retention_run(trigger="beat", keys=["guest_chats"]).total


@shared_task(name="counseling.close_chat_rounds")
def close_chat_rounds() -> int:
    from counseling.rounds import close_overdue_rounds

    return close_overdue_rounds(now=timezone.now())


@shared_task(name="counseling.end_abandoned_chats")
def end_abandoned_chats() -> int:
    from counseling.chat_presence import end_abandoned_chats as end

    return end(now=timezone.now())


@shared_task(name="counseling.notify_arrival", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def notify_arrival(case_id: int, counselor_id: int) -> bool:
    """The counselor who had a case hears that its young person arrived in Germany and that the case went
    to the local JMD (counseling/arrival.py): the case number and the site, no content."""
    from counseling.arrival import arrival_event

    case = Case.objects.filter(pk=case_id).first()
    user = get_user_model().objects.filter(pk=counselor_id, is_active=True).first()
    event = arrival_event(case) if case is not None else None
    if event is None or user is None or not user.email:
        return False
    context = {
        "case": case.public_id.hex[:8],
        "site": event.site.name if event.site else "",
        "link": _staff_link(case) if access.may_open_case(user, case) else "",
    }
    _mail(to=[user.email], template="staff_arrival", context=context, language="de")
    return True
