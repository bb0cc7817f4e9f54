from channels.generic.websocket import AsyncJsonWebsocketConsumer

from hub.services import user_group


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Pushes a signed-in user's events (e.g. "you have a reply") to each of their open tabs.

    Events carry ids and kinds only; the page fetches content over HTTP, where access is checked.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def user_event(self, message):
        await self.send_json(message["event"])
