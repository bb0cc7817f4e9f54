"""The video room of an intervision meeting (counseling/intervision/consumers.py) over the real ASGI
application and channel layer: members join and reach each other, one peer at a time; whoever may not
open the meeting's page opens no socket; a member removed from the group is dropped from the call."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import connections

from counseling.intervision import services
from counseling.intervision.tests.factories import group_with, meeting_for
from counseling.tests.factories import counselor_with_profile
from counseling.tests.test_socket_access import next_of
from hub.asgi import application
from hub.roles import Role
from hub.tests.factories import UserFactory

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


def _world():
    anna, bernd, carla = (counselor_with_profile(f"counselor_{n}_{uuid.uuid4().hex[:5]}") for n in "abc")
    outsider = counselor_with_profile(f"counselor_out_{uuid.uuid4().hex[:5]}")
    other_member = counselor_with_profile(f"counselor_oth_{uuid.uuid4().hex[:5]}")
    group = group_with(anna, bernd, carla, name="Intervision Nord", language="de")
    other_group = group_with(other_member, name="Intervision Süd", language="de")
    return {
        "anna": anna, "bernd": bernd, "carla": carla, "outsider": outsider, "other_member": other_member,
        "youth": UserFactory(roles=[Role.YOUTH]), "group": group, "meeting": meeting_for(group),
        "other_meeting": meeting_for(other_group),
    }  # fmt: skip


def path_of(meeting):
    return f"/ws/intervision/meetings/{meeting.public_id}/"


async def connects(user, path):
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    await communicator.disconnect()
    return connected, code


async def join(user, meeting):
    communicator = WebsocketCommunicator(application, path_of(meeting), headers=ORIGIN)
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    assert connected, code
    hello = await communicator.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    return communicator, hello["peer"]


async def closed_after_greetings(communicator) -> tuple[int, str]:
    """The close, after any greetings still queued (who joined, who is here); never a relayed signal."""
    while True:
        output = await communicator.receive_output(timeout=15)
        if output["type"] == "websocket.close":
            return output["code"], output.get("reason", "")
        assert '"signal"' not in output["text"], output


async def test_members_meet_and_each_signal_reaches_only_the_peer_it_names():
    world = await sync_to_async(_world)()
    anna, anna_id = await join(world["anna"], world["meeting"])
    bernd, bernd_id = await join(world["bernd"], world["meeting"])
    try:
        joined = await next_of(anna, "joined")
        assert joined["peer"] == bernd_id and joined["name"] == world["bernd"].get_full_name()
        present = await next_of(bernd, "present")  # the newcomer hears who is here, and makes the offer
        assert present["peer"] == anna_id
        carla, carla_id = await join(world["carla"], world["meeting"])
        await next_of(anna, "joined")
        await next_of(bernd, "joined")
        assert {(await next_of(carla, "present"))["peer"] for _ in range(2)} == {anna_id, bernd_id}

        offer = {"kind": "offer", "sdp": {"type": "offer", "sdp": "v=0"}}
        await bernd.send_json_to({"type": "signal", "to": anna_id, "data": offer})
        relayed = await next_of(anna, "signal")
        assert relayed == {"type": "signal", "from": bernd_id, "data": offer}
        assert await carla.receive_nothing(timeout=0.5)  # addressed to Anna: Carla hears nothing of it

        await carla.disconnect()
        assert (await next_of(anna, "left"))["peer"] == carla_id
        assert (await next_of(bernd, "left"))["peer"] == carla_id
    finally:
        await anna.disconnect()
        await bernd.disconnect()


async def test_a_non_member_a_youth_an_anonymous_visitor_and_another_groups_member_are_refused():
    world = await sync_to_async(_world)()
    path = path_of(world["meeting"])
    assert (await connects(world["anna"], path))[0] is True
    for who in ("outsider", "other_member", "youth"):
        assert (await connects(world[who], path))[0] is False, who
    assert (await connects(AnonymousUser(), path))[0] is False
    # A meeting of another group is not opened by this group's member either.
    assert (await connects(world["anna"], path_of(world["other_meeting"])))[0] is False
    assert (await connects(world["other_member"], path_of(world["other_meeting"])))[0] is True


async def test_a_member_removed_from_the_group_is_dropped_from_the_call():
    world = await sync_to_async(_world)()
    anna, _anna_id = await join(world["anna"], world["meeting"])
    bernd, bernd_id = await join(world["bernd"], world["meeting"])
    try:
        await next_of(anna, "joined")
        await sync_to_async(services.member_remove)(
            group=world["group"], user_id=world["bernd"].pk, actor=world["anna"]
        )
        code, reason = await closed_after_greetings(bernd)
        assert (code, reason) == (4404, "removed")
        assert (await next_of(anna, "left"))["peer"] == bernd_id
        assert (await connects(world["bernd"], path_of(world["meeting"])))[0] is False
    finally:
        await anna.disconnect()


def test_the_meeting_page_offers_the_call_and_says_it_needs_javascript(client):
    world = _world()
    client.force_login(world["anna"])
    response = client.get(f"/de/staff/intervision/meetings/{world['meeting'].public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-socket="{path_of(world["meeting"])}"' in html
    assert "counseling/js/meeting_video.js" in html and 'id="video-strings"' in html
    noscript = html[html.index("<noscript>") : html.index("</noscript>")]
    assert "JavaScript" in noscript
    client.force_login(world["outsider"])
    assert client.get(f"/de/staff/intervision/meetings/{world['meeting'].public_id}/").status_code == 404


async def test_a_member_removed_without_an_announcement_is_dropped_at_the_next_check(monkeypatch):
    """Announcements are at-most-once: a removal nobody announced still ends the socket when its verdict
    is next checked (before the next event it would receive), and it hears nothing more."""
    from counseling.intervision.models import IntervisionMember
    from hub import sockets

    world = await sync_to_async(_world)()
    anna, _anna_id = await join(world["anna"], world["meeting"])
    bernd, bernd_id = await join(world["bernd"], world["meeting"])
    try:
        await next_of(anna, "joined")
        monkeypatch.setattr(sockets, "RECHECK_SECONDS", 0)
        await sync_to_async(IntervisionMember.objects.filter(user=world["bernd"]).delete)()
        await anna.send_json_to({"type": "signal", "to": bernd_id, "data": {"kind": "offer", "sdp": {}}})
        assert await closed_after_greetings(bernd) == (4404, "denied")
        assert (await next_of(anna, "left"))["peer"] == bernd_id
    finally:
        await anna.disconnect()
