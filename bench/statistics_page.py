"""The coordinators' statistics page at 50,000 cases: server time from the monthly figures.

Fills a separate PostgreSQL database (jmd_hub_bench_statistics, recreated on each run) with the
statistics events of BENCH_CASES cases over two years (enquiry, active months, messages, first answer,
chats, callbacks, video calls, appointments, group participants: about 13 events a case), builds the
monthly figures with `manage.py stats_rebuild` (timed), then prints:
- in-process server time (Django's test client, no HTTP) of the page by month, by site, filtered, and of
  the yearly report: median and p95 over RUNS requests, and the SQL queries per request;
- the production command (compose's web command: uvicorn, DEBUG off) driven by 1 and then 10 concurrent
  coordinators for BENCH_SECONDS each: median and p95 response time over loopback, requests per second,
  and the load average (the machine is shared, so read the figures with it).

Run: make bench   (or: eval "$(scripts/services)" && .venv/bin/python bench/statistics_page.py)
Environment: BENCH_CASES (50000), BENCH_RUNS (30), BENCH_SECONDS (15)
"""

import contextlib
import io
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
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

BENCH_DB = "jmd_hub_bench_statistics"
N_CASES = int(os.environ.get("BENCH_CASES", 50_000))
RUNS = int(os.environ.get("BENCH_RUNS", 30))
SECONDS = float(os.environ.get("BENCH_SECONDS", 15))
N_SITES = 24
SEED = 16

URL = bench_database_url(BENCH_DB)
if URL is None or not os.environ.get("REDIS_URL"):
    print("bench/statistics_page.py needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL): run `make bench`.")
    sys.exit(0)
REDIS = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/5"
# One secret key for this process and the server: the coordinator's session is signed with it.
STATIC = tempfile.mkdtemp(prefix="jmd-static-")
ENV = production_env(database_url=URL, redis_url=REDIS, FORWARDED_ALLOW_IPS="127.0.0.1", STATIC_ROOT=STATIC)
recreate_database(URL)
collect_static(ENV, Path(STATIC))  # before this process reads the manifest (the in-process requests)
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.support.sessions import session_cookie  # noqa: E402
from hub.models import StatEvent, StatMonth  # noqa: E402
from hub.roles import Role  # noqa: E402
from hub.statistics import Channel, StatKind  # noqa: E402
from hub.tests.factories import staff_with_totp  # noqa: E402
from hub.topics import Topic  # noqa: E402
from sites.tests.factories import ProviderGroupFactory, SiteFactory  # noqa: E402

LANGUAGES = [
    ("de", 40),
    ("ar", 15),
    ("ru", 12),
    ("uk", 10),
    ("tr", 9),
    ("en", 6),
    ("fr", 4),
    ("sq", 3),
    ("", 1),
]
TOPICS = [(t.value, 10 - min(i, 8)) for i, t in enumerate(Topic)] + [("", 1)]
CHANNELS = [(Channel.MAIL, 70), (Channel.CHAT, 20), (Channel.CALLBACK, 10)]


def pick(rng: random.Random, weighted: list):
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def fill(sites: list[tuple[int, int]]) -> int:
    """The events of N_CASES cases from 1 January last year until today; returns the number of events."""
    rng = random.Random(SEED)  # noqa: S311 - made-up figures
    today = timezone.localdate()
    first = date(today.year - 1, 1, 1)
    span = (today - first).days
    batch, total = [], 0

    def add(kind, day, **extra):
        nonlocal total
        if day <= today:
            batch.append(StatEvent(kind=kind, day=day, **common, **extra))
            total += 1

    for _ in range(N_CASES):
        site, group = sites[rng.randrange(len(sites))] if rng.random() > 0.05 else (None, None)
        language, topic, channel = pick(rng, LANGUAGES), pick(rng, TOPICS), pick(rng, CHANNELS)
        common = {"site_ref": site, "provider_group_ref": group, "language": language, "topic": topic}
        opened = first + timedelta(days=rng.randrange(span + 1))
        add(StatKind.ENQUIRY, opened, channel=channel)
        for month in range(rng.choice((1, 1, 2, 3))):
            add(StatKind.ACTIVE_CASE, opened + timedelta(days=31 * month), channel=channel)
        for _m in range(rng.randint(2, 14)):
            add(StatKind.MESSAGE, opened + timedelta(days=rng.randint(0, 60)), channel=Channel.MAIL)
        if rng.random() < 0.92:
            minutes = int(rng.lognormvariate(7.1, 0.9))  # median about 20 hours
            answered = opened + timedelta(days=minutes // 1440)
            add(StatKind.FIRST_ANSWER, answered, value=minutes, flag=minutes <= 2880)
        if channel == Channel.CHAT:
            add(StatKind.CHAT, opened, channel=Channel.CHAT)
        if channel == Channel.CALLBACK:
            add(StatKind.CALLBACK, opened, channel=Channel.CALLBACK)
        if rng.random() < 0.03:
            add(StatKind.VIDEO, opened + timedelta(days=3), channel=Channel.VIDEO)
        if rng.random() < 0.2:
            add(StatKind.APPOINTMENT, opened + timedelta(days=7), channel=Channel.ON_SITE)
        if rng.random() < 0.1:
            add(StatKind.GROUP_PARTICIPANT, opened + timedelta(days=14), channel=Channel.GROUP)
        if len(batch) >= 20_000:
            StatEvent.objects.bulk_create(batch)
            batch = []
    StatEvent.objects.bulk_create(batch)
    return total


def coordinator_cookie() -> str:
    coordinator = staff_with_totp(username="bench_coordinator", roles=[Role.COORDINATOR])
    return session_cookie(coordinator)


def percentiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def in_process(pages: dict[str, str], cookie: str) -> None:
    client = Client(HTTP_HOST="127.0.0.1")  # the production settings: this host, HTTPS only
    client.cookies.load(cookie)
    print(f"\nIn-process server time (Django test client, {RUNS} requests each, after 3 warm-ups):")
    for label, path in pages.items():
        for _ in range(3):
            response = client.get(path, secure=True)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(path, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path, secure=True)
        median, p95 = percentiles(times)
        print(f"  {label:<34} p50 {median:6.1f} ms   p95 {p95:6.1f} ms   {len(queries):2d} queries")


def over_http(server_url: str, path: str, cookie: str, clients: int) -> None:
    latencies, failed, stop, lock = [], [0], threading.Event(), threading.Lock()

    def client() -> None:
        session = requests.Session()
        headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
        while not stop.is_set():
            started = time.monotonic()
            response = session.get(server_url + path, headers=headers, timeout=60, allow_redirects=False)
            elapsed = (time.monotonic() - started) * 1000
            with lock:
                if response.status_code == 200:
                    latencies.append(elapsed)
                else:
                    failed[0] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    loads = []
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while time.monotonic() - started < SECONDS:
        time.sleep(0.5)
        loads.append(os.getloadavg()[0])
    stop.set()
    for thread in threads:
        thread.join(60)
    median, p95 = percentiles(latencies) if latencies else (0.0, 0.0)
    print(
        f"  concurrency {clients:2d}: p50 {median:6.1f} ms   p95 {p95:6.1f} ms   "
        f"{len(latencies) / SECONDS:5.1f} pages/s   failed {failed[0]}   "
        f"load average (1 min) max {max(loads):.1f}"
    )


def main() -> None:
    with contextlib.redirect_stdout(io.StringIO()):  # wagtail-modeltranslation prints its SQL
        call_command("migrate", "--noinput", verbosity=0)
    groups = [ProviderGroupFactory(short_name=f"T{i}", name=f"Träger {i}") for i in range(4)]
    sites = [SiteFactory(provider_group=groups[i % 4]) for i in range(N_SITES)]
    started = time.perf_counter()
    events = fill([(s.pk, s.provider_group_id) for s in sites])
    print(f"{N_CASES} cases: {events} statistics events in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    call_command("stats_rebuild", stdout=io.StringIO())
    print(
        f"stats_rebuild: {StatMonth.objects.count()} monthly figures in {time.perf_counter() - started:.1f} s"
    )
    cookie = coordinator_cookie()
    year = timezone.localdate().year - 1
    pages = {
        "statistics, by month": f"/de/staff/statistics/?year={year}",
        "statistics, by site": f"/de/staff/statistics/?year={year}&by=site",
        "statistics, by topic, filtered": f"/de/staff/statistics/?year={year}&by=topic&language=ar",
        "CSV export, by language": f"/de/staff/statistics/export.csv?year={year}&by=language",
        "yearly report (6 tables)": f"/de/staff/statistics/report/{year}/",
        # The same staff frame (middleware, session, base template) without any figures: what the machine
        # costs for any staff page at the moment of the run.
        "for comparison: retention page": "/de/staff/retention/",
    }
    in_process(pages, cookie)

    connection.close()
    command = compose_web_command()
    print(f"\nProduction command: {' '.join(command)} (port and bind address swapped)")
    server = ProductionServer(command, ENV, Path(STATIC) / "server.log")
    try:
        path = pages["statistics, by month"]
        print(f"Response time of {path} over loopback, {SECONDS:.0f} s each:")
        for clients in (1, 10):
            over_http(server.url, path, cookie, clients)
    finally:
        server.stop()
    print(f"machine: {os.cpu_count()} cores, shared with other work")


if __name__ == "__main__":
    main()
