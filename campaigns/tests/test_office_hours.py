"""The social-media office hour (Social-Media-Sprechstunde, seed 001): online mentors hold weekly hours,
any member of staff books half an hour with the streetwork team – on the availability engine, like
appointments at a site."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext

from campaigns import office_hours
from campaigns.models import OfficeHourBooking, OfficeHours
from hub import availability
from hub.roles import Role
from hub.tests.factories import staff_with_totp

pytestmark = pytest.mark.django_db

URL = "/de/staff/campaigns/office-hour/"
HELD_URL = "/de/staff/campaigns/office-hour/hours/"
# Monday 7 December 2026, 08:00 in Berlin; Tuesday 8 December is an ordinary working day.
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=availability.BERLIN)
TUESDAY_10 = datetime(2026, 12, 8, 10, 0, tzinfo=availability.BERLIN)


def host(username="online_mentor_ola", *, weekday=1, opens=time(10), closes=time(11)):
    user = staff_with_totp(username=username, roles=[Role.ONLINE_MENTOR])
    OfficeHours.objects.create(host=user, weekday=weekday, opens=opens, closes=closes)
    return user


def test_the_hosts_hours_become_half_hour_slots_of_the_team():
    ola, ben = host(), host("online_mentor_ben", opens=time(10, 30), closes=time(11, 30))
    slots = office_hours.office_hour_slots(now=MONDAY)
    tuesday = [slot for slot in slots if slot.start.date() == TUESDAY_10.date()]
    assert [(slot.start.time(), sorted(slot.host_ids)) for slot in tuesday] == [
        (time(10), [ola.pk]),
        (time(10, 30), sorted([ola.pk, ben.pk])),
        (time(11), [ben.pk]),
    ]
    # Three weeks ahead: the Tuesdays 8, 15 and 22 December.
    assert {slot.start.date().isoformat() for slot in slots} == {"2026-12-08", "2026-12-15", "2026-12-22"}


def test_a_holiday_offers_nothing():
    host(weekday=4)  # Fridays; 25 December 2026 is a Friday
    days = {slot.start.date().isoformat() for slot in office_hours.office_hour_slots(now=MONDAY)}
    assert "2026-12-18" in days and "2026-12-25" not in days


def test_staff_book_and_the_next_booker_gets_the_other_host_then_none(counselor, coordinator):
    ola, ben = host(), host("online_mentor_ben")
    first = office_hours.office_hour_book(
        booked_by=counselor, starts_at=TUESDAY_10, platform="instagram", now=MONDAY
    )
    second = office_hours.office_hour_book(
        booked_by=coordinator, starts_at=TUESDAY_10, platform="tiktok", now=MONDAY
    )
    assert {first.host_id, second.host_id} == {ola.pk, ben.pk}
    third = staff_with_totp(username="counselor_cem", roles=[Role.COUNSELOR])
    with pytest.raises(office_hours.SlotUnavailable):
        office_hours.office_hour_book(booked_by=third, starts_at=TUESDAY_10, platform="facebook", now=MONDAY)
    assert TUESDAY_10 not in [s.start for s in office_hours.office_hour_slots(now=MONDAY)]


def test_a_time_not_offered_is_refused():
    host()
    booker = staff_with_totp(username="counselor_cem", roles=[Role.COUNSELOR])
    for forged in (TUESDAY_10 + timedelta(minutes=5), TUESDAY_10 - timedelta(days=7), MONDAY):
        with pytest.raises(office_hours.SlotUnavailable):
            office_hours.office_hour_book(booked_by=booker, starts_at=forged, platform="facebook", now=MONDAY)
    assert not OfficeHourBooking.objects.exists()


def test_a_host_who_lost_the_role_or_left_offers_nothing():
    ola = host()
    ola.is_active = False
    ola.save()
    assert office_hours.office_hour_slots(now=MONDAY) == []


def test_a_counselor_books_on_the_page_and_the_host_sees_it(client, counselor):
    ola = host(weekday=0, opens=time(0, 0), closes=time(23, 30))  # Mondays all day: always a slot soon
    OfficeHours.objects.create(host=ola, weekday=1, opens=time(0), closes=time(23, 30))
    OfficeHours.objects.create(host=ola, weekday=2, opens=time(0), closes=time(23, 30))
    OfficeHours.objects.create(host=ola, weekday=3, opens=time(0), closes=time(23, 30))
    OfficeHours.objects.create(host=ola, weekday=4, opens=time(0), closes=time(23, 30))
    client.force_login(counselor)
    page = client.get(URL)
    assert page.status_code == 200
    choice = page.context["form"].fields["starts_at"].choices[1][0]
    question = "Wie starten wir einen Instagram-Kanal für unseren JMD?"
    response = client.post(URL, {"starts_at": choice, "platform": "instagram", "question": question})
    assert response.status_code == 302
    booking = OfficeHourBooking.objects.get()
    assert (booking.host, booking.booked_by, booking.question) == (ola, counselor, question)

    # The same slot again (the page was open in two tabs): a clear message, the question kept.
    response = client.post(URL, {"starts_at": choice, "platform": "instagram", "question": question})
    assert response.status_code == 400
    with translation.override("de"):  # "Dieser Termin wurde gerade vergeben …" once the catalogue has it
        taken = gettext("This slot has just been taken. Please choose another one.")
    assert taken in response.content.decode()
    assert response.context["form"]["question"].value() == question

    client.force_login(ola)
    held = client.get(HELD_URL).content.decode()
    assert question in held and counselor.username in held


def test_only_online_mentors_hold_office_hours(client, counselor, coordinator):
    for user in (counselor, coordinator):
        client.force_login(user)
        assert client.get(HELD_URL).status_code == 403
        assert client.post(HELD_URL, {"weekday": 1, "opens": "10:00", "closes": "12:00"}).status_code == 403
    assert not OfficeHours.objects.exists()


def test_a_host_adds_and_removes_hours_and_bad_times_are_form_errors(client):
    ola = staff_with_totp(username="online_mentor_ola", roles=[Role.ONLINE_MENTOR])
    client.force_login(ola)
    assert client.post(HELD_URL, {"weekday": 1, "opens": "10:00", "closes": "12:00"}).status_code == 302
    row = OfficeHours.objects.get(host=ola)
    bad = client.post(HELD_URL, {"weekday": 1, "opens": "12:00", "closes": "10:00"})
    assert bad.status_code == 400 and "closes" in bad.context["form"].errors
    assert client.post(HELD_URL, {"weekday": 9, "opens": "25:00", "closes": "x"}).status_code == 400
    other = host("online_mentor_ben")
    client.post(HELD_URL, {"remove": str(other.office_hours.get().pk)})  # not hers: stays
    client.post(HELD_URL, {"remove": str(row.pk)})
    assert list(OfficeHours.objects.values_list("host", flat=True)) == [other.pk]


def test_only_booker_and_host_see_and_cancel_a_booking(client, counselor, coordinator):
    ola = host()
    booking = office_hours.office_hour_book(
        booked_by=counselor, starts_at=TUESDAY_10, platform="tiktok", now=MONDAY
    )
    cancel = f"/de/staff/campaigns/office-hour/{booking.pk}/cancel/"
    client.force_login(coordinator)
    assert client.post(cancel).status_code == 404
    client.force_login(ola)
    assert client.post(cancel).status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None
