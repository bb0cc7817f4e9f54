"""Group offers: sign-up under a pseudonym, waiting list and promotion, reminders, staff scope."""

import threading
import time as clock
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from hub.roles import Role
from hub.schedule import BEAT_SCHEDULE
from hub.tests.factories import UserFactory, staff_with_totp
from sites import groups, services
from sites.models import GroupOffer, GroupParticipation, GroupSession, ParticipationStatus
from sites.tasks import remind_group_sessions
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN)  # a Monday morning
WEDNESDAY_16 = datetime(2026, 11, 25, 16, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def site():
    return SiteFactory(slug="jmd-essen", town="Essen", offers_groups=True)


def make_offer(site, *, capacity=2, starts_at=WEDNESDAY_16, meetings=1, **fields):
    offer = GroupOffer.objects.create(
        site=site,
        title_de=fields.pop("title", "Sprachcafé"),
        format=fields.pop("format", "virtual"),
        language=fields.pop("language", "de"),
        capacity=capacity,
        link=fields.pop("link", "https://video.jmd.example/room-7"),
        **fields,
    )
    for week in range(meetings):
        start = starts_at + timedelta(weeks=week)
        GroupSession.objects.create(
            offer=offer, starts_at=start, ends_at=start + timedelta(hours=1, minutes=30)
        )
    return offer


@pytest.fixture
def offer(site):
    return make_offer(site)


def youths(count):
    return [UserFactory(roles=[Role.YOUTH]) for _ in range(count)]


def join(offer, person, pseudonym="Sonne"):
    return groups.group_join(offer=offer, youth=person, pseudonym=pseudonym)


# --- youth side -------------------------------------------------------------------------------------


def test_youth_signs_up_with_a_pseudonym_and_sees_the_place(client, offer, youth):
    client.force_login(youth)
    response = client.post(f"/en/sites/groups/{offer.public_id}/", {"pseudonym": "Blue Bird"}, follow=True)
    participation = GroupParticipation.objects.get()
    assert (participation.youth, participation.pseudonym, participation.status) == (
        youth,
        "Blue Bird",
        "confirmed",
    )
    assert "You have a place in this group" in response.content.decode()


def test_a_pseudonym_that_gives_someone_away_is_refused_and_nothing_is_stored(client, offer, youth):
    client.force_login(youth)
    response = client.post(f"/en/sites/groups/{offer.public_id}/", {"pseudonym": "amira.k@example.org"})
    assert response.status_code == 200
    assert "looks like an e-mail address" in response.content.decode()
    assert 'value="amira.k@example.org"' in response.content.decode()  # nothing typed is lost
    assert not GroupParticipation.objects.exists()


def test_signing_up_needs_an_account(client, offer):
    page = client.get(f"/en/sites/groups/{offer.public_id}/").content.decode()
    assert "/en/accounts/signup/?next=" in page
    response = client.post(f"/en/sites/groups/{offer.public_id}/", {"pseudonym": "Sonne"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not GroupParticipation.objects.exists()


def test_a_full_group_puts_people_on_the_waiting_list_in_order(client, offer):
    first, second, third, fourth = youths(4)
    assert [join(offer, person).status for person in (first, second, third, fourth)] == [
        "confirmed",
        "confirmed",
        "waiting",
        "waiting",
    ]
    client.force_login(fourth)
    page = client.get(f"/en/sites/groups/{offer.public_id}/").content.decode()
    assert "number 2 on the waiting list" in page


def test_leaving_promotes_the_first_on_the_waiting_list_and_tells_them(
    client, offer, django_capture_on_commit_callbacks
):
    first, second, third, fourth = youths(4)
    for person in (first, second, third, fourth):
        join(offer, person)
    third.email = "third@example.org"
    third.save()
    client.force_login(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/sites/groups/{offer.public_id}/leave/")
    statuses = dict(GroupParticipation.objects.values_list("youth__username", "status"))
    assert statuses[first.username] == "cancelled"
    assert statuses[third.username] == "confirmed"
    assert statuses[fourth.username] == "waiting"
    assert GroupParticipation.objects.get(youth=third).promoted_at == NOW
    assert [message.to for message in mail.outbox] == [["third@example.org"]]
    assert "Sprachcafé" not in mail.outbox[0].subject + mail.outbox[0].body  # neutral: no title


def test_signing_up_twice_keeps_one_place(offer, youth):
    assert join(offer, youth) == join(offer, youth, pseudonym="Other")
    assert GroupParticipation.objects.count() == 1


def test_the_video_link_is_only_for_participants_with_a_place(client, site, youth, other_youth):
    offer = make_offer(site, capacity=1)
    join(offer, youth)
    join(offer, other_youth)  # waiting
    path = f"/en/sites/groups/{offer.public_id}/"
    assert "room-7" not in client.get(path).content.decode()
    client.force_login(other_youth)
    assert "room-7" not in client.get(path).content.decode()
    client.force_login(youth)
    assert "https://video.jmd.example/room-7" in client.get(path).content.decode()


def test_no_sign_up_after_the_last_meeting_began_or_when_cancelled(site, youth):
    past = make_offer(site, starts_at=NOW - timedelta(days=1))
    with pytest.raises(groups.GroupClosed):
        join(past, youth)
    cancelled = make_offer(site, is_cancelled=True)
    with pytest.raises(groups.GroupClosed):
        join(cancelled, youth)


def test_my_page_lists_only_my_own_groups(client, site, youth, other_youth):
    mine, theirs = make_offer(site, title="Bewerbungstraining"), make_offer(site, title="Sprachcafé")
    join(mine, youth)
    join(theirs, other_youth)
    client.force_login(youth)
    page = client.get("/en/sites/mine/").content.decode()
    assert "Bewerbungstraining" in page and "Sprachcafé" not in page


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sign_ups_for_the_last_place_give_one_place_and_one_waiting(site):
    if connection.vendor != "postgresql":
        pytest.skip("the race is decided by PostgreSQL's row lock (make test)")
    offer = make_offer(site, capacity=1)
    people = youths(2)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(person):
        try:
            barrier.wait()
            outcomes.append(join(offer, person).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["confirmed", "waiting"]
    assert offer.participations.filter(status="confirmed").count() == 1


# --- listings -------------------------------------------------------------------------------------------


def test_overview_lists_upcoming_offers_and_filters_by_language_and_format(client, site):
    make_offer(site, title="Café Deutsch", language="de", format="virtual")
    make_offer(site, title="نادي القراءة", language="ar", format="on_site", room="Raum 2")
    make_offer(site, title="Vorbei", starts_at=NOW - timedelta(days=2))
    make_offer(site, title="Abgesagt", is_cancelled=True)
    page = client.get("/de/sites/groups/").content.decode()
    assert "Café Deutsch" in page and "نادي القراءة" in page
    assert "Vorbei" not in page and "Abgesagt" not in page
    arabic = client.get("/de/sites/groups/?language=ar").content.decode()
    assert "نادي القراءة" in arabic and "Café Deutsch" not in arabic
    virtual = client.get("/de/sites/groups/?format=virtual").content.decode()
    assert "Café Deutsch" in virtual and "نادي القراءة" not in virtual


def test_site_page_lists_its_group_offers_with_places_left(client, site, youth):
    offer = make_offer(site, capacity=3)
    join(offer, youth)
    page = client.get("/en/sites/jmd-essen/").content.decode()
    assert "Sprachcafé" in page and "2 places left" in page


def test_overview_query_count_does_not_grow_with_offers(client, site, django_assert_max_num_queries):
    for number in range(3):
        make_offer(site, title=f"Gruppe {number}")
    with django_assert_max_num_queries(6) as few:
        client.get("/de/sites/groups/")
    for number in range(30):
        make_offer(site, title=f"Weitere {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/de/sites/groups/")


def test_group_titles_fall_back_to_german(client, site):
    offer = make_offer(site, title="Sprachcafé")
    assert "Sprachcafé" in client.get(f"/ar/sites/groups/{offer.public_id}/").content.decode()


# --- reminders --------------------------------------------------------------------------------------------


def test_reminders_go_once_the_day_before_to_people_with_a_place_and_an_address(
    site, django_capture_on_commit_callbacks
):
    offer = make_offer(site, capacity=1, starts_at=NOW + timedelta(days=1))
    placed, waiting = youths(2)
    placed.email, waiting.email = "placed@example.org", "waiting@example.org"
    placed.save(), waiting.save()
    join(offer, placed)
    join(offer, waiting)
    assert remind_group_sessions() == 1
    assert remind_group_sessions() == 0
    assert [message.to for message in mail.outbox] == [["placed@example.org"]]
    message = mail.outbox[0]
    assert "Sprachcafé" not in message.subject + message.body
    assert "tomorrow" in message.subject.lower() or "morgen" in message.subject.lower()


def test_the_reminder_job_is_scheduled():
    assert BEAT_SCHEDULE["remind-group-sessions"]["task"] == "sites.remind_group_sessions"


@pytest.mark.usefixtures("celery_worker")
def test_a_real_worker_sends_the_reminder_over_smtp(monkeypatch, smtp_sink):
    # The worker runs in its own process on the real clock: the meeting is tomorrow for real.
    monkeypatch.undo()
    site = SiteFactory(slug="jmd-worker")
    tomorrow = timezone.localdate() + timedelta(days=1)
    starts_at = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time())) + timedelta(hours=17)
    offer = make_offer(site, starts_at=starts_at)
    person = UserFactory(roles=[Role.YOUTH], email="lina@example.org")
    join(offer, person)
    remind_group_sessions.delay()
    deadline = clock.monotonic() + 20
    while not smtp_sink.messages and clock.monotonic() < deadline:
        clock.sleep(0.1)
    assert [message["to"] for message in smtp_sink.messages] == [["lina@example.org"]]
    assert "Sprachcafé" not in smtp_sink.messages[0]["data"]


# --- staff ----------------------------------------------------------------------------------------------


def lead_of(site, username="lead_essen"):
    user = staff_with_totp(username=username, roles=[Role.SITE_LEAD, Role.COUNSELOR])
    services.site_lead_grant(user=user, site=site)
    return user


def counselor_at(site, username="counselor_essen"):
    user = staff_with_totp(username=username, roles=[Role.COUNSELOR])
    services.site_counselor_grant(user=user, site=site)
    return user


def offer_post(**overrides):
    data = {
        "title": "Bewerbungstraining",
        "description": "Wir üben Vorstellungsgespräche.",
        "format": "on_site",
        "language": "de",
        "capacity": "8",
        "room": "Raum 2",
        "link": "",
        "sessions-TOTAL_FORMS": "2",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "60",
        "sessions-0-day": "2026-11-25",
        "sessions-0-starts": "16:00",
        "sessions-0-ends": "17:30",
        "sessions-1-day": "2026-12-02",
        "sessions-1-starts": "16:00",
        "sessions-1-ends": "17:30",
    }
    return {**data, **overrides}


def test_site_lead_creates_a_group_offer_with_meetings(client, site):
    client.force_login(lead_of(site))
    response = client.post("/de/staff/sites/jmd-essen/groups/new/", offer_post())
    offer = GroupOffer.objects.get()
    assert response.status_code == 302
    assert (offer.site, offer.title_de, offer.capacity, offer.room) == (
        site,
        "Bewerbungstraining",
        8,
        "Raum 2",
    )
    assert [session.starts_at for session in offer.sessions.all()] == [
        WEDNESDAY_16,
        WEDNESDAY_16 + timedelta(weeks=1),
    ]


def test_bad_offer_input_is_explained_and_kept(client, site):
    client.force_login(lead_of(site))
    response = client.post(
        "/de/staff/sites/jmd-essen/groups/new/",
        offer_post(
            capacity="0", link="http://insecure.example", format="virtual", **{"sessions-0-ends": "15:00"}
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"capacity", "link"}
    assert response.context["sessions"].forms[0].errors["ends"]
    assert "Wir üben Vorstellungsgespräche." in response.content.decode()
    assert not GroupOffer.objects.exists()


def test_more_places_move_people_up_from_the_waiting_list(client, site):
    offer = make_offer(site, capacity=1, format="on_site", room="Raum 1", link="")
    first, second = youths(2)
    join(offer, first), join(offer, second)
    session = offer.sessions.get()
    day = timezone.localtime(session.starts_at)
    client.force_login(lead_of(site))
    client.post(
        f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/edit/",
        offer_post(
            title="Sprachcafé",
            capacity="2",
            room="Raum 1",
            **{
                "sessions-TOTAL_FORMS": "1",
                "sessions-INITIAL_FORMS": "1",
                "sessions-0-id": str(session.pk),
                "sessions-0-day": day.date().isoformat(),
                "sessions-0-starts": "16:00",
                "sessions-0-ends": "17:30",
            },
        ),
    )
    assert GroupParticipation.objects.get(youth=second).status == ParticipationStatus.CONFIRMED


def test_the_sites_counselor_sees_the_participant_list_but_cannot_edit(
    client, offer, youth, other_youth, site
):
    join(offer, youth, pseudonym="Sonne")
    join(offer, other_youth, pseudonym="Mond")
    client.force_login(counselor_at(site))
    page = client.get(f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/").content.decode()
    assert "Sonne" in page and "Mond" in page
    assert youth.username not in page  # staff see the pseudonym, not the account name
    assert client.get(f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/edit/").status_code == 403
    assert client.get("/de/staff/sites/jmd-essen/groups/new/").status_code == 403
    action = f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/action/"
    assert client.post(action, {"action": "cancel"}).status_code == 403
    assert not GroupOffer.objects.get().is_cancelled


def test_staff_of_another_site_get_403_on_every_group_page(client, offer):
    other_site = SiteFactory(slug="jmd-dresden")
    client.force_login(lead_of(other_site, username="lead_dresden"))
    base = f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/"
    for path in [
        "/de/staff/sites/jmd-essen/groups/",
        base,
        base + "edit/",
        "/de/staff/sites/jmd-essen/groups/new/",
    ]:
        assert client.get(path).status_code == 403, path
    assert client.post(base + "action/", {"action": "cancel"}).status_code == 403
    assert client.post("/de/staff/sites/jmd-essen/groups/new/", offer_post()).status_code == 403
    assert GroupOffer.objects.count() == 1 and not GroupOffer.objects.get().is_cancelled


def test_youth_cannot_reach_the_staff_group_pages(client, offer, youth):
    client.force_login(youth)
    assert client.get(f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/").status_code == 403


def test_lead_takes_someone_off_and_the_next_moves_up(client, site):
    offer = make_offer(site, capacity=1)
    first, second = youths(2)
    placed, _waiting = join(offer, first), join(offer, second)
    client.force_login(lead_of(site))
    client.post(f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/action/", {"participation": placed.pk})
    assert GroupParticipation.objects.get(youth=first).status == ParticipationStatus.CANCELLED
    assert GroupParticipation.objects.get(youth=second).status == ParticipationStatus.CONFIRMED


def test_coordinator_cancels_an_offer_and_participants_are_told(
    client, coordinator, offer, youth, django_capture_on_commit_callbacks
):
    youth.email = "amira@example.org"
    youth.save()
    join(offer, youth)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/de/staff/sites/jmd-essen/groups/{offer.public_id}/action/", {"action": "cancel"})
    assert GroupOffer.objects.get().is_cancelled
    assert [message.to for message in mail.outbox] == [["amira@example.org"]]
    assert str(offer.public_id) not in client.get("/de/sites/groups/").content.decode()
