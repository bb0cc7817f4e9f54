"""Training reports and the activity gate at scale: server time and queries of the course report (HTML
and CSV) and the report overview for N enrolled staff at 24 sites, and the cost of the gate check that
routing makes for every counselor at once.

Fills a separate PostgreSQL database (jmd_hub_bench_learning, recreated on each run) and prints, per
size, the median and p95 over 15 requests and the SQL queries per request: the report as kept between
views, and rebuilt as after a write (learning/report_cache.py).

Run: make bench   (or: eval "$(scripts/services)" && .venv/bin/python bench/learning_report.py)
Environment: BENCH_STAFF="500,5000"
"""

import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings_test")

BENCH_DB = "jmd_hub_bench_learning"
SIZES = [int(n) for n in os.environ.get("BENCH_STAFF", "500,5000").split(",")]
N_SITES = 24
RUNS = 15

parts = urlsplit(os.environ.get("DATABASE_URL", ""))
if parts.scheme not in {"postgres", "postgresql"}:
    print("bench/learning_report.py needs PostgreSQL in DATABASE_URL: run it with `make bench`.")
    sys.exit(0)


def recreate_database() -> None:
    import psycopg
    from psycopg import sql

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))


recreate_database()
os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.support.training import enrol_staff  # noqa: E402
from hub.roles import Role  # noqa: E402
from hub.tests.factories import staff_with_totp  # noqa: E402
from learning.gates import Activity, users_refused  # noqa: E402
from learning.models import (  # noqa: E402
    ActivityRequirement,
    Certificate,
    Course,
    Lesson,  # noqa: E402
)
from learning.report_cache import reports_changed  # noqa: E402
from sites.models import Site  # noqa: E402
from sites.tests.factories import SiteFactory  # noqa: E402


def fill(n: int, course: Course, sites: list[Site]) -> list[int]:
    """n counselors spread over the sites, enrolled in the course in four states (bench/support/
    training.py, shared with bench/staff_pages.py); half are certified."""
    users = enrol_staff(course, n, [site.pk for site in sites], username_prefix=f"bench{n}_")
    Certificate.objects.bulk_create(
        [
            Certificate(user=u, course=course, holder_name=u.display_name, course_title=course.title)
            for u in users[::2]
        ]
    )
    return [u.pk for u in users]


def timed(label: str, call) -> None:
    call()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        call()
    p95 = sorted(times)[int(0.95 * (len(times) - 1))]
    median = statistics.median(times)
    print(f"  {label:<32} median {median:7.1f} ms   p95 {p95:7.1f} ms   {len(queries):3d} queries")


def main() -> None:
    with contextlib.redirect_stdout(io.StringIO()):  # wagtail-modeltranslation prints its SQL
        call_command("migrate", "--noinput", verbosity=0)
    setup_test_environment()
    sites = [SiteFactory() for _ in range(N_SITES)]
    coordinator = staff_with_totp(username="bench_coordinator", roles=[Role.COORDINATOR])
    client = Client()
    client.force_login(coordinator)
    for n in SIZES:
        course = Course.objects.create(title=f"Datenschutz {n}", slug=f"datenschutz-{n}")
        Lesson.objects.create(course=course, title="Schweigepflicht")
        requirement, _ = ActivityRequirement.objects.get_or_create(activity=Activity.CASES)
        requirement.courses = [course]
        requirement.save()
        ids = fill(n, course, sites)
        print(f"{n:,} enrolled staff at {N_SITES} sites:")
        timed(
            "course report (HTML)", lambda slug=course.slug: client.get(f"/de/staff/learning/reports/{slug}/")
        )
        timed(
            "course report (CSV)",
            lambda slug=course.slug: client.get(f"/de/staff/learning/reports/{slug}/csv/"),
        )
        # After every write the next view rebuilds (learning/report_cache.py): that cost, too.
        for kind, suffix in (("HTML", ""), ("CSV", "csv/")):
            timed(
                f"course report ({kind}, rebuilt)",
                lambda slug=course.slug, suffix=suffix: (
                    reports_changed(),
                    client.get(f"/de/staff/learning/reports/{slug}/{suffix}"),
                ),
            )
        timed("report overview", lambda: client.get("/de/staff/learning/reports/"))
        timed("gate for all counselors", lambda ids=ids: users_refused(Activity.CASES, ids))


if __name__ == "__main__":
    main()
