"""The portal's ASGI application plus a bare relay consumer, for bench/chat_load.py only.

bench/chat_load.py starts this in a server process of its own, with the production command (only the
application swapped), on the same Redis as the chat. The relay has no authentication, no database, no
numbering and no store: what it costs is the websocket server, JSON and the Redis channel layer alone,
the floor under which the real chat cannot go. It answers the chat page's frames with the same fan-out
as counseling/consumers.py, so both carry the same frames per line:

    "send"   → "ack" to the sender, "line" to everyone in the pair (the sender's copy says "mine")
    "typing" → "typing" to the other side
    "read"   → "read" to everyone in the pair
"""

from channels.auth import AuthMiddlewareStack
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from hub import asgi
from hub.routing import websocket_urlpatterns


class BareRelayConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.group = f"relay.{self.scope['url_route']['kwargs']['pair']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def dispatch(self, message):
        # As the chat's consumers (hub/sockets.py): no database, so no closing of stale connections first.
        await getattr(self, get_handler_name(message))(message)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "send":
            await self.send_json({"type": "ack", "client_id": content.get("client_id")})
            event = {"type": "line", "client_id": content.get("client_id"), "body": content.get("body")}
        elif kind == "typing":
            event = {"type": "typing"}
        elif kind == "read":
            event = {"type": "read", "seq": content.get("seq")}
        else:
            return
        await self.channel_layer.group_send(
            self.group, {"type": "relay.frame", "event": event, "sender": self.channel_name}
        )

    async def relay_frame(self, message):
        event, mine = message["event"], message["sender"] == self.channel_name
        if event["type"] == "typing" and mine:
            return
        await self.send_json(event | {"mine": mine} if event["type"] == "line" else event)


application = ProtocolTypeRouter(
    {
        "http": asgi.django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(
                URLRouter([path("ws/relay/<int:pair>/", BareRelayConsumer.as_asgi()), *websocket_urlpatterns])
            )
        ),
    }
)
