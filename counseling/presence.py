"""Which counselors are online for live chat, kept in the shared cache (Redis in production) so that
every ASGI process agrees.

A counselor's chat desk sends a heartbeat every few seconds; the entry lives for CHAT_HEARTBEAT_TTL
seconds after the last one, so a closed laptop drops out on its own. Each heartbeat says whether the
counselor did anything since the last one; without activity for CHAT_IDLE_TIMEOUT seconds they count as
offline even though the tab is still open.
"""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache


def _key(user_id: int) -> str:
    return f"chat-presence:{user_id}"


def go_online(user_id: int, *, now: datetime) -> None:
    cache.set(_key(user_id), now.timestamp(), timeout=settings.CHAT_HEARTBEAT_TTL_SECONDS)


def heartbeat(user_id: int, *, active: bool, now: datetime) -> bool:
    """Refresh the entry; returns False once the counselor has gone offline (idle, or went offline)."""
    last_active = cache.get(_key(user_id))
    if last_active is None:
        return False
    if active:
        last_active = now.timestamp()
    elif now.timestamp() - last_active > settings.CHAT_IDLE_TIMEOUT_SECONDS:
        go_offline(user_id)
        return False
    cache.set(_key(user_id), last_active, timeout=settings.CHAT_HEARTBEAT_TTL_SECONDS)
    return True


def go_offline(user_id: int) -> None:
    cache.delete(_key(user_id))


def online(user_ids, *, now: datetime) -> set[int]:
    """Those of `user_ids` who are online and not idle. One cache round trip for all of them."""
    ids = list(user_ids)
    found = cache.get_many([_key(user_id) for user_id in ids])
    limit = now.timestamp() - settings.CHAT_IDLE_TIMEOUT_SECONDS
    return {user_id for user_id in ids if found.get(_key(user_id), 0) >= limit}


def is_online(user_id: int, *, now: datetime) -> bool:
    return user_id in online([user_id], now=now)
