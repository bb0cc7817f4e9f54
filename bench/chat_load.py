"""Live chat under load: N websocket clients in pairs (a young person and a counselor per chat) against
uvicorn (one process) + Redis + PostgreSQL. Every client sends lines at a set rate; the partner's
receipt is timed. Prints p50/p95/p99 delivery latency and the lines lost and duplicated — and the same
for a bare relay consumer (no auth, no database) on the same server, as the reference.

A line counts as lost when the sender got its acknowledgement (it is stored) but the partner never got
it, live or by asking for what it missed, by the time nothing more arrives (a backlog is waited for, up
to three minutes); duplicated when the partner got it stored twice or pushed twice.

Run: eval "$(scripts/services)" && .venv/bin/python bench/chat_load.py
Environment: BENCH_CLIENTS="200,1000", BENCH_RATE=0.1 (lines per second per client), BENCH_SECONDS=20
"""

import asyncio
import base64
import contextlib
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support.database import bench_database_url, recreate_database  # noqa: E402

BENCH_DB = "jmd_hub_bench_chat"
CLIENTS = [int(n) for n in os.environ.get("BENCH_CLIENTS", "200,1000").split(",")]
RATE = float(os.environ.get("BENCH_RATE", "0.1"))  # a line every 10 s: a brisk chat on a phone
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
DRAIN_SECONDS = 5  # a drain round: stop when nothing arrived during one
DRAIN_LIMIT = 180
# One key pair for this process (which seals nothing itself) and the server: production mode needs them.
ENV = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ENCRYPTION_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1",
}


URL = bench_database_url(BENCH_DB)
if URL is None or not os.environ.get("REDIS_URL"):
    print(
        "bench/chat_load.py needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL): run it with `make bench`."
    )
    sys.exit(0)
recreate_database(URL)
os.environ.update(ENV, DATABASE_URL=URL, DJANGO_SETTINGS_MODULE="hub.settings")

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.support.sessions import session_cookie  # noqa: E402
from counseling import chat  # noqa: E402
from counseling.models import CounselorProfile  # noqa: E402
from hub.models import User  # noqa: E402
from hub.roles import Role  # noqa: E402
from hub.services import role_grant  # noqa: E402


def cookie_for(user: User) -> str:
    return session_cookie(user)


def make_chats(pairs: int) -> list[tuple[str, str, str]]:
    """(case public id, youth cookie, counselor cookie) per running chat; one counselor per chat."""
    chats = []
    for _ in range(pairs):
        tag = uuid.uuid4().hex[:10]
        youth = User.objects.create(username=f"youth_{tag}")
        counselor = User.objects.create(username=f"counselor_{tag}", is_staff=True)
        role_grant(user=youth, role=Role.YOUTH)
        role_grant(user=counselor, role=Role.COUNSELOR)
        CounselorProfile.objects.create(user=counselor, languages=["de"], chat_seats=1)
        started = chat.chat_start(youth=youth, language="de", topic="work")
        chat.chat_accept(chat=started, counselor=counselor)
        chats.append((str(started.case.public_id), cookie_for(youth), cookie_for(counselor)))
    return chats


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "uvicorn", "bench.support.echo_asgi:application", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())  # noqa: S603 - our interpreter
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.2)
    server.kill()
    raise SystemExit("uvicorn did not start")


class Client:
    """One side of a pair. `sent` holds the ids of lines the server acknowledged (chat) or that went out
    (relay); `received` counts each id the partner's lines arrived with."""

    def __init__(self, url: str, cookie: str | None, chat_protocol: bool):
        self.url, self.cookie, self.chat_protocol = url, cookie, chat_protocol
        self.sent: set[str] = set()
        self.received: dict[str, set] = {}
        self.seen: set = set()
        self.pushed: set = set()
        self.duplicated = 0
        self.latencies: list[float] = []
        self.last_seq = 0
        self.resumes = 0
        self.dropped = False
        self.socket = None

    async def open(self) -> None:
        headers = {"Origin": "http://127.0.0.1"} | ({"Cookie": self.cookie} if self.cookie else {})
        # No keepalive pings: with client and server on the same few cores a ping answered late would
        # close a healthy connection and count as loss that the server did not cause.
        self.socket = await websockets.connect(
            self.url, additional_headers=headers, max_queue=None, ping_interval=None, open_timeout=60
        )

    async def send_lines(self, until: float) -> None:
        await asyncio.sleep(random.random() / RATE)  # noqa: S311 - spread the clients over the first interval
        while time.monotonic() < until:
            line_id = str(uuid.uuid4())
            body = json.dumps({"id": line_id, "t": time.time()})
            try:
                if self.chat_protocol:
                    await self.socket.send(json.dumps({"type": "send", "client_id": line_id, "body": body}))
                else:
                    self.sent.add(line_id)
                    await self.socket.send(body)
            except websockets.ConnectionClosed:
                self.dropped = True
                return
            await asyncio.sleep(1 / RATE)

    async def read(self) -> None:
        try:
            async for raw in self.socket:
                self.take(json.loads(raw))
        except websockets.ConnectionClosed:
            pass

    def take(self, event: dict) -> None:
        if not self.chat_protocol:
            self.record(json.loads(event["body"]) if "body" in event else event, None, live=True)
        elif event.get("type") == "ack":
            self.sent.add(event["client_id"])
        elif event.get("type") == "line":
            if event["seq"] > self.last_seq + 1:  # a gap: ask for what was missed, as live.js does
                self.resumes += 1
                asyncio.create_task(self.ask_after(self.last_seq))
            self.last_seq = max(self.last_seq, event["seq"])
            if not event["mine"]:
                self.record(json.loads(event["body"]), event["seq"], live=True)
        elif event.get("type") == "lines":
            for line in event["lines"]:
                self.last_seq = max(self.last_seq, line["seq"])
                if not line["mine"]:
                    self.record(json.loads(line["body"]), line["seq"], live=False)

    async def ask_after(self, seq: int) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.socket.send(json.dumps({"type": "resume", "after": seq}))

    def record(self, line: dict, seq: int | None, *, live: bool) -> None:
        """A line fetched again after a gap is expected overlap (the page shows a number once). A
        duplicate is the same line stored under two numbers, or pushed live twice."""
        key = seq if seq is not None else line["id"]
        if key in self.seen:
            if live and key in self.pushed:
                self.duplicated += 1
            if live:
                self.pushed.add(key)
            return
        self.seen.add(key)
        if live:
            self.pushed.add(key)
        numbers = self.received.setdefault(line["id"], set())
        if numbers:
            self.duplicated += 1
        numbers.add(key)
        if len(numbers) == 1:
            self.latencies.append(time.time() - line["t"])


async def run(pairs: list[tuple[str, str | None, str | None]], base: str, chat_protocol: bool) -> dict:
    clients = []
    for path, first_cookie, second_cookie in pairs:
        clients.append(
            (
                Client(base + path, first_cookie, chat_protocol),
                Client(base + path, second_cookie, chat_protocol),
            )
        )
    flat = [client for pair in clients for client in pair]
    gate = asyncio.Semaphore(50)

    async def open_one(client):
        async with gate:
            await client.open()

    await asyncio.gather(*(open_one(client) for client in flat))
    readers = [asyncio.create_task(client.read()) for client in flat]
    until = time.monotonic() + SECONDS
    await asyncio.gather(*(client.send_lines(until) for client in flat))
    # Drain: wait while lines still arrive (a backlog is late, not lost), at most DRAIN_LIMIT seconds.
    deadline, last = time.monotonic() + DRAIN_LIMIT, -1
    while time.monotonic() < deadline:
        arrived = sum(len(client.seen) for client in flat)
        if arrived == last:
            break
        last = arrived
        await asyncio.sleep(DRAIN_SECONDS)
    for client in flat:
        await client.socket.close()
    await asyncio.gather(*readers, return_exceptions=True)

    latencies, sent, lost, duplicated = [], 0, 0, 0
    dropped = sum(client.dropped for client in flat)
    resumes = sum(client.resumes for client in flat)
    for first, second in clients:
        for sender, receiver in ((first, second), (second, first)):
            sent += len(sender.sent)
            lost += len(sender.sent - receiver.received.keys())
            duplicated += receiver.duplicated
        latencies += first.latencies + second.latencies
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0] * 99
    return {
        "sent": sent,
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "lost": lost,
        "duplicated": duplicated,
        "dropped": dropped,
        "gaps": resumes,
    }


def main():
    call_command("migrate", verbosity=0, interactive=False)
    port = free_port()
    server = start_server(port)
    base = f"ws://127.0.0.1:{port}"
    rows = []
    try:
        for clients in CLIENTS:
            chats = make_chats(clients // 2)
            chat_pairs = [(f"/ws/cases/{case}/", youth, counselor) for case, youth, counselor in chats]
            relay_pairs = [(f"/ws/relay/{n}/", None, None) for n in range(clients // 2)]
            rows.append((clients, "live chat", asyncio.run(run(chat_pairs, base, True))))
            rows.append((clients, "bare relay", asyncio.run(run(relay_pairs, base, False))))
    finally:
        server.terminate()
        server.wait(10)
    setup = f"{RATE} lines/s per client, {SECONDS:.0f} s"
    print(f"\nLive chat load: uvicorn (1 process) + Redis + PostgreSQL, {setup}")
    columns = ["clients", "consumer", "lines", "p50 ms", "p95 ms", "p99 ms", "lost", "duplicated"]
    columns += ["dropped sockets", "gaps refetched"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for clients, name, row in rows:
        cells = [clients, name, row["sent"]] + [f"{row[key] * 1000:.1f}" for key in ("p50", "p95", "p99")]
        cells += [row["lost"], row["duplicated"], row["dropped"], row["gaps"]]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")


if __name__ == "__main__":
    main()
