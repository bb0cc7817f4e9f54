"""`ws/intervision/meetings/<uuid>/`: the video room of an intervision meeting (issue 20).

A small group's call is a mesh: each browser keeps one WebRTC connection per other participant, so this
socket only introduces the participants and passes each signalling message (offer, answer, ICE
candidate) to the one peer it is addressed to. Nothing is stored; media goes browser to browser (STUN/TURN
from the settings, by default none).

Who may join is `access.access_meeting`, the function of the meeting's page (members of its group and
whoever manages the group), asked on connect and again before each event (hub/sockets.py). Removing a
member announces the change (services.member_remove), so their open socket closes at once.

client {"type": "signal", "to": peer, "data": {...}} → that peer gets {"type": "signal", "from", "data"}
on joining: {"type": "hello", "peer"}; the others get {"type": "joined", "peer", "name"} and answer the
newcomer with {"type": "present", "peer", "name"} (the newcomer then makes the offers);
on leaving: {"type": "left", "peer"}.
"""

import uuid

from counseling.intervision import access
from hub.sockets import GuardedConsumer

MAX_SIGNAL_BYTES = 64 * 1024


def meeting_group(meeting_id: int) -> str:
    return f"intervision.meeting.{meeting_id}"


class MeetingVideoConsumer(GuardedConsumer):
    meeting_id = None
    peer = ""

    def check_access(self, user) -> None:
        meeting = access.access_meeting(user, self.scope["url_route"]["kwargs"]["public_id"])
        self.meeting_id = meeting.pk
        self.name = user.get_full_name() or user.get_username()

    def groups_to_join(self) -> list[str]:
        return [meeting_group(self.meeting_id)]

    async def accepted(self) -> None:
        # A random id per socket: peers are told apart without showing account ids or channel names.
        self.peer = uuid.uuid4().hex
        await self.send_json({"type": "hello", "peer": self.peer})
        await self._to_room(
            {"type": "meeting.joined", "peer": self.peer, "name": self.name, "channel": self.channel_name}
        )

    async def disconnect(self, code):
        await self._announce_left()
        await super().disconnect(code)

    async def end(self, code: int, reason: str) -> None:
        await self._announce_left()  # access ended: the others drop this peer's tile at once
        await super().end(code, reason)

    async def _announce_left(self) -> None:
        peer, self.peer = self.peer, ""
        if peer:
            await self._to_room({"type": "meeting.left", "peer": peer})

    async def _to_room(self, message: dict) -> None:
        await self.channel_layer.group_send(meeting_group(self.meeting_id), message)

    async def received(self, content) -> None:
        if not isinstance(content, dict) or content.get("type") != "signal":
            return
        to, data = content.get("to"), content.get("data")
        if not isinstance(to, str) or not isinstance(data, dict) or len(str(data)) > MAX_SIGNAL_BYTES:
            return
        await self._to_room({"type": "meeting.signal", "from": self.peer, "to": to, "data": data})

    async def meeting_joined(self, message):
        if message["peer"] != self.peer and await self.allowed():
            await self.send_json({"type": "joined", "peer": message["peer"], "name": message["name"]})
            # Only the newcomer hears who is already here (by its own channel, not the whole room).
            await self.channel_layer.send(
                message["channel"], {"type": "meeting.present", "peer": self.peer, "name": self.name}
            )

    async def meeting_present(self, message):
        if await self.allowed():
            await self.send_json({"type": "present", "peer": message["peer"], "name": message["name"]})

    async def meeting_signal(self, message):
        if message["to"] == self.peer and message["from"] != self.peer and await self.allowed():
            await self.send_json({"type": "signal", "from": message["from"], "data": message["data"]})

    async def meeting_left(self, message):
        if message["peer"] != self.peer and await self.allowed():
            await self.send_json({"type": "left", "peer": message["peer"]})
