"""Youth pages at national scale, measured as young people meet them: over HTTP against the production
command, side by side with a bare Django view in the same run.

The data: all demo data (`demo_data`), ~500 sites (the 24 model sites plus towns of sites/data/towns_de.csv,
each with opening hours), BENCH_ARTICLES knowledge articles (default 400) in all eight languages with
topics, a forum with a category per topic and language, BENCH_THREADS threads and one long thread of
BENCH_REPLIES replies (default 2,000). Built in jmd_hub_bench_youth (1–2 minutes) and kept for
the next run while the sizes, this fill and the migrations stay the same.

The server is the Dockerfile's uvicorn command (DEBUG off, PostgreSQL with the pool, Redis cache and
sessions) with its app swapped for bench/support/bare_view.py, which adds one bare Django view through the
same middleware: the floor. Every page is measured at concurrency 1 (BENCH_RUNS requests one after
another) and 10 (ten clients, BENCH_CROWD_RUNS requests each), alternating in rounds with the bare view
(with the same session: none, or the youth's for the signed-in pages: the own case page with one message
and one with LONG_CASE_MESSAGES (20), the case list, account start), so that both meet the same load. Prints
requests/s, p50/p95 in ms, the bare view's requests/s, the ratio, the median server CPU ms of page and bare
view (Server-Timing) and the load average at the time (target: every youth page >= 0.5x; on a shared
machine the CPU ms move least).

Run: eval "$(scripts/services)" && .venv/bin/python bench/youth_pages.py
Environment: BENCH_RUNS (40), BENCH_CROWD_RUNS (10), BENCH_ARTICLES (400), BENCH_THREADS (300),
BENCH_REPLIES (2000), BENCH_PAGES (comma-separated labels to measure only some pages).
"""

import base64
import csv
import hashlib
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.support.database import (  # noqa: E402
    bench_database_url,
    mark_filled,
    migrations_fingerprint,
    reuse_or_recreate,
)
from bench.support.http_load import crowd, load, p95, serial  # noqa: E402
from bench.support.production import (  # noqa: E402
    ProductionServer,
    collect_static,
    dockerfile_command,
    production_env,
)

BENCH_DB = "jmd_hub_bench_youth"
RUNS = int(os.environ.get("BENCH_RUNS", 40))
CROWD_RUNS = int(os.environ.get("BENCH_CROWD_RUNS", 10))
ROUNDS = 2  # page and bare view alternate this many times
N_SITES = 500
N_ARTICLES = int(os.environ.get("BENCH_ARTICLES", 400))
N_THREADS = int(os.environ.get("BENCH_THREADS", 300))
N_REPLIES = int(os.environ.get("BENCH_REPLIES", 2_000))
ONLY = {label.strip() for label in os.environ.get("BENCH_PAGES", "").split(",") if label.strip()}
LANGUAGES = ["de", "en", "ar", "ru", "tr", "sq", "uk", "fr"]

URL = bench_database_url(BENCH_DB)
if URL is None or not os.environ.get("REDIS_URL"):
    print("bench/youth_pages.py needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL): see its docstring.")
    sys.exit(0)
REDIS = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/6"
FILL_VERSION = 2  # 2: a young person with a case of LONG_CASE_MESSAGES messages
LONG_CASE_MESSAGES = 20
FINGERPRINT = migrations_fingerprint(FILL_VERSION, N_SITES, N_ARTICLES, N_THREADS, N_REPLIES)
# A throwaway bench database keeps its fill between runs: its sealed messages need the same key each time.
BENCH_ENCRYPTION_KEY = base64.urlsafe_b64encode(hashlib.sha256(BENCH_DB.encode()).digest()).decode()
# One environment for this process and the server: the youth's session and sealed messages must open there.
ENV = production_env(
    database_url=URL, redis_url=REDIS, FORWARDED_ALLOW_IPS="127.0.0.1", ENCRYPTION_KEY=BENCH_ENCRYPTION_KEY
)
REUSE = reuse_or_recreate(URL, FINGERPRINT)
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.support.server_timing import server_times  # noqa: E402
from bench.support.sessions import session_cookie  # noqa: E402

# --- The data -------------------------------------------------------------------------------------------


def fill_demo() -> None:
    settings.DEBUG = True  # demo_data refuses to run otherwise (its passwords are known: a bench DB only)
    try:
        call_command("demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115 - discarded output
    finally:
        settings.DEBUG = False


def fill_long_case() -> None:
    """A young person whose mail thread has grown as threads do: LONG_CASE_MESSAGES messages, the counselor
    and the young person taking turns (the demo youth's case holds only its first message)."""
    from counseling import services
    from hub.models import User

    youth = User.objects.create(username="bench_youth_long", password="!")  # noqa: S106 - unusable
    case = services.enquiry_create(
        youth=youth,
        topic="recognition",
        language="de",
        postcode="10115",
        body="Hallo, ich komme aus Syrien und möchte mein Abiturzeugnis anerkennen lassen. Wie geht das? "
        * 3,
    )
    if case.counselor_id is None:
        case = services.case_take(case=case, counselor=User.objects.get(username="demo_counselor"))
    for number in range(1, LONG_CASE_MESSAGES):
        from_counselor = number % 2 == 1
        services.message_send(
            case=case,
            author=case.counselor if from_counselor else youth,
            body=(
                f"Antwort {number}: Du brauchst dein Zeugnis, eine Übersetzung und einen Antrag. "
                if from_counselor
                else f"Nachricht {number}: Danke! Ich habe die Übersetzung jetzt, was mache ich nun? "
            )
            * 3,
        )
        case.refresh_from_db()


def fill_sites() -> None:
    """National scale: towns from the finder's own table, with a postcode of their region."""
    from sites.finder import _postcode_regions, distance_km
    from sites.models import HoursKind, OpeningHours, ProviderGroup, Site

    groups = list(ProviderGroup.objects.all())
    regions = _postcode_regions()
    taken = set(Site.objects.values_list("town", flat=True))
    with (ROOT / "sites" / "data" / "towns_de.csv").open(encoding="utf-8", newline="") as file:
        towns = [row for row in csv.DictReader(file) if row["name"] not in taken]
    rng = random.Random(19)  # noqa: S311 - repeatable bench data
    sites = []
    for number, town in enumerate(towns[: N_SITES - Site.objects.count()]):
        lat, lon = float(town["lat"]), float(town["lon"])
        region = min(regions, key=lambda code: distance_km(lat, lon, regions[code].lat, regions[code].lon))
        sites.append(
            Site(
                name=f"JMD {town['name']}",
                slug=f"bench-{number}",
                code=f"JMD-B{number:04d}",
                provider_group=groups[number % len(groups)],
                street="Hauptstraße 1",
                postcode=f"{region}{number % 1000:03d}",
                town=town["name"],
                federal_state=town["state"],
                latitude=f"{lat:.6f}",
                longitude=f"{lon:.6f}",
                languages=["de", *rng.sample(LANGUAGES[1:], 2)],
                description_de=f"Der JMD in {town['name']} berät junge Menschen von 12 bis 27 Jahren.",
            )
        )
    created = Site.objects.bulk_create(sites)
    OpeningHours.objects.bulk_create(
        OpeningHours(site=site, kind=kind, weekday=weekday, opens="10:00", closes="16:00")
        for site in created
        for kind in (HoursKind.ON_SITE, HoursKind.ONLINE)
        for weekday in range(4)
    )


def fill_articles() -> None:
    """Public articles in all eight languages with one or two topics each (rows written like
    knowledge/tests/factories.articles_bulk: no Wagtail bookkeeping; our search index once for all)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import signals
    from factory.django import mute_signals

    from hub.topics import Topic
    from knowledge.models import ArticlePage, ArticleTopic
    from knowledge.search_index import articles_index_update
    from knowledge.tests.factories import knowledge_index, text_body

    index = knowledge_index()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    topics = list(Topic.values)
    created = []
    with transaction.atomic(), mute_signals(signals.pre_save, signals.post_save):
        for number in range(1, N_ARTICLES + 1):
            slug = f"bench-artikel-{number}"
            article = ArticlePage(
                slug=slug,
                slug_de=slug,
                content_type=content_type,
                depth=index.depth + 1,
                path=ArticlePage._get_path(index.path, index.depth + 1, index.numchild + number),
                url_path=f"{index.url_path}{slug}/",
                live=True,
                locale_id=index.locale_id,
            )
            for code in LANGUAGES:
                setattr(article, f"title_{code}", f"Wohnung und Ausbildung {number} ({code})")
                paragraphs = [
                    f"Wohnung, Schule und Arbeit – Teil {number}, Absatz {p}." * 6 for p in range(8)
                ]
                setattr(article, f"body_{code}", text_body(*paragraphs))
                if code != "de":
                    setattr(article, f"slug_{code}", f"{slug}-{code}")
            article.title = article.draft_title = article.title_de
            article.refresh_derived_text()
            article.save_base(raw=False)
            created.append(article)
        ArticleTopic.objects.bulk_create(
            ArticleTopic(article=article, topic=topic)
            for number, article in enumerate(created)
            for topic in {topics[number % len(topics)], topics[(number * 7) % len(topics)]}
        )
        articles_index_update([article.pk for article in created])
        index.numchild += N_ARTICLES
        index.save(update_fields=["numchild"])


def fill_forum():
    """A category per topic and language, threads, and one long thread (the one measured)."""
    from counseling.forum import services
    from counseling.forum.models import Category, ForumProfile, Post, PostStatus, Thread
    from hub.models import User
    from hub.topics import Topic

    now = timezone.now()
    youths = User.objects.bulk_create(
        [User(username=f"bench_poster{n}", password="!") for n in range(300)]  # noqa: S106 - unusable
    )
    ForumProfile.objects.bulk_create(
        ForumProfile(user=user, pseudonym=f"poster{n}", published_posts=5) for n, user in enumerate(youths)
    )
    existing = set(Category.objects.values_list("topic", "language"))
    Category.objects.bulk_create(
        Category(topic=topic, language=code)
        for code in LANGUAGES
        for topic in Topic.values
        if (topic, code) not in existing
    )
    categories = list(Category.objects.order_by("pk"))
    threads = Thread.objects.bulk_create(
        Thread(
            category=categories[n % len(categories)],
            title=f"Frage {n} zur Ausbildung",
            author=youths[n % len(youths)],
            status=PostStatus.PUBLISHED,
            last_post_at=now,
        )
        for n in range(N_THREADS)
    )
    big = threads[0]
    posts = [
        Post(
            thread=t,
            author=t.author,
            body="Hallo, ich habe eine Frage. " * 8,
            is_opening=True,
            status=PostStatus.PUBLISHED,
            published_at=now,
        )
        for t in threads
    ]
    posts += [
        Post(
            thread=big,
            author=youths[n % len(youths)],
            body="Eine Antwort mit etwas Text. " * 10,
            status=PostStatus.PUBLISHED,
            published_at=now,
            is_counselor_answer=n % 9 == 0,
        )
        for n in range(N_REPLIES)
    ]
    Post.objects.bulk_create(posts, batch_size=2_000)
    services.thread_refresh(big)
    return big


def fill():
    from counseling.forum.models import Thread

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if REUSE:
        print(f"fill: {BENCH_DB} holds this fill already; reusing it (drop the database to refill)")
        return Thread.objects.order_by("-reply_count").first()
    logging.disable(logging.INFO)  # Wagtail's tasks log every page the demo data creates
    fill_demo()
    fill_long_case()
    fill_sites()
    fill_articles()
    big = fill_forum()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    logging.disable(logging.NOTSET)
    mark_filled(URL, FINGERPRINT)
    from knowledge.models import ArticlePage
    from sites.models import Site

    print(
        f"fill: demo data, {Site.objects.count()} sites, {ArticlePage.objects.count()} articles x "
        f"{len(LANGUAGES)} languages, a thread of {N_REPLIES:,} replies "
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    return big


# --- The pages ------------------------------------------------------------------------------------------


def pages(big_thread) -> list[tuple[str, str, str]]:
    """(label, path, cookie) for the bare view and every youth page."""
    from counseling.models import Case
    from hub.models import User
    from knowledge.models import ArticlePage

    youth = User.objects.get(username="demo_youth")
    case = Case.objects.filter(youth=youth).first()
    article = ArticlePage.objects.live().filter(slug_de="bench-artikel-1").first()
    cookie = session_cookie(youth)
    long_youth = User.objects.get(username="bench_youth_long")
    long_case = Case.objects.get(youth=long_youth)
    long_cookie = session_cookie(long_youth)
    return [
        ("start page", "/de/", ""),
        ("ask (signup form)", "/de/ask/", ""),
        ("chat entry", "/de/chat/", ""),
        ("knowledge article", article.reader_url("de"), ""),
        ("knowledge search", "/de/knowledge/?q=Wohnung", ""),
        ("forum list", "/de/forum/", ""),
        ("forum thread (long)", f"/de/forum/t/{big_thread.pk}/", ""),
        ("site finder, postcode", "/de/sites/?q=10115", ""),
        ("own case page (youth)", f"/de/cases/{case.public_id}/", cookie),
        (
            f"own case of {LONG_CASE_MESSAGES} messages (youth)",
            f"/de/cases/{long_case.public_id}/",
            long_cookie,
        ),
        ("own case list (youth)", "/de/cases/", cookie),
        ("account start (youth)", "/de/me/", cookie),
    ]


def main() -> None:
    big = fill()
    targets = pages(big)
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    connection.close()
    static = Path(tempfile.mkdtemp(prefix="jmd-static-"))
    collect_static(ENV, static)
    command = dockerfile_command()
    command[command.index("hub.asgi:application")] = "bench.support.bare_view:application"
    print("server:", " ".join(command), "(the Dockerfile's; app with the bare view, port and bind swapped)")
    server = ProductionServer(
        command, {**ENV, "STATIC_ROOT": str(static)}, static / "server.log", startup_timeout=600
    )
    print(
        f"\n{'page':<26}{'c1 r/s':>8}{'p50':>7}{'p95':>7}{'bare':>8}{'ratio':>7}"
        f"{'c10 r/s':>9}{'p50':>7}{'p95':>7}{'bare':>8}{'ratio':>7}{'cpu':>6}{'bare':>6}  load avg"
    )
    try:
        for label, path, cookie in targets:
            if ONLY and label not in ONLY:
                continue
            try:
                row = paired(server.url + path, server.url + "/bench-bare/", cookie)
            except Exception as exc:  # noqa: BLE001 - one failed page does not hide the others
                print(f"{label:<26}FAILED {exc}\n{server.log()[-2000:]}")
                continue
            (one, rate1, bare1), (many, rate10, bare10), (cpu, bare_cpu) = row
            print(
                f"{label:<26}{rate1:>8.1f}{statistics.median(one):>7.1f}{p95(one):>7.1f}{bare1:>8.1f}"
                f"{rate1 / bare1:>6.2f}x{rate10:>9.1f}{statistics.median(many):>7.1f}{p95(many):>7.1f}"
                f"{bare10:>8.1f}{rate10 / bare10:>6.2f}x{cpu:>6.2f}{bare_cpu:>6.2f}  {load()}",
                flush=True,
            )
    finally:
        server.stop()
    print(
        f"(r/s: requests per second; ms; c1: {RUNS} requests one after another; c10: 10 clients x "
        f"{CROWD_RUNS}; bare: the bare view with the same session (none, or the youth's), measured in "
        f"{ROUNDS} rounds alternating with the page, so both meet the same load; ratio: page r/s over "
        f"bare r/s; cpu, bare: median server CPU ms per request of the page and of the bare view, from "
        f"Server-Timing (the request's own thread; the figure to compare on a busy machine); load average "
        f"of {os.cpu_count()} cores at the time)"
    )


def paired(page_url: str, bare_url: str, cookie: str):
    """The page and the bare view in alternating rounds (a shared machine's load drifts within seconds):
    ((latencies, r/s, bare r/s) at concurrency 1, the same at 10, (median server CPU ms of the page, of
    the bare view)). The CPU ms come from each response's Server-Timing (bench/support/server_timing.py):
    unlike r/s, a busy machine hardly moves them."""
    results = {key: ([], 0.0) for key in ("page1", "bare1", "page10", "bare10")}

    def add(key, timings, rate):
        latencies, seconds = results[key]
        results[key] = (latencies + timings, seconds + len(timings) / rate)

    for _ in range(ROUNDS):
        for key, url in (("bare1", bare_url), ("page1", page_url)):
            add(key, *serial(url, cookie, runs=RUNS // ROUNDS, read=_with_cpu))
        for key, url in (("bare10", bare_url), ("page10", page_url)):
            add(key, *crowd(url, cookie, runs=max(CROWD_RUNS // ROUNDS, 1), read=_with_cpu))

    def rate(key):
        latencies, seconds = results[key]
        return len(latencies) / seconds

    def column(key, index):
        return [timing[index] for timing in results[key][0]]

    def cpu(*keys):
        return statistics.median([ms for key in keys for ms in column(key, 1)])

    return (
        (column("page1", 0), rate("page1"), rate("bare1")),
        (column("page10", 0), rate("page10"), rate("bare10")),
        (cpu("page1", "page10"), cpu("bare1", "bare10")),
    )


def _with_cpu(elapsed: float, response) -> tuple[float, float]:
    return elapsed, server_times(response.headers.get("Server-Timing", "")).get("cpu", 0.0)


if __name__ == "__main__":
    main()
