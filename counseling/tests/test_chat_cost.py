"""What a chat line costs the database (issue 19: <= 2 ms of server CPU per line, bench/chat_load.py measures
it): through the real socket a new line is one statement, a receipt one, typing none; the one-statement
path stores nothing it should not (a retry, an ended chat, a handover since the socket's last check), and
the careful path then answers as before. Timings are the bench's business; these count statements."""

import asyncio
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.db.backends import utils as db_utils

from counseling import chat, chat_presence, consumers
from counseling.chat import ChatRefused
from counseling.models import Case, Chat, ChatStatus, Message
from counseling.tests.factories import counselor_with_profile
from counseling.tests.test_live_chat import connect, receive_type, running_chat
from hub.roles import user_roles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


@pytest.fixture
def statements(monkeypatch):
    """Every SQL statement run in this process, whatever thread runs it (the consumer's worker threads)."""
    seen = []
    real = db_utils.CursorWrapper._execute

    def counting(self, sql, *args, **kwargs):
        seen.append(sql)
        return real(self, sql, *args, **kwargs)

    monkeypatch.setattr(db_utils.CursorWrapper, "_execute", counting)
    return seen


async def test_through_the_socket_a_line_is_one_statement_a_receipt_one_and_typing_none(statements):
    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    staff, _, _ = await connect(counselor, live.case.public_id)

    statements.clear()
    await young.send_json_to({"type": "typing"})
    assert (await receive_type(staff, "typing")) == {"type": "typing", "by_staff": False}
    assert statements == []

    client_id = str(uuid.uuid4())
    await young.send_json_to({"type": "send", "client_id": client_id, "body": "Hallo"})
    ack = await receive_type(young, "ack")
    line = await receive_type(staff, "line")
    assert (ack["seq"], line["seq"], line["body"], line["mine"]) == (1, 1, "Hallo", False)
    assert len(statements) == 1, statements

    statements.clear()
    await staff.send_json_to({"type": "read", "seq": 1})
    assert (await receive_type(young, "read")) == {"type": "read", "by_staff": True, "seq": 1}
    assert len(statements) == 1, statements

    statements.clear()  # the counselor's line: the same one statement (membership from the socket's check)
    await staff.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Hallo zurück"})
    assert (await receive_type(young, "line"))["seq"] == 2
    assert len(statements) == 1, statements
    await young.disconnect()
    await staff.disconnect()


def _checked(live: Chat, author) -> Case:
    """What a socket holds after its access check: the case as read then, the user with its roles."""
    user_roles(author)
    return Case.objects.get(pk=live.case_id)


def test_a_retry_stores_nothing_new_and_answers_with_the_stored_line(django_assert_num_queries):
    live, youth, _counselor = running_chat()
    case, client_id = _checked(live, youth), uuid.uuid4()
    with django_assert_num_queries(1):
        first, new = chat.chat_post(
            chat=live, author=youth, body=" Hallo ", client_id=client_id, announce=False, checked_case=case
        )
    assert new and first.chat_seq == 1 and first.from_staff is False
    again, new = chat.chat_post(
        chat=live, author=youth, body="Hallo", client_id=client_id, announce=False, checked_case=case
    )
    assert not new and again.pk == first.pk
    stored = Message.objects.get(pk=first.pk)
    assert (stored.chat_seq, stored.idempotency_key, stored.author_id) == (1, client_id, youth.pk)
    assert chat.line_event(stored, stored.case)["body"] == "Hallo"  # sealed with the case's own key
    assert Chat.objects.get(pk=live.pk).last_seq == 1


def test_after_a_handover_the_old_counselors_checked_case_stores_nothing():
    live, youth, counselor = running_chat()
    case = _checked(live, counselor)
    successor = counselor_with_profile("counselor_after", ["tr"])
    Case.objects.filter(pk=live.case_id).update(counselor=successor)  # not yet announced to the socket
    with pytest.raises(ChatRefused, match="not a participant"):
        chat.chat_post(
            chat=live,
            author=counselor,
            body="Noch da?",
            client_id=uuid.uuid4(),
            announce=False,
            checked_case=case,
        )
    assert not Message.objects.filter(case_id=live.case_id).exists()
    assert Chat.objects.get(pk=live.pk).last_seq == 0


def test_an_ended_chat_a_bad_length_and_another_cases_id_are_refused_as_before(settings):
    live, youth, _counselor = running_chat()
    case = _checked(live, youth)
    too_long = "x" * (settings.CHAT_MESSAGE_MAX_CHARS + 1)
    for body in ("   ", too_long):
        with pytest.raises(ChatRefused, match="length"):
            chat.chat_post(chat=live, author=youth, body=body, client_id=uuid.uuid4(), checked_case=case)
    other, other_youth, _ = running_chat()
    taken = uuid.uuid4()
    chat.chat_post(
        chat=other, author=other_youth, body="Hi", client_id=taken, checked_case=_checked(other, other_youth)
    )
    with pytest.raises(ChatRefused, match="client id"):
        chat.chat_post(chat=live, author=youth, body="Hi", client_id=taken, checked_case=case)
    Chat.objects.filter(pk=live.pk).update(status=ChatStatus.ENDED)
    with pytest.raises(ChatRefused, match="not active"):
        chat.chat_post(chat=live, author=youth, body="Hallo", client_id=uuid.uuid4(), checked_case=case)
    assert not Message.objects.filter(case_id=live.case_id).exists()


def test_the_socket_stores_lines_against_the_case_its_access_check_read(monkeypatch):
    """The consumer passes its checked case on (else every line would take the careful path again)."""
    passed = []
    real = chat.chat_post

    def spy(**kwargs):
        passed.append(kwargs.get("checked_case"))
        return real(**kwargs)

    monkeypatch.setattr(consumers.chat, "chat_post", spy)
    live, youth, _counselor = running_chat()
    consumer = consumers.CaseLiveConsumer()
    consumer.scope = {"url_route": {"kwargs": {"public_id": live.case.public_id}}}
    consumer.user = youth
    consumer.check_access(youth)
    seq, event = consumer.store("Hallo", uuid.uuid4())
    assert seq == 1 and event["body"] == "Hallo"
    assert passed and passed[0].pk == live.case_id


async def test_the_sockets_of_a_process_beat_together_after_their_first_beat(settings, monkeypatch):
    """Presence (counseling/chat_beats.py): each socket writes its first beat itself (the other side hears
    at once); after that one worker call per beat period serves every chat socket of the process."""
    settings.CHAT_PRESENCE_BEAT_SECONDS = 0.3
    alone, together = [], []
    real_beat, real_many = chat_presence.beat, chat_presence.beat_many

    def beat(case_id, **kwargs):
        alone.append(case_id)
        return real_beat(case_id, **kwargs)

    def beat_many(sides, **kwargs):
        together.append(sorted(sides))
        return real_many(sides, **kwargs)

    monkeypatch.setattr(chat_presence, "beat", beat)
    monkeypatch.setattr(chat_presence, "beat_many", beat_many)
    sockets, cases = [], []
    for _ in range(3):
        live, youth, counselor = await sync_to_async(running_chat)()
        cases.append(live.case_id)
        for user in (youth, counselor):
            sockets.append((await connect(user, live.case.public_id))[0])
    await asyncio.sleep(1.2)
    assert sorted(alone) == sorted(cases * 2)  # one first beat per socket, no more
    everyone = sorted((case_id, by_staff) for case_id in cases for by_staff in (False, True))
    assert together and together[-1] == everyone
    for socket in sockets:
        await socket.disconnect()
