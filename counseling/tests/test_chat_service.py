"""Live chat without websockets: when "chat now" is offered, presence, seats, the mail queue, guests,
continuing in writing, and the pages with their denials."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from counseling import chat, guests, presence, routing
from counseling.models import Case, CaseEvent, CaseStatus, ChatStatus, CounselorProfile
from counseling.tests.factories import counselor_with_profile
from hub.models import User
from hub.roles import Role
from hub.tests.factories import UserFactory

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY_11 = datetime(2026, 11, 24, 11, tzinfo=BERLIN)
FRIDAY_12 = datetime(2026, 11, 27, 12, tzinfo=BERLIN)


@pytest.fixture
def tr_counselor(db):
    return counselor_with_profile("counselor_tr", ["tr", "de"])


def start(language="tr", youth=None):
    return chat.chat_start(youth=youth or UserFactory(roles=[Role.YOUTH]), language=language, topic="work")


# --- when "chat now" is offered -------------------------------------------------------------------------


def test_chat_now_needs_chat_hours_and_a_free_counselor_in_the_language(tr_counselor):
    assert not chat.chat_availability("tr", now=TUESDAY_11).can_start  # nobody online
    presence.go_online(tr_counselor.pk, now=TUESDAY_11)
    assert chat.chat_availability("tr", now=TUESDAY_11).can_start
    assert not chat.chat_availability("ar", now=TUESDAY_11).can_start  # nobody speaks Arabic

    presence.go_online(tr_counselor.pk, now=FRIDAY_12)
    closed = chat.chat_availability("tr", now=FRIDAY_12)
    assert not closed.open_now and not closed.can_start
    assert closed.next_opening == datetime(2026, 11, 30, 10, tzinfo=BERLIN)  # Monday 10:00


def test_no_chat_now_when_every_seat_is_taken_or_the_counselor_is_idle_or_a_trainee(tr_counselor):
    CounselorProfile.objects.filter(user=tr_counselor).update(chat_seats=1)
    presence.go_online(tr_counselor.pk, now=TUESDAY_11)
    chat.chat_accept(chat=start(), counselor=tr_counselor)
    assert not chat.chat_availability("tr", now=TUESDAY_11).can_start

    CounselorProfile.objects.filter(user=tr_counselor).update(chat_seats=2)
    assert chat.chat_availability("tr", now=TUESDAY_11).can_start
    idle = TUESDAY_11 + timedelta(seconds=settings.CHAT_IDLE_TIMEOUT_SECONDS + 1)
    assert not chat.chat_availability("tr", now=idle).can_start

    trainee = counselor_with_profile("trainee_sq", ["sq"], trainee=True)
    presence.go_online(trainee.pk, now=TUESDAY_11)
    assert not chat.chat_availability("sq", now=TUESDAY_11).can_start


def test_the_chat_page_offers_chat_now_only_when_it_can_start(client, tr_counselor, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: TUESDAY_11)
    url = reverse("counseling:chat_start") + "?language=tr"
    page = client.get(url).content.decode()
    assert "data-chat-now" not in page and "data-next-opening" in page
    assert reverse("counseling:ask") in page and reverse("counseling:callback") in page

    presence.go_online(tr_counselor.pk, now=TUESDAY_11)
    assert "data-chat-now" in client.get(url).content.decode()

    monkeypatch.setattr(timezone, "now", lambda: FRIDAY_12)
    presence.go_online(tr_counselor.pk, now=FRIDAY_12)
    closed = client.get(url).content.decode()
    assert "data-chat-now" not in closed and "data-next-opening" in closed


def test_a_visitor_starts_a_guest_chat_and_the_page_works_without_javascript_too(
    client, tr_counselor, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: TUESDAY_11)
    presence.go_online(tr_counselor.pk, now=TUESDAY_11)
    response = client.post(reverse("counseling:chat_start"), {"language": "tr", "topic": "school"})
    case = Case.objects.get()
    assert response.url == reverse("counseling:chat", args=[case.public_id])
    assert case.youth.is_guest and case.youth.username.startswith("guest-")
    assert case.chat.status == ChatStatus.WAITING and case.counselor is None
    room = client.get(response.url).content.decode()
    assert "<noscript>" in room and reverse("counseling:ask") in room


def test_when_the_last_seat_went_meanwhile_the_young_person_is_told_and_sent_on(
    client, tr_counselor, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: TUESDAY_11)
    youth = UserFactory(roles=[Role.YOUTH])
    client.force_login(youth)
    with translation.override("en"):
        response = client.post(reverse("counseling:chat_start"), {"language": "tr", "topic": "housing"})
        page = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert "Just now no counselor is free in this language." in page
    assert "/ask/?language=tr" in page  # the choice carries over to writing


# --- presence -------------------------------------------------------------------------------------------


def test_presence_goes_idle_without_activity_and_heartbeats_keep_it(tr_counselor):
    presence.go_online(tr_counselor.pk, now=TUESDAY_11)
    later = TUESDAY_11 + timedelta(seconds=settings.CHAT_IDLE_TIMEOUT_SECONDS - 60)
    assert presence.heartbeat(tr_counselor.pk, active=True, now=later)
    still = later + timedelta(seconds=settings.CHAT_IDLE_TIMEOUT_SECONDS - 60)
    assert presence.is_online(tr_counselor.pk, now=still)
    too_late = later + timedelta(seconds=settings.CHAT_IDLE_TIMEOUT_SECONDS + 1)
    assert not presence.heartbeat(tr_counselor.pk, active=False, now=too_late)
    assert not presence.is_online(tr_counselor.pk, now=later)  # gone until they switch on again


@pytest.mark.django_db(transaction=True)
def test_presence_is_shared_between_processes(settings):
    """Another process (another ASGI worker) sees who is online: presence lives in Redis."""
    if not settings.REDIS_URL:
        pytest.skip("needs REDIS_URL (make test starts Redis)")
    # The probe starts Django first and asks only when told: on a loaded machine starting it can take
    # longer than an online mark lives (CHAT_HEARTBEAT_TTL_SECONDS), which is not what is tested here.
    probe = (
        "import django; django.setup(); from django.utils import timezone; "
        "from counseling import presence; print('ready', flush=True); input(); "
        "print(presence.is_online(4242, now=timezone.now()))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hub.settings_test"}
    process = subprocess.Popen(
        [sys.executable, "-c", probe],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready", process.stderr.read()[-2000:]
        presence.go_online(4242, now=timezone.now())
        output, errors = process.communicate("\n", timeout=60)
    finally:
        process.kill()
        presence.go_offline(4242)
    assert output.strip().splitlines()[-1] == "True", errors[-2000:]


# --- accepting, the mail queue, continuing in writing ---------------------------------------------------


def test_accepting_takes_a_seat_and_a_chat_is_accepted_once(tr_counselor):
    colleague = counselor_with_profile("counselor_tr2", ["tr"], chat_seats=1)
    first, second = start(), start()
    chat.chat_accept(chat=first, counselor=colleague)
    with pytest.raises(chat.ChatRefused, match="taken"):
        chat.chat_accept(chat=first, counselor=tr_counselor)
    with pytest.raises(chat.ChatRefused, match="no seat"):
        chat.chat_accept(chat=second, counselor=colleague)
    first.case.refresh_from_db()
    assert first.case.counselor == colleague and first.case.status == CaseStatus.OPEN


def test_a_waiting_chat_is_not_a_queued_mail_case(tr_counselor):
    waiting = start()
    assert not routing.queued_cases().filter(pk=waiting.case.pk).exists()
    routing.route_queue()
    waiting.case.refresh_from_db()
    assert waiting.case.counselor is None


def test_continuing_in_writing_keeps_the_transcript_in_the_case(client, tr_counselor):
    live = chat.chat_accept(chat=start(), counselor=tr_counselor)
    youth = live.case.youth
    chat.chat_post(
        chat=live, author=youth, body="Ich suche eine Ausbildung.", client_id=__import__("uuid").uuid4()
    )
    client.force_login(tr_counselor)
    response = client.post(reverse("counseling_staff:chat_convert", args=[live.case.public_id]))
    assert response.status_code == 302
    live.refresh_from_db()
    live.case.refresh_from_db()
    assert live.status == ChatStatus.ENDED and live.case.status == CaseStatus.WAITING
    assert live.case.events.filter(kind=CaseEvent.Kind.CONVERTED).exists()
    client.force_login(youth)
    thread = client.get(reverse("counseling:case", args=[live.case.public_id])).content.decode()
    assert "Ich suche eine Ausbildung." in thread and 'id="reply"' in thread


# --- guests ---------------------------------------------------------------------------------------------


def test_guest_chats_are_deleted_48_hours_after_they_end_unless_kept(tr_counselor):
    now = timezone.now()
    old, recent, kept = (guests.guest_create() for _ in range(3))
    for guest in (old, recent, kept):
        User.objects.filter(pk=guest.pk).update(date_joined=now - timedelta(days=3))
    ended = {}
    for guest, hours_ago in ((old, 49), (recent, 47), (kept, 49)):
        live = start(youth=guest)
        chat.chat_end(chat=live, by=guest)
        type(live).objects.filter(pk=live.pk).update(ended_at=now - timedelta(hours=hours_ago))
        ended[guest.pk] = live.case.pk
    guests.guest_keep(user=kept, username="kept_it", password="kaffee-mit-milch-7")
    running = guests.guest_create()
    User.objects.filter(pk=running.pk).update(date_joined=now - timedelta(days=3))
    start(youth=running)

    assert guests.purge_guests(now=now) == 1
    assert not User.objects.filter(pk=old.pk).exists() and not Case.objects.filter(pk=ended[old.pk]).exists()
    assert User.objects.filter(pk__in=[recent.pk, kept.pk, running.pk]).count() == 3


def test_a_guest_keeps_the_chat_with_a_username_and_password(client, db):
    guest = guests.guest_create()
    live = start(youth=guest)
    chat.chat_end(chat=live, by=guest)
    client.force_login(guest)
    url = reverse("counseling:guest_keep", args=[live.case.public_id])
    refused = client.post(url, {"username": "sunny_7", "password1": "kurz", "password2": "kurz"})
    assert refused.status_code == 400 and 'value="sunny_7"' in refused.content.decode()
    assert User.objects.get(pk=guest.pk).is_guest
    kept = client.post(
        url, {"username": "sunny_7", "password1": "kaffee-mit-milch-7", "password2": "kaffee-mit-milch-7"}
    )
    assert kept.status_code == 302
    guest.refresh_from_db()
    assert not guest.is_guest and guest.username == "sunny_7" and guest.check_password("kaffee-mit-milch-7")


# --- pages and their denials ----------------------------------------------------------------------------


def test_only_the_chats_counselor_opens_the_staff_chat_room(client, tr_counselor):
    live = chat.chat_accept(chat=start(), counselor=tr_counselor)
    url = reverse("counseling_staff:chat", args=[live.case.public_id])
    client.force_login(tr_counselor)
    assert client.get(url).status_code == 200
    # The chat's case has no site: nobody but its counselor may see it, so the others get 404.
    for outsider in (
        counselor_with_profile("counselor_other", ["tr"]),
        counselor_with_profile("trainee_tr", ["tr"], trainee=True),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert (
            client.post(reverse("counseling_staff:chat_end", args=[live.case.public_id])).status_code == 404
        )
    client.force_login(UserFactory(roles=[Role.YOUTH]))
    assert client.get(reverse("counseling:chat", args=[live.case.public_id])).status_code == 404
    assert client.post(reverse("counseling:chat_end", args=[live.case.public_id])).status_code == 404
    live.refresh_from_db()
    assert live.status == ChatStatus.ACTIVE


def test_the_desk_lists_waiting_chats_in_my_languages_and_accept_checks_them(client, tr_counselor):
    turkish, arabic = start("tr"), start("ar")
    client.force_login(tr_counselor)
    desk = client.get(reverse("counseling_staff:chat_desk")).content.decode()
    assert str(turkish.case.public_id) in desk and str(arabic.case.public_id) not in desk
    client.post(reverse("counseling_staff:chat_accept", args=[arabic.case.public_id]))
    arabic.refresh_from_db()
    assert arabic.status == ChatStatus.WAITING
    response = client.post(reverse("counseling_staff:chat_accept", args=[turkish.case.public_id]))
    assert response.url == reverse("counseling_staff:chat", args=[turkish.case.public_id])


def test_going_online_and_offline_from_the_desk(client, tr_counselor):
    client.force_login(tr_counselor)
    client.post(reverse("counseling_staff:chat_presence"), {"online": "1"})
    assert presence.is_online(tr_counselor.pk, now=timezone.now())
    client.post(reverse("counseling_staff:chat_presence"), {"online": "0"})
    assert not presence.is_online(tr_counselor.pk, now=timezone.now())


def test_offering_an_appointment_posts_the_booking_link_in_the_chat_language(client, tr_counselor):
    from counseling import sealing
    from sites.tests.factories import SiteFactory

    site = SiteFactory(slug="jmd-essen")
    live = chat.chat_accept(chat=start(), counselor=tr_counselor)
    Case.objects.filter(pk=live.case.pk).update(site=site)
    client.force_login(tr_counselor)
    client.post(reverse("counseling_staff:chat_appointment", args=[live.case.public_id]))
    line = live.case.messages.get()
    body = sealing.unseal(live.case, line.body_sealed, purpose="message")
    assert "/tr/sites/jmd-essen/book/" in body and line.chat_seq == 1


def test_a_young_person_with_a_running_chat_is_taken_back_to_it(client, tr_counselor):
    youth = UserFactory(roles=[Role.YOUTH])
    waiting = start(youth=youth)
    client.force_login(youth)
    response = client.get(reverse("counseling:chat_start"))
    assert response.url == reverse("counseling:chat", args=[waiting.case.public_id])
