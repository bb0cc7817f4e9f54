"""The retention purge at scale: 1,000,000 sealed messages in 100,000 closed cases, all due, purged.

Fills a separate PostgreSQL database (jmd_hub_bench_purge, next to the one in DATABASE_URL; dev data is
never touched) with COPY: every case gets its own wrapped data key and its messages are really sealed
with it (AES-256-GCM, as the services do), one case in ten has an attachment. Then it runs the same
purge the nightly job runs (hub.retention.retention_run, batches of 500 cases) and prints the wall time,
rows per second and the process memory (RSS sampled every 50 ms: before, peak, after) – a flat line
means memory does not grow with the backlog. The database is rebuilt on every run (the purge empties it).

Run: make bench   (or: eval "$(scripts/services)" && .venv/bin/python bench/purge.py)
Quick run: BENCH_PURGE_CASES=5000 .venv/bin/python bench/purge.py
Environment: BENCH_PURGE_CASES (100000), BENCH_PURGE_MESSAGES_PER_CASE (10), BENCH_PURGE_BATCH (500).
"""

import os
import sys
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings_test")

BENCH_DB = "jmd_hub_bench_purge"
N_CASES = int(os.environ.get("BENCH_PURGE_CASES", 100_000))
PER_CASE = int(os.environ.get("BENCH_PURGE_MESSAGES_PER_CASE", 10))
BATCH = int(os.environ.get("BENCH_PURGE_BATCH", 500))


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    def __init__(self, interval=0.05):
        super().__init__(daemon=True)
        self.interval, self.samples, self.running = interval, [], True

    def run(self):
        while self.running:
            self.samples.append(rss_kib())
            time.sleep(self.interval)

    def stop(self):
        self.running = False
        self.join()
        self.samples.append(rss_kib())


def bench_url() -> str | None:
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in {"postgres", "postgresql"}:
        return None
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


URL = bench_url()
if URL is None:
    print("bench/purge.py needs PostgreSQL in DATABASE_URL: run it with `make bench`.")
    sys.exit(0)

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

with psycopg.connect(urlunsplit(urlsplit(URL)._replace(path="/postgres")), autocommit=True) as conn:
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB)))
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
os.environ["DATABASE_URL"] = URL

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from counseling.models import Attachment, Case, Message  # noqa: E402
from hub import crypto  # noqa: E402
from hub.models import User  # noqa: E402
from hub.retention import retention_run  # noqa: E402


def fill() -> None:
    youth = User.objects.create(username="bench_youth", password="!")  # noqa: S106 - an unusable password
    closed = timezone.now() - timedelta(days=400)
    body = ("Hallo, ich habe eine Frage zu meinem Aufenthaltstitel und zur Anerkennung. " * 3).encode()
    attachment = os.urandom(2048)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('counseling_case', 'id'))")
        first_case = cursor.fetchone()[0]
    raw = connection.connection
    message_id = 1
    with raw.cursor() as cur:
        with cur.copy(
            "COPY counseling_case (id, public_id, youth_id, topic, language, postcode, status, wrapped_key,"
            " created_at, last_message_at, closed_at) FROM STDIN"
        ) as copy:
            keys = []
            for n in range(N_CASES):
                data_key = crypto.new_data_key()
                keys.append(data_key)
                wrapped = crypto.wrap(data_key)
                row = (first_case + n, uuid.uuid4(), youth.pk, "work", "de", "", "closed", wrapped)
                copy.write_row((*row, closed, closed, closed))
        with cur.copy(
            "COPY counseling_message (id, case_id, from_staff, body_sealed, status, review_comment,"
            " created_at, published_at) FROM STDIN"
        ) as copy:
            for n in range(N_CASES):
                for m in range(PER_CASE):
                    sealed = crypto.seal(keys[n], body, context=f"message:{n}")
                    copy.write_row(
                        (message_id, first_case + n, m % 2 == 1, sealed, "published", "", closed, closed)
                    )
                    message_id += 1
        with cur.copy(
            "COPY counseling_attachment (public_id, message_id, name_sealed, content_type, size, data_sealed,"
            " created_at) FROM STDIN"
        ) as copy:
            for n in range(0, N_CASES, 10):
                sealed = crypto.seal(keys[n], attachment, context=f"attachment:{n}")
                copy.write_row(
                    (uuid.uuid4(), n * PER_CASE + 1, b"name", "application/pdf", 2048, sealed, closed)
                )
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('counseling_case', 'id'), %s)", [first_case + N_CASES]
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('counseling_message', 'id'), %s)", [message_id])
        cur.execute("ANALYZE")
    raw.commit()


started = time.perf_counter()
call_command("migrate", "--noinput", verbosity=0)
print(f"schema: {time.perf_counter() - started:.1f} s")
started = time.perf_counter()
fill()
print(
    f"fill: {Case.objects.count():,} cases, {Message.objects.count():,} sealed messages,"
    f" {Attachment.objects.count():,} attachments in {time.perf_counter() - started:.1f} s"
)

connection.close()
sampler = RssSampler()
before = rss_kib()
sampler.start()
started = time.perf_counter()
run = retention_run(trigger="bench", keys=["closed_cases"], batch_size=BATCH)
elapsed = time.perf_counter() - started
sampler.stop()
left = (Case.objects.count(), Message.objects.count(), Attachment.objects.count())
peak, after = max(sampler.samples), sampler.samples[-1]
quarter = len(sampler.samples) // 4 or 1
early, late = max(sampler.samples[:quarter]), max(sampler.samples[-quarter:])
print(
    f"purge: {run.counts['closed_cases']:,} cases with {N_CASES * PER_CASE:,} messages in {elapsed:.1f} s"
    f" ({N_CASES * PER_CASE / elapsed:,.0f} messages/s, batches of {BATCH} cases)"
)
print(
    f"memory (RSS): before {before / 1024:.0f} MiB, peak {peak / 1024:.0f} MiB"
    f" (+{(peak - before) / 1024:.1f}),"
    f" after {after / 1024:.0f} MiB; peak in first quarter {early / 1024:.0f} MiB, last quarter"
    f" {late / 1024:.0f} MiB"
)
print(f"left after the purge: {left[0]} cases, {left[1]} messages, {left[2]} attachments; run {run.status}")
print(
    "target: under 120 s, memory flat –", "met" if elapsed < 120 and late - early < 20 * 1024 else "NOT met"
)
