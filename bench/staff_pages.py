"""Staff pages at national scale, measured as staff meet them: over HTTP against the production command.

The data is bench/counseling_inbox.py's fill (50,000 cases, 500,000 sealed messages, three open cases
with long histories of 100, 500 and 2,000 messages; kept between runs in jmd_hub_bench) plus a training
course with 5,000 enrolled staff (added once to the same database). The server is the Dockerfile's
uvicorn command (DEBUG off, PostgreSQL with the pool, Redis), its app swapped for
bench/support/bare_view.py, which adds one bare Django view: the floor, measured in the same run.

Prints per page: median and p95 over HTTP at concurrency 1 (and 10 where a crowd is likely: the inbox,
a case page and the bare view), requests/s at 10, the SQL queries of one request and the server time of
the same page in-process (test client, DEBUG off), each with the load average at the time: the machine is
shared, so read the figures next to the bare view's.

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

from bench.support.http_load import crowd, load, p95, serial  # noqa: E402
from bench.support.sessions import session_cookie  # noqa: E402

# --- Data beyond the inbox fill: a coordinator and the training course ----------------------------------


def coordinator():
    from hub.models import User
    from hub.roles import Role
    from hub.tests.factories import staff_with_totp

    user = User.objects.filter(username="bench_coordinator").first()
    return user or staff_with_totp(username="bench_coordinator", roles=[Role.COORDINATOR])


def training_course():
    """TRAINING_STAFF counselors at the bench sites enrolled in one course in four states (as
    bench/learning_report.py), made once and kept with the fill."""
    from datetime import timedelta

    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from guardian.models import UserObjectPermission

    from hub.models import User
    from hub.roles import Role
    from learning.models import Course, Enrolment, Lesson, LessonCompletion
    from sites.models import Site

    course = Course.objects.filter(slug=TRAINING_SLUG).first()
    if course is not None and course.enrolments.count() == TRAINING_STAFF:
        return course
    started = time.perf_counter()
    course = course or Course.objects.create(title="Datenschutz (Bench)", slug=TRAINING_SLUG)
    lesson = course.lessons.first() or Lesson.objects.create(course=course, title="Schweigepflicht")
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(username=f"bench_trainee_{i:05d}", display_name=f"Staff {i}", is_staff=True)
            for i in range(TRAINING_STAFF)
        ],
        batch_size=2000,
    )
    Group.objects.get_or_create(name=Role.COUNSELOR)[0].user_set.add(*users)
    sites = list(Site.objects.values_list("pk", flat=True))
    permission = Permission.objects.get(codename="counsel_at_site")
    site_type = ContentType.objects.get_for_model(Site)
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user=u, permission=permission, content_type=site_type, object_pk=str(sites[i % len(sites)])
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                user=u,
                course=course,
                source="rule",
                due_at=now + timedelta(days=-1 if i % 4 == 1 else 10),
                completed_at=now if i % 4 == 0 else None,
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(enrolment=e, lesson=lesson) for e in enrolments[2::4]]
    )
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
        f"\n{'page':<40}{'c1 p50':>8}{'c1 p95':>8}{'c10 p50':>9}{'c10 p95':>9}{'c10 r/s':>9}"
        f"{'queries':>9}{'in-proc':>9}  load avg"
    )
    try:
        for label, user, path, with_crowd in targets:
            try:
                timings, _rate = serial(server.url + path, cookies[user.pk], runs=RUNS)
                crowd_text = f"{'':>9}{'':>9}{'':>9}"
                if with_crowd:
                    many, rate = crowd(server.url + path, cookies[user.pk], runs=CROWD_RUNS, clients=CROWD)
                    crowd_text = f"{statistics.median(many):>9.1f}{p95(many):>9.1f}{rate:>9.1f}"
                at = load()
                queries, server_ms = in_process(user, path) if path != "/bench-bare/" else (0, 0.0)
            except Exception as exc:  # noqa: BLE001 - one failed page does not hide the others
                print(f"{label:<40}FAILED {exc}\n{server.log()[-2000:]}")
                continue
            print(
                f"{label:<40}{statistics.median(timings):>8.1f}{p95(timings):>8.1f}{crowd_text}"
                f"{queries:>9}{server_ms:>9.1f}  {at}",
                flush=True,
            )
    finally:
        server.stop()
    print(
        f"(ms; c1: {RUNS} requests one after another after 3 warm-ups; c10: {CROWD} clients x {CROWD_RUNS};"
        f" queries and in-proc: one request through the test client, DEBUG off; load average of "
        f"{os.cpu_count()} cores at the time)"
    )


if __name__ == "__main__":
    main()
