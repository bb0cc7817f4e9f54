"""Live 1:1 chat: when a young person may start one, the waiting room, accepting, the lines of the chat,
read state, ending it, and continuing it as a mail thread.

Delivery (the consumers in counseling/consumers.py only carry what these functions decide):
a line is stored first — numbered under a lock on the chat row, so numbers follow commit order — and
broadcast after the commit. A client sends each line with its own id (stored once, however often it is
retried) and, after any gap or reconnect, asks for everything after the last number it has. The
channel layer may drop an event; the database never does.
"""

import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SynchronousOnlyOperation
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from counseling import access, presence, sealing, stats
from counseling.absence import present_filter
from counseling.models import (
    LIVE_CHAT_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    Chat,
    ChatStatus,
    CounselorProfile,
    Message,
)
from counseling.voice import with_voice  # voice lines come back on resume too (counseling/voice.py)
from hub import availability, loop_db
from hub.roles import Role
from hub.services import group_send_after_commit, user_notify
from hub.sockets import access_revoked, case_group
from hub.statistics import Channel, StatKind

# The national online-counseling hours (Monday–Thursday) minus nationwide public holidays.
CHAT_HOURS = availability.Schedule(
    weekly=tuple(availability.WeeklyHours(day, time(10), time(18)) for day in range(4))
)


class ChatRefused(Exception):
    """The chat is not in a state that allows this (taken, ended, no seat, not a participant)."""


@dataclass(frozen=True)
class ChatAvailability:
    open_now: bool  # within chat hours
    can_start: bool  # …and a counselor in the language is online with a free seat
    next_opening: datetime | None  # the next start of chat hours after now
    open_until: datetime | None  # the end of the chat hours running now


def queue_group(language: str) -> str:
    return f"chat-queue.{language}"


DESK_GROUP = "chat-desk"


def chat_counselors():
    """Counselors who take live chats: full counselors only (a trainee's lines would need approval)."""
    memberships = get_user_model().groups.through.objects
    # Present by the one absence rule (counseling/absence.py): an absence whose last day has passed is over.
    return (
        CounselorProfile.objects.filter(user__is_active=True)
        .filter(present_filter())
        .filter(Exists(memberships.filter(user_id=OuterRef("user_id"), group__name=Role.COUNSELOR)))
    )


def free_counselor_ids(language: str, *, now: datetime) -> set[int]:
    """Online counselors who speak `language` and have a free chat seat. Two queries and one cache read."""
    seats = {
        profile.user_id: profile.chat_seats
        for profile in chat_counselors().only("user_id", "chat_seats", "languages")
        if language in (profile.languages or [])
    }
    online = presence.online(seats, now=now)
    busy = dict(
        Chat.objects.filter(status=ChatStatus.ACTIVE, case__counselor_id__in=online)
        .values_list("case__counselor_id")
        .annotate(count=Count("pk"))
    )
    return {user_id for user_id in online if busy.get(user_id, 0) < seats[user_id]}


def chat_availability(language: str, *, now: datetime) -> ChatAvailability:
    open_now = availability.is_open(CHAT_HOURS, now)
    can_start = open_now and bool(free_counselor_ids(language, now=now))
    upcoming = availability.next_openings(CHAT_HOURS, after=now, count=2)
    running = [end for start, end in upcoming if start <= now]
    following = [start for start, _end in upcoming if start > now]
    return ChatAvailability(
        open_now, can_start, following[0] if following else None, running[0] if running else None
    )


@transaction.atomic
def chat_start(*, youth, language: str, topic: str) -> Chat:
    """A new case with a waiting chat. It is not routed to a mail inbox: counselors accept it live."""
    case = Case.objects.create(
        youth=youth,
        topic=topic,
        language=language,
        wrapped_key=sealing.new_wrapped_key(),
        last_message_at=timezone.now(),
    )
    chat = Chat.objects.create(case=case)
    stats.case_opened(case, channel=Channel.CHAT)
    _announce_queue_change(language)
    return chat


def queue_position(chat: Chat) -> int:
    """1 for the next chat to be accepted in its language."""
    return Chat.objects.filter(
        status=ChatStatus.WAITING, case__language=chat.case.language, requested_at__lte=chat.requested_at
    ).count()


def running_chat_of(youth) -> Chat | None:
    if not youth.is_authenticated:
        return None
    live = Chat.objects.filter(case__youth=youth, status__in=LIVE_CHAT_STATUSES).select_related("case")
    return live.first()


def active_chats(counselor):
    return Chat.objects.filter(status=ChatStatus.ACTIVE, case__counselor=counselor).select_related("case")


@transaction.atomic
def chat_accept(*, chat: Chat, counselor) -> Chat:
    locked = Chat.objects.select_for_update().select_related("case").get(pk=chat.pk)
    if locked.status != ChatStatus.WAITING:
        raise ChatRefused("taken")
    profile = CounselorProfile.objects.filter(user=counselor).first()
    seats = profile.chat_seats if profile else 0
    if active_chats(counselor).count() >= seats:
        raise ChatRefused("no seat")
    now = timezone.now()
    locked.status, locked.accepted_at = ChatStatus.ACTIVE, now
    locked.save(update_fields=["status", "accepted_at"])
    case = locked.case
    case.counselor, case.status = counselor, CaseStatus.OPEN
    case.save(update_fields=["counselor", "status"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.TAKEN, actor=counselor, counselor=counselor)
    stats.case_stat(StatKind.CHAT, case, channel=Channel.CHAT)
    _broadcast(case, {"type": "accepted", "counselor": counselor.get_short_name()})
    _announce_queue_change(case.language)
    return locked


def chat_post(
    *,
    chat: Chat,
    author,
    body: str,
    client_id: uuid.UUID,
    announce: bool = True,
    checked_case: Case | None = None,
) -> tuple[Message, bool]:
    """Store one line (once per client id). Returns the message and whether it was new.

    The websocket consumer passes announce=False and sends `line_event` itself from its event loop: a
    worker thread that waited for the loop to publish each line held its thread for nothing, and under
    load the lines queued behind one another (bench/chat_load.py).

    `checked_case` is the case as the caller's access check read it (a socket keeps it between checks,
    counseling/consumers.py). With it a new line is one statement (`_store_line_at_once`); whatever that
    does not store (a retry, an ended chat, a handover since the check, a refusal) takes the careful path,
    which reads the chat again under its lock, checks who may write and says why not."""
    if checked_case is not None:
        message = _store_line_at_once(chat.pk, checked_case, author, body.strip(), client_id)
        if message is not None:
            if announce:
                _broadcast(checked_case, line_event(message, checked_case, body=body.strip()))
            return message, True
    try:
        return _store_line(chat.pk, author, body, client_id, announce)
    except IntegrityError as exc:  # the id belongs to another case: refuse rather than reveal anything
        raise ChatRefused("client id") from exc


def _store_line_at_once(chat_id: int, case: Case, author, body: str, client_id: uuid.UUID) -> Message | None:
    """A new line in one round trip: number it on the chat row (whose lock is held to the commit, so
    numbers follow commit order) and insert it, in one statement that stores nothing unless the chat is
    active, the case's young person and counselor are still those `case` was checked with, and the client
    id is new. Who may write is decided by the access function on `case` (no query: the socket's case and
    user); the statement only makes sure the case has not changed hands since. None: nothing stored."""
    prepared = _line_at_once(chat_id, case, author, body, client_id)
    if prepared is None:
        return None
    line, sql, params = prepared
    connection = connections[router.db_for_write(Message)]
    try:
        with (
            transaction.atomic() if connection.in_atomic_block else nullcontext(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
            row = cursor.fetchone()
    except IntegrityError:  # the same id sent twice at once, or taken by another case: the careful path
        return None
    line = _numbered(line, row)
    return _message(line) if line is not None else None


async def post_line_from_loop(
    *, chat_id: int, case: Case, author, body: str, client_id: uuid.UUID
) -> "_Line | None":
    """`chat_post(..., checked_case=case)`'s one statement, run from a socket's event loop without a
    worker thread (hub/loop_db.py). The stored line (its number, pk and what `line_event` reads; not a
    Message), or None: then `chat_post` in a worker thread decides (it is a retry, a refusal, a handover
    since the check, or this could not run here)."""
    import psycopg

    try:
        prepared = _line_at_once(chat_id, case, author, body.strip(), client_id)
    except SynchronousOnlyOperation:  # something was not at hand without a query: the careful path
        return None
    if prepared is None:
        return None
    line, sql, params = prepared
    try:
        row = await loop_db.run(sql, params, fetch=True, alias=router.db_for_write(Message))
    except (loop_db.Unavailable, psycopg.errors.IntegrityError):
        return None  # retried by chat_post, which finds the line if it was stored after all
    return _numbered(line, row)


def _line_at_once(chat_id: int, case: Case, author, body: str, client_id: uuid.UUID):
    """The line and the statement of `_store_line_at_once` with its parameters (no query), or None when
    the line must take the careful path."""
    if case.youth_id is None or not body or len(body) > settings.CHAT_MESSAGE_MAX_CHARS:
        return None  # a partner enquiry's members are more than its row says; a bad length is refused below
    if not access.is_live_member(author, case):
        return None
    connection = connections[router.db_for_write(Message)]
    if connection.vendor != "postgresql":  # SQLite (the embedded default) has no UPDATE inside WITH
        return None
    plan = _line_values()
    if plan is None:
        return None
    now = timezone.now()
    given = {
        "case_id": case.pk,
        "author_id": author.pk,
        "from_staff": author.pk == case.counselor_id,
        # The socket's case keeps its key unwrapped and its cipher set up (hub/sealed.py).
        "body_sealed": sealing.seal(case, body, purpose="message"),
        "idempotency_key": client_id,
        "published_at": now,
    }
    raw, values = plan.values(given, now, connection)
    params = [chat_id, case.pk, ChatStatus.ACTIVE, case.pk, case.youth_id, case.counselor_id, client_id]
    return _Line(raw, case, author), _line_statement()[0], [*params, *values]


class _Line:
    """A line stored by `_line_at_once`'s statement, as much of a Message as `line_event` and the socket
    read (no Message is built on the socket's loop: `_message` makes one for the other callers)."""

    __slots__ = ("author", "case", "chat_seq", "pk", "raw")

    def __init__(self, raw: dict, case: Case, author):
        self.raw, self.case, self.author, self.pk, self.chat_seq = raw, case, author, None, None

    author_id = property(lambda self: self.raw["author_id"])
    from_staff = property(lambda self: self.raw["from_staff"])
    idempotency_key = property(lambda self: self.raw["idempotency_key"])
    created_at = property(lambda self: self.raw["created_at"])


class _LineValues:
    """The values of a new line's columns (every Message field but its id and number), from the few a line
    gives (`given`): the others are their defaults, prepared for the database once per process, and the
    creation time. Per line the ORM built a Message and prepared each of its fields (pre_save and
    get_db_prep_save): more than the rest of the line's work on the socket's loop (bench/chat_load.py)."""

    def __init__(self, fields, connection):
        self.fields = fields
        self.defaults = {}  # attname -> (raw value, value for the database)
        self.now = []  # attnames set to the creation time (auto_now / auto_now_add)
        for field in fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                self.now.append(field.attname)
            elif field.attname not in _GIVEN:
                default = field.get_default()
                self.defaults[field.attname] = (default, field.get_db_prep_save(default, connection))

    def values(self, given: dict, now, connection) -> tuple[dict, list]:
        raw = given | dict.fromkeys(self.now, now)
        values = []
        for field in self.fields:
            kept = self.defaults.get(field.attname)
            if kept is not None:
                raw[field.attname] = kept[0]
                values.append(kept[1])
            else:
                values.append(field.get_db_prep_save(raw[field.attname], connection))
        return raw, values


# What a line gives `_LineValues` itself; every other column takes its default or the creation time.
_GIVEN = frozenset({"case_id", "author_id", "from_staff", "body_sealed", "idempotency_key", "published_at"})


@cache
def _line_values() -> _LineValues | None:
    """None where a Message field would need more than its default: a callable default (a value per
    line), a pre_save of its own, or a default the database sets. Then `_line_at_once` leaves every line
    to the careful path, so a new field of that kind is never stored wrong on this path (and the tests
    that count one statement per line say so)."""
    from django.db.models import DateField, DateTimeField, Field

    plain_pre_save = {Field.pre_save, DateField.pre_save, DateTimeField.pre_save}
    fields = [field for field in _line_statement()[1] if field.attname != "chat_seq"]  # numbered there
    for field in fields:
        if field.attname in _GIVEN:
            continue
        per_line = field.has_default() and callable(field.default)
        if per_line or type(field).pre_save not in plain_pre_save or field.has_db_default():
            return None
    return _LineValues(fields, connections[router.db_for_write(Message)])


def _numbered(line: _Line, row) -> _Line | None:
    if row is None:
        return None
    line.pk, line.chat_seq = row
    return line


def _message(line: _Line) -> Message:
    values = line.raw | {"id": line.pk, "chat_seq": line.chat_seq}
    message = Message(*(values[field.attname] for field in Message._meta.concrete_fields))
    Message.case.field.set_cached_value(message, line.case)  # line_event reads them: no query
    Message.author.field.set_cached_value(message, line.author)
    message._state.adding, message._state.db = False, router.db_for_write(Message)
    return message


@cache
def _line_statement() -> tuple[str, list]:
    """The statement of `_store_line_at_once`, and the Message fields (all of them, so a new field cannot
    be forgotten here) whose values follow the seven parameters of the conditions."""

    def column(model, name):
        return model._meta.get_field(name).column

    fields = [field for field in Message._meta.local_concrete_fields if not field.primary_key]
    seq = column(Chat, "last_seq")
    # Each value cast to its column's type: bound by the server (hub/loop_db.py), a NULL or a string in a
    # SELECT list would otherwise be text, which no integer or bytea column takes.
    connection = connections[router.db_for_write(Message)]
    inserted = ", ".join(
        "numbered.n" if field.attname == "chat_seq" else f"%s::{field.cast_db_type(connection)}"
        for field in fields
    )
    # Only names from the models' meta go into the text; every value is a parameter.
    sql = f"""
        WITH numbered AS (
            UPDATE {Chat._meta.db_table} SET {seq} = {seq} + 1
            WHERE id = %s AND {column(Chat, "case")} = %s AND {column(Chat, "status")} = %s
              AND EXISTS (
                SELECT 1 FROM {Case._meta.db_table} WHERE id = %s
                AND {column(Case, "youth")} = %s AND {column(Case, "counselor")} IS NOT DISTINCT FROM %s)
              AND NOT EXISTS (
                SELECT 1 FROM {Message._meta.db_table} WHERE {column(Message, "idempotency_key")} = %s)
            RETURNING {seq} AS n
        )
        INSERT INTO {Message._meta.db_table} ({", ".join(field.column for field in fields)})
        SELECT {inserted} FROM numbered
        RETURNING id, {column(Message, "chat_seq")}"""  # noqa: S608
    return sql, fields


def locked_for_line(chat_id: int, author, client_id: uuid.UUID) -> tuple[Chat, Message | None]:
    """The rules every new chat line meets, typed or spoken (counseling/voice.py): the chat locked, the line
    already stored under this client id if it was (then nothing else is checked), else refused unless the
    author is a live member of an active chat. Call inside a transaction."""
    locked = Chat.objects.select_for_update().select_related("case").get(pk=chat_id)
    existing = Message.objects.filter(case=locked.case, idempotency_key=client_id).first()
    if existing is not None:
        return locked, existing
    if not access.is_live_member(author, locked.case):
        raise ChatRefused("not a participant")
    if locked.status != ChatStatus.ACTIVE:
        raise ChatRefused("not active")
    return locked, None


@transaction.atomic
def _store_line(
    chat_id: int, author, body: str, client_id: uuid.UUID, announce: bool
) -> tuple[Message, bool]:
    locked, existing = locked_for_line(chat_id, author, client_id)
    if existing is not None:
        return existing, False
    case = locked.case
    body = body.strip()
    if not body or len(body) > settings.CHAT_MESSAGE_MAX_CHARS:
        raise ChatRefused("length")
    locked.last_seq += 1
    locked.save(update_fields=["last_seq"])
    message = Message.objects.create(
        case=case,
        author=author,
        from_staff=author.pk == case.counselor_id,
        body_sealed=sealing.seal(case, body, purpose="message"),
        idempotency_key=client_id,
        chat_seq=locked.last_seq,
        published_at=timezone.now(),
    )
    if announce:
        _broadcast(case, line_event(message, case, body=body))
    return message, True


def line_event(message: "Message | _Line", case: Case, *, body: str | None = None) -> dict:
    author = message.author
    return {
        "type": "line",
        "author_id": message.author_id,  # the consumer turns this into "mine" for each reader and drops it
        # The case's counselor as this line was stored (under the chat's lock): a socket whose reader is
        # not who it was checked for checks its access again before it forwards the line (a handover).
        "counselor_id": case.counselor_id,
        "seq": message.chat_seq,
        "client_id": str(message.idempotency_key),
        "from_staff": message.from_staff,
        "author": author.get_short_name() if author else "",
        "body": body if body is not None else sealing.unseal(case, message.body_sealed, purpose="message"),
        "sent_at": message.created_at.isoformat(),
    }


def lines_after(chat: Chat, after: int, *, limit: int = 500) -> list[dict]:
    """What a reconnecting client missed: the lines numbered above `after`, in order."""
    case = chat.case
    messages = (
        Message.objects.filter(case=case, chat_seq__gt=after)
        .select_related("author")
        .order_by("chat_seq")[:limit]
    )
    return with_voice(case, [line_event(message, case) for message in messages])


def chat_mark_read(*, chat: Chat, reader, seq: int, announce: bool = True) -> dict | None:
    """Move the reader's read mark forward to `seq`; returns the "read" event when it moved (announced
    after commit unless announce=False: the websocket consumer sends it from its own loop, as for lines)."""
    by_staff = reader.pk == chat.case.counselor_id
    event = read_mark(chat_id=chat.pk, reader_id=reader.pk, by_staff=by_staff, seq=min(seq, chat.last_seq))
    if event is not None and announce:
        _broadcast(chat.case, event)
    return event


def read_mark(*, chat_id: int, reader_id: int, by_staff: bool, seq: int) -> dict | None:
    """One UPDATE: only forwards (a stale client cannot move the mark back), never past the last line,
    and only for the chat's own young person or counselor. Every line read passes here, so no lookup,
    and the statement is written once (the ORM built it anew for every receipt: most of its cost)."""
    with connections[router.db_for_write(Chat)].cursor() as cursor:
        cursor.execute(_read_statement(by_staff), [seq, chat_id, seq, seq, reader_id])
        updated = cursor.rowcount
    return {"type": "read", "by_staff": by_staff, "seq": seq} if updated else None


async def read_mark_from_loop(*, chat_id: int, reader_id: int, by_staff: bool, seq: int) -> dict | None:
    """`read_mark` from a socket's event loop, without a worker thread (hub/loop_db.py); raises
    loop_db.Unavailable when it could not run here (then `read_mark` in a worker thread: moving a mark
    forwards twice is harmless)."""
    updated = await loop_db.run(
        _read_statement(by_staff), [seq, chat_id, seq, seq, reader_id], alias=router.db_for_write(Chat)
    )
    return {"type": "read", "by_staff": by_staff, "seq": seq} if updated else None


def read_marks(marks: list[tuple[int, bool, int, int]]) -> None:
    """`read_mark` for each (chat id, by_staff, seq, reader id): the receipts a process's sockets kept
    (counseling/chat_reads.py) where they cannot go from the loop (SQLite, the embedded default)."""
    for chat_id, by_staff, seq, reader_id in marks:
        read_mark(chat_id=chat_id, reader_id=reader_id, by_staff=by_staff, seq=seq)


async def read_marks_from_loop(marks: list[tuple[int, bool, int, int]]) -> int:
    """Many read marks ((chat id, by_staff, seq, reader id) each) in one statement from a socket's event
    loop (hub/loop_db.py), under `read_mark`'s rules: forwards only, never past the last line, and only the
    chat's own young person or counselor. The number of chats changed; raises loop_db.Unavailable when it
    could not run here (then `read_marks`: moving a mark forwards twice is harmless)."""
    per_chat: dict[int, list] = {}
    for chat_id, by_staff, seq, reader_id in marks:
        row = per_chat.setdefault(chat_id, [0, None, 0, None])  # staff seq and reader, youth seq and reader
        row[0 if by_staff else 2], row[1 if by_staff else 3] = seq, reader_id
    ordered = sorted(per_chat)
    columns = [ordered, *([per_chat[chat_id][n] for chat_id in ordered] for n in range(4))]
    return await loop_db.run(_read_many_statement(), columns, alias=router.db_for_write(Chat))


@cache
def _read_many_statement() -> str:
    def column(model, name):
        return model._meta.get_field(name).column

    last = column(Chat, "last_seq")

    def moved(mark: str, seq: str, member: str, reader: str) -> str:
        return f"""CASE WHEN k.{member} = v.{reader} AND v.{seq} > c.{mark} AND v.{seq} <= c.{last}
            THEN v.{seq} ELSE c.{mark} END"""

    staff, youth = column(Chat, "staff_read_seq"), column(Chat, "youth_read_seq")
    # Only names from the models' meta go into the text; every value is a parameter (five arrays).
    return f"""
        UPDATE {Chat._meta.db_table} AS c SET
            {staff} = {moved(staff, "staff_seq", column(Case, "counselor"), "staff_reader")},
            {youth} = {moved(youth, "youth_seq", column(Case, "youth"), "youth_reader")}
        FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[])
                AS v(chat_id, staff_seq, staff_reader, youth_seq, youth_reader),
            {Case._meta.db_table} AS k
        WHERE c.id = v.chat_id AND k.id = c.{column(Chat, "case")}"""  # noqa: S608


async def last_seq_from_loop(*, chat_id: int, case: Case) -> int | None:
    """The chat's last line number, read from a socket's event loop (hub/loop_db.py), while the case's
    young person and counselor are still those `case` (the socket's last access check) was read with;
    None otherwise, or when there is no such chat. Raises loop_db.Unavailable when it could not run here."""
    params = [chat_id, case.pk, case.pk, case.youth_id, case.counselor_id]
    row = await loop_db.run(_last_seq_statement(), params, fetch=True, alias=router.db_for_read(Chat))
    return row[0] if row else None


@cache
def _last_seq_statement() -> str:
    def column(model, name):
        return model._meta.get_field(name).column

    # Only names from the models' meta go into the text; every value is a parameter.
    return f"""
        SELECT {column(Chat, "last_seq")} FROM {Chat._meta.db_table}
        WHERE id = %s AND {column(Chat, "case")} = %s AND EXISTS (
            SELECT 1 FROM {Case._meta.db_table} WHERE id = %s
            AND {column(Case, "youth")} = %s AND {column(Case, "counselor")} IS NOT DISTINCT FROM %s)"""  # noqa: S608


@cache
def _read_statement(by_staff: bool) -> str:
    def column(model, name):
        return model._meta.get_field(name).column

    mark = column(Chat, "staff_read_seq" if by_staff else "youth_read_seq")
    member = column(Case, "counselor" if by_staff else "youth")
    # Only names from the models' meta go into the text; every value is a parameter.
    return f"""
        UPDATE {Chat._meta.db_table} SET {mark} = %s
        WHERE id = %s AND {column(Chat, "last_seq")} >= %s AND {mark} < %s
          AND {column(Chat, "case")} IN (SELECT id FROM {Case._meta.db_table} WHERE {member} = %s)"""  # noqa: S608


@transaction.atomic
def chat_end(*, chat: Chat, by, reason: str = "") -> Chat:
    """End the chat (by a person, or with reason="abandoned" by counseling/chat_presence.py)."""
    locked = Chat.objects.select_for_update().select_related("case").get(pk=chat.pk)
    if locked.status == ChatStatus.ENDED:
        return locked
    was_waiting = locked.status == ChatStatus.WAITING
    locked.status, locked.ended_at, locked.ended_by = ChatStatus.ENDED, timezone.now(), by
    locked.save(update_fields=["status", "ended_at", "ended_by"])
    case = locked.case
    # The case lists sort by the last message; during the chat that is kept up to date here, once.
    case.status, case.last_message_at = CaseStatus.CLOSED, locked.ended_at
    case.closed_at = locked.ended_at
    case.save(update_fields=["status", "last_message_at", "closed_at"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CHAT_ENDED, actor=by)
    event = {"type": "ended", "by_staff": by is not None and by.pk == case.counselor_id}
    _broadcast(case, event | ({"reason": reason} if reason else {}))
    access_revoked(case_ids=[case.pk], reason="closed")  # after "ended": the room closes (unless converted)
    if was_waiting:
        _announce_queue_change(case.language)
    else:  # a seat is free again: the desk shows it
        group_send_after_commit(DESK_GROUP, {"type": "queue.changed"})
    return locked


@transaction.atomic
def chat_convert(*, chat: Chat, counselor) -> Case:
    """The conversation goes on as a mail thread in the same case; the young person is told."""
    chat = chat_end(chat=chat, by=counselor)
    case = chat.case
    case.status = CaseStatus.WAITING
    case.save(update_fields=["status"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.CONVERTED, actor=counselor, counselor=counselor)
    _broadcast(case, {"type": "converted"})
    if case.youth_id:
        user_notify(user_id=case.youth_id, event={"kind": "reply", "case": str(case.public_id)})
    return case


def _broadcast(case: Case, event: dict) -> None:
    group_send_after_commit(case_group(case.pk), {"type": "live.event", "event": event})


def _announce_queue_change(language: str) -> None:
    group_send_after_commit(queue_group(language), {"type": "queue.changed"})
    group_send_after_commit(DESK_GROUP, {"type": "queue.changed"})
