"""The portal's ASGI application plus a bare relay consumer, for bench/chat_load.py only.

The relay has no authentication and no database: what it costs is the websocket server and the Redis
channel layer alone, the floor under which the real chat cannot go.
"""

from channels.auth import AuthMiddlewareStack
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from hub import asgi
from hub.routing import websocket_urlpatterns


class BareRelayConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = f"relay.{self.scope['url_route']['kwargs']['pair']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(
            self.group, {"type": "relay", "text": text_data, "sender": self.channel_name}
        )

    async def relay(self, message):
        if message["sender"] != self.channel_name:
            await self.send(text_data=message["text"])


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
