"""The callback service: a validated, normalised number; two or three offered times; a worklist; the
number gone once done and at the latest 7 days after the last time."""

from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from counseling import callbacks
from counseling.models import CallbackRequest, CounselorProfile, InternalNote
from counseling.services import note_body
from counseling.tasks import purge_callback_numbers
from hub.models import AuditEntry
from hub.roles import Role
from hub.schedule import BEAT_SCHEDULE
from hub.tests.factories import staff_with_totp

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)
MONDAY_14 = datetime(2026, 11, 23, 14, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_9)


@pytest.fixture
def caller(db):
    user = staff_with_totp(username="counselor_ar", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=user, languages=["ar", "de"])
    return user


def post(**overrides):
    return {
        "phone": "0176 123 4567",
        "topic": "housing",
        "language": "ar",
        "slots": [MONDAY_14.isoformat(), (MONDAY_14 + timedelta(minutes=30)).isoformat()],
        **overrides,
    }


def stored_phone(callback) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone_sealed FROM counseling_callbackrequest WHERE id = %s", [callback.pk])
        return bytes(cursor.fetchone()[0])


def test_slots_come_from_the_callback_hours_with_notice():
    slots = callbacks.callback_slots(now=MONDAY_9)
    assert slots[0].start == MONDAY_14
    assert all(slot.start.astimezone(BERLIN).weekday() < 4 for slot in slots)  # Monday–Thursday
    assert all(14 <= slot.start.astimezone(BERLIN).hour < 18 for slot in slots)


def test_a_youth_requests_a_callback_and_the_number_is_normalised_and_sealed(client, youth):
    client.force_login(youth)
    response = client.post("/en/callback/", post(), follow=True)
    callback = CallbackRequest.objects.get()
    assert callbacks.callback_number(callback) == "+491761234567"
    assert b"1761234567" not in stored_phone(callback)
    assert callback.case.youth == youth and callback.case.language == "ar"
    assert "We will call you at one of these times" in response.content.decode()


def test_a_bad_number_and_a_single_time_are_explained_and_the_choices_kept(client, youth):
    client.force_login(youth)
    response = client.post("/en/callback/", post(phone="12", slots=[MONDAY_14.isoformat()]))
    body = response.content.decode()
    assert "We cannot call this number" in body
    assert "Please choose two or three times" in body
    assert 'value="12"' in body
    assert f'value="{MONDAY_14.isoformat()}"' in body and "checked" in body
    assert not CallbackRequest.objects.exists()


def test_a_time_outside_the_callback_hours_is_refused(client, youth):
    client.force_login(youth)
    client.post("/en/callback/", post(slots=[MONDAY_9.isoformat(), MONDAY_14.isoformat()]))
    assert not CallbackRequest.objects.exists()


def test_the_counselor_takes_calls_and_after_done_the_number_is_gone(client, youth, caller):
    client.force_login(youth)
    client.post("/en/callback/", post())
    callback = CallbackRequest.objects.get()
    client.force_login(caller)
    assert "+491761234567" not in client.get("/de/staff/cases/callbacks/").content.decode()  # not taken yet
    client.post(f"/de/staff/cases/callbacks/{callback.public_id}/take/")
    page = client.get("/de/staff/cases/callbacks/").content.decode()
    assert "+491761234567" in page
    assert AuditEntry.objects.filter(actor=caller, action="callback.number").exists()
    client.post(f"/de/staff/cases/callbacks/{callback.public_id}/outcome/", {"outcome": "not_reached"})
    callback.refresh_from_db()
    assert (callback.status, callback.attempts, callback.has_number) == ("taken", 1, True)
    client.post(
        f"/de/staff/cases/callbacks/{callback.public_id}/outcome/",
        {"outcome": "reached", "note": "Termin vereinbart"},
    )
    callback.refresh_from_db()
    assert (callback.status, callback.has_number) == ("done", False)
    assert stored_phone(callback) == b""
    assert (
        "Termin vereinbart" in [note_body(note) for note in InternalNote.objects.select_related("case")][-1]
    )


def test_the_purge_deletes_numbers_seven_days_after_the_last_time(youth, monkeypatch):
    callback = callbacks.callback_request(
        youth=youth,
        phone_e164="+491761234567",
        language="de",
        topic="money",
        slots=[MONDAY_14, MONDAY_14 + timedelta(hours=1)],
    )
    last_end = MONDAY_14 + timedelta(hours=1, minutes=30)
    monkeypatch.setattr(timezone, "now", lambda: last_end + timedelta(days=7) - timedelta(minutes=1))
    assert purge_callback_numbers() == 0
    monkeypatch.setattr(timezone, "now", lambda: last_end + timedelta(days=7, minutes=1))
    assert purge_callback_numbers() == 1
    callback.refresh_from_db()
    assert stored_phone(callback) == b"" and callback.number_deleted_at is not None
    assert BEAT_SCHEDULE["purge-callback-numbers"]["task"] == "counseling.purge_callback_numbers"


def test_who_may_not_work_callbacks(client, youth, caller):
    client.force_login(youth)
    client.post("/en/callback/", post())
    callback = CallbackRequest.objects.get()
    russian = staff_with_totp(username="counselor_ru", roles=[Role.COUNSELOR])
    CounselorProfile.objects.create(user=russian, languages=["ru"])
    client.force_login(russian)  # not in their languages: not in their list, so 404
    assert client.post(f"/de/staff/cases/callbacks/{callback.public_id}/take/").status_code == 404
    coordinator = staff_with_totp(username="coord", roles=[Role.COORDINATOR])
    client.force_login(coordinator)
    assert client.get("/de/staff/cases/callbacks/").status_code == 403
    client.force_login(caller)
    client.post(f"/de/staff/cases/callbacks/{callback.public_id}/take/")
    client.force_login(russian)
    outcome = client.post(f"/de/staff/cases/callbacks/{callback.public_id}/outcome/", {"outcome": "reached"})
    assert outcome.status_code == 404
    callback.refresh_from_db()
    assert (callback.status, callback.taken_by) == ("taken", caller)


def test_a_callback_request_is_not_handed_out_as_a_mail_case(youth, caller):
    from counseling import routing

    callbacks.callback_request(
        youth=youth,
        phone_e164="+491761234567",
        language="ar",
        topic="money",
        slots=[MONDAY_14, MONDAY_14 + timedelta(hours=1)],
    )
    assert routing.route_queue() == 0
    assert not routing.queued_cases().exists()


class _IdCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id"]


def test_two_taken_callbacks_have_forms_with_ids_of_their_own(client, youth, caller):
    client.force_login(youth)
    client.post("/en/callback/", post())
    client.post("/en/callback/", post(topic="work"))
    client.force_login(caller)
    for callback in CallbackRequest.objects.all():
        client.post(f"/de/staff/cases/callbacks/{callback.public_id}/take/")
    page = client.get("/de/staff/cases/callbacks/").content.decode()
    collector = _IdCollector()
    collector.feed(page)
    duplicates = {element_id for element_id in collector.ids if collector.ids.count(element_id) > 1}
    assert not duplicates
    assert page.count('name="outcome"') == 2 * 3  # both forms, every choice
