"""A socket never outlives the access it was opened with. Two (or more) real sockets over the real ASGI
application and the channel layer (Redis under `make test`): after a handover, closing, deleting a
case, a role change, deactivation and logout the affected socket is closed with a code and reason and
hears nothing more, while the other side carries on."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client

from counseling import chat, rounds, services
from counseling.models import CaseStatus, Chat, ChatStatus
from counseling.tests.factories import counselor_with_profile, make_case
from hub import loop_db, sockets
from hub import services as hub_services
from hub.asgi import application
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites.tests.factories import SiteFactory

ORIGIN = (b"origin", b"http://127.0.0.1:8000")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()
    await loop_db.close()  # the loop's own connections (hub/loop_db.py)


async def open_socket(path, user=None, *, cookie=None):
    headers = [ORIGIN] + ([(b"cookie", cookie.encode())] if cookie else [])
    communicator = WebsocketCommunicator(application, path, headers=headers)
    if user is not None:
        communicator.scope["user"] = user
    connected, code = await communicator.connect()
    assert connected, code
    return communicator


async def case_socket(user, case, **kwargs):
    communicator = await open_socket(f"/ws/cases/{case.public_id}/", user, **kwargs)
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    return communicator


async def next_of(communicator, kind, timeout=5):
    while True:
        event = await communicator.receive_json_from(timeout=timeout)
        if event["type"] == kind:
            return event


async def closed_with(communicator, timeout=15) -> tuple[int, str]:
    """The socket's next output is its close (nothing was forwarded before it). Up to 15 s: on a machine
    busy with a parallel run, 5 ran out twice before the revocation had gone round through Redis."""
    output = await communicator.receive_output(timeout=timeout)
    assert output["type"] == "websocket.close", output
    return output["code"], output.get("reason", "")


async def youth_speaks(young, body="Bist du noch da?"):
    """A line, a typing signal and a video signal from the young person: everything a socket carries."""
    await young.send_json_to({"type": "typing"})
    await young.send_json_to({"type": "signal", "data": {"kind": "ready"}})
    await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": body})
    assert (await next_of(young, "ack"))["seq"] >= 1


def running_chat(language="tr", site=None):
    youth = UserFactory(roles=[Role.YOUTH])
    counselor = counselor_with_profile(f"counselor_{uuid.uuid4().hex[:6]}", [language], site=site)
    started = chat.chat_start(youth=youth, language=language, topic="work")
    return chat.chat_accept(chat=started, counselor=counselor).case, youth, counselor


def mail_case():
    site = SiteFactory()
    counselor = counselor_with_profile(f"anna_{uuid.uuid4().hex[:6]}", ["de"], site=site)
    youth = UserFactory(roles=[Role.YOUTH])
    case = make_case(youth=youth, language="de", site=site)
    assert case.counselor == counselor
    return case, youth, counselor, site


# --- handover -------------------------------------------------------------------------------------------


async def test_after_a_chat_handover_the_old_counselors_socket_is_closed_and_hears_nothing_more():
    case, youth, counselor = await sync_to_async(running_chat)()
    successor = await sync_to_async(counselor_with_profile)("counselor_next", ["tr"])
    young = await case_socket(youth, case)
    old = await case_socket(counselor, case)

    await sync_to_async(services.case_handover)(case=case, actor=counselor, counselor=successor)
    # The chat's case has no site: the old counselor may not even see it now (404), told why.
    assert await closed_with(old) == (4404, "handover")

    new = await case_socket(successor, case)
    await youth_speaks(young, "Hallo, neue Person?")
    line = await next_of(new, "line")
    assert line["body"] == "Hallo, neue Person?" and "counselor_id" not in line
    assert await old.receive_nothing(timeout=0.5)
    await young.disconnect()
    await new.disconnect()


async def test_after_a_mail_case_handover_to_a_colleague_of_the_site_the_old_socket_closes_with_403():
    case, youth, counselor, site = await sync_to_async(mail_case)()
    colleague = await sync_to_async(counselor_with_profile)("carla_site", ["de"], site=site)
    young = await case_socket(youth, case)
    old = await case_socket(counselor, case)

    await sync_to_async(services.case_handover)(case=case, actor=counselor, counselor=colleague)
    # Still a colleague of the site, so she may see the case — but no longer take part in its room.
    assert await closed_with(old) == (4403, "handover")
    await young.send_json_to({"type": "signal", "data": {"kind": "offer", "sdp": "x"}})
    await young.send_json_to({"type": "typing"})
    assert await old.receive_nothing(timeout=0.5)
    await young.disconnect()


async def test_a_line_stored_after_an_unannounced_handover_is_not_forwarded_to_the_old_counselor():
    """The announcement may be lost or overtaken (the layer is at-most-once): a line carries the
    counselor it was stored under, and a socket checked for someone else asks again before forwarding."""
    case, youth, counselor = await sync_to_async(running_chat)()
    successor = await sync_to_async(counselor_with_profile)("counselor_quiet", ["tr"])
    young = await case_socket(youth, case)
    old = await case_socket(counselor, case)

    def hand_over_without_telling_anyone():
        type(case).objects.filter(pk=case.pk).update(counselor=successor)

    await sync_to_async(hand_over_without_telling_anyone)()
    await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "geheim"})
    assert await closed_with(old) == (4404, "denied")
    assert (await next_of(young, "line"))["body"] == "geheim"  # the young person's side is unaffected
    await young.disconnect()


# --- closing and deleting ----------------------------------------------------------------------------


async def test_closing_a_case_closes_its_sockets_on_both_sides():
    case, youth, counselor, _site = await sync_to_async(mail_case)()
    young = await case_socket(youth, case)
    staff = await case_socket(counselor, case)

    await sync_to_async(services.case_set_status)(case=case, status=CaseStatus.CLOSED, actor=counselor)
    assert await closed_with(staff) == (4403, "closed")
    assert await closed_with(young) == (4403, "closed")


async def test_ending_a_chat_sends_ended_first_then_closes_the_room_but_converting_keeps_it():
    case, youth, counselor = await sync_to_async(running_chat)()
    young = await case_socket(youth, case)
    staff = await case_socket(counselor, case)
    live = await sync_to_async(Chat.objects.get)(case=case)
    await sync_to_async(chat.chat_end)(chat=live, by=counselor)
    assert (await young.receive_json_from(timeout=5))["type"] == "ended"
    assert await closed_with(young) == (4403, "closed")
    assert (await staff.receive_json_from(timeout=5))["type"] == "ended"
    assert await closed_with(staff) == (4403, "closed")

    case, youth, counselor = await sync_to_async(running_chat)()
    young = await case_socket(youth, case)
    live = await sync_to_async(Chat.objects.get)(case=case)
    await sync_to_async(chat.chat_convert)(chat=live, counselor=counselor)
    assert (await next_of(young, "converted"))["type"] == "converted"
    assert await young.receive_nothing(timeout=0.5)  # the case goes on in writing: still open
    await young.disconnect()


async def test_deleting_a_case_closes_its_sockets_as_not_found():
    case, youth, counselor, _site = await sync_to_async(mail_case)()
    young = await case_socket(youth, case)
    staff = await case_socket(counselor, case)
    await sync_to_async(services.case_delete)(case=case)
    assert await closed_with(staff) == (4404, "deleted")
    assert await closed_with(young) == (4404, "deleted")


# --- the person's access: role change, deactivation, logout ------------------------------------------


async def test_a_role_change_closes_the_counselors_case_and_desk_sockets():
    case, youth, counselor = await sync_to_async(running_chat)()
    coordinator = await sync_to_async(staff_with_totp)(username="coord_roles", roles=[Role.COORDINATOR])
    young = await case_socket(youth, case)
    staff = await case_socket(counselor, case)
    desk = await open_socket("/ws/chat-desk/", counselor)

    set_roles = sync_to_async(hub_services.staff_roles_set)
    await set_roles(user=counselor, roles=[Role.SITE_LEAD], actor=coordinator)
    # Still the case's counselor on paper (so 403, not 404), but no longer counseling.
    assert await closed_with(staff) == (4403, "revoked")
    assert await closed_with(desk) == (4403, "revoked")
    await youth_speaks(young)
    other_youth = await sync_to_async(UserFactory)()
    await sync_to_async(chat.chat_start)(youth=other_youth, language="tr", topic="work")
    assert await staff.receive_nothing(timeout=0.5) and await desk.receive_nothing(timeout=0.1)
    await young.disconnect()


async def test_deactivating_a_user_closes_every_socket_of_theirs():
    case, youth, counselor = await sync_to_async(running_chat)()
    young = await case_socket(youth, case)
    staff = await case_socket(counselor, case)
    notices = await open_socket("/ws/notifications/", counselor)
    moderated = await sync_to_async(rounds.round_schedule)(
        moderator=counselor, title="Wohnen", topic="housing", language="tr",
        starts_at=case.created_at, ends_at=case.created_at,
    )  # fmt: skip
    await sync_to_async(rounds.round_open)(chat_round=moderated)
    room = await open_socket(f"/ws/rounds/{moderated.public_id}/", counselor)
    assert (await room.receive_json_from(timeout=5))["type"] == "hello"

    def deactivate():
        counselor.is_active = False
        counselor.save()

    await sync_to_async(deactivate)()
    for socket in (staff, notices, room):
        assert await closed_with(socket) == (4401, "revoked")
    await youth_speaks(young)
    await sync_to_async(hub_services.user_notify)(user_id=counselor.pk, event={"kind": "case"})
    for socket in (staff, notices, room):
        assert await socket.receive_nothing(timeout=0.3)
    await young.disconnect()


async def test_a_two_factor_reset_closes_every_socket_of_that_staff_member():
    # Their sockets were opened with 2FA; after a reset they may open nothing but TOTP setup (hub/mfa.py).
    case, youth, counselor = await sync_to_async(running_chat)()
    coordinator = await sync_to_async(staff_with_totp)(username="coord_totp", roles=[Role.COORDINATOR])
    young = await case_socket(youth, case)
    staff = await case_socket(counselor, case)
    desk = await open_socket("/ws/chat-desk/", counselor)

    await sync_to_async(hub_services.totp_reset)(user=counselor, actor=coordinator)
    for socket in (staff, desk):
        assert await closed_with(socket) == (4401, "revoked")
    await youth_speaks(young)
    assert await staff.receive_nothing(timeout=0.5) and await desk.receive_nothing(timeout=0.1)
    await young.disconnect()


def signed_in_cookie(user) -> tuple[Client, str]:
    client = Client()
    client.force_login(user)
    return client, f"sessionid={client.cookies['sessionid'].value}"


async def test_logout_closes_the_sockets_of_that_session_only():
    case, youth, counselor = await sync_to_async(running_chat)()
    phone, phone_cookie = await sync_to_async(signed_in_cookie)(youth)
    _laptop, laptop_cookie = await sync_to_async(signed_in_cookie)(youth)
    on_phone = await case_socket(None, case, cookie=phone_cookie)
    phone_notices = await open_socket("/ws/notifications/", cookie=phone_cookie)
    on_laptop = await case_socket(None, case, cookie=laptop_cookie)
    staff = await case_socket(counselor, case)

    await sync_to_async(phone.logout)()
    assert await closed_with(on_phone) == (4401, "logout")
    assert await closed_with(phone_notices) == (4401, "logout")

    await staff.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Noch da?"})
    assert (await next_of(on_laptop, "line"))["body"] == "Noch da?"  # the other device stays signed in
    assert await on_phone.receive_nothing(timeout=0.3)
    # A socket of the ended session cannot be opened again.
    refused = WebsocketCommunicator(
        application, f"/ws/cases/{case.public_id}/", headers=[ORIGIN, (b"cookie", phone_cookie.encode())]
    )
    assert await refused.connect() == (False, 4401)
    await on_laptop.disconnect()
    await staff.disconnect()


# --- checks happen on connect too ---------------------------------------------------------------------


async def test_on_connect_the_handshakes_user_serves_the_first_check_and_the_second_reads_afresh(monkeypatch):
    """The first check on connect takes the user the auth middleware has just read for the handshake
    (no second read of user, session and 2FA); the one after joining the groups reads them all again, so
    an account deactivated behind the services' back after the handshake opens nothing."""
    case, youth, _counselor = await sync_to_async(running_chat)()
    _client, cookie = await sync_to_async(signed_in_cookie)(youth)
    calls, real_current, real_handshake = [], sockets.current_user, sockets.handshake_user
    afresh = lambda scope: calls.append("afresh") or real_current(scope)  # noqa: E731
    monkeypatch.setattr(sockets, "current_user", afresh)
    handshake = lambda scope: calls.append("handshake") or real_handshake(scope)  # noqa: E731
    monkeypatch.setattr(sockets, "handshake_user", handshake)
    young = await case_socket(None, case, cookie=cookie)
    assert calls == ["handshake", "afresh"]
    await young.disconnect()

    def deactivated_after_the_handshake(scope):
        user = real_handshake(scope)
        get_user_model().objects.filter(pk=user.pk).update(is_active=False)  # no announcement
        return user

    monkeypatch.setattr(sockets, "handshake_user", deactivated_after_the_handshake)
    refused = WebsocketCommunicator(
        application, f"/ws/cases/{case.public_id}/", headers=[ORIGIN, (b"cookie", cookie.encode())]
    )
    assert await refused.connect() == (False, 4401)


async def test_a_closed_case_and_a_colleague_who_may_only_read_get_403_on_connect_an_outsider_404():
    case, youth, counselor, site = await sync_to_async(mail_case)()
    colleague = await sync_to_async(counselor_with_profile)("colleague_ro", ["de"], site=site)
    outsider = await sync_to_async(counselor_with_profile)("outsider_ro", ["de"], site=None)

    async def refusal(user):
        communicator = WebsocketCommunicator(application, f"/ws/cases/{case.public_id}/", headers=[ORIGIN])
        communicator.scope["user"] = user
        return await communicator.connect()

    assert await refusal(colleague) == (False, 4403)
    assert await refusal(outsider) == (False, 4404)
    await sync_to_async(services.case_set_status)(case=case, status=CaseStatus.CLOSED, actor=counselor)
    assert await refusal(youth) == (False, 4403)
    inactive = await sync_to_async(get_user_model().objects.filter(pk=youth.pk).update)(is_active=False)
    assert inactive == 1
    assert await refusal(youth) == (False, 4401)


async def test_a_waiting_chat_is_reachable_only_by_its_young_person():
    youth = await sync_to_async(UserFactory)(roles=[Role.YOUTH])
    live = await sync_to_async(chat.chat_start)(youth=youth, language="ar", topic="school")
    assert live.status == ChatStatus.WAITING
    young = await case_socket(youth, live.case)
    counselor = await sync_to_async(counselor_with_profile)("counselor_wait", ["ar"])
    communicator = WebsocketCommunicator(application, f"/ws/cases/{live.case.public_id}/", headers=[ORIGIN])
    communicator.scope["user"] = counselor
    assert await communicator.connect() == (False, 4404)
    await young.disconnect()


async def test_a_young_person_deleting_their_account_closes_the_case_sockets_on_both_sides():
    case, youth, counselor, _site = await sync_to_async(mail_case)()
    young = await case_socket(youth, case)
    staff = await case_socket(counselor, case)
    notices = await open_socket("/ws/notifications/", youth)
    await sync_to_async(hub_services.account_delete)(user=youth)
    assert await closed_with(staff) == (4404, "deleted")
    assert await closed_with(young) == (4401, "deleted")  # the account itself is gone
    assert await closed_with(notices) == (4401, "deleted")


async def test_an_unannounced_change_is_caught_by_the_recheck_before_the_next_event(monkeypatch):
    """A change made behind the services' back (no announcement) still takes effect: the cached verdict
    lives RECHECK_SECONDS (here 0), then the access function is asked again before forwarding."""
    from hub import sockets

    monkeypatch.setattr(sockets, "RECHECK_SECONDS", 0)
    counselor = await sync_to_async(counselor_with_profile)("counselor_quietly", ["de"])
    desk = await open_socket("/ws/chat-desk/", counselor)
    await sync_to_async(counselor.groups.clear)()  # no service, no event
    youth = await sync_to_async(UserFactory)(roles=[Role.YOUTH])
    await sync_to_async(chat.chat_start)(youth=youth, language="de", topic="work")  # the desk hears of it
    assert await closed_with(desk) == (4403, "denied")


# --- an announcement the channel layer dropped ------------------------------------------------------------


@pytest.fixture
def dropped_announcements(monkeypatch):
    """The channel layer loses every access announcement (it is at-most-once); nothing else is touched.
    The process's record is read every 0.1 s instead of every POLL_SECONDS."""
    from channels.layers import get_channel_layer

    from hub import socket_revocations

    monkeypatch.setattr(socket_revocations, "POLL_SECONDS", 0.1)
    layer = get_channel_layer()
    real = layer.group_send

    async def group_send(group, message):
        if message.get("type") != "access.revoked":
            await real(group, message)

    monkeypatch.setattr(layer, "group_send", group_send)


async def test_a_handover_whose_announcement_was_dropped_still_closes_the_old_socket_at_once(
    dropped_announcements,
):
    """No socket re-checks on a timer any more (hub.sockets.RECHECK_SECONDS is for unannounced changes):
    the record in the shared cache, read once per process, stands in for the lost message."""
    case, youth, counselor = await sync_to_async(running_chat)()
    successor = await sync_to_async(counselor_with_profile)("counselor_dropped", ["tr"])
    young = await case_socket(youth, case)
    old = await case_socket(counselor, case)
    await sync_to_async(services.case_handover)(case=case, actor=counselor, counselor=successor)
    assert await closed_with(old, timeout=5) == (4404, "handover")
    await youth_speaks(young)  # the young person's socket still has access and carries on
    assert (await next_of(young, "line"))["mine"] is True
    await young.disconnect()


async def test_a_deactivation_whose_announcement_was_dropped_closes_every_socket_of_theirs(
    dropped_announcements,
):
    case, youth, counselor = await sync_to_async(running_chat)()
    staff = await case_socket(counselor, case)
    notices = await open_socket("/ws/notifications/", counselor)
    young = await case_socket(youth, case)

    def deactivate():
        counselor.is_active = False
        counselor.save()

    await sync_to_async(deactivate)()
    for socket in (staff, notices):
        assert await closed_with(socket, timeout=5) == (4401, "revoked")
    assert await young.receive_nothing(timeout=0.3)  # not named: not even asked again
    await young.disconnect()


async def test_a_lost_record_makes_every_socket_of_the_process_check_again(monkeypatch):
    """Redis restarted (no persistence): which sockets the lost entries named is unknown, so all check."""
    from django.core.cache import caches

    from hub import socket_revocations

    monkeypatch.setattr(socket_revocations, "POLL_SECONDS", 0.1)
    case, youth, counselor = await sync_to_async(running_chat)()
    await sync_to_async(socket_revocations.record)(["nobody"], {"type": "access.revoked"})
    staff = await case_socket(counselor, case)
    young = await case_socket(youth, case)
    unannounced = get_user_model().objects.filter(pk=counselor.pk).update
    await sync_to_async(unannounced)(is_active=False)
    await sync_to_async(caches["default"].delete)(socket_revocations.COUNTER)  # as a restart loses it
    assert await closed_with(staff, timeout=5) == (4401, "logout")
    await youth_speaks(young)
    assert (await next_of(young, "line"))["mine"] is True
    await young.disconnect()


def test_the_record_reads_what_came_since_and_says_when_some_is_lost(settings):
    from django.core.cache import caches

    from hub import socket_revocations

    caches["default"].delete(socket_revocations.COUNTER)
    start = socket_revocations.counter()  # a process's poller starts here (it makes the counter if missing)
    assert socket_revocations.read_since(start) == (start, [])
    first = socket_revocations.record(["case.1"], {"type": "access.revoked", "reason": "handover"})
    assert first == start + 1
    caches["default"].delete(socket_revocations.COUNTER)
    assert socket_revocations.read_since(first) == (None, None)  # gone: a restart
    first = socket_revocations.record(["case.1"], {"type": "access.revoked", "reason": "handover"})
    assert socket_revocations.read_since(first - 1)[1] == [
        (["case.1"], {"type": "access.revoked", "reason": "handover", "number": first})
    ]
    second = socket_revocations.record(["access.7"], {"type": "access.revoked", "reason": "revoked"})
    current, entries = socket_revocations.read_since(first)
    assert current == second == first + 1
    assert entries == [(["access.7"], {"type": "access.revoked", "reason": "revoked", "number": second})]
    assert socket_revocations.read_since(second) == (second, [])
    caches["default"].delete(f"{socket_revocations.COUNTER}:{second}")  # expired before it was read
    assert socket_revocations.read_since(first) == (second, None)
    assert socket_revocations.read_since(second + 5) == (second, None)  # went backwards: a restart
