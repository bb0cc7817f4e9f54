"""One presence beat for every chat socket of a process (counseling/chat_presence.py says what a beat is).

Each open chat socket used to beat on its own timer: a worker thread and two Redis round trips per socket
every CHAT_PRESENCE_BEAT_SECONDS, half as many beats as lines at one line per 5 s (bench/chat_load.py).
A socket now beats once on its own when it opens (the other side hears at once that it is there) and then
joins this process's beat: one worker call writes every joined socket's entry and reads every other side's
in two round trips (chat_presence.beat_many), and each socket is told what it read.

A closing socket waits for a beat under way (`settled`) before it writes "left", so that the beat cannot
land "here" after it.
"""

import asyncio
import contextlib
import logging
import weakref

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone

from counseling import chat_presence

logger = logging.getLogger(__name__)
_in_thread = sync_to_async(thread_sensitive=False)

_joined: weakref.WeakSet = weakref.WeakSet()
_beater: asyncio.Task | None = None
_under_way: asyncio.Future | None = None


def join(consumer) -> None:
    """`consumer` (with case_id, by_staff, ended and `async beaten(peer)`) beats with the process."""
    global _beater
    _joined.add(consumer)
    loop = asyncio.get_running_loop()
    if _beater is None or _beater.done() or _beater.get_loop() is not loop:
        _beater = loop.create_task(_beat_all())


def leave(consumer) -> None:
    _joined.discard(consumer)


async def settled() -> None:
    """Returns once no beat is being written (one that fails does not matter here)."""
    under_way = _under_way
    if under_way is not None and not under_way.done() and under_way.get_loop() is asyncio.get_running_loop():
        with contextlib.suppress(Exception):  # the beat's own failure is logged where it is awaited
            await asyncio.shield(under_way)


async def _beat_all() -> None:
    global _under_way
    while _joined:
        await asyncio.sleep(settings.CHAT_PRESENCE_BEAT_SECONDS)
        sockets = [consumer for consumer in list(_joined) if not consumer.ended]
        if not sockets:
            continue
        sides = [(consumer.case_id, consumer.by_staff) for consumer in sockets]
        _under_way = asyncio.ensure_future(_in_thread(chat_presence.beat_many)(sides, now=timezone.now()))
        try:
            peers = await asyncio.shield(_under_way)
        except Exception:  # Redis restarting: try again at the next beat
            logger.warning("chat presence: beat failed", exc_info=True)
            continue
        for consumer, peer in zip(sockets, peers, strict=True):
            if consumer in _joined:
                try:
                    await consumer.beaten(peer)
                except Exception:
                    logger.warning("chat presence: a socket could not be told", exc_info=True)
