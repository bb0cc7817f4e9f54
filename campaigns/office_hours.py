"""The social-media office hour (Social-Media-Sprechstunde, seed 001): staff book half an hour with the
streetwork team to get going on Facebook, Instagram and Co.; the online mentors hold the slots.

Built on the appointment engine: each host's weekly hours become a Schedule for the one availability
engine (hub/availability.py free_slots, with nationwide public holidays), exactly as a site's appointment
hours do in sites/appointments.py; the hosts of one time are its seats, tried in turn, and the partial
unique constraint on (host, starts_at) decides a race between two bookers, as the seat constraint does
for appointments. A time that is not offered now (forged, stale, taken) raises SlotUnavailable.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from campaigns.models import OfficeHourBooking, OfficeHours
from hub import availability
from hub.models import User
from hub.roles import Role
from sites.appointments import SlotUnavailable

SLOT = timedelta(minutes=30)
NOTICE = timedelta(hours=2)
WINDOW = timedelta(days=21)

__all__ = ["SlotUnavailable", "office_hour_book", "office_hour_cancel", "office_hour_slots"]


@dataclass
class TeamSlot:
    start: datetime
    end: datetime
    host_ids: list[int] = field(default_factory=list)


def hosts():
    """Active online mentors: a host who lost the role or was deactivated offers nothing any more."""
    return User.objects.filter(is_active=True, groups__name=Role.ONLINE_MENTOR)


def _schedules(*, exclude_user=None) -> dict[int, availability.Schedule]:
    rows = OfficeHours.objects.filter(host__in=hosts())
    if exclude_user is not None:
        rows = rows.exclude(host=exclude_user)  # nobody books themselves
    weekly: dict[int, list] = {}
    for row in rows:
        weekly.setdefault(row.host_id, []).append(
            availability.WeeklyHours(weekday=row.weekday, opens=row.opens, closes=row.closes)
        )
    return {host_id: availability.Schedule(weekly=tuple(hours)) for host_id, hours in weekly.items()}


def office_hour_slots(*, now: datetime, for_user=None) -> list[TeamSlot]:
    """The free half hours of the team in the next three weeks, each with the hosts free then."""
    schedules = _schedules(exclude_user=for_user)
    booked: dict[int, list] = {}
    for host_id, starts, ends in OfficeHourBooking.objects.filter(
        host_id__in=schedules, cancelled_at__isnull=True, ends_at__gt=now
    ).values_list("host_id", "starts_at", "ends_at"):
        booked.setdefault(host_id, []).append((starts, ends))
    team: dict[datetime, TeamSlot] = {}
    for host_id, schedule in schedules.items():
        for slot in availability.free_slots(
            schedule,
            start=now,
            end=now + WINDOW,
            length=SLOT,
            now=now,
            notice=NOTICE,
            bookings=booked.get(host_id, ()),
        ):
            team.setdefault(slot.start, TeamSlot(slot.start, slot.end)).host_ids.append(host_id)
    return [team[start] for start in sorted(team)]


def office_hour_book(
    *, booked_by, starts_at: datetime, platform: str, question: str = "", now: datetime | None = None
) -> OfficeHourBooking:
    now = now or timezone.now()
    slot = next((s for s in office_hour_slots(now=now, for_user=booked_by) if s.start == starts_at), None)
    if slot is None:
        raise SlotUnavailable
    for host_id in slot.host_ids:
        try:
            with transaction.atomic():
                return OfficeHourBooking.objects.create(
                    host_id=host_id,
                    booked_by=booked_by,
                    starts_at=slot.start,
                    ends_at=slot.end,
                    platform=platform,
                    question=question,
                )
        except IntegrityError:
            continue  # another booker was quicker for this host: the next one
    raise SlotUnavailable


def bookings_of(user, *, now: datetime):
    """Upcoming bookings the user made or holds."""
    return (
        OfficeHourBooking.objects.filter(cancelled_at__isnull=True, ends_at__gt=now)
        .filter(_booked_or_held(user))
        .select_related("host", "booked_by")
    )


def _booked_or_held(user) -> Q:
    return Q(booked_by=user) | Q(host=user)


def access_booking(user, booking_id: int) -> OfficeHourBooking:
    """Its booker and its host may see and cancel it; for anyone else it does not exist."""
    booking = OfficeHourBooking.objects.filter(_booked_or_held(user), pk=booking_id).first()
    if booking is None:
        raise Http404
    return booking


def office_hour_cancel(*, booking: OfficeHourBooking, now: datetime | None = None) -> None:
    booking.cancelled_at = now or timezone.now()
    booking.save(update_fields=["cancelled_at"])
