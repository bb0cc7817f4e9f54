from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from sites.appointments import manage_token
from sites.ics import calendar
from sites.models import (
    ACTIVE_APPOINTMENT,
    Appointment,
    GroupParticipation,
    GroupSession,
    ParticipationStatus,
)


@shared_task(name="sites.send_appointment_mail", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_appointment_mail(appointment_id: int, event: str) -> bool:
    """A neutral mail: when and where, never a topic. Only for young people who gave an address."""
    appointment = Appointment.objects.select_related("site", "youth").filter(pk=appointment_id).first()
    if appointment is None or not appointment.youth.email:
        return False
    with translation.override(
        appointment.language if appointment.language in dict(settings.LANGUAGES) else "de"
    ):
        link = settings.SITE_URL + reverse("sites:appointment_manage", args=[manage_token(appointment)])
        context = {"appointment": appointment, "event": event, "link": link}
        message = EmailMessage(
            subject=render_to_string("sites/mail/appointment_subject.txt", context).strip(),
            body=render_to_string("sites/mail/appointment.txt", context),
            to=[appointment.youth.email],
        )
        if appointment.is_active:
            message.attach("appointment.ics", appointment_ics(appointment), "text/calendar")
        message.send()
    return True


def appointment_ics(appointment: Appointment) -> str:
    site = appointment.site
    event = {
        "uid": f"{appointment.public_id}@jmd-digital-hub",
        "start": appointment.starts_at,
        "end": appointment.ends_at,
        "summary": f"JMD – {site.name}",
        "location": f"{site.street}, {site.postcode} {site.town}" if appointment.mode == "on_site" else "",
    }
    return calendar(name="JMD", events=[event], now=timezone.now())


@shared_task(name="sites.remind_appointments")
def remind_appointments() -> int:
    """Remind of tomorrow's appointments. Claims each row before sending, so running twice sends once."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()))
    due = Appointment.objects.filter(
        status__in=ACTIVE_APPOINTMENT,
        reminded_at=None,
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
    )
    sent = 0
    for appointment_id in list(due.values_list("pk", flat=True)):
        if Appointment.objects.filter(pk=appointment_id, reminded_at=None).update(reminded_at=timezone.now()):
            send_appointment_mail.delay(appointment_id, "reminder")
            sent += 1
    return sent


@shared_task(name="sites.send_group_mail", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_group_mail(participation_id: int, event: str, session_id: int | None = None) -> bool:
    """Neutral like every mail: the date and the place, never the group's title (it may name a topic)."""
    participation = (
        GroupParticipation.objects.select_related("offer__site", "youth").filter(pk=participation_id).first()
    )
    if participation is None or not participation.youth.email:
        return False
    offer = participation.offer
    session = offer.sessions.filter(pk=session_id).first() if session_id else None
    with translation.override(offer.language if offer.language in dict(settings.LANGUAGES) else "de"):
        context = {
            "offer": offer,
            "event": event,
            "session": session or offer.sessions.filter(starts_at__gt=timezone.now()).first(),
            "link": settings.SITE_URL + reverse("sites:group", args=[offer.public_id]),
        }
        EmailMessage(
            subject=render_to_string("sites/mail/group_subject.txt", context).strip(),
            body=render_to_string("sites/mail/group.txt", context),
            to=[participation.youth.email],
        ).send()
    return True


@shared_task(name="sites.remind_group_sessions")
def remind_group_sessions() -> int:
    """Remind everyone with a place of tomorrow's group meetings; each meeting is claimed once."""
    from sites.groups import sessions_due_for_reminder

    sent = 0
    for session_id in list(sessions_due_for_reminder(now=timezone.now()).values_list("pk", flat=True)):
        if not GroupSession.objects.filter(pk=session_id, reminded_at=None).update(
            reminded_at=timezone.now()
        ):
            continue  # another run took it
        session = GroupSession.objects.get(pk=session_id)
        for participation_id in session.offer.participations.filter(
            status=ParticipationStatus.CONFIRMED
        ).values_list("pk", flat=True):
            send_group_mail.delay(participation_id, "reminder", session_id)
            sent += 1
    return sent
