from hub.services import user_group
from hub.sockets import GuardedConsumer


class NotificationConsumer(GuardedConsumer):
    """Pushes a signed-in user's events (e.g. "you have a reply") to each of their open tabs, for as
    long as they stay signed in (hub/sockets.py checks that before each event).

    Events carry ids and kinds only; the page fetches content over HTTP, where access is checked.
    """

    def check_access(self, user) -> None:
        """Any signed-in, active user: the events are their own (current_user checked the rest)."""

    def groups_to_join(self) -> list[str]:
        return [user_group(self.user.pk)]

    async def user_event(self, message):
        if await self.allowed():
            await self.send_json(message["event"])
