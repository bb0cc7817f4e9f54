"""The per-user websocket: only for signed-in users, and events arrive after commit."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from hub import services
from hub.asgi import application

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    # sync_to_async runs the ORM in a worker thread; close its connection so the test DB can be dropped.
    yield
    await sync_to_async(connections.close_all)()


async def connect(user=None):
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=ORIGIN)
    if user is not None:
        communicator.scope["user"] = user
    return communicator, await communicator.connect()


async def test_anonymous_socket_is_refused():
    communicator, (connected, code) = await connect()
    assert not connected
    assert code == 4401


async def test_signed_in_user_gets_their_events_and_only_theirs(youth, other_youth):
    mine, (connected, _) = await connect(youth)
    theirs, (other_connected, _) = await connect(other_youth)
    assert connected and other_connected

    await sync_to_async(services.user_notify)(user_id=youth.pk, event={"kind": "reply", "case": "abc"})
    assert await mine.receive_json_from(timeout=5) == {"kind": "reply", "case": "abc"}
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_a_socket_from_another_origin_is_refused(youth):
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"origin", b"https://evil.example")]
    )
    communicator.scope["user"] = youth
    connected, _ = await communicator.connect()
    assert not connected
