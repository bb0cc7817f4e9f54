"""Appointments: booking from free slots, no double booking, neutral mails, signed manage links, agenda."""

import threading
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites import appointments, services
from sites.models import Appointment, AppointmentStatus, HoursKind, OpeningHours
from sites.tasks import remind_appointments
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN)  # a Monday morning
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def site():
    site = SiteFactory(
        slug="jmd-essen",
        languages=["de", "ar"],
        appointment_minutes=45,
        appointment_buffer_minutes=15,
        appointment_notice_hours=24,
        appointment_capacity=1,
    )
    for weekday in (1, 2, 3):
        OpeningHours.objects.create(
            site=site, kind=HoursKind.APPOINTMENTS, weekday=weekday, opens=time(10), closes=time(12)
        )
    return site


@pytest.fixture(autouse=True)
def _frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def book(youth, site, starts_at=TUESDAY_10, key=None, mode="video"):
    return appointments.appointment_book(
        site=site,
        youth=youth,
        starts_at=starts_at,
        mode=mode,
        language="de",
        phone="",
        idempotency_key=key or uuid.uuid4(),
    )


def test_free_slots_follow_hours_notice_and_buffer(site):
    starts = [slot.start for slot in appointments.appointment_slots(site, now=NOW)]
    # Monday 08:00 + 24 h notice: Tuesday 10:00 is the first; 45 min + 15 min buffer -> every hour.
    assert starts[:3] == [TUESDAY_10, TUESDAY_10 + timedelta(hours=1), TUESDAY_10 + timedelta(days=1)]


def test_a_booked_slot_is_no_longer_offered(site, youth):
    book(youth, site)
    assert TUESDAY_10 not in [slot.start for slot in appointments.appointment_slots(site, now=NOW)]
    with pytest.raises(appointments.SlotUnavailable):
        book(UserFactory(roles=[Role.YOUTH]), site)


def test_capacity_allows_parallel_bookings_up_to_the_limit(site, youth):
    site.appointment_capacity = 2
    site.save()
    book(youth, site)
    book(UserFactory(roles=[Role.YOUTH]), site)
    with pytest.raises(appointments.SlotUnavailable):
        book(UserFactory(roles=[Role.YOUTH]), site)
    assert sorted(Appointment.objects.values_list("seat", flat=True)) == [1, 2]


def test_a_resent_form_books_once(site, youth):
    key = uuid.uuid4()
    first = book(youth, site, key=key)
    assert book(youth, site, key=key) == first
    assert Appointment.objects.count() == 1


def test_a_time_the_engine_does_not_offer_is_refused(site, youth):
    with pytest.raises(appointments.SlotUnavailable):
        book(youth, site, starts_at=TUESDAY_10 + timedelta(minutes=20))
    with pytest.raises(appointments.SlotUnavailable):
        book(youth, site, starts_at=NOW + timedelta(hours=2))  # inside the minimum notice


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_the_last_place_exactly_one_succeeds(site):
    if connection.vendor != "postgresql":
        pytest.skip("the race is decided by PostgreSQL's unique index (make test)")
    people = [UserFactory(roles=[Role.YOUTH]) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(person):
        try:
            barrier.wait()
            book(person, site)
            outcomes.append("booked")
        except appointments.SlotUnavailable:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Appointment.objects.filter(site=site, starts_at=TUESDAY_10).count() == 1


def booking_post(**overrides):
    return {
        "mode": "video",
        "language": "de",
        "slot": TUESDAY_10.isoformat(),
        "phone": "",
        "idempotency_key": str(uuid.uuid4()),
        **overrides,
    }


def test_youth_books_through_the_page_and_sees_the_confirmation(client, site, youth):
    client.force_login(youth)
    page = client.get("/en/sites/jmd-essen/book/")
    assert TUESDAY_10.isoformat() in page.content.decode()
    response = client.post("/en/sites/jmd-essen/book/", booking_post(), follow=True)
    appointment = Appointment.objects.get()
    assert response.redirect_chain[-1][0] == f"/en/sites/appointments/{appointment.public_id}/"
    body = response.content.decode()
    assert "Your appointment is booked" in body
    assert "10:00" in body


def test_booking_errors_keep_the_choices(client, site, youth):
    client.force_login(youth)
    response = client.post("/en/sites/jmd-essen/book/", booking_post(mode="phone", phone=""))
    assert "Please enter the number we should call." in response.content.decode()
    assert 'value="phone" checked' in response.content.decode() or "checked" in response.content.decode()
    assert not Appointment.objects.exists()


def test_booking_needs_an_account(client, site):
    response = client.get("/en/sites/jmd-essen/book/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_confirmation_of_someone_else_is_404(client, site, youth, other_youth):
    appointment = book(youth, site)
    client.force_login(other_youth)
    assert client.get(f"/en/sites/appointments/{appointment.public_id}/").status_code == 404


def test_a_neutral_mail_with_calendar_file_goes_to_a_youth_with_an_address(
    site, youth, django_capture_on_commit_callbacks
):
    youth.email = "amira@example.org"
    youth.save()
    with django_capture_on_commit_callbacks(execute=True):
        book(youth, site)
    message = mail.outbox[-1]
    assert message.to == ["amira@example.org"]
    # Neutral (tests/test_youth_mails.py checks every youth mail in every language): no "JMD", no site.
    assert "JMD" not in message.subject and site.name not in message.body
    assert message.attachments[0][0] == "appointment.ics"
    assert "DTSTART:20261124T090000Z" in message.attachments[0][1]
    assert "/sites/appointments/manage/" in message.body


def test_no_mail_without_an_address(site, youth, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        book(youth, site)
    assert mail.outbox == []


def test_the_manage_link_needs_a_click_to_cancel(client, site, youth):
    appointment = book(youth, site)
    path = f"/de/sites/appointments/manage/{appointments.manage_token(appointment)}/"
    assert client.get(path).status_code == 200  # a mail scanner opening the link changes nothing
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    client.post(path, {"action": "cancel"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert book(UserFactory(roles=[Role.YOUTH]), site).starts_at == TUESDAY_10  # the place is free again


def test_the_manage_link_moves_the_appointment(client, site, youth):
    appointment = book(youth, site)
    path = f"/de/sites/appointments/manage/{appointments.manage_token(appointment)}/"
    client.post(path, {"action": "move", "slot": (TUESDAY_10 + timedelta(hours=1)).isoformat()})
    appointment.refresh_from_db()
    assert appointment.starts_at == TUESDAY_10 + timedelta(hours=1)


def test_a_forged_manage_link_is_refused(client):
    assert client.get("/de/sites/appointments/manage/forged-token/").status_code == 404


def test_reminders_go_out_once_the_day_before(site, youth, monkeypatch, django_capture_on_commit_callbacks):
    youth.email = "amira@example.org"
    youth.save()
    book(youth, site)
    mail.outbox.clear()
    assert remind_appointments() == 1
    assert remind_appointments() == 0
    assert len(mail.outbox) == 1


def team_member(site, username="counselor_essen"):
    user = staff_with_totp(username=username, roles=[Role.COUNSELOR])
    services.site_counselor_grant(user=user, site=site)
    return user


def test_the_sites_counselor_sees_the_agenda_and_records_outcomes(client, site, youth, monkeypatch):
    appointment = book(youth, site)
    client.force_login(team_member(site))
    body = client.get("/de/staff/sites/jmd-essen/agenda/?from=2026-11-23").content.decode()
    assert "amira" in body
    assert "10:00" in body
    action = f"/de/staff/sites/jmd-essen/agenda/{appointment.public_id}/"
    client.post(action, {"action": "confirm"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    client.post(action, {"action": "cancel", "reason": ""})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED  # a cancellation needs a reason
    monkeypatch.setattr(timezone, "now", lambda: TUESDAY_10 + timedelta(minutes=20))
    client.force_login(team_member(site, "counselor_essen_2"))  # a day later: a new staff session
    client.post(action, {"action": "no_show"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-13-45", "x"])
def test_an_agenda_day_out_of_range_shows_this_week(client, site, day):
    client.force_login(team_member(site))
    response = client.get(f"/de/staff/sites/jmd-essen/agenda/?from={day}")
    assert response.status_code == 200
    assert response.context["previous"] == NOW.date() - timedelta(days=7)


def test_staff_move_an_appointment(client, site, youth):
    appointment = book(youth, site)
    client.force_login(team_member(site))
    later = TUESDAY_10 + timedelta(days=1)
    client.post(
        f"/de/staff/sites/jmd-essen/agenda/{appointment.public_id}/",
        {"action": "move", "slot": later.isoformat()},
    )
    appointment.refresh_from_db()
    assert appointment.starts_at == later


def test_staff_of_another_site_cannot_see_or_change_the_agenda(client, site, youth):
    appointment = book(youth, site)
    other = SiteFactory(slug="jmd-dresden")
    client.force_login(team_member(other, "counselor_dresden"))
    assert client.get("/de/staff/sites/jmd-essen/agenda/").status_code == 403
    assert (
        client.post(
            f"/de/staff/sites/jmd-essen/agenda/{appointment.public_id}/", {"action": "no_show"}
        ).status_code
        == 403
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


# --- the phone number for a call by phone is sealed ------------------------------------------------------


def test_a_phone_number_is_stored_sealed_and_shown_on_the_agenda_and_in_my_data(site, client):
    youth = UserFactory(roles=[Role.YOUTH])
    appointment = appointments.appointment_book(
        site=site, youth=youth, starts_at=TUESDAY_10, mode="phone", language="de", phone="+4917612345678",
        idempotency_key=uuid.uuid4(),
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM sites_appointment WHERE id = %s", [appointment.pk])
        row = cursor.fetchone()
    assert not any(b"17612345678" in bytes(v) for v in row if isinstance(v, bytes | memoryview))
    assert not any("17612345678" in v for v in row if isinstance(v, str))
    assert appointments.appointment_phone(Appointment.objects.get()) == "+4917612345678"

    agenda = appointments.site_agenda(site, start_day=TUESDAY_10.date(), days=1)
    assert agenda[0].appointments[0].phone == "+4917612345678"
    from sites.data_rights import export_section

    assert export_section(youth, add_file=None).items[0]["phone"] == "+4917612345678"


def test_without_a_phone_number_nothing_is_sealed(site):
    appointment = book(UserFactory(roles=[Role.YOUTH]), site)
    assert bytes(appointment.phone_sealed) == b"" and appointments.appointment_phone(appointment) == ""


def test_the_migration_seals_the_numbers_of_existing_appointments(site):
    from tests.schema import OneMigration

    migration = OneMigration("sites", "0007_appointment_phone_sealed")
    migration.undo()
    OldAppointment = migration.old_apps.get_model("sites", "Appointment")
    OldAppointment.objects.create(
        site_id=site.pk, youth_id=UserFactory(roles=[Role.YOUTH]).pk, mode="phone", language="de",
        phone="+4930123456", starts_at=TUESDAY_10, ends_at=TUESDAY_10 + timedelta(minutes=45),
        idempotency_key=uuid.uuid4(),
    )  # fmt: skip
    migration.apply()

    assert appointments.appointment_phone(Appointment.objects.get()) == "+4930123456"


# --- "did not come": only once the appointment has begun, and it can be undone -----------------------


def test_did_not_come_is_refused_before_the_appointment_and_not_offered(client, site, youth):
    appointment = book(youth, site)
    client.force_login(team_member(site))
    agenda = client.get("/en/staff/sites/jmd-essen/agenda/?from=2026-11-23").content.decode()
    assert 'value="no_show"' not in agenda
    response = client.post(
        f"/en/staff/sites/jmd-essen/agenda/{appointment.public_id}/", {"action": "no_show"}, follow=True
    )
    assert "only once the appointment has begun" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_did_not_come_is_recorded_after_the_start_and_undone_within_a_week(client, site, youth, monkeypatch):
    appointment = book(youth, site)
    action = f"/en/staff/sites/jmd-essen/agenda/{appointment.public_id}/"
    monkeypatch.setattr(timezone, "now", lambda: TUESDAY_10 + timedelta(minutes=15))
    member = team_member(site)
    client.force_login(member)
    assert (
        'value="no_show"' in client.get("/en/staff/sites/jmd-essen/agenda/?from=2026-11-24").content.decode()
    )
    client.post(action, {"action": "no_show"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    monkeypatch.setattr(timezone, "now", lambda: TUESDAY_10 + timedelta(days=2))
    client.force_login(member)  # staff sessions time out; a new one two days later
    agenda = client.get("/en/staff/sites/jmd-essen/agenda/?from=2026-11-24").content.decode()
    assert 'value="no_show_undo"' in agenda
    client.post(action, {"action": "no_show_undo"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_a_no_show_older_than_a_week_stays(client, site, youth, monkeypatch):
    appointment = book(youth, site)
    appointments.appointment_no_show(appointment=appointment, now=TUESDAY_10 + timedelta(minutes=15))
    monkeypatch.setattr(timezone, "now", lambda: TUESDAY_10 + timedelta(days=8))
    client.force_login(team_member(site))
    response = client.post(
        f"/en/staff/sites/jmd-essen/agenda/{appointment.public_id}/", {"action": "no_show_undo"}, follow=True
    )
    assert "This outcome can no longer be changed." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW


def test_staff_of_another_site_cannot_undo_a_no_show(client, site, youth):
    appointment = book(youth, site)
    appointments.appointment_no_show(appointment=appointment, now=TUESDAY_10 + timedelta(minutes=15))
    client.force_login(team_member(SiteFactory(slug="jmd-dresden"), "counselor_dresden"))
    action = f"/en/staff/sites/jmd-essen/agenda/{appointment.public_id}/"
    assert client.post(action, {"action": "no_show_undo"}).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
