"""Appointments at a site (blended counseling): free slots, booking, moving, cancelling, reminders.

Slots come from the site's APPOINTMENTS hours through the availability engine; the database constraint
on (site, starts_at, seat) is what finally prevents double booking.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from hub import availability, sealed
from hub.statistics import StatKind, stat_record
from sites.models import ACTIVE_APPOINTMENT, Appointment, AppointmentStatus, HoursKind, Site
from sites.schedules import site_schedule

MANAGE_SALT = "sites.appointment-manage"
PHONE_PURPOSE = "appointment-phone"  # as named on Appointment.phone_sealed


class SlotUnavailable(Exception):
    """The chosen time is not (or no longer) free."""


def appointment_slots(
    site: Site, *, now: datetime, exclude: Appointment | None = None
) -> list[availability.Slot]:
    window_end = now + timedelta(days=site.appointment_window_days)
    bookings = Appointment.objects.filter(
        site=site, status__in=ACTIVE_APPOINTMENT, starts_at__lt=window_end, ends_at__gt=now
    )
    if exclude is not None:
        bookings = bookings.exclude(pk=exclude.pk)
    return availability.free_slots(
        site_schedule(site, HoursKind.APPOINTMENTS),
        start=now,
        end=window_end,
        length=timedelta(minutes=site.appointment_minutes),
        now=now,
        buffer=timedelta(minutes=site.appointment_buffer_minutes),
        notice=timedelta(hours=site.appointment_notice_hours),
        capacity=site.appointment_capacity,
        bookings=list(bookings.values_list("starts_at", "ends_at")),
    )


def _offered_slot(site: Site, starts_at: datetime, *, now: datetime, exclude=None) -> availability.Slot:
    # Only a time the engine offers right now can be booked: forged or stale times are refused.
    for slot in appointment_slots(site, now=now, exclude=exclude):
        if slot.start == starts_at:
            return slot
    raise SlotUnavailable


def _take_seat(site: Site, create) -> Appointment:
    """Try the seats of a slot in order; the unique constraint decides races between bookers."""
    for seat in range(1, site.appointment_capacity + 1):
        try:
            with transaction.atomic():
                return create(seat)
        except IntegrityError:
            continue
    raise SlotUnavailable


def appointment_book(
    *,
    site: Site,
    youth,
    starts_at: datetime,
    mode: str,
    language: str,
    phone: str,
    idempotency_key,
    calendar_shows_site: bool = False,
    now=None,
) -> Appointment:
    now = now or timezone.now()
    existing = Appointment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None and existing.youth_id == youth.pk:
        return existing  # the same form sent twice
    slot = _offered_slot(site, starts_at, now=now)

    def create(seat):
        appointment = Appointment(
            site=site,
            youth=youth,
            mode=mode,
            language=language,
            starts_at=slot.start,
            ends_at=slot.end,
            seat=seat,
            idempotency_key=idempotency_key,
            calendar_shows_site=calendar_shows_site,
        )
        if phone:
            appointment.wrapped_key = sealed.new_wrapped_key()
            appointment.phone_sealed = sealed.seal(appointment, phone, purpose=PHONE_PURPOSE)
        appointment.save(force_insert=True)
        return appointment

    appointment = _take_seat(site, create)
    stat_record(StatKind.APPOINTMENT, site=site, channel=mode, language=language)
    from sites.tasks import send_appointment_mail

    transaction.on_commit(lambda: send_appointment_mail.delay(appointment.pk, "booked"))
    return appointment


def appointment_move(*, appointment: Appointment, starts_at: datetime, now=None) -> Appointment:
    now = now or timezone.now()
    slot = _offered_slot(appointment.site, starts_at, now=now, exclude=appointment)

    def move(seat):
        Appointment.objects.filter(pk=appointment.pk).update(
            starts_at=slot.start, ends_at=slot.end, seat=seat
        )
        appointment.starts_at, appointment.ends_at, appointment.seat = slot.start, slot.end, seat
        return appointment

    moved = _take_seat(appointment.site, move)
    from sites.tasks import send_appointment_mail

    transaction.on_commit(lambda: send_appointment_mail.delay(appointment.pk, "moved"))
    return moved


def appointment_set_status(*, appointment: Appointment, status: str, reason: str = "") -> Appointment:
    appointment.status = status
    appointment.status_reason = reason
    appointment.save(update_fields=["status", "status_reason"])
    if status == AppointmentStatus.CANCELLED:
        from sites.tasks import send_appointment_mail

        transaction.on_commit(lambda: send_appointment_mail.delay(appointment.pk, "cancelled"))
    return appointment


# A "did not come" recorded by mistake can be taken back while the week around it is on the agenda page.
NO_SHOW_UNDO_WINDOW = timedelta(days=7)


class OutcomeRefused(Exception):
    """The outcome cannot be recorded or undone now; the message says why (translated)."""


def appointment_no_show(*, appointment: Appointment, now: datetime) -> Appointment:
    """Only once the appointment has begun: before that nobody can know that the young person won't come."""
    if not appointment.is_active:
        raise OutcomeRefused(gettext("This appointment is no longer open."))
    if now < appointment.starts_at:
        raise OutcomeRefused(
            gettext("You can record that someone did not come only once the appointment has begun.")
        )
    return appointment_set_status(appointment=appointment, status=AppointmentStatus.NO_SHOW)


def no_show_undoable(appointment: Appointment, *, now: datetime) -> bool:
    return appointment.status == AppointmentStatus.NO_SHOW and now < appointment.ends_at + NO_SHOW_UNDO_WINDOW


def appointment_no_show_undo(*, appointment: Appointment, now: datetime) -> Appointment:
    """Back to booked, as if no outcome had been recorded."""
    if not no_show_undoable(appointment, now=now):
        raise OutcomeRefused(gettext("This outcome can no longer be changed."))
    return appointment_set_status(appointment=appointment, status=AppointmentStatus.BOOKED)


def appointment_phone(appointment: Appointment) -> str:
    """The number for a call by phone, opened for the site's staff and the young person only."""
    if not appointment.phone_sealed:
        return ""
    return sealed.unseal(appointment, appointment.phone_sealed, purpose=PHONE_PURPOSE)


def manage_token(appointment: Appointment) -> str:
    return signing.dumps(str(appointment.public_id), salt=MANAGE_SALT)


def appointment_from_token(token: str) -> Appointment | None:
    try:
        public_id = signing.loads(token, salt=MANAGE_SALT)
    except signing.BadSignature:
        return None
    return Appointment.objects.select_related("site").filter(public_id=public_id).first()


@dataclass(frozen=True)
class AgendaDay:
    day: object
    appointments: list


def site_agenda(site: Site, *, start_day, days: int) -> list[AgendaDay]:
    start = timezone.make_aware(datetime.combine(start_day, datetime.min.time()))
    end = start + timedelta(days=days)
    rows = list(
        Appointment.objects.filter(site=site, starts_at__gte=start, starts_at__lt=end)
        .select_related("youth")
        .order_by("starts_at")
    )
    for appointment in rows:
        appointment.phone = appointment_phone(appointment)  # opened for the site's agenda only
    return [
        AgendaDay(day=day, appointments=[a for a in rows if timezone.localtime(a.starts_at).date() == day])
        for day in (start_day + timedelta(days=offset) for offset in range(days))
    ]
