"""Holds idle notification sockets open on a server, in a client process of its own, for
bench/chat_load.py: thousands of sockets answering the server's pings in the chat clients' own event loop
would slow the very clients whose delivery times are measured.

Run: python bench/support/idle_sockets.py ws://127.0.0.1:PORT COOKIES_FILE (one Cookie header a line).
Prints "open <n> <seconds>" once every socket is open (or "failed <n>" with how many could not be), then
holds them until its standard input closes.
"""

import asyncio
import resource
import sys
import time

import websockets

CONNECT_AT_ONCE = 100


async def main(base: str, cookies: list[str]) -> None:
    gate, sockets, failed = asyncio.Semaphore(CONNECT_AT_ONCE), [], 0

    async def open_one(cookie: str) -> None:
        nonlocal failed
        headers = {"Origin": "http://127.0.0.1", "Cookie": cookie}
        async with gate:
            try:
                # No pings from here (browsers send none): the server's pings and their answers are the
                # keepalive traffic, as with the pages' sockets.
                url = base + "/ws/notifications/"
                socket = await websockets.connect(
                    url, additional_headers=headers, open_timeout=300, ping_interval=None
                )
                sockets.append(socket)
            except (OSError, websockets.WebSocketException, TimeoutError):
                failed += 1

    started = time.monotonic()
    await asyncio.gather(*(open_one(cookie) for cookie in cookies))
    print(f"open {len(sockets)} {time.monotonic() - started:.1f} failed {failed}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the bench is done
    await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)


if __name__ == "__main__":
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with open(sys.argv[2], encoding="utf-8") as lines:  # noqa: PTH123
        asyncio.run(main(sys.argv[1], [line.strip() for line in lines if line.strip()]))
