"""Knowledge search at scale: server time of searches in several languages with 5,000 articles.

Builds a separate PostgreSQL database (jmd_hub_bench_knowledge, next to the one in DATABASE_URL, so dev
data is never touched) with BENCH_ARTICLES articles: every one in German, each other portal language in
about two of five (so the German fallback is searched too), a tenth internal; each language text has one
of ten topics and common filler, as real articles do. The stored search index is built once with
`manage.py knowledge_search_rebuild` (timed). Then it prints, per request, the median (p50) and p95
server time over BENCH_RUNS runs (in-process, Django's test client: no HTTP, no network) and the SQL
queries per request; the plan PostgreSQL picks for two searches (which index it reads, execution time);
the search function alone (its SQL and hits, without the page); and the load average (the machine is
shared, so read the figures with it). Target: search < 30 ms.

Run: make bench   (or: eval "$(scripts/services)" && .venv/bin/python bench/knowledge_search.py)
Environment: BENCH_ARTICLES (5000), BENCH_RUNS (30)
"""

import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings_test")

from bench.support.database import bench_database_url, recreate_database  # noqa: E402

BENCH_DB = "jmd_hub_bench_knowledge"
N_ARTICLES = int(os.environ.get("BENCH_ARTICLES", 5000))
RUNS = int(os.environ.get("BENCH_RUNS", 30))
WARMUPS = 3
SEED = 18

# Per language: ten topics (one per article text) and filler sentences (three per text).
TOPICS = {
    "de": [
        "Eine Wohnung finden: Wohnungen vergleichen, Miete und Kaution",
        "Anerkennung ausländischer Abschlüsse und Zeugnisse",
        "Einen Ausbildungsplatz suchen und sich bewerben",
        "Deutschkurs und Integrationskurs besuchen",
        "Krankenversicherung abschließen und zum Arzt gehen",
        "Ein Bankkonto eröffnen",
        "Die Aufenthaltserlaubnis verlängern",
        "Studium in Deutschland beginnen",
        "Führerschein umschreiben lassen",
        "Ehrenamt und Freizeit in der Stadt",
    ],
    "en": [
        "Finding an apartment: comparing apartments, rent and deposit",
        "Recognition of foreign degrees and certificates",
        "Looking for an apprenticeship and applying",
        "German courses and integration courses",
        "Health insurance and seeing a doctor",
        "Opening a bank account",
        "Extending your residence permit",
        "Starting university in Germany",
        "Converting your driving licence",
        "Volunteering and free time in the city",
    ],
    "ar": [
        "البحث عن شقة: مقارنة الشقق والإيجار",
        "الاعتراف بالشهادات الأجنبية",
        "البحث عن تدريب مهني والتقديم",
        "دورات اللغة الألمانية ودورات الاندماج",
        "التأمين الصحي وزيارة الطبيب",
        "فتح حساب بنكي",
        "تمديد تصريح الإقامة",
        "بدء الدراسة الجامعية في ألمانيا",
        "تحويل رخصة القيادة",
        "العمل التطوعي ووقت الفراغ في المدينة",
    ],
    "ru": [
        "Как найти квартиру: сравнить квартиры, аренда и залог",
        "Признание иностранных дипломов и документов",
        "Поиск места обучения и заявление",
        "Курсы немецкого языка и интеграционные курсы",
        "Медицинская страховка и визит к врачу",
        "Открыть банковский счёт",
        "Продление вида на жительство",
        "Начать учёбу в университете",
        "Обмен водительских прав",
        "Волонтёрство и свободное время в городе",
    ],
    "tr": [
        "Ev bulmak: dairelerin karşılaştırılması, kira ve depozito",
        "Yabancı diplomaların denkliği",
        "Meslek eğitimi yeri aramak ve başvurmak",
        "Almanca kursları ve uyum kursları",
        "Sağlık sigortası ve doktora gitmek",
        "Banka hesabı açmak",
        "Oturma izninin uzatılması",
        "Almanya'da üniversiteye başlamak",
        "Ehliyetin değiştirilmesi",
        "Şehirde gönüllülük ve boş zaman",
    ],
    "sq": [
        "Si të gjesh një banesë: krahasimi i banesave dhe qiraja",
        "Njohja e diplomave të huaja",
        "Kërkimi i një vendi për formim profesional",
        "Kurse gjermanishteje dhe kurse integrimi",
        "Sigurimi shëndetësor dhe vizita te mjeku",
        "Hapja e një llogarie bankare",
        "Zgjatja e lejes së qëndrimit",
        "Fillimi i studimeve në Gjermani",
        "Këmbimi i patentës së shoferit",
        "Vullnetarizmi dhe koha e lirë në qytet",
    ],
    "uk": [
        "Як знайти квартиру: порівняти квартири, оренда і застава",
        "Визнання іноземних дипломів і документів",
        "Пошук місця навчання і заява",
        "Курси німецької мови та інтеграційні курси",
        "Медичне страхування і візит до лікаря",
        "Відкрити банківський рахунок",
        "Продовження посвідки на проживання",
        "Почати навчання в університеті",
        "Обмін водійського посвідчення",
        "Волонтерство і вільний час у місті",
    ],
    "fr": [
        "Trouver un logement : comparer les logements, loyer et caution",
        "Reconnaissance des diplômes étrangers",
        "Chercher une place d'apprentissage et postuler",
        "Cours d'allemand et cours d'intégration",
        "Assurance maladie et aller chez le médecin",
        "Ouvrir un compte bancaire",
        "Prolonger le titre de séjour",
        "Commencer des études en Allemagne",
        "Échanger le permis de conduire",
        "Bénévolat et temps libre en ville",
    ],
}
FILLER = {
    "de": [
        "Die Beratung hilft dir bei allen Fragen.",
        "Du kannst uns jederzeit anonym schreiben.",
        "Ausbildung und Arbeit sind für viele junge Menschen wichtig.",
        "Frag deine Beraterin oder deinen Berater vor Ort.",
        "Bring alle Unterlagen zum Termin mit.",
        "Das Amt antwortet meistens innerhalb von vier Wochen.",
    ],
    "en": [
        "Counselling helps you with every question.",
        "You can write to us anonymously at any time.",
        "Bring all your papers to the appointment.",
        "The office usually answers within four weeks.",
    ],
    "ar": [
        "الاستشارة تساعدك في كل الأسئلة.",
        "يمكنك أن تكتب لنا في أي وقت دون ذكر اسمك.",
        "أحضر كل الأوراق إلى الموعد.",
        "يرد المكتب عادة خلال أربعة أسابيع.",
    ],
    "ru": [
        "Консультация поможет тебе с любыми вопросами.",
        "Ты можешь написать нам анонимно в любое время.",
        "Возьми все документы на встречу.",
        "Ведомство обычно отвечает в течение четырёх недель.",
    ],
    "tr": [
        "Danışmanlık tüm sorularında sana yardım eder.",
        "Bize istediğin zaman isimsiz yazabilirsin.",
        "Randevuya tüm belgelerini getir.",
        "Daire genellikle dört hafta içinde cevap verir.",
    ],
    "sq": [
        "Këshillimi të ndihmon me të gjitha pyetjet.",
        "Mund të na shkruash në çdo kohë në mënyrë anonime.",
        "Sill të gjitha dokumentet në takim.",
        "Zyra zakonisht përgjigjet brenda katër javëve.",
    ],
    "uk": [
        "Консультація допоможе тобі з усіма питаннями.",
        "Ти можеш написати нам анонімно будь-коли.",
        "Візьми всі документи на зустріч.",
        "Відомство зазвичай відповідає протягом чотирьох тижнів.",
    ],
    "fr": [
        "Le conseil t'aide pour toutes tes questions.",
        "Tu peux nous écrire à tout moment de façon anonyme.",
        "Apporte tous tes papiers au rendez-vous.",
        "L'administration répond en général en quatre semaines.",
    ],
}
SEARCHES = [
    ("de", "Wohnungen"),
    ("de", "anerkannt"),
    ("de", "Ausbildung"),  # in the filler: thousands of hits, ranked
    ("de", "Bankkonto eröffnen"),
    ("en", "apartments"),
    ("ar", "شهادة"),
    ("ru", "квартиры"),
    ("tr", "denklik"),
    ("uk", "квартиру"),
    ("sq", "banesat"),
    ("fr", "logements"),
    ("ru", "Kindergeld"),  # no result in Russian nor in German
]
EXPLAINED = [("ru", "квартиры"), ("de", "Wohnungen")]


def main() -> None:
    url = bench_database_url(BENCH_DB)
    if url is None:
        print("knowledge_search: needs DATABASE_URL on PostgreSQL (make bench starts one)")
        return
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.core.management import call_command

    print(f"load average before: {_load()}")
    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    fill()
    print(f"knowledge_search: {N_ARTICLES} articles written in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    call_command("knowledge_search_rebuild", stdout=io.StringIO())
    print(f"knowledge_search_rebuild: {time.perf_counter() - started:.1f} s for {N_ARTICLES} articles")
    measure()
    explain()
    print(f"load average after: {_load()}")


def fill() -> None:
    """Rows written like knowledge/tests/factories.articles_bulk (no Wagtail bookkeeping), with texts."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import signals
    from factory.django import mute_signals

    from knowledge.models import ArticlePage, Audience
    from knowledge.tests.factories import knowledge_index, text_body

    rng = random.Random(SEED)  # noqa: S311 - repeatable test data, not secrets
    index = knowledge_index()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    others = [code for code in TOPICS if code != "de"]
    with transaction.atomic(), mute_signals(signals.pre_save, signals.post_save):
        for number in range(1, N_ARTICLES + 1):
            slug = f"bench-artikel-{number}"
            article = ArticlePage(
                slug=slug,
                slug_de=slug,
                audience=Audience.INTERNAL if number % 10 == 0 else Audience.PUBLIC,
                content_type=content_type,
                depth=index.depth + 1,
                path=ArticlePage._get_path(index.path, index.depth + 1, number),
                url_path=f"{index.url_path}{slug}/",
                live=True,
                locale_id=index.locale_id,
            )
            topic = rng.randrange(10)
            for code in ["de", *(code for code in others if rng.random() < 0.4)]:
                title = f"{TOPICS[code][topic]} ({number})"
                body = [TOPICS[code][topic], *rng.sample(FILLER[code], 3)]
                setattr(article, f"title_{code}", title)
                setattr(article, f"body_{code}", text_body(*body))
            article.title = article.draft_title = article.title_de
            article.refresh_derived_text()
            article.save_base(raw=False)
        index.numchild = N_ARTICLES
        index.save(update_fields=["numchild"])
    if ArticlePage.objects.count() != N_ARTICLES:
        raise SystemExit("knowledge_search: the fill is incomplete")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from hub.roles import Role
    from hub.tests.factories import UserFactory
    from knowledge.models import ArticlePage

    setup_test_environment()  # the test client then keeps each response's context (the hit count)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(UserFactory(username="bench_youth", roles=[Role.YOUTH]))
    article = ArticlePage.objects.order_by("pk").first()
    requests = [
        ("article page", article.reader_url("de"), None),
        ("latest list", "/de/knowledge/", None),
        *((f"search {code} '{query}'", f"/{code}/knowledge/", {"q": query}) for code, query in SEARCHES),
    ]
    print(f"{'request':<34} {'p50 ms':>8} {'p95 ms':>8} {'hits':>5} {'queries':>8}")
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
        hits = len(response.context["hits"]) if params else "-"
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{label:<34} {statistics.median(times):>8.1f} {p95:>8.1f} {hits:>5} {len(queries):>8}")
    search_only()


def search_only() -> None:
    """The search itself (knowledge.selectors.article_search: its SQL and the hits), without the page
    around it – what the stored index changes."""
    from hub.models import User
    from knowledge.selectors import article_search

    user = User.objects.get(username="bench_youth")
    print(f"{'article_search() alone':<34} {'p50 ms':>8} {'p95 ms':>8}")
    for code, query in SEARCHES:
        for _ in range(WARMUPS):
            article_search(user, query, language=code)
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            article_search(user, query, language=code)
            times.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{code} '{query}':".ljust(34), f"{statistics.median(times):>8.1f} {p95:>8.1f}")


def explain() -> None:
    """The plan PostgreSQL picks by itself for the search's own query (index or not, and its time)."""
    from django.contrib.auth.models import AnonymousUser

    from knowledge import search_index
    from knowledge.access import articles_visible_to

    for code, query in EXPLAINED:
        matches = search_index.postgres_match(articles_visible_to(AnonymousUser()), query, code)
        matches = matches.values_list("pk", flat=True)[:20]  # as knowledge.selectors.article_search
        plan = matches.explain(analyze=True)
        scans = sorted({line.strip().split(" (")[0] for line in plan.splitlines() if "Scan" in line})
        total = next(line for line in plan.splitlines() if line.startswith("Execution Time"))
        print(f"plan {code} '{query}': {'; '.join(scans)}; {total}")


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
