"""Websockets of live counseling: the 1:1 chat and video signalling of a case, the counselors' chat
desk, and topic chat rounds.

Access is the same function as the pages' (counseling/access.py), asked on connect and again before each
event goes out (hub/sockets.py: a cached verdict, checked again when an access change is announced or
after RECHECK_SECONDS). When access ends — handover, closing, deletion, a role change, deactivation,
logout — the socket leaves its groups and closes with a code and reason; the page shows the translated
notice for it. The services check again on every line stored or read.
"""

import asyncio
import contextlib
import logging
import time
import uuid
from collections import deque

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from counseling import access, chat, chat_beats, chat_presence, chat_reads, chat_recent, presence, rounds
from counseling.chat import ChatRefused
from counseling.models import Chat, ChatRound, ChatStatus
from hub import loop_db
from hub.prepared import PreparedRead
from hub.roles import Role, has_role
from hub.sockets import GuardedConsumer, case_group, in_worker
from learning.gates import Activity, activity_refusal

MAX_SIGNAL_BYTES = 64 * 1024
# Flood guard per connection: a person types far slower; a script is refused (and told why).
SEND_BURST, SEND_WINDOW_SECONDS = 20, 10.0
# The page sends "typing" at most every 2 s; more often from one socket is passed on once a second.
TYPING_EVERY_SECONDS = 1.0
logger = logging.getLogger(__name__)
# Cache work without the database (presence entries): a thread of the pool, no connection handling.
in_cache = sync_to_async(thread_sensitive=False)
# Delayed abandonment checks outlive the consumer that scheduled them: keep them referenced until done.
_PENDING_CHECKS: set[asyncio.Task] = set()


def _check_abandoned_later(chat_id: int) -> None:
    """A side closed its socket: once CHAT_ABANDON_SECONDS are over, end the chat if no one came back.
    (Beat's job `counseling.end_abandoned_chats` does the same for processes that died meanwhile.)"""

    async def check():
        await asyncio.sleep(settings.CHAT_ABANDON_SECONDS + 1)
        try:
            await in_worker(chat_presence.end_abandoned_chats)(now=timezone.now(), chat_ids=[chat_id])
        except Exception:
            logger.warning("chat presence: abandonment check failed", exc_info=True)

    task = asyncio.ensure_future(check())
    _PENDING_CHECKS.add(task)
    task.add_done_callback(_PENDING_CHECKS.discard)


# What a case's socket reads of its chat on connect (and on every hello, resume and end), each with its SQL
# built once per process (hub/prepared.py): building it cost more than PostgreSQL took to answer, on
# every connect and reconnect (bench/chat_load.py). A case has one chat.
_CHAT_STATE = PreparedRead(
    Chat, lambda case_id: Chat.objects.filter(case_id=case_id).values("pk", "status")[:1], case_id=int
)
_CHAT_WITH_CASE = PreparedRead(
    Chat, lambda case_id: Chat.objects.filter(case_id=case_id).select_related("case")[:1], case_id=int
)


def _resume_after(content: dict) -> int:
    try:
        return max(int(content.get("after", 0)), 0)
    except (TypeError, ValueError):
        return 0


class LiveThreadConsumer(GuardedConsumer):
    """The delivery protocol shared by chats and rounds.

    client {"type": "send", "client_id": uuid, "body": str}
        → {"type": "ack", "client_id", "seq"} or {"type": "refused", "client_id", "reason"}
    client {"type": "resume", "after": n} → {"type": "lines", "lines": [...]}
    client {"type": "typing"} → the others get {"type": "typing", "by_staff"}
    everyone gets {"type": "line", "seq", "client_id", "from_staff", "author", "body", "sent_at"}
    """

    group = ""

    def prepare(self) -> None:
        self.greeting = self.hello()

    async def accepted(self):
        await self.send_json(self.greeting)

    async def received(self, content):
        handlers = self.__dict__.get("_handlers")
        if handlers is None:  # built once per socket, not for every frame
            handlers = self._handlers = self.handlers()
        handler = handlers.get(content.get("type") if isinstance(content, dict) else None)
        if handler is not None:
            await handler(content)

    def handlers(self) -> dict:
        return {"send": self.on_send, "resume": self.on_resume, "typing": self.on_typing}

    async def on_send(self, content):
        try:
            client_id = uuid.UUID(str(content.get("client_id")))
        except ValueError:
            await self.send_json({"type": "refused", "client_id": None, "reason": "client_id"})
            return
        if self._too_fast():
            await self.send_json({"type": "refused", "client_id": str(client_id), "reason": "too fast"})
            return
        body = content.get("body")
        try:
            seq, event = await self.store_line(body if isinstance(body, str) else "", client_id)
        except ChatRefused as refusal:
            await self.send_json({"type": "refused", "client_id": str(client_id), "reason": str(refusal)})
            return
        await self.send_json({"type": "ack", "client_id": str(client_id), "seq": seq})
        if event is not None:  # stored and committed just now: tell everyone in the room
            await self.channel_layer.group_send(self.group, {"type": "live.event", "event": event})

    async def store_line(self, body: str, client_id: uuid.UUID) -> tuple[int, dict | None]:
        return await in_worker(self.store)(body, client_id)

    def _too_fast(self) -> bool:
        now = time.monotonic()
        sends = self.__dict__.setdefault("_sends", deque())
        while sends and now - sends[0] > SEND_WINDOW_SECONDS:
            sends.popleft()
        if len(sends) >= SEND_BURST:
            return True
        sends.append(now)
        return False

    async def on_resume(self, content):
        lines = await in_worker(self.lines_after)(_resume_after(content))
        await self.send_json({"type": "lines", "lines": [self.for_me(line) for line in lines]})

    async def on_typing(self, content):
        # Typing touches neither the database nor a worker thread: one group send from the loop, at most
        # once a second per socket.
        now = time.monotonic()
        if now - self.__dict__.get("_typed_at", -TYPING_EVERY_SECONDS) < TYPING_EVERY_SECONDS:
            return
        self._typed_at = now
        await self.channel_layer.group_send(
            self.group, {"type": "live.typing", "sender": self.channel_name, "by_staff": self.by_staff}
        )

    async def live_event(self, message):
        event = message["event"]
        if "counselor_id" in event and event["counselor_id"] != getattr(self, "counselor_id", None):
            self.stale = True  # stored after a handover whose announcement has not arrived yet: ask now
        if await self.allowed():
            await self.send_json(self.for_me(event))

    def for_me(self, event: dict) -> dict:
        """A line says whether it is the reader's own; whose it is (a user id) never leaves the server."""
        if "author_id" not in event:
            return event
        event = dict(event)
        event.pop("counselor_id", None)
        event["mine"] = event.pop("author_id") == self.user.pk
        return event

    async def live_typing(self, message):
        if message["sender"] != self.channel_name and await self.allowed():
            await self.send_json({"type": "typing", "by_staff": message["by_staff"]})

    # Subclasses decide (all run in a worker thread, so they may use the ORM):
    def groups_to_join(self) -> list[str]:
        return [self.group]

    def hello(self) -> dict:
        raise NotImplementedError

    def store(self, body: str, client_id: uuid.UUID) -> tuple[int, dict | None]:
        """Store a line; its number, and the event to broadcast if it was new (None for a retry)."""
        raise NotImplementedError

    def lines_after(self, after: int) -> list[dict]:
        raise NotImplementedError


class CaseLiveConsumer(LiveThreadConsumer):
    """`ws/cases/<uuid>/`: the case's live chat (waiting room included) and video-call signalling."""

    shown_seq = 0  # the last line number this socket has shown (its hello's, then each line sent: send_json)

    def check_access(self, user) -> None:
        case = access.access_case_live(user, self.scope["url_route"]["kwargs"]["public_id"])
        # Kept until the next check: a line is stored against the case as this check saw it (chat_post).
        self.case, self.case_id, self.language, self.counselor_id = (
            case,
            case.pk,
            case.language,
            case.counselor_id,
        )
        self.by_staff = user.pk == case.counselor_id
        self.group = case_group(case.pk)
        if not hasattr(self, "chat_id"):  # on connect only: the chat and whether it is waiting
            # One chat per case; its SQL built once per process (hub/prepared.py): connects are many
            live = next(iter(_CHAT_STATE.rows(case_id=case.pk)), None)
            self.chat_id, self.waiting = (
                (live["pk"], live["status"] == ChatStatus.WAITING) if live else (None, False)
            )

    async def accepted(self):
        hello = self.greeting
        self.read_sent = (hello.get("read") or {}).get("staff" if self.by_staff else "youth", 0)
        self.shown_seq = hello.get("last_seq") or 0
        # What the page shows about the other side: nothing yet, or "dropped" from before its own socket
        # dropped too (live.js reconnects with ?peer=gone). Then "here" is news and is sent (`_peer_is`).
        shown_gone = b"peer=gone" in self.scope.get("query_string", b"").split(b"&")
        self.peer_present = False if shown_gone else None
        await self.send_json(hello)
        if self.chat_id is not None and hello["status"] != ChatStatus.ENDED:
            self.present_task = asyncio.ensure_future(self._stay_present())

    async def disconnect(self, code):
        task, self.present_task = getattr(self, "present_task", None), None
        if task is not None:  # this side left: say so now (counseling/chat_presence.py) and check later
            task.cancel()
            chat_beats.leave(self)
            beat_call = getattr(self, "beat_call", None)
            if beat_call is not None:  # a beat still writing "here" must not overwrite the "left" below
                with contextlib.suppress(Exception):
                    await beat_call
            await chat_beats.settled()  # nor the process's beat (counseling/chat_beats.py)
            try:
                await in_cache(chat_presence.seen)(
                    self.case_id, by_staff=self.by_staff, connected=False, now=timezone.now()
                )
                await self._announce_presence(present=False)
            except Exception:  # Redis away: the other side's beat sees this side's entry grow old
                logger.warning("chat presence: could not record a closed socket", exc_info=True)
            _check_abandoned_later(self.chat_id)
        await super().disconnect(code)

    async def _stay_present(self):
        """Beat for this side until the first beat is written, then with the process's beat
        (counseling/chat_beats.py); tell the page when the other side leaves or comes back (a socket
        closing says so at once; a killed process only stops beating)."""
        announced = False
        while not self.ended and not announced:
            try:
                # Its own task, shielded: cancelling this loop must not leave the write running
                # unobserved in its thread, where it could land after disconnect's "left" (see there).
                self.beat_call = asyncio.ensure_future(
                    in_cache(chat_presence.beat)(self.case_id, by_staff=self.by_staff, now=timezone.now())
                )
                peer = await asyncio.shield(self.beat_call)
                if not announced:  # our entry is written: the other side hears at once that we are here
                    announced = True
                    await self._announce_presence(present=True)
                await self._peer_is(peer)
            except Exception:  # Redis restarting: try again at the next beat
                logger.warning("chat presence: beat failed", exc_info=True)
                await asyncio.sleep(settings.CHAT_PRESENCE_BEAT_SECONDS)
        if announced and not self.ended:
            chat_beats.join(self)

    async def beaten(self, peer: bool | None) -> None:
        """The process's beat wrote this side's entry and read the other side's."""
        await self._peer_is(peer)

    async def _announce_presence(self, *, present: bool) -> None:
        await self.channel_layer.group_send(
            self.group, {"type": "live.presence", "by_staff": self.by_staff, "present": present}
        )

    async def live_presence(self, message):
        if message["by_staff"] != self.by_staff:  # another tab of one's own side is not "the other side"
            await self._peer_is(message["present"])

    async def _peer_is(self, present: bool | None) -> None:
        if present is None or present == self.peer_present:
            return
        told, self.peer_present = self.peer_present is not None, present
        # Only a change is news: "here" as the first word is not ("back" follows a "gone").
        if (told or not present) and await self.allowed():
            await self.send_json({"type": "peer", "present": present})

    def groups_to_join(self) -> list[str]:
        # A young person in the waiting room hears when the queue moves, to update their position.
        if self.waiting and not self.by_staff:
            return [self.group, chat.queue_group(self.language)]
        return [self.group]

    def _chat(self) -> Chat | None:
        """The chat, read again: what it shows is checked against the case as it is now."""
        chat_ = next(iter(_CHAT_WITH_CASE.objects(case_id=self.case_id)), None)
        if chat_ is not None and not access.is_live_member(self.user, chat_.case):
            raise ChatRefused("not a participant")  # handed over since the last check
        return chat_

    def hello(self) -> dict:
        chat_ = self._chat()
        if chat_ is None:
            return {"type": "hello", "status": None}
        return {
            "type": "hello",
            "status": chat_.status,
            "last_seq": chat_.last_seq,
            "position": chat.queue_position(chat_) if chat_.status == ChatStatus.WAITING else None,
            "read": {"staff": chat_.staff_read_seq, "youth": chat_.youth_read_seq},
        }

    def handlers(self) -> dict:
        return super().handlers() | {"read": self.on_read, "end": self.on_end, "signal": self.on_signal}

    async def store_line(self, body: str, client_id: uuid.UUID) -> tuple[int, dict | None]:
        """A new line as one statement from this loop (no worker thread: hub/loop_db.py) while the case
        is as the last access check saw it; anything else (a retry, a refusal) is `store`'s to decide."""
        case = self.case
        if self.chat_id is not None:
            stored = await chat.post_line_from_loop(
                chat_id=self.chat_id, case=case, author=self.user, body=body, client_id=client_id
            )
            if stored is not None:
                event = chat.line_event(stored, case, body=body.strip())
                chat_recent.remember(self.chat_id, event)
                return stored.chat_seq, event
        return await in_worker(self.store)(body, client_id)

    def store(self, body: str, client_id: uuid.UUID) -> tuple[int, dict | None]:
        if self.chat_id is None:
            raise ChatRefused("not active")
        # One statement while the case is as this socket's last access check saw it; chat_post reads the
        # chat again under its lock and checks who may write when anything else is the case.
        message, new = chat.chat_post(
            chat=Chat(pk=self.chat_id),
            author=self.user,
            body=body,
            client_id=client_id,
            announce=False,
            checked_case=self.case,
        )
        event = chat.line_event(message, message.case, body=body.strip()) if new else None
        return message.chat_seq, event

    async def on_resume(self, content):
        """Most resumes find nothing new (a page opened or reloaded, a gap closed meanwhile) or lines this
        process has just carried (counseling/chat_recent.py): that answer comes from this loop after one
        statement (the chat's last number, while the case is as the socket's last access check read it;
        hub/loop_db.py). Anything else is read, checked and unsealed in a worker thread (`lines_after`)."""
        if self.chat_id is not None and self.case.youth_id is not None:
            try:
                last = await chat.last_seq_from_loop(chat_id=self.chat_id, case=self.case)
            except loop_db.Unavailable:
                last = None
            after = _resume_after(content)
            if last is not None:
                lines = [] if last <= after else chat_recent.lines_between(self.chat_id, after, last)
                # A line stored after a handover this socket has not heard of goes the careful way.
                if lines is not None and all(line["counselor_id"] == self.counselor_id for line in lines):
                    await self.send_json({"type": "lines", "lines": [self.for_me(line) for line in lines]})
                    return
        await super().on_resume(content)

    async def live_event(self, message):
        if self.chat_id is not None:
            chat_recent.remember(self.chat_id, message["event"])
        await super().live_event(message)

    async def send_json(self, content, close=False):
        # What a receipt may say is read: no number past the last line this socket has shown (on_read).
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "line" and content.get("seq"):
            self.shown_seq = max(self.shown_seq, content["seq"])
        elif kind == "lines" and content["lines"]:
            self.shown_seq = max(self.shown_seq, content["lines"][-1]["seq"])  # in order
        await super().send_json(content, close=close)

    def lines_after(self, after: int) -> list[dict]:
        try:
            chat_ = self._chat()
        except ChatRefused:
            return []
        return chat.lines_after(chat_, after) if chat_ else []

    async def on_read(self, content):
        """A receipt for a line this socket has shown is announced from this loop at once and its mark
        written behind, with every other socket's of this process, in one statement per
        counseling/chat_reads.py's FLUSH_SECONDS (no worker thread, no statement of its own). A number past
        that (a line still on its way to this socket, or a page saying too much) is one UPDATE now, which
        decides (chat.read_mark: forwards only, never past the last line, members only)."""
        try:
            seq = int(content.get("seq"))
        except (TypeError, ValueError):
            return
        if self.chat_id is None or seq <= self.read_sent:
            return
        if seq <= self.shown_seq:
            chat_reads.mark(self.chat_id, by_staff=self.by_staff, reader_id=self.user.pk, seq=seq)
            event = {"type": "read", "by_staff": self.by_staff, "seq": seq}
        else:
            mark = dict(chat_id=self.chat_id, reader_id=self.user.pk, by_staff=self.by_staff, seq=seq)
            try:  # from this loop (hub/loop_db.py); a worker thread only where that cannot run
                event = await chat.read_mark_from_loop(**mark)
            except loop_db.Unavailable:
                event = await in_worker(chat.read_mark)(**mark)
            if event is None:
                return
        self.read_sent = seq
        await self.channel_layer.group_send(self.group, {"type": "live.event", "event": event})

    async def on_end(self, content):
        await in_worker(self._end)()

    def _end(self) -> None:
        try:
            chat_ = self._chat()
        except ChatRefused:
            return
        if chat_ is not None:
            chat.chat_end(chat=chat_, by=self.user)

    async def on_signal(self, content):
        """WebRTC offer/answer/ICE candidates, passed to the other side of the case unchanged."""
        data = content.get("data")
        if not isinstance(data, dict) or len(str(data)) > MAX_SIGNAL_BYTES:
            return
        await self.channel_layer.group_send(
            self.group, {"type": "live.signal", "sender": self.channel_name, "data": data}
        )

    async def live_signal(self, message):
        if message["sender"] != self.channel_name and await self.allowed():
            await self.send_json({"type": "signal", "data": message["data"]})

    async def queue_changed(self, message):
        if not await self.allowed():
            return
        position = await in_worker(self._position)()
        if position is not None:
            await self.send_json({"type": "position", "position": position})

    def _position(self) -> int | None:
        if self.by_staff:
            return None
        chat_ = Chat.objects.filter(case_id=self.case_id, status=ChatStatus.WAITING).select_related("case")
        waiting = chat_.first()
        return chat.queue_position(waiting) if waiting else None


class ChatDeskConsumer(GuardedConsumer):
    """`ws/chat-desk/`: a counselor's presence heartbeat, and word when the waiting list changes."""

    def check_access(self, user) -> None:
        if not has_role(user, Role.COUNSELOR):
            raise PermissionDenied

    def groups_to_join(self) -> list[str]:
        return [chat.DESK_GROUP]

    async def received(self, content):
        if not isinstance(content, dict) or content.get("type") != "heartbeat":
            return
        online = await in_worker(self._heartbeat)(bool(content.get("active")), content.get("online") is True)
        await self.send_json({"type": "presence", "online": online})

    def _heartbeat(self, active: bool, page_online: bool) -> bool:
        # The desk page says it is online: after a Redis restart lost the entry, it comes back by itself
        # (presence.heartbeat decides; the training gate is asked as when switching on).
        return presence.heartbeat(
            self.user.pk,
            active=active,
            now=timezone.now(),
            page_online=page_online,
            may_return=lambda: activity_refusal(self.user, Activity.LIVE_CHAT) is None,
        )

    async def queue_changed(self, message):
        if await self.allowed():
            await self.send_json({"type": "queue"})


class RoundConsumer(LiveThreadConsumer):
    """`ws/rounds/<uuid>/`: a topic chat round, for its moderator and participants."""

    def check_access(self, user) -> None:
        found = access.access_round_live(user, self.scope["url_route"]["kwargs"]["public_id"])
        self.round_id, self.group = found.pk, rounds.round_group(found.pk)
        self.by_staff = user.pk == found.moderator_id

    def _round(self) -> ChatRound:
        found = ChatRound.objects.get(pk=self.round_id)
        if not access.may_take_part(self.user, found):
            raise ChatRefused("not a participant")
        return found

    def hello(self) -> dict:
        found = ChatRound.objects.get(pk=self.round_id)
        return {"type": "hello", "status": found.status, "last_seq": found.last_seq}

    def store(self, body: str, client_id: uuid.UUID) -> tuple[int, None]:
        # Rounds are small: round_post announces the line itself after commit.
        message, _new = rounds.round_post(
            chat_round=self._round(), author=self.user, body=body, client_id=client_id
        )
        return message.seq, None

    def lines_after(self, after: int) -> list[dict]:
        try:
            return rounds.lines_after(self._round(), after)
        except ChatRefused:
            return []

    async def round_internal(self, message):
        event = message["event"]
        if event.get("type") == "removed" and event.get("user_id") == self.user.pk and not self.ended:
            await self.send_json({"type": "removed"})
            await self.end(4403, "removed")
