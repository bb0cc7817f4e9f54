"""Live chat over websockets, through the real ASGI application and (under `make test`) Redis:
who may join, delivery across drops and retries, typing, read state, the waiting room, ending."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.utils import timezone

from counseling import chat, guests, presence
from counseling.models import ChatStatus, Message
from counseling.tests.factories import counselor_with_profile
from hub import loop_db
from hub.asgi import application
from hub.roles import Role
from hub.tests.factories import UserFactory

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()
    await loop_db.close()  # the loop's own connections (hub/loop_db.py)


async def connect(user, public_id):
    communicator = WebsocketCommunicator(application, f"/ws/cases/{public_id}/", headers=ORIGIN)
    if user is not None:
        communicator.scope["user"] = user
    connected, code = await communicator.connect()
    if connected:
        hello = await communicator.receive_json_from(timeout=5)
        assert hello["type"] == "hello"
        communicator.hello = hello
    return communicator, connected, code


def running_chat(language="tr"):
    youth = UserFactory(roles=[Role.YOUTH])
    counselor = counselor_with_profile(f"counselor_{uuid.uuid4().hex[:6]}", [language])
    started = chat.chat_start(youth=youth, language=language, topic="work")
    return chat.chat_accept(chat=started, counselor=counselor), youth, counselor


async def receive_type(communicator, kind, timeout=5):
    """The next event of a kind, skipping others (e.g. the echo of one's own line)."""
    while True:
        event = await communicator.receive_json_from(timeout=timeout)
        if event["type"] == kind:
            return event


async def send_line(communicator, body, client_id=None):
    client_id = str(client_id or uuid.uuid4())
    await communicator.send_json_to({"type": "send", "client_id": client_id, "body": body})
    ack = await receive_type(communicator, "ack")
    assert ack["client_id"] == client_id
    return ack


async def test_only_the_case_youth_and_its_counselor_may_join():
    live, youth, counselor = await sync_to_async(running_chat)()
    other_youth = await sync_to_async(UserFactory)(roles=[Role.YOUTH])
    other_counselor = await sync_to_async(counselor_with_profile)("counselor_other", ["tr"])
    public_id = live.case.public_id

    for user in (youth, counselor):
        communicator, connected, _ = await connect(user, public_id)
        assert connected
        await communicator.disconnect()
    for user in (other_youth, other_counselor):  # may not see the case: as for a case that does not exist
        communicator, connected, code = await connect(user, public_id)
        assert not connected and code == 4404
    communicator, connected, code = await connect(None, public_id)
    assert not connected and code == 4401
    communicator, connected, code = await connect(youth, uuid.uuid4())
    assert not connected and code == 4404


async def test_a_guest_cannot_open_another_guests_chat():
    def two_guest_chats():
        first, second = guests.guest_create(), guests.guest_create()
        return chat.chat_start(youth=first, language="de", topic="work"), first, second

    live, first, second = await sync_to_async(two_guest_chats)()
    communicator, connected, _ = await connect(first, live.case.public_id)
    assert connected and communicator.hello["status"] == ChatStatus.WAITING
    intruder, connected, code = await connect(second, live.case.public_id)
    assert not connected and code == 4404
    await communicator.disconnect()


async def test_lines_and_typing_reach_the_other_side():
    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    staff, _, _ = await connect(counselor, live.case.public_id)

    await young.send_json_to({"type": "typing"})
    assert await staff.receive_json_from(timeout=5) == {"type": "typing", "by_staff": False}
    assert await young.receive_nothing(timeout=0.3)  # one's own typing is not echoed

    ack = await send_line(young, "Merhaba, bir sorum var.")
    line = await receive_type(staff, "line")
    assert line["seq"] == ack["seq"] == 1
    assert line["body"] == "Merhaba, bir sorum var." and line["mine"] is False and not line["from_staff"]
    echo = await receive_type(young, "line")
    assert echo["mine"] is True and "author_id" not in echo

    await send_line(staff, "Merhaba! Nasıl yardımcı olabilirim?")
    answer = await receive_type(young, "line")
    assert answer["from_staff"] and answer["author"] == counselor.get_short_name()
    await young.disconnect()
    await staff.disconnect()


async def test_a_reconnecting_client_gets_what_it_missed_once_and_in_order():
    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    staff, _, _ = await connect(counselor, live.case.public_id)
    ack = await send_line(young, "first")
    last_seen = ack["seq"]
    await young.disconnect()  # the network drops

    for body in ("second", "third"):
        await send_line(staff, body)

    young, _, _ = await connect(youth, live.case.public_id)
    await young.send_json_to({"type": "resume", "after": last_seen})
    missed = await receive_type(young, "lines")
    assert [(line["seq"], line["body"]) for line in missed["lines"]] == [(2, "second"), (3, "third")]
    await young.send_json_to({"type": "resume", "after": 3})
    assert (await receive_type(young, "lines"))["lines"] == []

    # A send retried after a drop (same client id) is stored once and acknowledged with the same number.
    client_id = uuid.uuid4()
    first = await send_line(young, "are you there?", client_id)
    again = await send_line(young, "are you there?", client_id)
    assert first["seq"] == again["seq"] == 4
    assert await sync_to_async(Message.objects.filter(case=live.case, idempotency_key=client_id).count)() == 1
    await young.disconnect()
    await staff.disconnect()


async def test_read_state_and_ending_reach_both_sides():
    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    staff, _, _ = await connect(counselor, live.case.public_id)
    ack = await send_line(young, "Hallo")
    await staff.send_json_to({"type": "read", "seq": ack["seq"]})
    read = await receive_type(young, "read")
    assert read == {"type": "read", "by_staff": True, "seq": 1}

    await young.send_json_to({"type": "end"})
    assert (await receive_type(staff, "ended"))["by_staff"] is False
    await staff.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "noch da?"})
    refused = await receive_type(staff, "refused")
    assert refused["reason"] == "not active"
    await young.disconnect()
    await staff.disconnect()


async def test_a_counselor_handed_another_case_cannot_read_this_one_any_more():
    live, youth, counselor = await sync_to_async(running_chat)()
    staff, _, _ = await connect(counselor, live.case.public_id)
    successor = await sync_to_async(counselor_with_profile)("counselor_next", ["tr"])

    def hand_over():
        live.case.counselor = successor
        live.case.save(update_fields=["counselor"])

    await sync_to_async(hand_over)()
    await staff.send_json_to({"type": "resume", "after": 0})
    assert (await receive_type(staff, "lines"))["lines"] == []
    await staff.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "x"})
    assert (await receive_type(staff, "refused"))["reason"] == "not a participant"
    await staff.disconnect()


async def test_the_waiting_room_shows_a_live_queue_position():
    def setup():
        counselor = counselor_with_profile("counselor_ar", ["ar"])
        presence.go_online(counselor.pk, now=timezone.now())
        first_youth, second_youth = UserFactory(roles=[Role.YOUTH]), UserFactory(roles=[Role.YOUTH])
        first = chat.chat_start(youth=first_youth, language="ar", topic="school")
        second = chat.chat_start(youth=second_youth, language="ar", topic="school")
        return counselor, first, second, second_youth

    counselor, first, second, second_youth = await sync_to_async(setup)()
    waiting, _, _ = await connect(second_youth, second.case.public_id)
    assert waiting.hello["position"] == 2
    await sync_to_async(chat.chat_accept)(chat=first, counselor=counselor)
    assert (await receive_type(waiting, "position"))["position"] == 1
    await sync_to_async(chat.chat_accept)(chat=second, counselor=counselor)
    accepted = await receive_type(waiting, "accepted")
    assert accepted["counselor"] == counselor.get_short_name()
    await waiting.disconnect()


async def test_the_chat_desk_keeps_presence_with_heartbeats_and_refuses_non_counselors():
    counselor = await sync_to_async(counselor_with_profile)("counselor_desk", ["de"])
    youth = await sync_to_async(UserFactory)(roles=[Role.YOUTH])
    refused = WebsocketCommunicator(application, "/ws/chat-desk/", headers=ORIGIN)
    refused.scope["user"] = youth
    connected, code = await refused.connect()
    assert not connected and code == 4403

    desk = WebsocketCommunicator(application, "/ws/chat-desk/", headers=ORIGIN)
    desk.scope["user"] = counselor
    assert (await desk.connect())[0]
    await desk.send_json_to({"type": "heartbeat", "active": True})
    assert await desk.receive_json_from(timeout=5) == {"type": "presence", "online": False}  # not switched on
    await sync_to_async(presence.go_online)(counselor.pk, now=timezone.now())
    await desk.send_json_to({"type": "heartbeat", "active": True})
    assert await desk.receive_json_from(timeout=5) == {"type": "presence", "online": True}

    await sync_to_async(chat.chat_start)(youth=youth, language="de", topic="work")
    assert await desk.receive_json_from(timeout=5) == {"type": "queue"}
    await desk.disconnect()


async def test_a_flood_of_lines_is_refused_and_nothing_written_is_lost_on_the_page_side():
    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    for n in range(20):
        await send_line(young, f"line {n}")
    await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "one more"})
    assert (await receive_type(young, "refused"))["reason"] == "too fast"
    assert await sync_to_async(Message.objects.filter(case=live.case).count)() == 20
    await young.disconnect()
