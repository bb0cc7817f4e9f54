"""Forum at scale: server time, SQL queries and compressed size of the forum's pages.

Creates a separate PostgreSQL database (jmd_hub_forum_bench, next to the one in DATABASE_URL; rebuilt on
every run) with 88 categories (11 topics x 8 languages), BENCH_FORUM_THREADS threads (default 5,000)
with BENCH_FORUM_POSTS posts in all (default 60,000), one thread with 5,000 replies, and a moderation
queue of 2,000 waiting and 500 reported posts. Prints per page the median and p95 server time over 30
requests, the queries per request and the gzip-compressed HTML size.

Run: make bench   (or: eval "$(scripts/services)" && .venv/bin/python bench/forum_pages.py)
"""

import gzip
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings_test")

BENCH_DB = "jmd_hub_forum_bench"
N_THREADS = int(os.environ.get("BENCH_FORUM_THREADS", 5_000))
N_POSTS = int(os.environ.get("BENCH_FORUM_POSTS", 60_000))
BIG_THREAD_REPLIES = 5_000
WARMUPS, RUNS = 3, 30

parts = urlsplit(os.environ.get("DATABASE_URL", ""))
if parts.scheme not in {"postgres", "postgresql"}:
    print("bench/forum_pages.py needs PostgreSQL in DATABASE_URL: run it with `make bench`.")
    sys.exit(0)
URL = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def recreate_database() -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))


recreate_database()
os.environ["DATABASE_URL"] = URL

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from counseling.forum import services  # noqa: E402
from counseling.forum.models import Category, ForumProfile, Post, PostStatus, Report, Thread  # noqa: E402
from hub.models import User  # noqa: E402
from hub.roles import Role  # noqa: E402
from hub.services import role_grant  # noqa: E402
from hub.tests.factories import staff_with_totp  # noqa: E402
from hub.topics import Topic  # noqa: E402

LANGUAGES = ["de", "ru", "tr", "en", "ar", "uk", "sq", "fr"]


def fill():
    rng = random.Random(9)  # noqa: S311 - reproducible fill, not security
    now = timezone.now()
    youths = User.objects.bulk_create(
        [User(username=f"youth{n}", password="!") for n in range(2_000)],  # noqa: S106 - unusable
        batch_size=2_000,
    )
    ForumProfile.objects.bulk_create(
        [ForumProfile(user=user, pseudonym=f"name{n}", published_posts=5) for n, user in enumerate(youths)]
    )
    categories = Category.objects.bulk_create(
        [Category(topic=topic, language=language) for language in LANGUAGES for topic in Topic.values]
    )
    threads = Thread.objects.bulk_create(
        [
            Thread(
                category=rng.choice(categories),
                title=f"Frage {n}",
                author=rng.choice(youths),
                status=PostStatus.PUBLISHED,
                last_post_at=now,
            )
            for n in range(N_THREADS)
        ],
        batch_size=5_000,
    )
    big = threads[0]
    posts = [
        Post(
            thread=thread,
            author=thread.author,
            body="Hallo, ich habe eine Frage " * 8,
            is_opening=True,
            status=PostStatus.PUBLISHED,
            published_at=now,
        )
        for thread in threads
    ]
    posts += [
        Post(
            thread=big,
            author=rng.choice(youths),
            body="Eine Antwort mit etwas Text. " * 10,
            status=PostStatus.PUBLISHED,
            published_at=now,
            is_counselor_answer=n % 9 == 0,
        )
        for n in range(BIG_THREAD_REPLIES)
    ]
    rest = max(N_POSTS - len(posts), 0)
    posts += [
        Post(
            thread=rng.choice(threads),
            author=rng.choice(youths),
            body="Antwort " * 20,
            status=PostStatus.PENDING if n < 2_000 else PostStatus.PUBLISHED,
            published_at=None if n < 2_000 else now,
        )
        for n in range(rest)
    ]
    created = Post.objects.bulk_create(posts, batch_size=5_000)
    reported = [post for post in created if post.status == PostStatus.PUBLISHED and not post.is_opening][:500]
    Report.objects.bulk_create(
        [Report(post=post, reporter=youths[k], reason="spam") for post in reported for k in range(3)]
    )
    Post.objects.filter(pk__in=[post.pk for post in reported]).update(open_reports=3)
    for thread in Thread.objects.filter(pk__in=[threads[0].pk, threads[1].pk]):
        services.thread_refresh(thread)
    return big, categories[0], youths[0]


def measure(client, label, url):
    for _ in range(WARMUPS):
        client.get(url)
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
    size = len(gzip.compress(response.content))
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    print(
        f"{label:<38} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
        f"{len(queries.captured_queries):3d} queries   {size / 1024:5.1f} KiB gzip"
    )


def main():
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    big, category, youth = fill()
    role_grant(user=youth, role=Role.YOUTH)
    counselor = staff_with_totp(username="bench_counselor", roles=[Role.COUNSELOR])
    print(
        f"filled {Thread.objects.count():,} threads, {Post.objects.count():,} posts in "
        f"{time.perf_counter() - started:.0f} s (big thread: {BIG_THREAD_REPLIES:,} replies)"
    )
    setup_test_environment()
    client = Client()
    client.force_login(youth)
    measure(client, "category list (youth)", "/de/forum/?language=all")
    measure(client, "category page (youth)", f"/de/forum/c/{category.pk}/")
    measure(client, "big thread, first page (youth)", f"/de/forum/t/{big.pk}/")
    measure(client, "big thread, last page (youth)", f"/de/forum/t/{big.pk}/?page=last")
    client.force_login(counselor)
    measure(client, "moderation queue (counselor)", "/de/staff/forum/")
    measure(client, "big thread, middle page (counselor)", f"/de/forum/t/{big.pk}/?page=100")


if __name__ == "__main__":
    main()
