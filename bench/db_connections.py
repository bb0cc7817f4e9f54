"""PostgreSQL connections under load: the production command (compose's web command: uvicorn with two
workers and the Dockerfile's flags, DEBUG off, PostgreSQL with the pool, Redis) driven by 50 concurrent
clients for 60 s. Prints the peak number of PostgreSQL connections (pg_stat_activity), the connections
left after the load, failed responses, latencies and the load average.

Before the pool, CONN_MAX_AGE=60 under ASGI kept a connection per request thread: 10 clients reached
178 connections within 20 s and every page answered 500 ("too many clients"). The bound now is
web processes x DATABASE_POOL_MAX_SIZE (README "Sizing").

The clients mix what people do: the start page, a knowledge search, a site page list and a signed-in
counselor's inbox (/de/staff/cases/), all through the trusted-proxy headers nginx sends.

Run: make bench   (or: eval "$(scripts/services)" && .venv/bin/python bench/db_connections.py)
Environment: BENCH_CLIENTS (50), BENCH_SECONDS (60), DATABASE_POOL_MAX_SIZE (the settings' default).
"""

import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support.database import bench_database_url, recreate_database  # noqa: E402
from bench.support.production import (  # noqa: E402
    ProductionServer,
    collect_static,
    compose_web_command,
    production_env,
)

BENCH_DB = "jmd_hub_bench_connections"
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 50))
SECONDS = float(os.environ.get("BENCH_SECONDS", 60))
SAMPLE_EVERY = 0.25


URL = bench_database_url(BENCH_DB)
if URL is None or not os.environ.get("REDIS_URL"):
    print(
        "bench/db_connections.py needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL): "
        "run it with `make bench`."
    )
    sys.exit(0)
REDIS = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/4"
# One key for this process and the server: the counselor's session is signed with it.
ENV = production_env(database_url=URL, redis_url=REDIS, FORWARDED_ALLOW_IPS="127.0.0.1")
recreate_database(URL)
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
import redis  # noqa: E402
import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.support.sessions import session_cookie  # noqa: E402
from hub.roles import Role  # noqa: E402
from hub.tests.factories import staff_with_totp  # noqa: E402


def counselor_cookie() -> str:
    counselor = staff_with_totp(username="bench_counselor", roles=[Role.COUNSELOR])
    return session_cookie(counselor)


PAGES = ["/de/", "/de/knowledge/?q=schule", "/de/sites/", "/de/staff/cases/"]


class Load:
    def __init__(self, url: str, cookie: str):
        self.url, self.cookie = url, cookie
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()
        self.latencies: list[float] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def client(self, number: int) -> None:
        session = requests.Session()
        headers = {
            "X-Forwarded-For": f"198.51.{number // 250}.{number % 250 + 1}",
            "X-Forwarded-Proto": "https",
        }
        turn = number
        while not self.stop.is_set():
            path = PAGES[turn % len(PAGES)]
            turn += 1
            extra = {"Cookie": self.cookie} if path.startswith("/de/staff/") else {}
            started = time.monotonic()
            try:
                response = session.get(
                    self.url + path, headers=headers | extra, timeout=60, allow_redirects=False
                )
                outcome = response.status_code
            except requests.RequestException as exc:
                outcome = type(exc).__name__
            elapsed = time.monotonic() - started
            with self.lock:
                if isinstance(outcome, int):
                    self.statuses[(path.split("?")[0], outcome)] += 1
                    self.latencies.append(elapsed)
                else:
                    self.errors[outcome] += 1

    def failed(self) -> int:
        return sum(count for (_, status), count in self.statuses.items() if status != 200) + sum(
            self.errors.values()
        )


def connections(conn) -> int:
    return conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
        [BENCH_DB],
    ).fetchone()[0]


def main() -> None:
    call_command("migrate", verbosity=0, interactive=False)
    cookie = counselor_cookie()
    redis.Redis.from_url(REDIS).flushdb()
    # This process's own pool goes, so pg_stat_activity counts the server's connections (and the monitor).
    django.db.connection.close_pool()
    static = tempfile.mkdtemp(prefix="jmd-static-")
    collect_static(ENV, Path(static))
    command = compose_web_command()
    print("Starting:", " ".join(command), "(compose's web command; port and bind address swapped)")
    # A machine shared by eight engineers can take minutes to import the project in two workers.
    server = ProductionServer(
        command, {**ENV, "STATIC_ROOT": static}, Path(static) / "server.log", startup_timeout=600
    )
    monitor = psycopg.connect(URL, autocommit=True)
    try:
        baseline = connections(monitor)
        load = Load(server.url, cookie)
        threads = [threading.Thread(target=load.client, args=(n,), daemon=True) for n in range(CLIENTS)]
        peak, loads = baseline, []
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while time.monotonic() - started < SECONDS:
            peak = max(peak, connections(monitor))
            loads.append(os.getloadavg()[0])
            time.sleep(SAMPLE_EVERY)
        load.stop.set()
        for thread in threads:
            thread.join(90)
        time.sleep(3)
        after = connections(monitor)
    finally:
        monitor.close()
        server.stop()

    workers = command[command.index("--workers") + 1] if "--workers" in command else "1"
    pool_max = django.conf.settings.DATABASE_POOL["max_size"]
    total = sum(load.statuses.values()) + sum(load.errors.values())
    latencies = sorted(load.latencies)
    print(f"\nPostgreSQL connections: {CLIENTS} clients for {SECONDS:.0f} s, uvicorn --workers {workers}")
    print(
        f"  pool per process (DATABASE_POOL_MAX_SIZE): {pool_max}; "
        f"bound {int(workers) * pool_max} (+1 monitor)"
    )
    print(f"  connections before load:   {baseline}")
    print(f"  peak connections (pg_stat_activity, bench DB, incl. this monitor): {peak}")
    print(f"  connections 3 s after load: {after} (idle in the pools, within the bound)")
    print(f"  responses: {total} ({total / SECONDS:.0f}/s), failed (not 200 or no answer): {load.failed()}")
    for (path, status), count in sorted(load.statuses.items()):
        print(f"    {path:<22} {status}: {count}")
    for name, count in load.errors.items():
        print(f"    {name}: {count}")
    if latencies:
        p95 = latencies[int(len(latencies) * 0.95)]
        print(f"  latency median {statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"  load average (1 min) during the run: max {max(loads):.1f}, at the end {loads[-1]:.1f}")
    print(f"  machine: {os.cpu_count()} cores (shared)")
    if load.failed():
        print("  server log (tail):\n" + "\n".join(server.log().splitlines()[-20:]))


if __name__ == "__main__":
    main()
