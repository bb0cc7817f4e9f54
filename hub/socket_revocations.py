"""The durable half of `hub.sockets.access_revoked`: every announcement of an access change is also numbered
in the shared cache (Redis in production), and one task per process reads the new numbers every
POLL_SECONDS and has the open sockets of the groups named check their access again.

Why: the channel layer is at-most-once (a Redis hiccup drops a message), and sockets used to cover that
by each asking the access function again on a 30-second timer — a user, session, 2FA and case read per
socket every 30 s, about a fifth of the chat server's CPU at 500 sockets (bench/chat_load.py). One read
of a counter per process every POLL_SECONDS covers a dropped announcement sooner, for next to nothing.

If the counter went missing, backwards or far ahead (Redis restarted without persistence: the counter
starts again at a random number, so a restart is seen even when as many announcements followed it), or
entries expired before they were read (a process stalled for ENTRY_SECONDS), nothing can tell which
sockets the lost entries named: every socket of the process checks again.
"""

import asyncio
import logging
import secrets
import weakref
from functools import cache

from asgiref.sync import sync_to_async
from django.core.cache import caches

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0
ENTRY_SECONDS = 10 * 60
COUNTER = "socket-revocations"
MAX_BEHIND = 1000  # more new entries than this at one poll: read as a restart (and everyone checks again)
_in_thread = sync_to_async(thread_sensitive=False)

# The open guarded sockets of this process (hub.sockets.GuardedConsumer registers itself on accept).
_open: weakref.WeakSet = weakref.WeakSet()
_poller: asyncio.Task | None = None


@cache
def _cache():
    # One client for the process (django.core.cache.cache is one per async context), as for chat presence.
    return caches.create_connection("default")


def counter() -> int:
    """The number of the last announcement; a new counter starts at a random number (see above)."""
    store = _cache()
    store.add(COUNTER, secrets.randbelow(2**48) * MAX_BEHIND, timeout=None)
    return store.get(COUNTER)


def record(groups: list[str], message: dict) -> int:
    """Number one announcement (called after commit, beside the channel layer's group sends)."""
    store = _cache()
    counter()
    number = store.incr(COUNTER)
    store.set(f"{COUNTER}:{number}", (groups, message | {"number": number}), timeout=ENTRY_SECONDS)
    return number


def read_since(last: int | None) -> tuple[int | None, list | None]:
    """(the counter now, the entries after `last`); entries None: some are lost, everyone checks again."""
    store = _cache()
    current = store.get(COUNTER)
    if current == last:
        return current, []
    if current is None or last is None or not 0 < current - last <= MAX_BEHIND:
        return current, None
    wanted = [f"{COUNTER}:{number}" for number in range(last + 1, current + 1)]
    found = store.get_many(wanted)
    if len(found) < len(wanted):
        return current, None
    return current, [found[key] for key in wanted]


def watch(consumer) -> None:
    """From now on `consumer` hears of recorded announcements for its groups (until it closes)."""
    global _poller
    _open.add(consumer)
    loop = asyncio.get_running_loop()
    if _poller is None or _poller.done() or _poller.get_loop() is not loop:
        _poller = loop.create_task(_poll())


def forget(consumer) -> None:
    _open.discard(consumer)


async def _poll() -> None:
    """Runs while sockets are open in this process: one cache read per POLL_SECONDS for all of them."""
    try:  # a new process has nothing to catch up on: a socket checks its access when it opens
        last = await _in_thread(counter)()
    except Exception:
        logger.warning("socket revocations: the counter could not be read", exc_info=True)
        last = None
    while _open:
        await asyncio.sleep(POLL_SECONDS)
        try:
            last, entries = await _in_thread(read_since)(last)
        except Exception:  # Redis away: when it is back, a lost counter makes everyone check again
            logger.warning("socket revocations: the counter could not be read", exc_info=True)
            continue
        if entries is None:
            entries = [(None, {"type": "access.revoked", "reason": None})]
        elif not entries:  # nothing new: no socket is looked at (thousands may be open and idle)
            continue
        for consumer in list(_open):
            for groups, message in entries:
                if groups is None or set(groups) & set(consumer.joined):
                    consumer.revoked_elsewhere(message)
                    break
