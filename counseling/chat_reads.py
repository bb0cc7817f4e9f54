"""Read receipts of a process's chat sockets, written behind: one statement per FLUSH_SECONDS for all of
them, however many sockets sent one meanwhile.

Why: the page answers every line it shows with a receipt, so each line brought a second statement (a
writer thread's round trip, hub/loop_db.py), about a sixth of a line's server CPU at 500 sockets
(bench/chat_load.py). A read mark is state, not a line: the socket announces it at once (the other side's
page shows "read" as before) and the database has it within FLUSH_SECONDS; a page that reloads within that
time may see its partner's mark a step behind, and a mark a crash lost is carried by the next receipt.

The socket decides what it announces (counseling/consumers.py: only numbers it has itself shown the
reader, forwards only, for its checked young person or counselor); the statement checks the same again
(`chat.read_marks_from_loop`: forwards only, never past the last line, only the chat's own young person or
counselor).
"""

import asyncio
import logging
import weakref

from counseling import chat
from hub import loop_db
from hub.sockets import in_worker

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 0.5


class _Pending:
    """The marks of one event loop not yet written: (chat id, by_staff) -> (seq, reader id)."""

    def __init__(self):
        self.marks: dict[tuple[int, bool], tuple[int, int]] = {}
        self.writer: asyncio.Task | None = None
        self.under_way: asyncio.Future | None = None


_per_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Pending]" = weakref.WeakKeyDictionary()


def _pending() -> _Pending:
    loop = asyncio.get_running_loop()
    found = _per_loop.get(loop)
    if found is None:
        found = _per_loop[loop] = _Pending()
    return found


def mark(chat_id: int, *, by_staff: bool, reader_id: int, seq: int) -> None:
    """Keep `reader_id`'s mark at `seq` (the highest one kept wins) for the next write."""
    pending = _pending()
    key = (chat_id, by_staff)
    if seq > pending.marks.get(key, (0, None))[0]:
        pending.marks[key] = (seq, reader_id)
    if pending.writer is None or pending.writer.done():
        pending.writer = asyncio.ensure_future(_write_behind(pending))


async def _write_behind(pending: _Pending) -> None:
    while pending.marks:
        await asyncio.sleep(FLUSH_SECONDS)
        await flush()


async def flush() -> None:
    """Write every kept mark of this loop now (and wait for a write under way)."""
    pending = _pending()
    if pending.under_way is not None and not pending.under_way.done():
        await asyncio.shield(pending.under_way)
    if not pending.marks:
        return
    taken, pending.marks = pending.marks, {}
    pending.under_way = asyncio.ensure_future(_write(taken))
    try:
        await asyncio.shield(pending.under_way)
    except Exception:  # not written: kept for the next write unless a newer mark came meanwhile
        logger.warning("chat: read marks could not be stored", exc_info=True)
        for key, value in taken.items():
            if value[0] > pending.marks.get(key, (0, None))[0]:
                pending.marks[key] = value


async def _write(taken: dict[tuple[int, bool], tuple[int, int]]) -> None:
    marks = [(chat_id, by_staff, seq, reader) for (chat_id, by_staff), (seq, reader) in taken.items()]
    try:  # from this loop (hub/loop_db.py); a worker thread only where that cannot run (SQLite)
        await chat.read_marks_from_loop(marks)
    except loop_db.Unavailable:
        await in_worker(chat.read_marks)(marks)
