"""The last lines of each running chat as this process saw them go out, for the page that asks for what it
missed moments later (a "resume" after a line came late or a phone's network came back).

Why: once lines come late, every page asks for the gap, and reading it (a worker thread, the chat and its
lines from the ORM, each line unsealed) cost more than the line itself; at 1,000 sockets on one process
that is what turned lateness into more lateness (bench/chat_load.py). The lines asked for are nearly always
ones this process has just stored or forwarded.

Only an answer that is complete comes from here: every number after the page's last one up to the chat's
last line (read from the database by the caller) must be kept, else the database answers as before. Kept
only briefly (KEEP_SECONDS; swept as new lines come) and only the last KEEP_LINES per chat, for at most
KEEP_CHATS chats; voice lines are never kept (their player data is read with them). Nothing here decides
access: the caller has its socket's checked verdict and the case as that check saw it.
"""

import time
from collections import OrderedDict

KEEP_LINES = 32
KEEP_SECONDS = 60.0
KEEP_CHATS = 5000

# chat id -> {seq: (kept at, line event)}, the chats least recently added to first
_recent: OrderedDict[int, dict[int, tuple[float, dict]]] = OrderedDict()


def remember(chat_id: int, event: dict) -> None:
    """Keep a line event (`counseling.chat.line_event`) that went out to the chat's sockets."""
    if event.get("type") != "line" or not event.get("body") or "voice" in event or not event.get("seq"):
        return
    kept = _recent.get(chat_id)
    if kept is not None and event["seq"] in kept:  # kept already: by the socket that stored it, or by
        return  # another socket of this process that carried it (every socket of the chat is told)
    now = time.monotonic()
    lines = _recent.pop(chat_id, None) or {}
    _recent[chat_id] = lines  # now the chat added to last
    lines[event["seq"]] = (now, event)
    if len(lines) > KEEP_LINES:
        del lines[min(lines)]
    if len(_recent) > KEEP_CHATS:
        _recent.popitem(last=False)
    _sweep(now)


def _sweep(now: float) -> None:
    """Chats that had no new line for KEEP_SECONDS go (those added to longest ago come first), so what
    a quiet or ended chat said does not stay in the process's memory."""
    while _recent:
        chat_id, lines = next(iter(_recent.items()))
        if lines and lines[max(lines)][0] >= now - KEEP_SECONDS:
            return
        del _recent[chat_id]


def lines_between(chat_id: int, after: int, last: int) -> list[dict] | None:
    """The events numbered after+1 … last in order, if every one of them is kept and fresh; else None."""
    lines = _recent.get(chat_id)
    if not lines or last - after > KEEP_LINES:
        return None
    oldest = time.monotonic() - KEEP_SECONDS
    found = []
    for seq in range(after + 1, last + 1):
        kept = lines.get(seq)
        if kept is None or kept[0] < oldest:
            return None
        found.append(kept[1])
    return found


def forget(chat_id: int) -> None:
    _recent.pop(chat_id, None)
