"""What a chat line costs the database (issue 19: <= 2 ms of server CPU per line, bench/chat_load.py measures
it): through the real socket a new line is one statement, a receipt one, typing none; the one-statement
path stores nothing it should not (a retry, an ended chat, a handover since the socket's last check), and
the careful path then answers as before. Timings are the bench's business; these count statements."""

import asyncio
import time
import uuid

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.db.backends import utils as db_utils
from django.db.models.sql.compiler import SQLCompiler

from counseling import chat, chat_presence, chat_reads, chat_recent, consumers, sealing
from counseling.chat import ChatRefused
from counseling.models import Case, Chat, ChatStatus, Message
from counseling.tests.factories import counselor_with_profile
from counseling.tests.test_live_chat import connect, receive_type, running_chat
from hub import loop_db
from hub.roles import user_roles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()
    await loop_db.close()  # the loop's own connections (hub/loop_db.py)


@pytest.fixture
def statements(monkeypatch):
    """Every SQL statement run in this process, whatever thread runs it (the consumer's worker threads),
    and those the sockets' event loop runs itself (hub/loop_db.py, marked "loop: ")."""
    seen = []
    real, real_loop = db_utils.CursorWrapper._execute, loop_db.run

    def counting(self, sql, *args, **kwargs):
        seen.append(sql)
        return real(self, sql, *args, **kwargs)

    async def counting_loop(sql, *args, **kwargs):
        seen.append(f"loop: {sql}")
        return await real_loop(sql, *args, **kwargs)

    monkeypatch.setattr(db_utils.CursorWrapper, "_execute", counting)
    monkeypatch.setattr(loop_db, "run", counting_loop)
    return seen


async def _both_connected():
    """A running chat with the young person's and the counselor's sockets open."""
    live, youth, counselor = await sync_to_async(running_chat)()
    young, _, _ = await connect(youth, live.case.public_id)
    staff, _, _ = await connect(counselor, live.case.public_id)
    return live, youth, counselor, young, staff


def _on_the_loop(statements) -> bool:
    return all(sql.startswith("loop: ") for sql in statements)


async def test_through_the_socket_a_line_is_one_statement_a_receipt_none_at_once_and_typing_none(statements):
    live, youth, counselor, young, staff = await _both_connected()

    statements.clear()
    await young.send_json_to({"type": "typing"})
    assert (await receive_type(staff, "typing")) == {"type": "typing", "by_staff": False}
    assert statements == []

    client_id = str(uuid.uuid4())
    await young.send_json_to({"type": "send", "client_id": client_id, "body": "Hallo"})
    ack = await receive_type(young, "ack")
    line = await receive_type(staff, "line")
    assert (ack["seq"], line["seq"], line["body"], line["mine"]) == (1, 1, "Hallo", False)
    assert len(statements) == 1 and _on_the_loop(statements), statements  # no worker thread either

    statements.clear()  # announced at once, written behind with the process's others (chat_reads.py)
    await staff.send_json_to({"type": "read", "seq": 1})
    assert (await receive_type(young, "read")) == {"type": "read", "by_staff": True, "seq": 1}
    assert statements == []
    await chat_reads.flush()
    assert len(statements) == 1 and _on_the_loop(statements), statements

    statements.clear()  # the counselor's line: the same one statement (membership from the socket's check)
    await staff.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Hallo zurück"})
    assert (await receive_type(young, "line"))["seq"] == 2
    assert len(statements) == 1 and _on_the_loop(statements), statements
    await young.disconnect()
    await staff.disconnect()


async def test_a_resume_of_nothing_new_or_of_lines_just_carried_is_one_statement_on_the_loop(statements):
    """Every page asks for what it missed when it opens (and a reload, and a gap): most find nothing, or
    lines this process has just carried (counseling/chat_recent.py); that answer costs one statement from
    the loop, no worker thread. A line the process never carried is read from the database as before."""
    live, youth, counselor, young, staff = await _both_connected()
    await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Hallo"})
    await receive_type(young, "ack")

    statements.clear()
    await staff.send_json_to({"type": "resume", "after": 1})
    assert (await receive_type(staff, "lines"))["lines"] == []
    assert len(statements) == 1 and _on_the_loop(statements), statements

    statements.clear()
    await staff.send_json_to({"type": "resume", "after": 0})
    missed = (await receive_type(staff, "lines"))["lines"]
    assert [(line["seq"], line["body"], line["mine"]) for line in missed] == [(1, "Hallo", False)]
    assert set(missed[0]) == {"type", "seq", "client_id", "from_staff", "author", "body", "sent_at", "mine"}
    assert len(statements) == 1 and _on_the_loop(statements), statements

    def behind_the_process():  # stored and never announced: no socket of this process carried it
        chat.chat_post(chat=live, author=youth, body="Noch da?", client_id=uuid.uuid4(), announce=False)

    await sync_to_async(behind_the_process)()
    statements.clear()
    await staff.send_json_to({"type": "resume", "after": 0})
    missed = (await receive_type(staff, "lines"))["lines"]
    assert [(line["seq"], line["body"]) for line in missed] == [(1, "Hallo"), (2, "Noch da?")]
    assert not _on_the_loop(statements)  # read, checked and unsealed in a worker thread
    await young.disconnect()
    await staff.disconnect()


@pytest.fixture
def compiled(monkeypatch):
    """The tables of every statement the ORM builds (compiles to SQL) in this process, whatever thread."""
    seen = []
    real = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        seen.append(self.query.model._meta.db_table)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return seen


async def test_a_connect_builds_no_sql_its_reads_are_built_once_per_process(compiled):
    """Every socket's connect (and every reconnect: a phone's network came back) checks access twice
    (hub/sockets.py) and reads its chat: the user, their roles (and 2FA for staff), the case, the chat.
    Building those statements cost more CPU than PostgreSQL took to answer them (bench/chat_load.py);
    they are built once per process (hub/prepared.py) and only run afterwards."""
    live, youth, counselor, young, staff = await _both_connected()  # the first connects build them
    await young.disconnect()
    await staff.disconnect()

    compiled.clear()
    young, connected, _ = await connect(youth, live.case.public_id)
    staff, connected_too, _ = await connect(counselor, live.case.public_id)
    assert connected and connected_too
    assert (young.hello["status"], staff.hello["status"]) == (ChatStatus.ACTIVE, ChatStatus.ACTIVE)
    assert compiled == []
    await young.disconnect()
    await staff.disconnect()


async def test_the_loops_statements_are_prepared_once_and_bound_by_the_server(monkeypatch):
    """Quoting every value into a line's statement in Python cost a third of what the statement cost its
    writer thread (hub/loop_db.py); bound by the server, it is prepared once per connection and each line
    sends only its values. What is stored is what the ORM would store (NULLs and defaults included)."""
    await loop_db.close()
    monkeypatch.setattr(loop_db, "WRITERS", 1)  # one connection: what it prepared can be asked there
    live, youth, counselor, young, staff = await _both_connected()
    for body in ("Eins", "Zwei"):
        await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": body})
        await receive_type(young, "ack")
    sql = "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s"
    assert (await loop_db.run(sql, ["%INSERT INTO%"], fetch=True))[0] == 1

    def stored():
        lines = Message.objects.filter(case_id=live.case_id).order_by("chat_seq").select_related("case")
        return [
            (m.chat_seq, sealing.unseal(m.case, m.body_sealed, purpose="message"), m.status, m.reviewed_by_id)
            for m in lines
        ]

    default = Message._meta.get_field("status").default
    assert await sync_to_async(stored)() == [(1, "Eins", default, None), (2, "Zwei", default, None)]
    await young.disconnect()
    await staff.disconnect()


async def test_after_an_unannounced_handover_the_old_counselor_resumes_nothing_not_even_carried_lines():
    live, youth, counselor, young, staff = await _both_connected()
    await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Geheim"})
    assert (await receive_type(staff, "line"))["body"] == "Geheim"  # carried: kept in the process
    successor = await sync_to_async(counselor_with_profile)("counselor_next", ["tr"])
    await sync_to_async(Case.objects.filter(pk=live.case_id).update)(counselor=successor)  # no announcement
    await staff.send_json_to({"type": "resume", "after": 0})
    assert (await receive_type(staff, "lines"))["lines"] == []
    await young.disconnect()
    await staff.disconnect()


def test_recent_lines_answer_only_complete_fresh_runs_and_never_keep_voice(monkeypatch):
    chat_id = 10**9  # no real chat: the module is process memory only
    chat_recent.forget(chat_id)

    def line(seq, **extra):
        return {"type": "line", "seq": seq, "body": f"line {seq}", "counselor_id": 1} | extra

    for seq in (1, 2, 4):
        chat_recent.remember(chat_id, line(seq))
    chat_recent.remember(chat_id, line(5, body="", voice={"url": "/x"}))
    assert [event["seq"] for event in chat_recent.lines_between(chat_id, 0, 2)] == [1, 2]
    assert chat_recent.lines_between(chat_id, 0, 4) is None  # 3 is missing: the database answers
    assert chat_recent.lines_between(chat_id, 3, 5) is None  # a voice line is never kept
    for seq in range(6, 6 + chat_recent.KEEP_LINES + 1):
        chat_recent.remember(chat_id, line(seq))
    assert chat_recent.lines_between(chat_id, 5, 6) is None  # only the last KEEP_LINES are kept
    later = time.monotonic() + chat_recent.KEEP_SECONDS + 1
    monkeypatch.setattr(chat_recent.time, "monotonic", lambda: later)
    assert chat_recent.lines_between(chat_id, 37, 38) is None  # nor for long
    chat_recent.remember(chat_id + 1, line(1))  # a new line elsewhere sweeps the quiet chat away
    assert chat_id not in chat_recent._recent
    chat_recent.forget(chat_id + 1)


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


async def test_from_the_loop_a_line_is_stored_once_and_not_after_a_handover_or_an_end():
    """The socket's own path (no worker thread): None wherever chat_post's careful path must answer."""
    live, youth, counselor = await sync_to_async(running_chat)()
    young_case = await sync_to_async(_checked)(live, youth)
    staff_case = await sync_to_async(_checked)(live, counselor)
    line = {"chat_id": live.pk, "case": young_case, "author": youth, "body": " Hallo "}
    line["client_id"] = uuid.uuid4()
    stored = await chat.post_line_from_loop(**line)
    assert (stored.chat_seq, stored.from_staff, stored.pk is not None) == (1, False, True)
    assert await chat.post_line_from_loop(**line) is None  # a retry: chat_post answers with the stored line
    successor = await sync_to_async(counselor_with_profile)("counselor_after", ["tr"])
    await sync_to_async(Case.objects.filter(pk=live.case_id).update)(counselor=successor)
    old = {"chat_id": live.pk, "case": staff_case, "author": counselor, "body": "Noch da?"}
    assert await chat.post_line_from_loop(**old, client_id=uuid.uuid4()) is None
    await sync_to_async(Chat.objects.filter(pk=live.pk).update)(status=ChatStatus.ENDED)
    assert await chat.post_line_from_loop(**line | {"client_id": uuid.uuid4()}) is None

    def stored_lines():
        found = Message.objects.filter(case_id=live.case_id).select_related("case")
        return [(message.chat_seq, chat.line_event(message, message.case)["body"]) for message in found]

    assert await sync_to_async(stored_lines)() == [(1, "Hallo")]
    assert (await sync_to_async(Chat.objects.get)(pk=live.pk)).last_seq == 1


async def test_what_needs_a_query_on_the_loop_is_left_to_the_worker_thread():
    """A user whose roles were never read (a query) cannot be checked on the loop: None, nothing stored,
    and chat_post in a worker thread stores the line."""
    live, _youth, counselor = await sync_to_async(running_chat)()
    case = await sync_to_async(Case.objects.get)(pk=live.case_id)
    fresh = await sync_to_async(type(counselor).objects.get)(pk=counselor.pk)  # roles not read yet
    line = {"author": fresh, "body": "Hallo", "client_id": uuid.uuid4()}
    assert await chat.post_line_from_loop(chat_id=live.pk, case=case, **line) is None
    message, new = await sync_to_async(chat.chat_post)(chat=live, checked_case=case, announce=False, **line)
    assert new and message.chat_seq == 1


async def test_a_read_mark_from_the_loop_only_moves_forwards_and_only_for_a_member():
    live, youth, counselor = await sync_to_async(running_chat)()
    for n in range(3):
        await sync_to_async(chat.chat_post)(chat=live, author=youth, body=f"{n}", client_id=uuid.uuid4())
    mark = {"chat_id": live.pk, "reader_id": counselor.pk, "by_staff": True}
    assert await chat.read_mark_from_loop(**mark, seq=2) == {"type": "read", "by_staff": True, "seq": 2}
    assert await chat.read_mark_from_loop(**mark, seq=1) is None  # never backwards
    assert await chat.read_mark_from_loop(**mark, seq=9) is None  # never past the last line
    not_theirs = mark | {"reader_id": youth.pk}  # the young person's id on the counselor's mark
    assert await chat.read_mark_from_loop(**not_theirs, seq=3) is None
    assert (await sync_to_async(Chat.objects.get)(pk=live.pk)).staff_read_seq == 2


async def test_the_receipts_of_many_chats_are_one_statement_under_the_read_marks_rules(statements):
    """counseling/chat_reads.py: whatever the number of sockets and chats, one statement per write; each
    mark only forwards, never past the last line, and only for the chat's own young person or counselor."""
    chats = [await sync_to_async(running_chat)() for _ in range(3)]
    for live, youth, _counselor in chats:
        for n in range(3):
            await sync_to_async(chat.chat_post)(chat=live, author=youth, body=f"{n}", client_id=uuid.uuid4())
    (first, youth1, counselor1), (second, youth2, counselor2), (third, youth3, counselor3) = chats
    await sync_to_async(Chat.objects.filter(pk=first.pk).update)(staff_read_seq=2)
    statements.clear()
    chat_reads.mark(first.pk, by_staff=True, reader_id=counselor1.pk, seq=1)  # backwards: stays 2
    chat_reads.mark(first.pk, by_staff=False, reader_id=youth1.pk, seq=3)
    chat_reads.mark(second.pk, by_staff=True, reader_id=counselor2.pk, seq=9)  # past the last line
    chat_reads.mark(second.pk, by_staff=False, reader_id=youth1.pk, seq=2)  # not this chat's young person
    chat_reads.mark(third.pk, by_staff=True, reader_id=counselor3.pk, seq=2)
    chat_reads.mark(third.pk, by_staff=True, reader_id=counselor3.pk, seq=1)  # the highest kept wins
    await chat_reads.flush()
    assert len(statements) == 1 and _on_the_loop(statements), statements

    def marks():
        return {
            row["pk"]: (row["staff_read_seq"], row["youth_read_seq"])
            for row in Chat.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values(
                "pk", "staff_read_seq", "youth_read_seq"
            )
        }

    assert await sync_to_async(marks)() == {first.pk: (2, 3), second.pk: (0, 0), third.pk: (2, 0)}
    statements.clear()
    await chat_reads.flush()  # nothing kept: nothing written
    assert statements == []


async def test_a_receipt_past_what_the_socket_has_shown_is_decided_by_the_database_at_once(statements):
    """The other side's page marks every line up to the announced number as read: only a number this socket
    has shown is announced before it is written; a larger one (a line still on its way, a page saying too
    much) is one UPDATE now, announced only if it moved the mark."""
    live, youth, counselor, young, staff = await _both_connected()
    await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Hallo"})
    await receive_type(staff, "line")
    statements.clear()
    await staff.send_json_to({"type": "read", "seq": 50})  # past the last line
    while not await young.receive_nothing(timeout=0.3):  # its own line's echo may come first
        assert (await young.receive_json_from())["type"] != "read"
    assert len(statements) == 1 and _on_the_loop(statements), statements

    def behind_the_process():  # stored and never announced: this socket has not shown it
        chat.chat_post(chat=live, author=youth, body="Noch da?", client_id=uuid.uuid4(), announce=False)

    await sync_to_async(behind_the_process)()
    await staff.send_json_to({"type": "read", "seq": 2})
    assert (await receive_type(young, "read")) == {"type": "read", "by_staff": True, "seq": 2}
    assert (await sync_to_async(Chat.objects.get)(pk=live.pk)).staff_read_seq == 2  # written at once
    await young.disconnect()
    await staff.disconnect()


def test_the_loops_connections_close_with_their_loop():
    """A test database could not be dropped while one stays open (hub/loop_db.py)."""

    async def backend_pid():
        return (await loop_db.run("SELECT pg_backend_pid()", [], fetch=True))[0]

    pid = asyncio.run(backend_pid())
    with connections["default"].cursor() as cursor:
        for _ in range(100):  # closed by the client; the server's backend takes a moment to go
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the loop's connection is still open")


@pytest.fixture
def calls(monkeypatch):
    """Counts calls of functions the test names (wrapped, still run): calls.watch(owner, "name")."""

    class Calls(dict):
        def watch(self, owner, name):
            real = getattr(owner, name)
            self[name] = 0

            def counting(*args, **kwargs):
                self[name] += 1
                return real(*args, **kwargs)

            monkeypatch.setattr(owner, name, counting)

    return Calls()


async def test_a_line_from_the_loop_builds_no_message_and_prepares_no_default_per_line(calls):
    """Per line the ORM built a Message and ran each field's pre_save and preparation (bench/chat_load.py:
    more than the rest of the line's work on the socket's loop). The defaults are prepared once per
    process; a line prepares its own few values only. What is stored is what the ORM would store."""
    from django.db.models import Field

    live, youth, counselor, young, staff = await _both_connected()
    await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "Eins"})
    await receive_type(young, "ack")  # the first line: the process prepares the defaults (once)
    assert (await receive_type(staff, "line"))["body"] == "Eins"
    calls.watch(Message, "__init__")
    calls.watch(Field, "pre_save")
    calls.watch(Field, "get_default")
    for body in ("Zwei", "Drei"):
        await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": body})
        assert (await receive_type(staff, "line"))["body"] == body
    assert calls == {"__init__": 0, "pre_save": 0, "get_default": 0}

    def stored():
        found = Message.objects.filter(case_id=live.case_id).order_by("chat_seq").select_related("case")
        return [
            (m.chat_seq, sealing.unseal(m.case, m.body_sealed, purpose="message"), m.author_id, m.from_staff)
            + (m.status, m.review_comment, m.reviewed_by_id, m.created_at == m.published_at is not None)
            for m in found
        ]

    default = Message._meta.get_field("status").default
    assert await sync_to_async(stored)() == [
        (seq, body, youth.pk, False, default, "", None, True)
        for seq, body in ((1, "Eins"), (2, "Zwei"), (3, "Drei"))
    ]
    await young.disconnect()
    await staff.disconnect()


@pytest.mark.parametrize("kind", ["callable default", "database default"])
def test_a_message_field_with_a_value_per_line_sends_every_line_the_careful_way(monkeypatch, kind):
    """A field added with a callable default (or a default the database sets, or a pre_save of its own)
    cannot be prepared once: then no line is stored by the one-statement path (rather than one stored
    with a stale value)."""
    from django.db.models import Value

    field = Message._meta.get_field("review_comment")
    if kind == "callable default":
        monkeypatch.setattr(field, "default", lambda: "")
    else:
        monkeypatch.setattr(field, "db_default", Value(""))
    chat._line_values.cache_clear()
    try:
        assert chat._line_values() is None
        live, youth, _counselor = running_chat()
        case = _checked(live, youth)
        assert chat._line_at_once(live.pk, case, youth, "Hallo", uuid.uuid4()) is None
    finally:
        chat._line_values.cache_clear()


async def test_a_writer_runs_every_statement_on_one_cursor_of_its_connection(monkeypatch, calls):
    """A new cursor per statement set up its adapters and looked every value's dumper up again
    (hub/loop_db.py)."""
    import psycopg

    await loop_db.close()
    calls.watch(loop_db._Writers, "_connect")
    calls.watch(psycopg.Connection, "cursor")
    for n in range(8):
        assert (await loop_db.run("SELECT %s::int + 1", [n], fetch=True))[0] == n + 1
    assert 1 <= calls["_connect"] <= loop_db.WRITERS
    assert calls["cursor"] == calls["_connect"]


async def test_a_line_is_kept_for_resumes_once_whatever_the_number_of_sockets_that_carry_it(calls):
    """The socket that stored a line keeps it (counseling/chat_recent.py); every socket of the chat in the
    process hears it too and no longer files it again."""
    live, youth, counselor, young, staff = await _both_connected()
    second_tab, _, _ = await connect(counselor, live.case.public_id)
    calls.watch(chat_recent, "_sweep")  # once per line filed
    for body in ("Eins", "Zwei"):
        await young.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": body})
        for socket in (young, staff, second_tab):
            assert (await receive_type(socket, "line"))["body"] == body
    assert calls["_sweep"] == 2
    assert [line["body"] for line in chat_recent.lines_between(live.pk, 0, 2)] == ["Eins", "Zwei"]
    for socket in (young, staff, second_tab):
        await socket.disconnect()


async def test_a_socket_builds_its_table_of_frames_once(calls):
    live, youth, counselor, young, staff = await _both_connected()
    calls.watch(consumers.CaseLiveConsumer, "handlers")
    young_again, _, _ = await connect(youth, live.case.public_id)
    for _ in range(3):
        await young_again.send_json_to({"type": "typing"})
        await young_again.send_json_to({"type": "resume", "after": 0})
        await receive_type(young_again, "lines")
    assert calls["handlers"] == 1
    for socket in (young, staff, young_again):
        await socket.disconnect()


def test_the_master_keys_are_decoded_once_per_setting_not_per_data_key(settings, calls):
    """Each chat socket unwraps its case's data key on its first line (hub/crypto.py)."""
    from hub import crypto

    wrapped = [crypto.wrap(crypto.new_data_key()) for _ in range(3)]
    crypto.unwrap(wrapped[0])
    calls.watch(crypto, "_decode")
    for token in wrapped:
        crypto.unwrap(token)
    assert calls["_decode"] == 0
    settings.ENCRYPTION_OLD_KEYS = [settings.ENCRYPTION_KEY]  # a changed setting is read again
    crypto.unwrap(wrapped[1])
    assert calls["_decode"] == 2
