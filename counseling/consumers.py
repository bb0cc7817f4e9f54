"""Websockets of live counseling: the 1:1 chat and video signalling of a case, the counselors' chat
desk, and topic chat rounds.

Access is decided once on connect (the same rules as the pages: only the case's young person and its
counselor; only a round's moderator and its participants) and again by the services on every line
stored or read, so a handover or a removal takes effect at once. Refusals carry a code; the page shows
the translated text for it.
"""

import time
import uuid
from collections import deque
from functools import partial

from channels.db import DatabaseSyncToAsync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone

from counseling import chat, presence, rounds
from counseling.chat import ChatRefused
from counseling.models import Case, Chat, ChatRound, ChatStatus
from hub.roles import Role, has_role

# ORM work runs in the loop's thread pool, not in the one shared "sync thread" that Channels uses by
# default: chats lock only their own row, so lines of different chats are stored in parallel.
# (Measured with bench/chat_load.py: the shared thread queued every line of every chat behind the others.)
in_worker = partial(DatabaseSyncToAsync, thread_sensitive=False)

MAX_SIGNAL_BYTES = 64 * 1024
# Flood guard per connection: a person types far slower; a script is refused (and told why).
SEND_BURST, SEND_WINDOW_SECONDS = 20, 10.0


class LiveThreadConsumer(AsyncJsonWebsocketConsumer):
    """The delivery protocol shared by chats and rounds.

    client {"type": "send", "client_id": uuid, "body": str}
        → {"type": "ack", "client_id", "seq"} or {"type": "refused", "client_id", "reason"}
    client {"type": "resume", "after": n} → {"type": "lines", "lines": [...]}
    client {"type": "typing"} → the others get {"type": "typing", "by_staff"}
    everyone gets {"type": "line", "seq", "client_id", "from_staff", "author", "body", "sent_at"}
    """

    group = ""

    async def connect(self):
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=4401)
            return
        if not await in_worker(self.authorize)():
            await self.close(code=4403)
            return
        self.joined = self.groups_to_join()
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json(await in_worker(self.hello)())

    async def disconnect(self, code):
        for group in getattr(self, "joined", ()):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        handler = self.handlers().get(content.get("type") if isinstance(content, dict) else None)
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
            seq, event = await in_worker(self.store)(body if isinstance(body, str) else "", client_id)
        except ChatRefused as refusal:
            await self.send_json({"type": "refused", "client_id": str(client_id), "reason": str(refusal)})
            return
        await self.send_json({"type": "ack", "client_id": str(client_id), "seq": seq})
        if event is not None:  # stored and committed just now: tell everyone in the room
            await self.channel_layer.group_send(self.group, {"type": "live.event", "event": event})

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
        try:
            after = max(int(content.get("after", 0)), 0)
        except (TypeError, ValueError):
            after = 0
        lines = await in_worker(self.lines_after)(after)
        await self.send_json({"type": "lines", "lines": [self.for_me(line) for line in lines]})

    async def on_typing(self, content):
        await self.channel_layer.group_send(
            self.group, {"type": "live.typing", "sender": self.channel_name, "by_staff": self.by_staff}
        )

    async def live_event(self, message):
        await self.send_json(self.for_me(message["event"]))

    def for_me(self, event: dict) -> dict:
        """A line says whether it is the reader's own; whose it is (a user id) never leaves the server."""
        if "author_id" not in event:
            return event
        event = dict(event)
        event["mine"] = event.pop("author_id") == self.user.pk
        return event

    async def live_typing(self, message):
        if message["sender"] != self.channel_name:
            await self.send_json({"type": "typing", "by_staff": message["by_staff"]})

    # Subclasses decide (all run in a worker thread, so they may use the ORM):
    def authorize(self) -> bool:
        raise NotImplementedError

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

    def authorize(self) -> bool:
        case = Case.objects.filter(public_id=self.scope["url_route"]["kwargs"]["public_id"]).first()
        if case is None:
            return False
        self.case_id, self.language = case.pk, case.language
        self.by_staff = self.user.pk == case.counselor_id
        self.group = chat.case_group(case.pk)
        live = Chat.objects.filter(case=case).values_list("pk", "status").first()
        self.chat_id, self.waiting = (live[0], live[1] == ChatStatus.WAITING) if live else (None, False)
        return self.user.pk in (case.youth_id, case.counselor_id)

    def groups_to_join(self) -> list[str]:
        # A young person in the waiting room hears when the queue moves, to update their position.
        if self.waiting and not self.by_staff:
            return [self.group, chat.queue_group(self.language)]
        return [self.group]

    def _chat(self) -> Chat | None:
        chat_ = Chat.objects.filter(case_id=self.case_id).select_related("case").first()
        if chat_ is not None and not chat.is_participant(chat_, self.user):
            raise ChatRefused("not a participant")  # handed over since connecting
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

    def store(self, body: str, client_id: uuid.UUID) -> tuple[int, dict | None]:
        if self.chat_id is None:
            raise ChatRefused("not active")
        # chat_post reads the chat again under its lock and checks who may write: no lookup first.
        message, new = chat.chat_post(
            chat=Chat(pk=self.chat_id), author=self.user, body=body, client_id=client_id, announce=False
        )
        event = chat.line_event(message, message.case, body=body.strip()) if new else None
        return message.chat_seq, event

    def lines_after(self, after: int) -> list[dict]:
        try:
            chat_ = self._chat()
        except ChatRefused:
            return []
        return chat.lines_after(chat_, after) if chat_ else []

    async def on_read(self, content):
        try:
            seq = int(content.get("seq"))
        except (TypeError, ValueError):
            return
        await in_worker(self._read)(seq)

    def _read(self, seq: int) -> None:
        chat_ = self._chat()
        if chat_ is not None:
            chat.chat_mark_read(chat=chat_, reader=self.user, seq=seq)

    async def on_end(self, content):
        await in_worker(self._end)()

    def _end(self) -> None:
        chat_ = self._chat()
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
        if message["sender"] != self.channel_name:
            await self.send_json({"type": "signal", "data": message["data"]})

    async def queue_changed(self, message):
        position = await in_worker(self._position)()
        if position is not None:
            await self.send_json({"type": "position", "position": position})

    def _position(self) -> int | None:
        if self.by_staff:
            return None
        chat_ = Chat.objects.filter(case_id=self.case_id, status=ChatStatus.WAITING).select_related("case")
        waiting = chat_.first()
        return chat.queue_position(waiting) if waiting else None


class ChatDeskConsumer(AsyncJsonWebsocketConsumer):
    """`ws/chat-desk/`: a counselor's presence heartbeat, and word when the waiting list changes."""

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not await in_worker(has_role)(user, Role.COUNSELOR):
            await self.close(code=4403)
            return
        self.user = user
        await self.channel_layer.group_add(chat.DESK_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(chat.DESK_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("type") != "heartbeat":
            return
        online = await in_worker(presence.heartbeat)(
            self.user.pk, active=bool(content.get("active")), now=timezone.now()
        )
        await self.send_json({"type": "presence", "online": online})

    async def queue_changed(self, message):
        await self.send_json({"type": "queue"})


class RoundConsumer(LiveThreadConsumer):
    """`ws/rounds/<uuid>/`: a topic chat round, for its moderator and participants."""

    def authorize(self) -> bool:
        found = ChatRound.objects.filter(public_id=self.scope["url_route"]["kwargs"]["public_id"]).first()
        if found is None or not rounds.may_take_part(found, self.user):
            return False
        self.round_id, self.group = found.pk, rounds.round_group(found.pk)
        self.by_staff = self.user.pk == found.moderator_id
        return True

    def _round(self) -> ChatRound:
        found = ChatRound.objects.get(pk=self.round_id)
        if not rounds.may_take_part(found, self.user):
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
        if event.get("type") == "removed" and event.get("user_id") == self.user.pk:
            await self.send_json({"type": "removed"})
            await self.close(code=4403)
