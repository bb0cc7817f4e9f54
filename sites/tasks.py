from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone, translation
from django.utils.translation import pgettext

from hub.youth_mail import youth_language, youth_link, youth_mail_send
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
    language = youth_language(appointment.youth, appointment.language)
    link = youth_link("sites:appointment_manage", language=language, args=[manage_token(appointment)])
    attachments = []
    if appointment.is_active:
        with translation.override(language):
            attachments.append(("appointment.ics", appointment_ics(appointment), "text/calendar"))
    youth_mail_send(
        to=appointment.youth.email,
        template="sites/mail/appointment",
        context={"appointment": appointment, "event": event, "link": link},
        language=language,
        attachments=attachments,
    )
    return True


def appointment_ics(appointment: Appointment) -> str:
    """The calendar entry says "Appointment" in the person's language and nothing else, unless they
    chose on the booking page to have the site's name and address in it."""
    site = appointment.site
    shows_site = appointment.calendar_shows_site
    event = {
        "uid": f"{appointment.public_id}@appointment",
        "start": appointment.starts_at,
        "end": appointment.ends_at,
        "summary": site.name if shows_site else pgettext("calendar entry", "Appointment"),
        "location": f"{site.street}, {site.postcode} {site.town}"
        if shows_site and appointment.mode == "on_site"
        else "",
    }
    name = pgettext("calendar entry", "Appointment")
    return calendar(name=name, events=[event], now=timezone.now(), product="-//calendar//EN")


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
    language = youth_language(participation.youth, offer.language)
    context = {
        "offer": offer,
        "event": event,
        "session": session or offer.sessions.filter(starts_at__gt=timezone.now()).first(),
        "link": youth_link("sites:group", language=language, args=[offer.public_id]),
    }
    youth_mail_send(
        to=participation.youth.email, template="sites/mail/group", context=context, language=language
    )
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
