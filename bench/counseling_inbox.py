"""Mail counseling at scale: server time of the staff inbox, the case page and the youth thread.

Fills a separate PostgreSQL database (jmd_hub_bench, next to the one in DATABASE_URL, so dev data is
never touched) with 50,000 cases and 500,000 sealed messages, then prints per page the median and p95
server time over 30 requests, the SQL queries per request and the gzip-compressed HTML size.

The fill is kept between runs: a re-run only measures, unless the size, the fill code or a migration
changed (a fingerprint stored as the database's comment says which fill it holds).

Run: make bench   (or: eval "$(scripts/services)" && .venv/bin/python bench/counseling_inbox.py)
Quick run: BENCH_CASES=2000 .venv/bin/python bench/counseling_inbox.py
Environment: BENCH_CASES, BENCH_MESSAGES_PER_CASE, BENCH_EXPLAIN=1 (EXPLAIN ANALYZE of each page's
slowest query), BENCH_KEEP_FILL=1 (keep a complete fill made before a migration, e.g. one adding an
index, instead of filling again: 16 minutes on a busy 2-core machine).
"""

import contextlib
import gzip
import hashlib
import io
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings_test")

BENCH_DB = "jmd_hub_bench"
N_CASES = int(os.environ.get("BENCH_CASES", 50_000))
MESSAGES_PER_CASE = max(1, int(os.environ.get("BENCH_MESSAGES_PER_CASE", 10)))
# 20,000 young people for 50,000 cases: most ask once or twice, some come back often.
N_YOUTH = max(N_CASES * 2 // 5, 10)
N_COUNSELORS = 40
N_SITES = 8
BATCH = 5_000
WARMUPS, RUNS = 3, 30
ROTATING_CASES = 5
# Bump when the fill below changes, so that an old fill is rebuilt instead of measured.
FILL_VERSION = 3
# A few open cases of the bench user with a long history on top of their ten messages (a chat continued
# as a mail thread, a young person who has written for years): the case page must not grow with them.
LONG_HISTORIES = (90, 490, 1990)
SEED = 20_240_601


# --- The bench database (before django.setup(): settings read DATABASE_URL once) --------------------


def bench_database_url() -> str | None:
    """DATABASE_URL with the database name swapped for BENCH_DB; None when it is not PostgreSQL."""
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in {"postgres", "postgresql"}:
        return None
    return urlunsplit(parts._replace(path=f"/{BENCH_DB}"))


def fingerprint() -> str:
    """What the fill depends on: its size, this script's fill version and every migration of the repo."""
    digest = hashlib.sha256(f"{FILL_VERSION}:{N_CASES}:{MESSAGES_PER_CASE}".encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def maintenance_connection(url: str):
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def ensure_database(url: str) -> bool:
    """Create the bench database if missing; recreate it when it holds another fill (or a half one).
    Returns whether the stored fingerprint matches, i.e. the data may be reused."""
    with maintenance_connection(url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [BENCH_DB]
        ).fetchone()
    if row is not None and row[0] == fingerprint():
        return True
    if row is not None and row[0] and os.environ.get("BENCH_KEEP_FILL"):
        # A complete fill under an older schema: migrate applies what changed (say, a new index).
        print(f"{BENCH_DB}: filled under another schema; kept (BENCH_KEEP_FILL), migrating it")
        return True
    if row is not None:
        print(f"{BENCH_DB}: holds another size, fill or schema, or an interrupted fill; recreating it")
    recreate_database(url)
    return False


def recreate_database(url: str) -> None:
    """An empty database is faster than deleting 50,000 cases row by row through the ORM."""
    from psycopg import sql

    with maintenance_connection(url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(BENCH_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))


def mark_filled(url: str) -> None:
    from psycopg import sql

    statement = sql.SQL("COMMENT ON DATABASE {} IS {}")
    with maintenance_connection(url) as conn:
        conn.execute(statement.format(sql.Identifier(BENCH_DB), sql.Literal(fingerprint())))


URL = bench_database_url()
if URL is None:
    print("bench/counseling_inbox.py needs PostgreSQL in DATABASE_URL: run it with `make bench`.")
    sys.exit(0)
REUSABLE = ensure_database(URL)
os.environ["DATABASE_URL"] = URL

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from counseling import sealing  # noqa: E402
from counseling.models import (  # noqa: E402
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    CounselorProfile,
    InternalNote,
    Label,
    Message,
)
from hub.models import User  # noqa: E402
from hub.roles import Role  # noqa: E402
from hub.services import role_grant  # noqa: E402
from hub.topics import Topic  # noqa: E402
from sites.models import ProviderGroup, Site  # noqa: E402
from sites.services import site_counselor_grant  # noqa: E402

# --- What the fill looks like ---------------------------------------------------------------------------

# Most cases of a year-old service are closed; the inbox only lists the open ones.
STATUS_WEIGHTS = {CaseStatus.CLOSED: 70, CaseStatus.WAITING: 12, CaseStatus.OPEN: 10, CaseStatus.NEW: 8}
QUEUED_SHARE_OF_NEW = 0.25  # new cases nobody could take yet: the shared queue
LANGUAGES = ["de", "ar", "tr", "ru", "uk", "en", "fr", "sq"]
TOPICS = list(Topic.values)
LABELS = ["Dolmetschen", "Rückruf", "Dringend", "Kooperation", "Wiedervorlage", "Unterlagen fehlen"]
SITES = [
    ("Berlin", "BE", "10115", "52.520000", "13.405000"),
    ("Hamburg", "HH", "20095", "53.550000", "10.000000"),
    ("München", "BY", "80331", "48.137000", "11.575000"),
    ("Köln", "NW", "50667", "50.937000", "6.960000"),
    ("Leipzig", "SN", "04109", "51.339000", "12.373000"),
    ("Stuttgart", "BW", "70173", "48.775000", "9.182000"),
    ("Bremen", "HB", "28195", "53.079000", "8.801000"),
    ("Erfurt", "TH", "99084", "50.978000", "11.029000"),
]
# Message bodies: two to twelve of these sentences (about 50 to 800 characters) in the case's language.
SENTENCES = {
    "de": [
        "Hallo, ich habe eine Frage zu meinem Aufenthaltstitel.",
        "Mein Sprachkurs endet im nächsten Monat und ich weiß nicht, wie es weitergeht.",
        "Danke für deine schnelle Antwort, das hilft mir sehr.",
        "Kannst du mir sagen, welche Unterlagen ich für die Anerkennung brauche?",
        "Ich suche eine Ausbildung als Pflegefachkraft in meiner Stadt.",
        "Das Jobcenter hat meinen Antrag noch nicht bearbeitet.",
    ],
    "ar": ["مرحبا، عندي سؤال عن الإقامة.", "شكرا على ردك السريع.", "أبحث عن دورة لغة ألمانية في مدينتي."],
    "tr": [
        "Merhaba, oturma iznim hakkında bir sorum var.",
        "Hızlı cevabın için teşekkürler.",
        "Kurs arıyorum.",
    ],
    "ru": ["Здравствуйте, у меня вопрос о виде на жительство.", "Спасибо за быстрый ответ.", "Ищу курсы."],
    "uk": [
        "Добрий день, маю питання щодо дозволу на проживання.",
        "Дякую за швидку відповідь.",
        "Шукаю курси.",
    ],
    "en": [
        "Hello, I have a question about my residence permit.",
        "Thanks for the quick answer.",
        "I need a course.",
    ],
    "fr": [
        "Bonjour, j'ai une question sur mon titre de séjour.",
        "Merci pour ta réponse.",
        "Je cherche un cours.",
    ],
    "sq": [
        "Përshëndetje, kam një pyetje për lejen e qëndrimit.",
        "Faleminderit për përgjigjen.",
        "Kërkoj një kurs.",
    ],
}


@dataclass
class Counselor:
    pk: int
    languages: list[str]
    site_ids: list[int]
    weight: float


@dataclass
class People:
    counselors: list[Counselor]
    youth_ids: list[int]
    site_ids: list[int]
    label_ids: list[int]


# --- Fill ------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def keep_given_created_at():
    """bulk_create would stamp every row with now (auto_now_add); the bench needs a year of history."""
    fields = [model._meta.get_field("created_at") for model in (Case, Message, CaseEvent, InternalNote)]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def is_filled() -> bool:
    messages = N_CASES * MESSAGES_PER_CASE + sum(LONG_HISTORIES)
    return Case.objects.count() == N_CASES and Message.objects.count() == messages


def make_sites() -> list[int]:
    group, _ = ProviderGroup.objects.get_or_create(
        short_name="BENCH", defaults={"name": "Bench-Träger e. V."}
    )
    sites = [
        Site(
            name=f"JMD {town}",
            slug=f"bench-{town.lower()}",
            provider_group=group,
            street="Hauptstraße 1",
            postcode=postcode,
            town=town,
            federal_state=state,
            latitude=lat,
            longitude=lon,
            languages=LANGUAGES[:4],
        )
        for town, state, postcode, lat, lon in SITES[:N_SITES]
    ]
    return [site.pk for site in Site.objects.bulk_create(sites)]


def make_counselors(rng: random.Random, site_ids: list[int]) -> list[Counselor]:
    """German plus one to three other languages; one home site, a quarter also help out at a second.
    Weights are skewed so that some counselors carry far more cases than others (the busiest one is
    the bench user)."""
    users = User.objects.bulk_create(
        User(
            username=f"bench_counselor_{i:02d}",
            display_name=f"Beraterin {i}",
            is_staff=True,
            password=make_password(None),
        )
        for i in range(N_COUNSELORS)
    )
    counselors = []
    for i, user in enumerate(users):
        role_grant(user=user, role=Role.COUNSELOR)
        languages = ["de", *rng.sample(LANGUAGES[1:], rng.randint(1, 3))]
        CounselorProfile.objects.create(user=user, languages=languages, capacity=25)
        sites = [site_ids[i % len(site_ids)]]
        if rng.random() < 0.25:
            sites.append(rng.choice(site_ids))
        for site in Site.objects.filter(pk__in=sites):
            site_counselor_grant(user=user, site=site)
        counselors.append(Counselor(user.pk, languages, sorted(set(sites)), 1 / (i + 1) ** 0.5))
    return counselors


def make_youth() -> list[int]:
    """Young people in bulk: an unusable password (nobody signs in as them; hashing would take minutes)."""
    group, _ = Group.objects.get_or_create(name=Role.YOUTH)
    ids = []
    for start in range(0, N_YOUTH, BATCH):
        users = User.objects.bulk_create(
            User(username=f"bench_youth_{i:05d}", password=make_password(None))
            for i in range(start, min(start + BATCH, N_YOUTH))
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
        )
        ids += [user.pk for user in users]
    return ids


def make_people(rng: random.Random) -> People:
    site_ids = make_sites()
    counselors = make_counselors(rng, site_ids)
    youth_ids = make_youth()
    labels = Label.objects.bulk_create(Label(name=name) for name in LABELS)
    return People(counselors, youth_ids, site_ids, [label.pk for label in labels])


def message_plan(rng: random.Random, status: str, now) -> list[tuple]:
    """(time, from_staff) of the case's messages, oldest first. Open cases end within the last four days,
    so their 48-hour answer clocks fall on both sides of now (some overdue, some not yet)."""
    if status == CaseStatus.CLOSED:
        first = now - timedelta(days=rng.uniform(8, 365))
        last = first + timedelta(days=rng.uniform(0.5, 7))
    else:
        last = now - timedelta(hours=rng.uniform(0.2, 96))
        # Ten unanswered messages of a new case came in a burst; an ongoing case runs for weeks.
        first = last - timedelta(days=rng.uniform(0.1, 1 if status == CaseStatus.NEW else 21))
    middle = sorted(first + (last - first) * rng.random() for _ in range(MESSAGES_PER_CASE - 2))
    times = [first, *middle, last][:MESSAGES_PER_CASE]
    staff = [i % 2 == 1 for i in range(len(times))]  # the young person writes first, then turns
    if status == CaseStatus.NEW:
        staff = [False] * len(times)  # nobody has answered yet
    elif status == CaseStatus.OPEN and len(staff) > 1:
        staff[-2:] = [True, False]  # answered, then the young person wrote again: the clock runs anew
    elif status == CaseStatus.WAITING:
        staff[-1] = True
    return list(zip(times, staff, strict=True))


def set_clock(case: Case, plan: list[tuple], now) -> None:
    """The answer clock as services._start_clock sets it, without weekends (only the spread matters)."""
    staff_times = [at for at, from_staff in plan if from_staff]
    case.answered_at = staff_times[0] if staff_times else None
    case.last_message_at = plan[-1][0]
    if case.status in (CaseStatus.NEW, CaseStatus.OPEN):
        answered = staff_times[-1] if staff_times else None
        # The clock runs from the young person's first message after the last answer.
        waiting_since = next(at for at, staff in plan if not staff and (answered is None or at > answered))
        case.remind_at = waiting_since + timedelta(hours=24)
        case.escalate_at = waiting_since + timedelta(hours=40)
        case.answer_due_at = waiting_since + timedelta(hours=48)
        case.reminded_at = case.remind_at if case.remind_at < now else None
        case.escalated_at = case.escalate_at if case.escalate_at < now else None


def build_case(rng: random.Random, people: People, now) -> tuple[Case, list[tuple]]:
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    queued = status == CaseStatus.NEW and rng.random() < QUEUED_SHARE_OF_NEW
    weights = [c.weight for c in people.counselors]
    counselor = None if queued else rng.choices(people.counselors, weights=weights)[0]
    if counselor:
        language = "de" if rng.random() < 0.4 else rng.choice(counselor.languages)
        site_id = rng.choice(counselor.site_ids) if rng.random() < 0.75 else None
    else:
        language = rng.choice(LANGUAGES)
        site_id = rng.choice(people.site_ids) if rng.random() < 0.5 else None
    plan = message_plan(rng, status, now)
    case = Case(
        youth_id=rng.choice(people.youth_ids),
        topic=rng.choice(TOPICS),
        language=language,
        site_id=site_id,
        postcode=f"{rng.randint(1000, 99999):05d}",
        status=status,
        counselor_id=counselor.pk if counselor else None,
        wrapped_key=sealing.new_wrapped_key(),
        created_at=plan[0][0],
    )
    set_clock(case, plan, now)
    return case, plan


def body(rng: random.Random, language: str) -> str:
    sentences = SENTENCES[language]
    return " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 12)))


def build_messages(rng: random.Random, case: Case, plan: list[tuple]) -> list[Message]:
    return [
        Message(
            case=case,
            author_id=case.counselor_id if from_staff else case.youth_id,
            from_staff=from_staff,
            body_sealed=sealing.seal(case, body(rng, case.language), purpose="message"),
            created_at=at,
            published_at=at,
        )
        for at, from_staff in plan
    ]


def build_extras(
    rng: random.Random, case: Case, plan: list[tuple], people: People
) -> tuple[list, list, list]:
    """Events (assigned or queued, closed), an internal note on one case in ten, a label on one in five."""
    first, last = plan[0][0], plan[-1][0]
    Kind = CaseEvent.Kind
    if case.counselor_id:
        events = [
            CaseEvent(
                case=case,
                kind=Kind.ASSIGNED,
                counselor_id=case.counselor_id,
                site_id=case.site_id,
                created_at=first,
            )
        ]
    else:
        events = [CaseEvent(case=case, kind=Kind.QUEUED, created_at=first)]
    if case.status == CaseStatus.CLOSED:
        closed = CaseEvent(
            case=case, kind=Kind.STATUS, actor_id=case.counselor_id, status="closed", created_at=last
        )
        events.append(closed)
    notes = []
    if case.counselor_id and rng.random() < 0.1:
        sealed = sealing.seal(case, "Rückruf vereinbart, Unterlagen angefragt.", purpose="note")
        notes.append(
            InternalNote(case=case, author_id=case.counselor_id, body_sealed=sealed, created_at=last)
        )
    labels = []
    if rng.random() < 0.2:
        labels.append(Case.labels.through(case_id=case.pk, label_id=rng.choice(people.label_ids)))
    return events, notes, labels


def fill_chunk(rng: random.Random, people: People, count: int, now) -> int:
    """One chunk of cases with everything that belongs to them; returns the rows written."""
    built = [build_case(rng, people, now) for _ in range(count)]
    Case.objects.bulk_create([case for case, _ in built], batch_size=BATCH)
    messages, events, notes, labels = [], [], [], []
    for case, plan in built:
        messages += build_messages(rng, case, plan)
        more_events, more_notes, more_labels = build_extras(rng, case, plan, people)
        events += more_events
        notes += more_notes
        labels += more_labels
    Message.objects.bulk_create(messages, batch_size=BATCH)
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)
    InternalNote.objects.bulk_create(notes, batch_size=BATCH)
    Case.labels.through.objects.bulk_create(labels, batch_size=BATCH)
    return count + len(messages) + len(events) + len(notes) + len(labels)


def long_history_cases() -> list[Case]:
    """The bench user's open cases that got a long history, shortest first."""
    return list(
        Case.objects.annotate(n=Count("messages"))
        .filter(n__gt=MESSAGES_PER_CASE)
        .select_related("youth")
        .order_by("n")[: len(LONG_HISTORIES)]
    )


def add_long_histories(rng: random.Random) -> int:
    """Older messages (and a note every 50, an event every 100) before the first ones of a few open
    cases of the busiest counselor; returns the rows written."""
    busiest = (
        Case.objects.filter(status__in=OPEN_STATUSES, counselor__isnull=False)
        .values("counselor")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["counselor"]
    )
    cases = Case.objects.filter(counselor_id=busiest, status__in=OPEN_STATUSES, youth__isnull=False)
    rows = 0
    for case, extra in zip(cases.order_by("pk")[: len(LONG_HISTORIES)], LONG_HISTORIES, strict=False):
        start = case.created_at - timedelta(days=60)
        step = timedelta(days=60) / extra
        plan = [(start + step * i, i % 2 == 1) for i in range(extra)]
        Message.objects.bulk_create(build_messages(rng, case, plan), batch_size=BATCH)
        sealed = sealing.seal(case, "Gespräch zusammengefasst.", purpose="note")
        InternalNote.objects.bulk_create(
            InternalNote(case=case, author_id=case.counselor_id, body_sealed=sealed, created_at=at)
            for at, _ in plan[::50]
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(case=case, kind=CaseEvent.Kind.REMINDED, created_at=at) for at, _ in plan[::100]
        )
        rows += extra + len(plan[::50]) + len(plan[::100])
    print(f"fill: long histories of {', '.join(str(n + MESSAGES_PER_CASE) for n in LONG_HISTORIES)} messages")
    return rows


def fill() -> None:
    rng = random.Random(SEED)  # noqa: S311 - test data, reproducible on purpose
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        people = make_people(rng)
    rows = N_COUNSELORS + N_YOUTH
    took = time.perf_counter() - started
    print(f"fill: {N_COUNSELORS} counselors, {N_YOUTH:,} young people, {N_SITES} sites ({took:.1f} s)")
    with keep_given_created_at():
        for done in range(0, N_CASES, BATCH):
            count = min(BATCH, N_CASES - done)
            with transaction.atomic():  # a chunk at a time: an interrupted fill shows in the counts
                rows += fill_chunk(rng, people, count, now)
            elapsed = time.perf_counter() - started
            cases = done + count
            print(
                f"fill: {cases:>7,}/{N_CASES:,} cases, {cases * MESSAGES_PER_CASE:>9,} messages"
                f"  {elapsed:6.1f} s  {rows / elapsed:>8,.0f} rows/s",
                flush=True,
            )
        rows += add_long_histories(rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have them in production
    elapsed = time.perf_counter() - started
    print(f"fill: {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")


# --- Measure ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    page: str
    median: float = 0.0
    p95: float = 0.0
    queries: int = 0
    sql_ms: float = 0.0
    gzip_kb: float = 0.0
    slowest_ms: float = 0.0
    slowest_sql: str = ""
    error: str = ""


def bench_user() -> User:
    """The counselor with the most open cases, with TOTP set up (the staff area demands it) and a site."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from counseling.access import staff_site_ids
    from hub.mfa import user_has_totp

    busiest = (
        Case.objects.filter(status__in=OPEN_STATUSES, counselor__isnull=False)
        .values("counselor")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    user = User.objects.get(pk=busiest["counselor"])
    if not user_has_totp(user):
        TOTP.activate(user, generate_totp_secret())
    if not staff_site_ids(user):
        site_counselor_grant(user=user, site=Site.objects.first())
    return user


def sample_cases(user: User) -> list[Case]:
    """Open cases of the bench user with a young person and the full number of messages."""
    return list(
        Case.objects.filter(counselor=user, status__in=OPEN_STATUSES, youth__isnull=False)
        .annotate(n=Count("messages"))
        .filter(n=MESSAGES_PER_CASE)
        .select_related("youth")
        .order_by("pk")[:ROTATING_CASES]
    )


def client_for(user: User) -> Client:
    # Browsers ask for gzip and the GZipMiddleware compresses: part of the server time.
    client = Client(headers={"accept-encoding": "gzip"})
    client.force_login(user)
    return client


def html_of(response) -> bytes:
    content = response.content
    return gzip.decompress(content) if response.get("Content-Encoding") == "gzip" else content


def check(response) -> str:
    """'' for a 200; otherwise what went wrong, with the start of the body to debug it."""
    if response.status_code == 200:
        return ""
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    return f"status {response.status_code}{where}: {html_of(response)[:500].decode(errors='replace')}"


def measure(page: str, targets: list[tuple[Client, str]]) -> Row:
    """One page's row; a view that raises (the test client re-raises) becomes a failed row, not a crash."""
    if not targets:
        return Row(page, error=f"the bench user has no open case with {MESSAGES_PER_CASE} messages")
    try:
        return timed(page, targets)
    except Exception as exc:  # noqa: BLE001 - report it with the other pages
        return Row(page, error=f"{type(exc).__name__}: {exc}")


def timed(page: str, targets: list[tuple[Client, str]]) -> Row:
    """Warm-ups, then timed requests rotating over the targets, then one request counting queries (the
    query capture itself costs time, so it stays out of the timed ones)."""
    for i in range(WARMUPS):
        client, path = targets[i % len(targets)]
        if error := check(client.get(path)):
            return Row(page, error=error)
    timings = []
    for i in range(RUNS):
        client, path = targets[i % len(targets)]
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        if error := check(response):
            return Row(page, error=error)
    row = Row(page, statistics.median(timings), statistics.quantiles(timings, n=100, method="inclusive")[94])
    client, path = targets[0]
    durations = []
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(stopwatch(durations)):
        response = client.get(path)
    row.queries, row.sql_ms = len(captured), sum(durations)
    row.gzip_kb = len(response.content) / 1024
    if durations:
        slowest = max(range(len(durations)), key=durations.__getitem__)
        row.slowest_ms, row.slowest_sql = durations[slowest], captured.captured_queries[slowest]["sql"]
    return row


def stopwatch(durations: list[float]):
    """Times every query to the microsecond (CaptureQueriesContext rounds to milliseconds); the SQL text,
    with its parameters filled in, comes from CaptureQueriesContext in the same order."""

    def wrapper(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            durations.append((time.perf_counter() - start) * 1000)

    return wrapper


def pages(user: User, cases: list[Case]) -> list[tuple[str, list[tuple[Client, str]]]]:
    staff = client_for(user)
    youth = {case.pk: client_for(case.youth) for case in cases}
    return [
        ("inbox ?box=mine", [(staff, "/de/staff/cases/?box=mine")]),
        ("inbox ?box=team", [(staff, "/de/staff/cases/?box=team")]),
        ("queue ?box=queue", [(staff, "/de/staff/cases/?box=queue")]),
        ("staff case page", [(staff, f"/de/staff/cases/{case.public_id}/") for case in cases]),
        ("youth thread page", [(youth[case.pk], f"/de/cases/{case.public_id}/") for case in cases]),
    ]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")  # noqa: S608 - our own captured query
        return "\n".join(line for (line,) in cursor.fetchall())


def describe(user: User) -> None:
    from counseling.access import cases_for_staff
    from counseling.routing import queued_cases

    languages = CounselorProfile.objects.get(user=user).languages
    mine = Case.objects.filter(counselor=user, status__in=OPEN_STATUSES).count()
    team = cases_for_staff(user).filter(status__in=OPEN_STATUSES).count()
    queue = queued_cases().filter(language__in=languages).count()
    print(f"data: {Case.objects.count():,} cases, {Message.objects.count():,} messages")
    print(
        f"bench user {user.username} ({', '.join(languages)}): {mine:,} open cases of their own, "
        f"{team:,} open in their team(s), {queue:,} queued in their languages"
    )


def report(rows: list[Row]) -> None:
    header = f"{'page':<20}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'SQL ms':>8}{'gzip KB':>9}"
    print(f"\n{header}{'slowest SQL ms':>16}")
    for row in rows:
        if row.error:
            print(f"{row.page:<20}  FAILED  {row.error}")
            continue
        print(
            f"{row.page:<20}{row.median:>11.1f}{row.p95:>9.1f}{row.queries:>9}{row.sql_ms:>8.1f}{row.gzip_kb:>9.1f}"
            f"{row.slowest_ms:>16.1f}"
        )
    print(
        f"({RUNS} requests per page after {WARMUPS} warm-ups; case pages rotate over {ROTATING_CASES} cases)"
    )
    if os.environ.get("BENCH_EXPLAIN"):
        for row in rows:
            if row.slowest_sql:
                print(f"\n--- {row.page}: slowest query ({row.slowest_ms:.1f} ms)\n{row.slowest_sql}")
                print(explain(row.slowest_sql))


def urls_ready() -> bool:
    """The staff views are still being written in parallel; say so instead of a traceback per page."""
    from django.urls import get_resolver

    try:
        get_resolver().url_patterns  # noqa: B018 - imports every view module
    except Exception as exc:  # noqa: BLE001 - whatever breaks the URLconf, the bench cannot run
        print(f"URLconf does not load ({type(exc).__name__}: {exc}); are counseling/staff_views.py done?")
        return False
    return True


def migrate() -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("migrate", "--noinput", verbosity=0)


def main():
    migrate()
    if REUSABLE and is_filled():
        print(f"fill: {BENCH_DB} already holds {N_CASES:,} cases × {MESSAGES_PER_CASE} messages; reusing it")
        mark_filled(URL)  # migrated: after BENCH_KEEP_FILL it holds this schema now
    else:
        if Case.objects.exists():  # marked as filled, yet the counts differ: someone changed the data
            connection.close()
            recreate_database(URL)
            migrate()
        fill()
        mark_filled(URL)
    if not urls_ready():
        sys.exit(1)
    setup_test_environment()
    user = bench_user()
    describe(user)
    cases = sample_cases(user)
    report([measure(page, targets) for page, targets in pages(user, cases)])


if __name__ == "__main__":
    main()
