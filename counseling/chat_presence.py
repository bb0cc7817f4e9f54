"""Who is still there in a 1:1 chat, and ending chats that one side has left.

Each open chat socket beats for its side (the young person or the counselor) every
CHAT_PRESENCE_BEAT_SECONDS, from the server (counseling/consumers.py): a timer in the page would be
throttled in a background tab and make a counselor with two chats look gone. A socket that closes
writes "left at" at once. The entries live in the shared cache (Redis in production), so every ASGI
process agrees, as for the chat desk's presence (counseling/presence.py).

- The other side is *present* while its entry says connected and is younger than CHAT_PEER_GONE_SECONDS
  (a process killed with -9 writes nothing: its entries simply grow old).
- A live chat is *abandoned* once a side it needs (the young person; the counselor too once accepted) has
  been gone for CHAT_ABANDON_SECONDS. It then ends by itself (`chat_end`), which frees the counselor's
  seat and the guest's place in the queue and lets the guest purge delete it in time.

A missing entry (never connected, or Redis restarted and lost it) starts the clock when it is first
looked at instead of counting as long gone: a Redis restart must not end every running chat; the
sockets that are still open write their entries again within one beat.
"""

from datetime import datetime
from functools import cache as once

from django.conf import settings
from django.core.cache import caches

from counseling.models import LIVE_CHAT_STATUSES, Chat, ChatStatus


@once
def _cache():
    """One cache client for the whole process, shared by the threads that beat. (`django.core.cache.cache`
    is one client per async context: every socket opened its own Redis connection for its beats and kept
    it, thousands on a busy process. redis-py's pool is thread-safe; the local-memory cache of the
    embedded default shares its store by name.)"""
    return caches.create_connection("default")


def _key(case_id: int, *, by_staff: bool) -> str:
    return f"chat-seen:{case_id}:{'staff' if by_staff else 'youth'}"


def _timeout() -> int:
    # Long enough that "left at" is still there when the abandonment is decided.
    return 2 * settings.CHAT_ABANDON_SECONDS + 120


def seen(case_id: int, *, by_staff: bool, connected: bool, now: datetime) -> None:
    """A beat of an open socket (connected) or its closing (connected=False: left now)."""
    _cache().set(_key(case_id, by_staff=by_staff), (now.timestamp(), connected), timeout=_timeout())


def _present(entry, *, now: datetime) -> bool | None:
    if entry is None:
        return None  # unknown: no word either way
    at, connected = entry
    return bool(connected) and now.timestamp() - at < settings.CHAT_PEER_GONE_SECONDS


def beat(case_id: int, *, by_staff: bool, now: datetime) -> bool | None:
    """One socket's beat: write its own side, read the other side's (None while nothing is known)."""
    seen(case_id, by_staff=by_staff, connected=True, now=now)
    return _present(_cache().get(_key(case_id, by_staff=not by_staff)), now=now)


def beat_many(sides: list[tuple[int, bool]], *, now: datetime) -> list[bool | None]:
    """`beat` for many sockets at once ((case id, by_staff) each): two round trips whatever their number."""
    entry = (now.timestamp(), True)
    _cache().set_many({_key(case_id, by_staff=by_staff): entry for case_id, by_staff in sides}, _timeout())
    found = _cache().get_many([_key(case_id, by_staff=not by_staff) for case_id, by_staff in sides])
    return [_present(found.get(_key(case_id, by_staff=not by_staff)), now=now) for case_id, by_staff in sides]


def abandoned_chat_ids(*, now: datetime, chat_ids=None) -> list[int]:
    """Live chats a needed side has left at least CHAT_ABANDON_SECONDS ago. One query, one cache read."""
    live = Chat.objects.filter(status__in=LIVE_CHAT_STATUSES)
    if chat_ids is not None:
        live = live.filter(pk__in=list(chat_ids))
    needed = {}
    for chat_id, case_id, status in live.values_list("pk", "case_id", "status"):
        sides = (False, True) if status == ChatStatus.ACTIVE else (False,)
        needed[chat_id] = [_key(case_id, by_staff=side) for side in sides]
    found = _cache().get_many([key for keys in needed.values() for key in keys])
    limit = now.timestamp() - settings.CHAT_ABANDON_SECONDS
    abandoned = []
    for chat_id, keys in needed.items():
        for key in keys:
            entry = found.get(key)
            if entry is None:  # first look: the clock starts now (see the module's docstring)
                _cache().add(key, (now.timestamp(), False), timeout=_timeout())
            elif not _present(entry, now=now) and entry[0] <= limit:
                abandoned.append(chat_id)
                break
    return abandoned


def end_abandoned_chats(*, now: datetime, chat_ids=None) -> int:
    """End every abandoned chat (or those of `chat_ids`); safe to run twice and from several places."""
    from counseling.chat import chat_end

    ended = 0
    for chat_id in abandoned_chat_ids(now=now, chat_ids=chat_ids):
        chat_end(chat=Chat(pk=chat_id), by=None, reason="abandoned")
        ended += 1
    return ended
