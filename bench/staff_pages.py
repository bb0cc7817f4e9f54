"""Staff pages at national scale, measured as staff meet them: over HTTP against the production command.

The data is bench/counseling_inbox.py's fill (50,000 cases, 500,000 sealed messages, three open cases
with long histories of 100, 500 and 2,000 messages; kept between runs in jmd_hub_bench) plus a training
course with 5,000 enrolled staff (added once to the same database). The server is the Dockerfile's
uvicorn command (DEBUG off, PostgreSQL with the pool, Redis), its app swapped for
bench/support/bare_view.py, which adds one bare Django view: the floor, measured in the same run.

Prints per page: median and p95 over HTTP at concurrency 1 (and 10 where a crowd is likely: the inbox,
a case page and the bare view), the server's own wall and CPU time of the same requests (Server-Timing,
bench/support/server_timing.py), requests/s at 10, the SQL queries of one request and the server time of
the same page in-process (test client, DEBUG off), each with the load average at the time: the machine is
shared, so read the figures next to the bare view's, and the CPU column when the load is high.

Run: eval "$(scripts/services)" && .venv/bin/python bench/staff_pages.py
Environment: BENCH_RUNS (40 per page at concurrency 1), BENCH_CASES (50,000), BENCH_TRAINING_STAFF (5,000).
"""

import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The session cookies made here must be valid for the server: one fresh secret for both, per run.
BENCH_SECRET = secrets.token_urlsafe(64)
os.environ["SECRET_KEY"] = BENCH_SECRET

import counseling_inbox as fill  # noqa: E402 - fills or reuses jmd_hub_bench and sets Django up

from bench.support.production import (  # noqa: E402
    ProductionServer,
    collect_static,
    dockerfile_command,
    production_env,
)

RUNS = int(os.environ.get("BENCH_RUNS", 40))
CROWD, CROWD_RUNS = 10, 8  # ten clients at once, each this many requests
TRAINING_STAFF = int(os.environ.get("BENCH_TRAINING_STAFF", 5_000))
TRAINING_SLUG = f"bench-training-{TRAINING_STAFF}"

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from bench.support import http_load  # noqa: E402
from bench.support.http_load import load, p95  # noqa: E402
from bench.support.server_timing import server_times  # noqa: E402
from bench.support.sessions import session_cookie  # noqa: E402
from bench.support.training import enrol_staff  # noqa: E402

# --- Data beyond the inbox fill: a coordinator and the training course ----------------------------------


def coordinator():
    from hub.models import User
    from hub.roles import Role
    from hub.tests.factories import staff_with_totp

    user = User.objects.filter(username="bench_coordinator").first()
    return user or staff_with_totp(username="bench_coordinator", roles=[Role.COORDINATOR])


def training_course():
    """TRAINING_STAFF counselors at the bench sites enrolled in one course in four states
    (bench/support/training.py, as bench/learning_report.py), made once and kept with the fill."""
    from learning.models import Course
    from sites.models import Site

    course = Course.objects.filter(slug=TRAINING_SLUG).first()
    if course is not None and course.enrolments.count() == TRAINING_STAFF:
        return course
    started = time.perf_counter()
    course = course or Course.objects.create(title="Datenschutz (Bench)", slug=TRAINING_SLUG)
    sites = list(Site.objects.values_list("pk", flat=True))
    enrol_staff(course, TRAINING_STAFF, sites, username_prefix="bench_trainee_")
    print(f"fill: {TRAINING_STAFF:,} staff enrolled in {course.slug} ({time.perf_counter() - started:.1f} s)")
    return course


# --- The pages ------------------------------------------------------------------------------------------


def earlier_link(client, case) -> str:
    """The "show earlier" link of a case page, as the page itself makes it."""
    html = fill.html_of(client.get(f"/de/staff/cases/{case.public_id}/")).decode()
    match = re.search(r'href="\?before=([0-9.]+)#conversation"', html)
    return f"/de/staff/cases/{case.public_id}/?before={match[1]}" if match else ""


def pages(counselor, coordinator_user, course):
    """(label, user, path, crowd) for every measured page."""
    from django.db.models import Count

    from counseling.models import Case

    short = fill.sample_cases(counselor)
    long = list(
        Case.objects.filter(counselor=counselor)
        .annotate(n=Count("messages"))
        .filter(n__gt=fill.MESSAGES_PER_CASE)
        .order_by("n")
    )
    client = fill.client_for(counselor)
    rows = [
        ("bare Django view (staff session)", counselor, "/bench-bare/", True),
        ("inbox: counselor, my cases", counselor, "/de/staff/cases/?box=mine", True),
        ("inbox: counselor, my sites", counselor, "/de/staff/cases/?box=team", False),
        ("inbox: counselor, queue", counselor, "/de/staff/cases/?box=queue", False),
        ("inbox: coordinator, queue", coordinator_user, "/de/staff/cases/?box=queue", False),
        ("inbox: coordinator, escalated", coordinator_user, "/de/staff/cases/?box=escalated", True),
    ]
    if short:
        rows.append((f"case page, {fill.MESSAGES_PER_CASE} messages", counselor, case_path(short[0]), True))
    for case in long:
        rows.append((f"case page, {case.n:,} messages", counselor, case_path(case), case is long[-1]))
    if long and (earlier := earlier_link(client, long[-1])):
        rows.append((f"case page, {long[-1].n:,} msgs, earlier page", counselor, earlier, False))
    rows += [
        (f"training report HTML, {TRAINING_STAFF:,} staff", coordinator_user, report_path(course), True),
        (
            f"training report CSV, {TRAINING_STAFF:,} staff",
            coordinator_user,
            report_path(course) + "csv/",
            False,
        ),
    ]
    return rows


def case_path(case) -> str:
    return f"/de/staff/cases/{case.public_id}/"


def report_path(course) -> str:
    return f"/de/staff/learning/reports/{course.slug}/"


# --- Measuring ------------------------------------------------------------------------------------------


@dataclass
class Timing:
    http: float  # ms at the client
    server: float  # ms from the outermost middleware in to the response out (Server-Timing "app")
    cpu: float  # ms of Python CPU of the request's thread (Server-Timing "cpu")


def read_timing(elapsed: float, response) -> Timing:
    """Latency over HTTP, and the server's own wall and CPU time of the request (its Server-Timing)."""
    server = server_times(response.headers.get("Server-Timing", ""))
    return Timing(elapsed, server.get("app", 0.0), server.get("cpu", 0.0))


def serial(url: str, cookie: str) -> list[Timing]:
    return http_load.serial(url, cookie, runs=RUNS, read=read_timing)[0]


def crowd(url: str, cookie: str) -> tuple[list[Timing], float]:
    """CROWD clients at once, each CROWD_RUNS requests after one warm-up; latencies and requests/s."""
    return http_load.crowd(url, cookie, runs=CROWD_RUNS, clients=CROWD, read=read_timing)


def in_process(user, path: str) -> tuple[int, float]:
    """SQL queries of one request and the median server time of five, through the test client."""
    client = fill.client_for(user)
    client.get(path)
    executed = []  # a wrapper, not CaptureQueriesContext: its log is a deque that stops growing at 9,000

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return len(executed), statistics.median(times)


def main() -> None:
    fill.migrate()
    if fill.REUSABLE and fill.is_filled():
        print(f"fill: {fill.BENCH_DB} already holds {fill.N_CASES:,} cases; reusing it")
        fill.mark_filled(fill.URL)  # migrated: after BENCH_KEEP_FILL it holds this schema now
    else:
        if fill.Case.objects.exists():
            connection.close()
            fill.recreate_database(fill.URL)
            fill.migrate()
        fill.fill()
        fill.mark_filled(fill.URL)
    fill.setup_test_environment()
    settings.DEBUG = False
    counselor = fill.bench_user()
    coordinator_user = coordinator()
    course = training_course()
    fill.describe(counselor)
    targets = pages(counselor, coordinator_user, course)
    cookies = {user.pk: session_cookie(user) for user in (counselor, coordinator_user)}

    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/5"
    env = production_env(
        database_url=fill.URL,
        redis_url=redis_url,
        FORWARDED_ALLOW_IPS="127.0.0.1",
        SECRET_KEY=BENCH_SECRET,
        # The fill sealed with the development key: the server opens it as a key being rotated out.
        ENCRYPTION_OLD_KEYS=settings.ENCRYPTION_KEY,
    )
    static = Path(tempfile.mkdtemp(prefix="jmd-static-"))
    collect_static(env, static)
    command = dockerfile_command()
    command[command.index("hub.asgi:application")] = "bench.support.bare_view:application"
    print("server:", " ".join(command), "(the Dockerfile's; app with the bare view, port and bind swapped)")
    connection.close()
    # A machine shared by eight engineers can take minutes to import the project: wait for it.
    server = ProductionServer(
        command, {**env, "STATIC_ROOT": str(static)}, static / "server.log", startup_timeout=600
    )
    print(
        f"\n{'page':<40}{'c1 p50':>8}{'c1 p95':>8}{'srv p50':>8}{'srv p95':>8}{'cpu p50':>8}{'cpu p95':>8}"
        f"{'c10 p50':>9}{'c10 p95':>9}{'c10 r/s':>9}{'queries':>9}{'in-proc':>9}  load avg"
    )
    try:
        for label, user, path, with_crowd in targets:
            try:
                timings = serial(server.url + path, cookies[user.pk])
                crowd_text = f"{'':>9}{'':>9}{'':>9}"
                if with_crowd:
                    many, rate = crowd(server.url + path, cookies[user.pk])
                    http = [t.http for t in many]
                    crowd_text = f"{statistics.median(http):>9.1f}{p95(http):>9.1f}{rate:>9.1f}"
                at = load()
                queries, server_ms = in_process(user, path) if path != "/bench-bare/" else (0, 0.0)
            except Exception as exc:  # noqa: BLE001 - one failed page does not hide the others
                print(f"{label:<40}FAILED {exc}\n{server.log()[-2000:]}")
                continue
            columns = "".join(
                f"{statistics.median(values):>8.1f}{p95(values):>8.1f}"
                for values in (
                    [t.http for t in timings],
                    [t.server for t in timings],
                    [t.cpu for t in timings],
                )
            )
            print(f"{label:<40}{columns}{crowd_text}{queries:>9}{server_ms:>9.1f}  {at}", flush=True)
    finally:
        server.stop()
    print(
        f"(ms; c1: {RUNS} requests one after another after 3 warm-ups, over HTTP; srv: the server's wall "
        f"time of the same requests and cpu: its Python CPU time (Server-Timing of bench/support/"
        f"server_timing.py; on a loaded machine cpu is the figure that does not count the wait for a core); "
        f"c10: {CROWD} clients x {CROWD_RUNS}; queries and in-proc: one request through the test client, "
        f"DEBUG off; load average of {os.cpu_count()} cores at the time)"
    )


if __name__ == "__main__":
    main()
