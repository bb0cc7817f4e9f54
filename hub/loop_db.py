"""Single SQL statements for the event loop, in batches: for the few statements a live socket runs per
frame (a chat line, a read receipt: counseling/chat.py).

Why: every `in_worker` call (hub/sockets.py) is two thread hops, a context copy, and a connection taken
from Django's pool and handed back, for a statement PostgreSQL answers in a fraction of that; at one line
and one receipt per socket every few seconds this was most of what a chat line cost the server beyond the
bare relay (bench/chat_load.py). Statements run on the loop itself (psycopg's async connections) were
worse under load: each round trip waited for a turn of a busy loop, connections stayed taken that long and
lines queued behind them.

So each event loop has a few writer threads (WRITERS) with a psycopg connection of their own (Django's
connection parameters and adapters, so values go in as the ORM sends them; autocommit: each statement is
its own transaction; each statement prepared on its first run and its values bound by the server, so a
statement must say the type of a value PostgreSQL cannot infer, as `%s::bigint[]`). The loop queues a
statement (no thread hop of its own); a writer takes everything queued, runs it, and hands all the
results back to the loop in one call: under load, many statements share one wake-up.

Only for single statements whose text and parameters were prepared without a query (the ORM cannot be
used on the loop). A caller that gets `Unavailable` takes its worker-thread path: it also covers SQLite
(the embedded default) and a connection that broke mid-statement, which is why the statements run here
must be safe to try again (a line is stored once per client id; a read mark only moves forwards).

The writers stop and their connections close with the loop (`_closing_with_loop`), or when `close()` is
awaited (tests).
"""

import asyncio
import logging
import queue
import threading
import weakref

from django.db import connections

logger = logging.getLogger(__name__)

WRITERS = 3  # more would not fit the connection budget (README "Sizing")
_STOP = object()


class Unavailable(Exception):
    """The statement did not run here (or whether it did is unknown): use the worker-thread path."""


class _Writers:
    """The writer threads of one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, alias: str):
        self.loop, self.alias = loop, alias
        self.queue: queue.SimpleQueue = queue.SimpleQueue()  # lists of statements, or _STOP
        self.closed = False
        self.keeper = None  # see _closing_with_loop
        self.threads = [
            threading.Thread(target=self._write, name=f"loop-db-{n}", daemon=True) for n in range(WRITERS)
        ]
        for thread in self.threads:
            thread.start()

    def submit(self, sql: str, params: list, fetch: bool) -> asyncio.Future:
        # One put per statement: handing each turn's statements over together (call_soon) measured no
        # better (bench/chat_load.py); a writer takes whatever has queued up meanwhile anyway.
        future = self.loop.create_future()
        self.queue.put([(future, sql, params, fetch)])
        return future

    def _write(self) -> None:
        import psycopg

        connection = cursor = None
        while True:
            handed = [self.queue.get()]
            while True:  # everything queued meanwhile goes in this turn
                try:
                    handed.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(item is _STOP for item in handed)
            results = []
            for future, sql, params, fetch in (item for part in handed if part is not _STOP for item in part):
                try:
                    if connection is None or connection.closed:
                        connection = self._connect()
                        # One cursor for the connection's life: a new one per statement set up its
                        # adapters and looked every parameter's dumper up afresh (a tenth of a statement's
                        # cost in this thread, bench/chat_load.py); execute() drops the last result.
                        cursor = connection.cursor()
                    cursor.execute(sql, params, prepare=True)
                    results.append((future, cursor.fetchone() if fetch else cursor.rowcount, None))
                except psycopg.errors.IntegrityError as exc:
                    results.append((future, None, exc))
                except Exception as exc:  # whether it ran is unknown: the caller's other path decides
                    if connection is not None and (connection.closed or connection.broken):
                        connection = cursor = None
                    results.append((future, None, Unavailable(str(exc))))
            if results:
                try:
                    self.loop.call_soon_threadsafe(_deliver, results)
                except RuntimeError:  # the loop is closed: nobody waits any more
                    stop = True
            if stop:
                if connection is not None:
                    connection.close()
                self.queue.put(_STOP)  # passed on: this turn may have taken the other writers' too
                return

    def _connect(self):
        import psycopg

        params = dict(connections[self.alias].get_connection_params())
        params.pop("cursor_factory", None)  # Django's are its own
        params.pop("prepare_threshold", None)  # Django's None would turn preparing off
        # Bound by the server and prepared once per connection (not Django's client-side binding): the few
        # statements run here are the same every time, and quoting every value into the statement's text
        # in Python was about a third of a chat line's cost in this thread (bench/chat_load.py).
        return psycopg.Connection.connect(**params, autocommit=True)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.queue.put(_STOP)


def _deliver(results) -> None:
    for future, value, error in results:
        if future.done():  # the caller was cancelled meanwhile
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)


_per_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Writers]" = weakref.WeakKeyDictionary()


def available(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"


def _writers(alias: str) -> _Writers:
    loop = asyncio.get_running_loop()
    found = _per_loop.get(loop)
    if found is None or found.closed:
        found = _per_loop[loop] = _Writers(loop, alias)
        found.keeper = _closing_with_loop(loop, found)
        asyncio.ensure_future(anext(found.keeper))  # started: the loop finalizes it when it shuts down
    return found


async def _closing_with_loop(loop, writers: _Writers):
    """An async generator that the loop closes when it shuts down (asyncio.run, asyncio.Runner and so
    uvicorn call shutdown_asyncgens): the writers stop and their connections close with it, so none
    outlives its loop (a test database could not be dropped while one is open)."""
    try:
        yield
        yield  # never reached: closed at the loop's shutdown
    finally:
        writers.close()
        for thread in writers.threads:
            thread.join(5)
        if _per_loop.get(loop) is writers:
            del _per_loop[loop]


async def run(sql: str, params: list, *, fetch: bool = False, alias: str = "default"):
    """Run one statement: its first row (fetch=True) or the number of rows it changed.

    Raises `Unavailable` when it did not run or may not have (the caller's other path decides), and the
    database's IntegrityError (psycopg.errors.IntegrityError) as such."""
    if not available(alias):
        raise Unavailable("not PostgreSQL")
    return await _writers(alias).submit(sql, params, fetch)


async def close() -> None:
    """Stop the running loop's writers and close their connections (tests do at their end)."""
    writers = _per_loop.pop(asyncio.get_running_loop(), None)
    if writers is not None:
        writers.close()
        for thread in writers.threads:
            await asyncio.to_thread(thread.join, 5)
