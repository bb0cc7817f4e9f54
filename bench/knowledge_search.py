"""Knowledge base at scale: server time of the search and the article page with many articles.

Builds a separate PostgreSQL database (jmd_hub_bench_knowledge, next to the one in DATABASE_URL, so dev
data is never touched) with BENCH_ARTICLES articles in German and English (a tenth internal, a tenth
also in Arabic), then prints per request the median and p95 server time over 30 runs and the SQL
queries per request.

Run: make bench   (or: eval "$(scripts/services)" && .venv/bin/python bench/knowledge_search.py)
Environment: BENCH_ARTICLES (default 5000)
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings_test")

BENCH_DB = "jmd_hub_bench_knowledge"
N_ARTICLES = int(os.environ.get("BENCH_ARTICLES", 5000))
WARMUPS, RUNS = 3, 30


def main() -> None:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in {"postgres", "postgresql"}:
        print("knowledge_search: needs DATABASE_URL on PostgreSQL (make bench starts one)")
        return
    import psycopg

    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}"')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DB}"))
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    fill()
    print(f"knowledge_search: {N_ARTICLES} articles filled in {time.perf_counter() - started:.0f} s")
    measure()


def fill() -> None:
    from django.db import connection

    from knowledge.models import ArticlePage, Audience
    from knowledge.tests.factories import article_create, articles_bulk

    article_create(
        title_de="Anerkennung ausländischer Abschlüsse",
        body_de="Dein Zeugnis aus dem Ausland kann gleichwertig sein.",
        translations={"ar": ("الاعتراف بالشهادات الأجنبية", "يمكن أن تكون شهادتك معادلة في ألمانيا.")},
    )
    internal = N_ARTICLES // 10
    articles_bulk(N_ARTICLES - internal - 1)
    articles_bulk(internal, audience=Audience.INTERNAL, start=N_ARTICLES)
    # A tenth also in Arabic, so the Arabic search has something to weigh.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE knowledge_articlepage SET search_text_ar = 'التدريب المهني والعمل' "
            "WHERE page_ptr_id % 10 = 0"
        )
    if ArticlePage.objects.count() != N_ARTICLES:
        raise SystemExit("knowledge_search: the fill is incomplete")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hub.roles import Role
    from hub.tests.factories import UserFactory
    from knowledge.models import ArticlePage

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(UserFactory(username="bench_youth", roles=[Role.YOUTH]))
    article = ArticlePage.objects.order_by("pk").first()
    requests = [
        ("article page", article.reader_url("de"), None),
        ("article, Arabic fallback", article.reader_url("ru"), None),
        ("search de 'anerkannt'", "/de/knowledge/", {"q": "anerkannt"}),
        ("search de 'Ausbildung' (many hits)", "/de/knowledge/", {"q": "Ausbildung"}),
        ("search ar 'شهادة'", "/ar/knowledge/", {"q": "شهادة"}),
        ("search en, no result", "/en/knowledge/", {"q": "kindergeld"}),
        ("latest list", "/de/knowledge/", None),
    ]
    print(f"{'request':<38} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url, params in requests:
        for _ in range(WARMUPS):
            client.get(url, params)
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"knowledge_search: {url} answered {response.status_code}")
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{label:<38} {statistics.median(times):>10.1f} {p95:>8.1f} {len(queries):>8}")


if __name__ == "__main__":
    main()
