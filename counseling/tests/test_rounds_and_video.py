"""Topic chat rounds (schedule, join, moderate, close) and video-call signalling and pages."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from counseling import rounds
from counseling.models import ChatRound, RoundMessage, RoundParticipant, RoundStatus
from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub import loop_db
from hub.asgi import application
from hub.models import User
from hub.roles import Role
from hub.tests.factories import UserFactory

BERLIN = ZoneInfo("Europe/Berlin")
ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()
    await loop_db.close()  # the loop's own connections (hub/loop_db.py)


def next_tuesday_at(hour):
    today = timezone.localdate()
    days = (1 - today.weekday()) % 7 or 7
    day = today + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def open_round(moderator=None):
    moderator = moderator or counselor_with_profile(f"moderator_{uuid.uuid4().hex[:5]}", ["de"])
    starts = timezone.now() - timedelta(minutes=5)
    chat_round = rounds.round_schedule(
        moderator=moderator, title="Ausbildung finden", topic="work", language="de",
        starts_at=starts, ends_at=starts + timedelta(hours=1),
    )  # fmt: skip
    return rounds.round_open(chat_round=chat_round)


async def connect(user, chat_round):
    communicator = WebsocketCommunicator(application, f"/ws/rounds/{chat_round.public_id}/", headers=ORIGIN)
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    if connected:
        assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    return communicator, connected, code


async def next_of(communicator, kind):
    while True:
        event = await communicator.receive_json_from(timeout=5)
        if event["type"] == kind:
            return event


# --- scheduling and joining -----------------------------------------------------------------------------


def test_a_round_is_planned_within_the_chat_hours_only(client, db):
    moderator = counselor_with_profile("moderator_de", ["de"])
    client.force_login(moderator)
    url = reverse("counseling_staff:rounds")
    data = {"title": "Wohnung suchen", "topic": "housing", "language": "de", "minutes": 60}
    late = client.post(url, data | {"starts_at": next_tuesday_at(19).strftime("%Y-%m-%dT%H:%M")})
    assert late.status_code == 200 and not ChatRound.objects.exists()
    assert 'value="Wohnung suchen"' in late.content.decode()
    ok = client.post(url, data | {"starts_at": next_tuesday_at(15).strftime("%Y-%m-%dT%H:%M")})
    planned = ChatRound.objects.get()
    assert ok.url == reverse("counseling_staff:round", args=[planned.public_id])
    assert planned.ends_at - planned.starts_at == timedelta(hours=1)

    client.force_login(counselor_with_profile("trainee_de", ["de"], trainee=True))
    assert client.get(url).status_code == 403
    client.force_login(counselor_with_profile("colleague_de", ["de"]))
    assert client.get(reverse("counseling_staff:round", args=[planned.public_id])).status_code == 403


def test_a_visitor_joins_by_link_as_a_guest_under_a_chosen_name(client, db):
    chat_round = open_round()
    url = reverse("counseling:round", args=[chat_round.public_id])
    refused = client.post(url, {"pseudonym": "0176 1234567"})
    assert refused.status_code == 200 and not RoundParticipant.objects.exists()
    client.post(url, {"pseudonym": "Sonnenblume"})
    participant = RoundParticipant.objects.get()
    assert participant.pseudonym == "Sonnenblume" and participant.user.is_guest
    page = client.get(url).content.decode()
    assert f"/ws/rounds/{chat_round.public_id}/" in page


def test_the_moderators_page_has_the_link_and_a_qr_code(client, db):
    chat_round = open_round()
    client.force_login(chat_round.moderator)
    page = client.get(reverse("counseling_staff:round", args=[chat_round.public_id])).content.decode()
    assert f"/rounds/{chat_round.public_id}/" in page and 'src="data:image/svg+xml;base64,' in page


# --- the room -------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_only_participants_and_the_moderator_are_in_the_room_and_a_removed_one_is_out():
    def setup():
        chat_round = open_round()
        member, other = UserFactory(roles=[Role.YOUTH]), UserFactory(roles=[Role.YOUTH])
        participant = rounds.round_join(chat_round=chat_round, user=member, pseudonym="Stern")
        return chat_round, member, other, participant

    chat_round, member, other, participant = await sync_to_async(setup)()
    moderator = await sync_to_async(User.objects.get)(pk=chat_round.moderator_id)
    _, connected, code = await connect(other, chat_round)
    assert not connected and code == 4403

    room, connected, _ = await connect(member, chat_round)
    lead, lead_connected, _ = await connect(moderator, chat_round)
    assert connected and lead_connected
    await room.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Hallo zusammen"})
    line = await next_of(lead, "line")
    assert line["author"] == "Stern" and line["body"] == "Hallo zusammen" and not line["mine"]

    await sync_to_async(rounds.round_remove)(chat_round=chat_round, participant=participant)
    assert await next_of(room, "removed") == {"type": "removed"}
    assert (await room.receive_output(timeout=5))["type"] == "websocket.close"
    _, connected, code = await connect(member, chat_round)
    assert not connected and code == 4403
    with pytest.raises(Exception, match="removed"):
        await sync_to_async(rounds.round_join)(chat_round=chat_round, user=member, pseudonym="Stern2")
    await lead.disconnect()


def test_a_removed_participant_gets_403_on_the_page(client, db):
    chat_round = open_round()
    member = UserFactory(roles=[Role.YOUTH])
    participant = rounds.round_join(chat_round=chat_round, user=member, pseudonym="Mond")
    client.force_login(chat_round.moderator)
    client.post(
        reverse("counseling_staff:round_action", args=[chat_round.public_id]),
        {"action": "remove", "participant": participant.pk},
    )
    client.force_login(member)
    assert client.get(reverse("counseling:round", args=[chat_round.public_id])).status_code == 403


def test_closing_a_round_deletes_its_transcript_unless_the_retention_policy_keeps_it(db, settings):
    member = UserFactory(roles=[Role.YOUTH])
    deleted, kept = open_round(), open_round()
    for chat_round in (deleted, kept):
        rounds.round_join(chat_round=chat_round, user=member, pseudonym="Wolke")
        rounds.round_post(chat_round=chat_round, author=member, body="Danke!", client_id=uuid.uuid4())
    rounds.round_close(chat_round=deleted)
    deleted.refresh_from_db()
    assert deleted.status == RoundStatus.CLOSED and deleted.wrapped_key == b""
    assert not RoundMessage.objects.filter(round=deleted).exists()

    settings.CHAT_ROUND_KEEP_TRANSCRIPT = True
    rounds.round_close(chat_round=kept)
    assert [line["body"] for line in rounds.lines_after(kept, 0)] == ["Danke!"]


def test_rounds_past_their_end_are_closed_by_the_job(db):
    chat_round = open_round()
    ChatRound.objects.filter(pk=chat_round.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    assert rounds.close_overdue_rounds(now=timezone.now()) == 1
    chat_round.refresh_from_db()
    assert chat_round.status == RoundStatus.CLOSED


# --- video ----------------------------------------------------------------------------------------------


def test_the_counselor_offers_a_video_call_and_only_then_the_young_person_can_join(client, db):
    counselor = counselor_with_profile("counselor_video", ["de"])
    case = assign_to(make_case(), counselor)
    youth_url = reverse("counseling:video", args=[case.public_id])
    client.force_login(case.youth)
    assert client.get(youth_url).status_code == 302
    client.force_login(counselor_with_profile("counselor_else", ["de"]))  # may not see the case: 404
    assert client.post(reverse("counseling_staff:video", args=[case.public_id])).status_code == 404

    client.force_login(counselor)
    client.post(reverse("counseling_staff:video", args=[case.public_id]))
    staff_page = client.get(reverse("counseling_staff:video", args=[case.public_id])).content.decode()
    assert 'data-caller="true"' in staff_page
    client.force_login(case.youth)
    assert youth_url in client.get(reverse("counseling:case", args=[case.public_id])).content.decode()
    youth_page = client.get(youth_url).content.decode()
    assert 'data-caller="false"' in youth_page and 'id="ice-servers"' in youth_page
    client.force_login(UserFactory(roles=[Role.YOUTH]))
    assert client.get(youth_url).status_code == 404


@pytest.mark.django_db(transaction=True)
async def test_video_signals_pass_between_the_case_youth_and_counselor_only():
    def setup():
        counselor = counselor_with_profile("counselor_sig", ["de"])
        return assign_to(make_case(), counselor), counselor

    case, counselor = await sync_to_async(setup)()
    youth = await sync_to_async(User.objects.get)(pk=case.youth_id)
    sockets = []
    for user in (youth, counselor):
        communicator = WebsocketCommunicator(application, f"/ws/cases/{case.public_id}/", headers=ORIGIN)
        communicator.scope["user"] = user
        assert (await communicator.connect())[0]
        assert (await communicator.receive_json_from(timeout=5)) == {"type": "hello", "status": None}
        sockets.append(communicator)
    young, staff = sockets
    offer = {"kind": "offer", "sdp": {"type": "offer", "sdp": "v=0"}}
    await staff.send_json_to({"type": "signal", "data": offer})
    assert await young.receive_json_from(timeout=5) == {"type": "signal", "data": offer}
    assert await staff.receive_nothing(timeout=0.3)
    for communicator in sockets:
        await communicator.disconnect()


@pytest.mark.parametrize("starts_at", ["9999-12-31T23:59", "0001-01-01T00:00", "2100-01-05T15:00"])
def test_a_round_far_in_the_future_or_past_is_a_form_error_not_a_server_error(client, db, starts_at):
    client.force_login(counselor_with_profile("moderator_de", ["de"]))
    data = {"title": "Wohnung suchen", "topic": "housing", "language": "de", "minutes": 60}
    response = client.post(reverse("counseling_staff:rounds"), data | {"starts_at": starts_at})
    assert response.status_code == 200 and not ChatRound.objects.exists()
    assert 'value="Wohnung suchen"' in response.content.decode()
    assert "starts_at" in response.context["form"].errors
