"""Which counselors are online for live chat, kept in the shared cache (Redis in production) so that
every ASGI process agrees.

A counselor's chat desk sends a heartbeat every few seconds; the entry lives for CHAT_HEARTBEAT_TTL
seconds after the last one, so a closed laptop drops out on its own. Each heartbeat says whether the
counselor did anything since the last one; without activity for CHAT_IDLE_TIMEOUT seconds they count as
offline even though the tab is still open.

An entry lost without anyone going offline (Redis restarted) comes back by itself: the desk page says in
each heartbeat that it shows the counselor online, and going offline (by hand or idle) leaves a marker,
so only a loss — not a decision — is undone.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache

OFFLINE_MARKER_SECONDS = 24 * 60 * 60


def _key(user_id: int) -> str:
    return f"chat-presence:{user_id}"


def _offline_key(user_id: int) -> str:
    return f"chat-presence-off:{user_id}"


def go_online(user_id: int, *, now: datetime) -> None:
    cache.set(_key(user_id), now.timestamp(), timeout=settings.CHAT_HEARTBEAT_TTL_SECONDS)
    cache.delete(_offline_key(user_id))


def heartbeat(
    user_id: int,
    *,
    active: bool,
    now: datetime,
    page_online: bool = False,
    may_return: Callable[[], bool] = lambda: True,
) -> bool:
    """Refresh the entry; returns False once the counselor has gone offline (idle, or went offline).
    `page_online`: the desk page shows them online, so a lost entry is written again (if `may_return`)."""
    last_active = cache.get(_key(user_id))
    if last_active is None:
        if not page_online or cache.get(_offline_key(user_id)) is not None or not may_return():
            return False
        go_online(user_id, now=now)
        return True
    if active:
        last_active = now.timestamp()
    elif now.timestamp() - last_active > settings.CHAT_IDLE_TIMEOUT_SECONDS:
        go_offline(user_id)
        return False
    cache.set(_key(user_id), last_active, timeout=settings.CHAT_HEARTBEAT_TTL_SECONDS)
    return True


def go_offline(user_id: int) -> None:
    cache.set(_offline_key(user_id), 1, timeout=OFFLINE_MARKER_SECONDS)
    cache.delete(_key(user_id))


def online(user_ids, *, now: datetime) -> set[int]:
    """Those of `user_ids` who are online and not idle. One cache round trip for all of them."""
    ids = list(user_ids)
    found = cache.get_many([_key(user_id) for user_id in ids])
    limit = now.timestamp() - settings.CHAT_IDLE_TIMEOUT_SECONDS
    return {user_id for user_id in ids if found.get(_key(user_id), 0) >= limit}


def is_online(user_id: int, *, now: datetime) -> bool:
    return user_id in online([user_id], now=now)
