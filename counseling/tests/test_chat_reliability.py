"""Chat that people can rely on when they just leave, or the network does (issue 19): abandoned chats
end by themselves and free the seat and the queue place, the other side's dropped connection is told,
desk presence comes back after Redis lost it, a chat is never left half-started, and read receipts and
typing stay cheap. Services with the real cache (Redis under `make test`); sockets through the real ASGI
application."""

import asyncio
import time
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from counseling import chat, chat_presence, chat_reads, consumers, guests, presence
from counseling.models import Case, Chat, ChatStatus
from counseling.tests.factories import counselor_with_profile
from counseling.tests.test_live_chat import ORIGIN, connect, receive_type, running_chat, send_line
from hub import loop_db
from hub.asgi import application
from hub.models import User
from hub.retention import retention_run
from hub.roles import Role
from hub.tests.factories import UserFactory

ABANDON = 60


@pytest.fixture(autouse=True)
def _short_abandon_time(settings):
    settings.CHAT_ABANDON_SECONDS = ABANDON
    settings.CHAT_PEER_GONE_SECONDS = 25


def _start(language="de", youth=None):
    return chat.chat_start(youth=youth or guests.guest_create(), language=language, topic="work")


def _left(chat_, *, by_staff, at):
    chat_presence.seen(chat_.case_id, by_staff=by_staff, connected=False, now=at)


# --- abandoned chats end by themselves -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_guest_who_left_the_waiting_room_loses_the_place_and_the_next_moves_up():
    now = timezone.now()
    gone, staying = _start(), _start()
    _left(gone, by_staff=False, at=now)
    chat_presence.beat(staying.case_id, by_staff=False, now=now + timedelta(seconds=ABANDON))
    assert chat.queue_position(staying) == 2

    assert chat_presence.end_abandoned_chats(now=now + timedelta(seconds=ABANDON - 1)) == 0
    assert chat_presence.end_abandoned_chats(now=now + timedelta(seconds=ABANDON)) == 1
    gone.refresh_from_db()
    assert gone.status == ChatStatus.ENDED and gone.ended_by is None
    assert chat.queue_position(staying) == 1
    assert Chat.objects.get(pk=staying.pk).status == ChatStatus.WAITING
    assert chat_presence.end_abandoned_chats(now=now + timedelta(seconds=ABANDON + 5)) == 0  # once


@pytest.mark.django_db
def test_a_running_chat_one_side_left_ends_and_frees_the_counselors_seat():
    counselor = counselor_with_profile("counselor_seat", ["de"], chat_seats=1)
    now = timezone.now()
    presence.go_online(counselor.pk, now=now)
    running = chat.chat_accept(chat=_start(), counselor=counselor)
    assert counselor.pk not in chat.free_counselor_ids("de", now=now)  # the only seat is taken

    chat_presence.beat(running.case_id, by_staff=True, now=now)
    _left(running, by_staff=False, at=now)  # the young person closed the tab
    later = now + timedelta(seconds=ABANDON)
    chat_presence.beat(running.case_id, by_staff=True, now=later)  # the counselor is still there
    assert chat_presence.end_abandoned_chats(now=later) == 1
    presence.heartbeat(counselor.pk, active=True, now=later)
    assert counselor.pk in chat.free_counselor_ids("de", now=later)

    # …and the other way round: the counselor's side gone, the young person waiting in vain.
    other = chat.chat_accept(chat=_start(), counselor=counselor)
    chat_presence.beat(other.case_id, by_staff=False, now=later)
    chat_presence.seen(other.case_id, by_staff=True, connected=True, now=later)  # a process killed: no "left"
    much_later = later + timedelta(seconds=ABANDON + 30)
    chat_presence.beat(other.case_id, by_staff=False, now=much_later)
    assert chat_presence.abandoned_chat_ids(now=much_later) == [other.pk]


@pytest.mark.django_db
def test_a_chat_nobody_ever_connected_to_ends_but_a_redis_restart_does_not_end_running_chats():
    now = timezone.now()
    never = _start()  # the page never opened its socket (or chat_start's page failed to load)
    assert chat_presence.abandoned_chat_ids(now=now) == []  # the first look starts the clock
    assert chat_presence.abandoned_chat_ids(now=now + timedelta(seconds=ABANDON)) == [never.pk]

    chat.chat_end(chat=never, by=None)
    running = _start()
    chat_presence.beat(running.case_id, by_staff=False, now=now)
    cache.clear()  # Redis restarted: every entry is gone
    later = now + timedelta(seconds=ABANDON * 2)
    assert chat_presence.abandoned_chat_ids(now=later) == []
    chat_presence.beat(running.case_id, by_staff=False, now=later + timedelta(seconds=10))  # beats again
    assert chat_presence.abandoned_chat_ids(now=later + timedelta(seconds=ABANDON + 5)) == []


@pytest.mark.django_db
def test_an_abandoned_guest_chat_falls_under_the_guest_purge(settings):
    now = timezone.now()
    gone = _start()
    guest_id, case_id = gone.case.youth_id, gone.case_id
    User.objects.filter(pk=guest_id).update(date_joined=now - timedelta(days=3))
    _left(gone, by_staff=False, at=now - timedelta(seconds=ABANDON))
    retention_run(trigger="test", keys=["guest_chats"], now=now + timedelta(days=30))
    assert Case.objects.filter(pk=case_id).exists()  # not ended: nothing purges a chat still "running"

    chat_presence.end_abandoned_chats(now=now)
    ended_at = Chat.objects.get(case_id=case_id).ended_at
    retention_run(trigger="test", keys=["guest_chats"], now=ended_at + timedelta(hours=47))
    assert Case.objects.filter(pk=case_id).exists()
    retention_run(
        trigger="test",
        keys=["guest_chats"],
        now=ended_at + timedelta(hours=settings.GUEST_CHAT_KEEP_HOURS + 1),
    )
    assert not Case.objects.filter(pk=case_id).exists() and not User.objects.filter(pk=guest_id).exists()


def test_the_beat_schedule_runs_the_abandonment_sweep_every_minute():
    from hub.schedule import BEAT_SCHEDULE

    job = BEAT_SCHEDULE["end-abandoned-chats"]
    assert job["task"] == "counseling.end_abandoned_chats"
    assert job["schedule"].minute == set(range(60))


# --- chat_start never leaves a half-started chat -------------------------------------------------------


@pytest.mark.django_db
def test_chat_start_does_not_fail_after_the_chat_is_saved_when_redis_is_down(
    settings, django_capture_on_commit_callbacks
):
    """The queue is announced after commit; a channel layer that is down (here: nothing listens on the
    port) must not turn the saved chat into an error page and an orphan in the queue."""
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            started = _start()
        assert callbacks  # the announcements ran, and failed, after the commit
        ended = chat.chat_end(chat=started, by=None)
    finally:
        channel_layers.backends.clear()
    assert ended.status == ChatStatus.ENDED


# --- desk presence comes back after Redis lost it ------------------------------------------------------


@pytest.mark.django_db
def test_desk_presence_lost_in_a_redis_restart_comes_back_with_the_next_heartbeat():
    counselor = counselor_with_profile("counselor_back", ["de"])
    now = timezone.now()
    presence.go_online(counselor.pk, now=now)
    cache.clear()  # Redis restarted
    assert not presence.is_online(counselor.pk, now=now)
    assert not presence.heartbeat(counselor.pk, active=True, now=now)  # a page that does not say it is online
    assert presence.heartbeat(counselor.pk, active=False, now=now, page_online=True)
    assert presence.is_online(counselor.pk, now=now)

    # A decision is not undone: switched off (or idle) stays off whatever the page still shows.
    presence.go_offline(counselor.pk)
    assert not presence.heartbeat(counselor.pk, active=True, now=now, page_online=True)
    # …nor does someone whose training gate refuses live chat come back.
    cache.clear()
    assert not presence.heartbeat(
        counselor.pk, active=True, now=now, page_online=True, may_return=lambda: False
    )


@pytest.fixture
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()
    await loop_db.close()  # the loop's own connections (hub/loop_db.py)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_the_desk_socket_registers_presence_again_after_redis_lost_it():
    counselor = await sync_to_async(counselor_with_profile)("counselor_desk_back", ["de"])
    await sync_to_async(presence.go_online)(counselor.pk, now=timezone.now())
    await sync_to_async(cache.clear)()
    desk = WebsocketCommunicator(application, "/ws/chat-desk/", headers=ORIGIN)
    desk.scope["user"] = counselor
    assert (await desk.connect())[0]
    await desk.send_json_to({"type": "heartbeat", "active": True, "online": True})  # desk.js on reconnect
    assert await desk.receive_json_from(timeout=5) == {"type": "presence", "online": True}
    assert await sync_to_async(presence.is_online)(counselor.pk, now=timezone.now())
    await desk.disconnect()


# --- the other side's connection, and the socket's own abandonment check -------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_each_side_hears_when_the_other_ones_connection_drops_and_comes_back(settings):
    settings.CHAT_PRESENCE_BEAT_SECONDS = 1
    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    staff, _, _ = await connect(counselor, live.case.public_id)

    await staff.disconnect()  # the counselor's page closed, or its network dropped
    assert (await receive_type(young, "peer", timeout=5))["present"] is False
    staff, _, _ = await connect(counselor, live.case.public_id)
    assert (await receive_type(young, "peer", timeout=5))["present"] is True

    await young.disconnect()
    assert (await receive_type(staff, "peer", timeout=5))["present"] is False
    await staff.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_a_page_that_says_dropped_hears_back_on_its_new_socket_and_a_fresh_page_hears_nothing(settings):
    """The page says "dropped"; then its own network drops while the counselor comes back. Its new socket
    (live.js adds ?peer=gone) must say "here", or the page would keep saying "dropped". A page that
    said nothing hears nothing: the other side being there is no news to it."""
    settings.CHAT_PRESENCE_BEAT_SECONDS = 1
    live, youth, counselor = await sync_to_async(running_chat)()
    staff, _, _ = await connect(counselor, live.case.public_id)
    fresh, _, _ = await connect(youth, live.case.public_id)
    assert await fresh.receive_nothing(timeout=2.5)  # two beats: the counselor is there, nothing said
    await fresh.disconnect()

    page = WebsocketCommunicator(application, f"/ws/cases/{live.case.public_id}/?peer=gone", headers=ORIGIN)
    page.scope["user"] = youth
    assert (await page.connect())[0]
    assert (await page.receive_json_from(timeout=5))["type"] == "hello"
    assert (await receive_type(page, "peer", timeout=5))["present"] is True
    assert await page.receive_nothing(timeout=1.5)  # once
    await page.disconnect()
    await staff.disconnect()


UVICORN_REFUSES = "Unexpected ASGI message 'websocket.send', after sending 'websocket.close'."


def _closing_like_uvicorn(app, closed: dict):
    """The ASGI server's side of a close the consumer has not heard of yet: uvicorn refuses every send once
    it sent the close (the client left, or a keepalive ping went unanswered)."""

    async def server(scope, receive, send):
        async def refusing_send(message):
            if closed["sent"] and message["type"] == "websocket.send":
                closed["refused"] += 1
                raise RuntimeError(UVICORN_REFUSES)
            await send(message)

        return await app(scope, receive, refusing_send)

    return server


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_an_event_that_crosses_the_close_does_not_skip_the_sockets_goodbye(settings):
    """A line for the counselor arrives just after the server closed the counselor's socket: the send is
    dropped, and the disconnect behind it still says "left", so the young person hears "dropped"."""
    settings.CHAT_PRESENCE_BEAT_SECONDS = 1
    live, youth, counselor = await sync_to_async(running_chat)()
    closed = {"sent": False, "refused": 0}
    path = f"/ws/cases/{live.case.public_id}/"
    staff = WebsocketCommunicator(_closing_like_uvicorn(application, closed), path, headers=ORIGIN)
    staff.scope["user"] = counselor
    assert (await staff.connect())[0]
    assert (await staff.receive_json_from(timeout=5))["type"] == "hello"
    young, _, _ = await connect(youth, live.case.public_id)

    closed["sent"] = True
    await send_line(young, "Sind Sie noch da?")  # its event reaches the closed socket first
    deadline = time.monotonic() + 5
    while not closed["refused"]:
        assert time.monotonic() < deadline, "the line never reached the counselor's socket"
        await asyncio.sleep(0.05)
    await staff.disconnect()  # then the disconnect the server queued
    assert (await receive_type(young, "peer", timeout=5))["present"] is False
    await young.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_a_killed_process_is_noticed_by_its_entry_growing_old(settings):
    """No "left" is written when a server process dies: the other side's beat sees the entry age."""
    settings.CHAT_PRESENCE_BEAT_SECONDS, settings.CHAT_PEER_GONE_SECONDS = 1, 2
    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    await sync_to_async(chat_presence.seen)(
        live.case_id, by_staff=True, connected=True, now=timezone.now() - timedelta(seconds=1)
    )
    assert (await receive_type(young, "peer", timeout=6))["present"] is False
    await young.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_closing_the_waiting_room_ends_the_chat_by_itself_after_the_set_time(settings):
    settings.CHAT_ABANDON_SECONDS = 1
    youth = await sync_to_async(guests.guest_create)()
    waiting = await sync_to_async(_start)(youth=youth)
    page, connected, _ = await connect(youth, waiting.case.public_id)
    assert connected
    await page.disconnect()  # the tab is closed; nobody presses "End chat"
    deadline = time.monotonic() + 10
    while (await sync_to_async(Chat.objects.get)(pk=waiting.pk)).status != ChatStatus.ENDED:
        assert time.monotonic() < deadline, "the abandoned chat did not end"
        await asyncio.sleep(0.2)


# --- read receipts and typing stay cheap ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_read_receipt_is_one_statement_forward_only_and_for_members_only(django_assert_num_queries):
    counselor = counselor_with_profile("counselor_read", ["de"])
    running = chat.chat_accept(chat=_start(), counselor=counselor)
    youth_id = running.case.youth_id
    Chat.objects.filter(pk=running.pk).update(last_seq=5)
    with django_assert_num_queries(1):
        event = chat.read_mark(chat_id=running.pk, reader_id=counselor.pk, by_staff=True, seq=3)
    assert event == {"type": "read", "by_staff": True, "seq": 3}
    assert chat.read_mark(chat_id=running.pk, reader_id=counselor.pk, by_staff=True, seq=2) is None  # back
    assert chat.read_mark(chat_id=running.pk, reader_id=counselor.pk, by_staff=True, seq=9) is None  # past
    assert chat.read_mark(chat_id=running.pk, reader_id=youth_id, by_staff=True, seq=4) is None  # not theirs
    outsider = UserFactory(roles=[Role.YOUTH])
    assert chat.read_mark(chat_id=running.pk, reader_id=outsider.pk, by_staff=False, seq=4) is None
    assert chat.read_mark(chat_id=running.pk, reader_id=youth_id, by_staff=False, seq=4) is not None
    running.refresh_from_db()
    assert (running.staff_read_seq, running.youth_read_seq) == (3, 4)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_close_thread_connections")
async def test_receipts_are_coalesced_and_typing_never_reaches_a_worker_thread(monkeypatch):
    """The consumer hands work to a worker thread (database_sync_to_async) only for what needs the
    database and cannot go from its loop: typing never touches the database, a burst of receipts is one
    statement from the loop (hub/loop_db.py), written behind (counseling/chat_reads.py), not one per
    receipt, and no worker thread."""
    handed, from_loop = [], []
    real_in_worker, real_run = consumers.in_worker, loop_db.run

    def counting(function):
        handed.append(getattr(function, "__name__", repr(function)))
        return real_in_worker(function)

    async def counting_run(sql, *args, **kwargs):
        from_loop.append(sql)
        return await real_run(sql, *args, **kwargs)

    monkeypatch.setattr(loop_db, "run", counting_run)

    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    staff, _, _ = await connect(counselor, live.case.public_id)
    monkeypatch.setattr(consumers, "in_worker", counting)

    for _ in range(5):
        await young.send_json_to({"type": "typing"})
    assert await staff.receive_json_from(timeout=5) == {"type": "typing", "by_staff": False}
    assert await staff.receive_nothing(timeout=0.3)  # one a second at most
    assert handed == []

    ack = await send_line(young, "Hallo")
    await receive_type(staff, "line")
    handed.clear()
    from_loop.clear()
    for _ in range(20):
        await staff.send_json_to({"type": "read", "seq": ack["seq"]})
    assert (await receive_type(young, "read")) == {"type": "read", "by_staff": True, "seq": ack["seq"]}
    assert await young.receive_nothing(timeout=0.5)  # one event for the burst
    await chat_reads.flush()
    assert len(from_loop) == 1 and handed == []
    assert (await sync_to_async(Chat.objects.get)(pk=live.pk)).staff_read_seq == ack["seq"]
    await young.disconnect()
    await staff.disconnect()
