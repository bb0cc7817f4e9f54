"""Live chat under load, as people meet it: chat pages in pairs (a young person and a counselor per chat)
against the production command (the Dockerfile's uvicorn line: one process, DEBUG off) on PostgreSQL and
Redis, beside a bare relay (bench/support/echo_asgi.py) run as a server process of its own with the same
command on the same Redis, in the same run.

Each socket behaves as counseling/assets/counseling/js/live.js does: about one line every BENCH_INTERVAL
seconds, each preceded by a "typing" frame; every line of the other side shown is answered with a "read"
receipt; a line waits in "pending" until acknowledged and is sent again after a reconnect; on connect
and whenever a number is skipped it asks for everything after the last number shown ("resume"). A
share of the sockets (BENCH_DROP_SHARE) loses its connection once mid-run (the TCP connection is torn
down, as a phone losing its network) and comes back a second later, as the page's first retry does.
The relay answers the same frames with the same fan-out, but stores nothing.

Counted per typed line (when the typist pressed Enter, whether the socket was up or not): delivered (the
partner showed it, live or via resume), lost (typed but never shown to the partner, after the backlog
was waited for and every page asked once more for what it missed, as a reload would), duplicated (shown
twice), reordered (shown after a line its author typed later). Delivery time is from typing to showing.

Server CPU per line: utime+stime of the uvicorn process (/proc/<pid>/stat) from the moment every socket
is open until the backlog is drained, divided by the lines delivered; it includes what the lines bring
along (receipts, typing, presence beats, pings). Then, on the chat server, BENCH_IDLE idle notification
sockets (`ws/notifications/`, held by signed-in people between pages) are opened by a client process of
their own (bench/support/idle_sockets.py) and the largest chat run is repeated with them open; the
server's resident memory before and after gives the memory per idle socket. Both sides run with the
open-files limit raised to the hard limit (`ulimit -Hn`; 20,000 here, enough for 5,000 + 1,000).
The load average goes beside every figure: on a shared machine latency
is noisy, CPU per line much less so.

Run: eval "$(scripts/services)" && .venv/bin/python bench/chat_load.py
Environment: BENCH_CLIENTS="100,500,1000" (sockets), BENCH_INTERVAL=5 (seconds between a socket's
lines), BENCH_SECONDS=20, BENCH_DROP_SHARE=0.1, BENCH_IDLE=5000 (0: skip that phase).
"""

import asyncio
import contextlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support.database import bench_database_url, recreate_database  # noqa: E402
from bench.support.production import ProductionServer, dockerfile_command, production_env  # noqa: E402

BENCH_DB = "jmd_hub_bench_chat"
CLIENTS = [int(n) for n in os.environ.get("BENCH_CLIENTS", "100,500,1000").split(",")]
INTERVAL = float(os.environ.get("BENCH_INTERVAL", "5"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
DROP_SHARE = float(os.environ.get("BENCH_DROP_SHARE", "0.1"))
IDLE = int(os.environ.get("BENCH_IDLE", "5000"))
# A sampling profiler (py-spy, installed apart: it is no dependency) attached to the chat server for the
# chatting part of each chat run (see `profile`).
PROFILE = os.environ.get("BENCH_PROFILE", "")
TYPING_SECONDS = 1.0  # the "typing" frame goes out this long before the line
RETRY_SECONDS = 1.0  # live.js: the first reconnect after 1 s
GAP_WAIT_SECONDS = 1.0  # live.js GAP_WAIT_MS: how long a skipped number may be on its way
DRAIN_QUIET, DRAIN_LIMIT = 5.0, 120.0  # wait for a backlog while it still moves, at most this long
CONNECT_AT_ONCE = 50
CHATS_PER_COUNSELOR = 4  # a counselor at the desk holds a few chats at once
APP, RELAY_APP = "hub.asgi:application", "bench.support.echo_asgi:application"

URL = bench_database_url(BENCH_DB)
if URL is None or not os.environ.get("REDIS_URL"):
    print(
        "bench/chat_load.py needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL): run it with `make bench`."
    )
    sys.exit(0)
# Thousands of sockets in this process and in each server: as many files as the hard limit allows.
_soft, OPEN_FILES = resource.getrlimit(resource.RLIMIT_NOFILE)
OPEN_FILES = OPEN_FILES if OPEN_FILES != resource.RLIM_INFINITY else 65536
resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, OPEN_FILES))
# One key pair for this process and both servers: sessions and sealed lines made here are read there.
ENV = production_env(
    database_url=URL, redis_url=os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/5", LOG_LEVEL="WARNING"
)
recreate_database(URL)
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from counseling import chat  # noqa: E402
from counseling.models import Chat, ChatStatus, CounselorProfile  # noqa: E402
from hub.models import User  # noqa: E402
from hub.roles import Role  # noqa: E402
from hub.services import role_grant  # noqa: E402

# --- Data -----------------------------------------------------------------------------------------


def sessions_for(users: list[User]) -> list[str]:
    """A signed-in session per user (one bulk insert), as Cookie header values."""
    store, expires = SessionStore(), timezone.now() + timedelta(days=1)
    rows = []
    for user in users:
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        key = get_random_string(32)
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
    Session.objects.bulk_create(rows, batch_size=1000)
    return [f"sessionid={row.session_key}" for row in rows]


def new_user(prefix: str, **fields) -> User:
    user = User(username=f"{prefix}_{uuid.uuid4().hex[:12]}", **fields)
    user.set_unusable_password()  # no password hashing: thousands of accounts in seconds
    user.save()
    return user


def make_chats(pairs: int) -> list[tuple[int, str, str, str]]:
    """(chat id, case public id, youth cookie, counselor cookie) per running chat."""
    counselors = []
    for _ in range((pairs + CHATS_PER_COUNSELOR - 1) // CHATS_PER_COUNSELOR):
        counselor = new_user("counselor", is_staff=True)
        role_grant(user=counselor, role=Role.COUNSELOR)
        TOTP.activate(counselor, generate_totp_secret())  # staff without TOTP open no socket
        CounselorProfile.objects.create(user=counselor, languages=["de"], chat_seats=CHATS_PER_COUNSELOR)
        counselors.append(counselor)
    found, youths, staff = [], [], []
    for n in range(pairs):
        youth = new_user("youth")
        role_grant(user=youth, role=Role.YOUTH)
        started = chat.chat_start(youth=youth, language="de", topic="work")
        counselor = counselors[n // CHATS_PER_COUNSELOR]
        chat.chat_accept(chat=started, counselor=counselor)
        found.append((started.pk, str(started.case.public_id)))
        youths.append(youth)
        staff.append(counselor)
    cookies = zip(sessions_for(youths), sessions_for(staff), strict=True)
    return [(chat_id, public_id, *pair) for (chat_id, public_id), pair in zip(found, cookies, strict=True)]


def end_chats(chat_ids: list[int]) -> None:
    # Ended behind the server's back once the run is over: the abandonment checks the closed sockets left
    # scheduled then find nothing to do (and cost the later runs next to nothing).
    Chat.objects.filter(pk__in=chat_ids).update(status=ChatStatus.ENDED, ended_at=timezone.now())


def idle_cookies(count: int) -> list[str]:
    users = [User(username=f"idle_{n}_{uuid.uuid4().hex[:8]}", password="!") for n in range(count)]  # noqa: S106
    User.objects.bulk_create(users, batch_size=1000)
    return sessions_for(list(User.objects.filter(username__startswith="idle_")))


# --- Servers --------------------------------------------------------------------------------------


def start(app: str, log_dir: Path) -> ProductionServer:
    command = [app if arg == APP else arg for arg in dockerfile_command()]
    name = "relay" if app == RELAY_APP else "chat"
    return ProductionServer(command, ENV, log_dir / f"{name}.log", open_files=OPEN_FILES)


def cpu_ms(pid: int) -> float:
    """User + system CPU time of a process so far, in milliseconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


# --- One chat page --------------------------------------------------------------------------------


class Page:
    """One side's page: the frames live.js sends and what its reader was shown."""

    def __init__(self, url: str, cookie: str | None, *, numbered: bool):
        self.url, self.cookie, self.numbered = url, cookie, numbered  # numbered: the chat (not the relay)
        self.socket = None
        self.last_seq = 0
        self.pending: dict[str, dict] = {}  # client id -> "send" frame, until acknowledged
        self.typed: list[str] = []  # client ids in the order typed
        self.shown: dict[str, float] = {}  # the other side's client ids -> when first shown
        self.order: list[str] = []
        self.latencies: list[float] = []
        self.duplicated = self.drops = self.reconnects = self.unexpected = self.reads = 0
        self.closing = False
        self.reader: asyncio.Task | None = None
        self.early: dict[int, dict] = {}  # live.js: a line that came before the one it follows
        self.wanted, self.gap_wait = 0, None

    async def open(self) -> None:
        headers = {"Origin": "http://127.0.0.1"} | ({"Cookie": self.cookie} if self.cookie else {})
        # No keepalive pings from here: the server pings (--ws-ping-interval) and the client answers.
        self.socket = await websockets.connect(
            self.url, additional_headers=headers, max_queue=None, ping_interval=None, open_timeout=120
        )
        self.reader = asyncio.create_task(self._read(self.socket))
        if self.numbered:  # live.js onopen: ask for what was missed, send what is not acknowledged
            await self.send({"type": "resume", "after": self.last_seq})
        for frame in list(self.pending.values()):
            await self.send(frame)

    async def send(self, frame: dict) -> None:
        if self.socket is not None:
            with contextlib.suppress(websockets.ConnectionClosed):
                await self.socket.send(json.dumps(frame))

    async def _read(self, socket) -> None:
        try:
            async for raw in socket:
                await self.take(json.loads(raw))
        except websockets.ConnectionClosed:
            pass
        if self.closing:
            return
        code = socket.close_code or 1006
        if 4400 <= code < 4500:  # the server ended our access: live.js stops here
            self.unexpected += 1
            return
        self.socket = None
        for attempt in range(8):  # live.js: 1 s, 2 s, 4 s … at most 15 s between tries
            await asyncio.sleep(min(RETRY_SECONDS * 2**attempt, 15))
            self.reconnects += 1
            try:
                await self.open()
                return
            except (OSError, websockets.WebSocketException, TimeoutError):
                continue

    async def take(self, event: dict) -> None:
        kind = event.get("type")
        if kind == "ack":
            self.pending.pop(event["client_id"], None)
            if self.numbered and event["seq"] > self.last_seq + 1:
                self.await_gap(event["seq"])
        elif kind == "line":
            await self.show(event)
        elif kind == "lines":
            for line in event["lines"]:
                await self.show(line)

    def await_gap(self, seq: int) -> None:
        """live.js awaitGap(): ask for the rest only if the gap is still open GAP_WAIT_SECONDS later."""
        self.wanted = max(self.wanted, seq)
        if self.gap_wait is None or self.gap_wait.done():
            self.gap_wait = asyncio.ensure_future(self._close_gap())

    async def _close_gap(self) -> None:
        await asyncio.sleep(GAP_WAIT_SECONDS)
        if self.last_seq < self.wanted:
            await self.send({"type": "resume", "after": self.last_seq})

    async def show(self, line: dict) -> None:
        """live.js show(): in order by number (an early line waits for the gap before it to close, which
        is asked for if it stays open); the other side's line is read."""
        if self.numbered:
            if line["seq"] <= self.last_seq:
                return
            if line["seq"] > self.last_seq + 1:
                self.early[line["seq"]] = line
                self.await_gap(line["seq"])
                return
            self.last_seq = line["seq"]
        if not line["mine"]:
            self.record(line)
            self.reads += 1
            await self.send({"type": "read", "seq": self.last_seq if self.numbered else self.reads})
        following = self.early.pop(self.last_seq + 1, None) if self.numbered else None
        if following is not None:
            await self.show(following)

    def record(self, line: dict) -> None:
        client_id = line["client_id"]
        if client_id in self.shown:
            self.duplicated += 1
            return
        self.shown[client_id] = time.time()
        self.order.append(client_id)
        self.latencies.append(self.shown[client_id] - json.loads(line["body"])["t"])

    async def chat_along(self, until: float) -> None:
        await asyncio.sleep(random.random() * INTERVAL)  # noqa: S311 - spread the sockets over an interval
        while time.monotonic() < until:
            await self.send({"type": "typing"})
            await asyncio.sleep(TYPING_SECONDS)
            client_id = str(uuid.uuid4())
            frame = {"type": "send", "client_id": client_id, "body": json.dumps({"t": time.time()})}
            self.typed.append(client_id)
            self.pending[client_id] = frame  # kept (as in sessionStorage) until acknowledged
            await self.send(frame)
            await asyncio.sleep(INTERVAL - TYPING_SECONDS)

    async def drop_once(self, seconds: float) -> None:
        """The network goes away once: the connection is torn down without a closing handshake."""
        await asyncio.sleep(seconds * (0.2 + 0.5 * random.random()))  # noqa: S311
        if self.socket is not None:
            self.drops += 1
            self.socket.transport.abort()

    async def close(self) -> None:
        self.closing = True
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.socket.close(), 5)
        if self.reader is not None:
            self.reader.cancel()


async def open_all(pages: list, opener) -> None:
    gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def one(page):
        async with gate:
            await opener(page)

    await asyncio.gather(*(one(page) for page in pages))


async def run(pairs: list[tuple], base: str, *, numbered: bool, pid: int, label: str = "") -> dict:
    """One run: open every page, chat for SECONDS, drain, ask once more, count."""
    sides = [
        (Page(base + path, first, numbered=numbered), Page(base + path, second, numbered=numbered))
        for path, first, second in pairs
    ]
    pages = [page for pair in sides for page in pair]
    await open_all(pages, Page.open)
    await asyncio.sleep(2)  # the hellos and first presence beats are through
    cpu_before, started = cpu_ms(pid), time.monotonic()
    until = started + SECONDS
    profiler = profile(pid, f"{'chat' if numbered else 'relay'}-{len(pages)}{label}") if PROFILE else None
    droppers = random.sample(pages, int(len(pages) * DROP_SHARE))
    await asyncio.gather(
        *(page.chat_along(until) for page in pages), *(page.drop_once(SECONDS) for page in droppers)
    )
    await drain(sides)
    if numbered:  # what a reload would fetch: everything after the last number shown
        for page in pages:
            await page.send({"type": "resume", "after": page.last_seq})
        await drain(sides, quiet=2.0)
    cpu_after, elapsed = cpu_ms(pid), time.monotonic() - started
    load = os.getloadavg()
    if profiler is not None:
        await asyncio.to_thread(profiler.wait)
    for page in pages:
        await page.close()
    return count(sides) | {"cpu_ms": cpu_after - cpu_before, "seconds": elapsed, "load": load}


def profile(pid: int, name: str):
    """py-spy (on PATH) samples a server while the sockets chat, the thread holding the GIL only (CPU spent
    in Python, not waits): collapsed stacks in BENCH_PROFILE-chat-<sockets>.txt, and the relay's in
    BENCH_PROFILE-relay-<sockets>.txt to set beside them (`bench/support/hot.py` sums them; flamegraph.pl
    or speedscope draw them)."""
    command = ["py-spy", "record", "--pid", str(pid), "--duration", str(int(SECONDS)), "--rate", "200"]
    command += ["--gil", "--nonblocking", "--format", "raw", "--output", f"{PROFILE}-{name}.txt"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603, S607


async def drain(sides, *, quiet: float = DRAIN_QUIET) -> None:
    """Wait while lines still arrive (a backlog is late, not lost), at most DRAIN_LIMIT seconds."""
    deadline, last = time.monotonic() + DRAIN_LIMIT, -1
    while time.monotonic() < deadline:
        shown = sum(len(page.shown) for pair in sides for page in pair)
        typed = sum(len(page.typed) for pair in sides for page in pair)
        if shown == last or shown >= typed:
            return
        last = shown
        await asyncio.sleep(quiet)


def count(sides) -> dict:
    latencies, typed, delivered, lost, duplicated, reordered = [], 0, 0, 0, 0, 0
    for first, second in sides:
        for author, reader in ((first, second), (second, first)):
            typed += len(author.typed)
            delivered += sum(1 for client_id in author.typed if client_id in reader.shown)
            lost += sum(1 for client_id in author.typed if client_id not in reader.shown)
            duplicated += reader.duplicated
            place = {client_id: n for n, client_id in enumerate(author.typed)}
            latest = -1
            for client_id in reader.order:
                if client_id in place:
                    reordered += place[client_id] < latest
                    latest = max(latest, place[client_id])
        latencies += first.latencies + second.latencies
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    pages = [page for pair in sides for page in pair]
    return {
        "typed": typed,
        "delivered": delivered,
        "lost": lost,
        "duplicated": duplicated,
        "reordered": reordered,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
        "drops": sum(page.drops for page in pages),
        "closed_by_server": sum(page.unexpected for page in pages),
    }


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def with_idle_sockets(base: str, cookies: list[str], pid: int, work) -> tuple:
    """Runs `work` while len(cookies) notification sockets are held open on the server by a client
    process of its own (bench/support/idle_sockets.py); also what they cost the server in memory."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(cookies))
        listing.flush()
        rss_before = rss_kib(pid)
        holder = subprocess.Popen(  # noqa: S603 - our interpreter, our script
            [sys.executable, str(ROOT / "bench/support/idle_sockets.py"), base, listing.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            _word, opened, seconds, _failed, failed = holder.stdout.readline().split()
            time.sleep(5)  # the hellos and the first pings are through
            rss_after = rss_kib(pid)
            result = work()
        finally:
            holder.stdin.close()
            holder.wait(60)
    per_socket = (rss_after - rss_before) / max(int(opened), 1)
    return result, int(opened), int(failed), float(seconds), per_socket


# --- Report ---------------------------------------------------------------------------------------


def chat_run(clients: int, base: str, pid: int, label: str = "") -> dict:
    chats = make_chats(clients // 2)
    pairs = [(f"/ws/cases/{public_id}/", youth, counselor) for _chat_id, public_id, youth, counselor in chats]
    result = asyncio.run(run(pairs, base, numbered=True, pid=pid, label=label))
    end_chats([chat_id for chat_id, *_rest in chats])
    return result


def relay_run(clients: int, base: str, pid: int) -> dict:
    pairs = [(f"/ws/relay/{uuid.uuid4().int % 10**12}/", None, None) for _ in range(clients // 2)]
    return asyncio.run(run(pairs, base, numbered=False, pid=pid))


COLUMNS = ["sockets", "server", "typed", "delivered", "p50 ms", "p95 ms", "p99 ms", "lost", "duplicated"]
COLUMNS += ["reordered", "drops", "closed by server", "server CPU ms/line", "load avg"]


def header() -> None:
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))


def row(clients, name: str, result: dict) -> str:
    per_line = result["cpu_ms"] / max(result["delivered"], 1)
    cells = [clients, name, result["typed"], result["delivered"]]
    cells += [f"{result[key]:.1f}" for key in ("p50", "p95", "p99")]
    cells += [result[key] for key in ("lost", "duplicated", "reordered", "drops", "closed_by_server")]
    cells += [f"{per_line:.2f}", "{:.2f} {:.2f} {:.2f}".format(*result["load"])]
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def main():
    call_command("migrate", verbosity=0, interactive=False)
    log_dir = Path(tempfile.mkdtemp(prefix="chat-load-"))
    chat_server, relay_server = start(APP, log_dir), start(RELAY_APP, log_dir)
    chat_base, relay_base = (server.url.replace("http", "ws", 1) for server in (chat_server, relay_server))
    results, idle = [], None
    try:
        for clients in CLIENTS:
            live = chat_run(clients, chat_base, chat_server.process.pid)
            bare = relay_run(clients, relay_base, relay_server.process.pid)
            results.append((clients, live, bare))
            print(row(clients, "chat", live), row(clients, "bare relay", bare), sep="\n", flush=True)
        if IDLE:
            clients, pid = max(CLIENTS), chat_server.process.pid
            cookies = idle_cookies(IDLE)
            busy = lambda: chat_run(clients, chat_base, pid, label="-idle")  # noqa: E731
            idle = (clients, *with_idle_sockets(chat_base, cookies, pid, busy))
    finally:
        chat_server.stop()
        relay_server.stop()
    print_report(results, idle)


def print_report(results, idle) -> None:
    setup = f"a line per socket every {INTERVAL:g} s for {SECONDS:g} s, {DROP_SHARE:.0%} of sockets drop once"
    print("\nLive chat vs bare relay: Dockerfile uvicorn command (1 process each), PostgreSQL, Redis;", setup)
    header()
    for clients, live, bare in results:
        print(row(clients, "chat", live))
        print(row(clients, "bare relay", bare))
    print("\nchat / bare relay, same run:")
    for clients, live, bare in results:
        live_cpu = live["cpu_ms"] / max(live["delivered"], 1)
        bare_cpu = bare["cpu_ms"] / max(bare["delivered"], 1)
        print(
            f"  {clients} sockets: p95 {live['p95'] / max(bare['p95'], 0.001):.2f}x, "
            f"p50 {live['p50'] / max(bare['p50'], 0.001):.2f}x, "
            f"CPU per line {live_cpu / max(bare_cpu, 0.001):.2f}x"
        )
    print("(the relay stores nothing: a line sent while the other side's socket is down is gone there)")
    if idle:
        clients, with_idle, opened, failed, seconds, per_socket = idle
        without = next(live for n, live, _bare in results if n == clients)
        print(
            f"\nWith {opened} idle notification sockets open on the chat server ({failed} of {IDLE} could not"
            f" be opened; opened in {seconds:.0f} s by a client process of their own; server memory"
            f" {per_socket:.1f} KiB per idle socket):"
        )
        header()
        print(row(clients, f"chat + {opened} idle", with_idle))
        print(f"  chat p95 at {clients} sockets: {without['p95']:.1f} ms without them,", end=" ")
        print(f"{with_idle['p95']:.1f} ms with them")


if __name__ == "__main__":
    main()
