"""Knowledge search: per-language full text, only what the reader may see, unanswered searches counted.

Runs on PostgreSQL (the suite's database) and, through tests/test_knowledge_search_sqlite.py, on SQLite
(the embedded default, FTS5): every test here that is not marked postgres_only must hold on both."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from knowledge.models import ArticlePage, ArticleSearchVectors, Audience, SearchMiss
from knowledge.search_index import FTS_SLOTS, FTS_TABLE
from knowledge.selectors import SEARCH_CONFIGS
from knowledge.tests.factories import article_create, text_body

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stored vectors")


def titles(response) -> list[str]:
    return [hit.title for hit in response.context["hits"]]


@pytest.fixture
def recognition():
    return article_create(
        title_de="Anerkennung ausländischer Abschlüsse",
        body_de="Ein Zeugnis aus dem Ausland kann in Deutschland gleichwertig sein. Die Beratung hilft dir.",
        translations={
            "ar": (
                "الاعتراف بالشهادات الأجنبية",
                "يمكن أن تكون الشهادات من الخارج معادلة في ألمانيا. نحن نساعدك في الطلب.",
            )
        },
    )


def test_german_search_finds_anerkennung_for_anerkannt(client, recognition):
    other = article_create(title_de="Wohnung finden", body_de="Tipps für die Wohnungssuche.")
    response = client.get("/de/knowledge/", {"q": "anerkannt"})
    assert titles(response) == ["Anerkennung ausländischer Abschlüsse"]
    assert other.title not in titles(response)


def test_german_search_stems_plurals_and_umlauts(client):
    article_create(
        title_de="Einen Ausbildungsplatz finden", body_de="So bewirbst du dich um einen Abschluss."
    )
    response = client.get("/de/knowledge/", {"q": "Ausbildungsplätze"})
    assert titles(response) == ["Einen Ausbildungsplatz finden"]
    assert titles(client.get("/de/knowledge/", {"q": "Abschlüsse"})) == ["Einen Ausbildungsplatz finden"]


def test_arabic_search_finds_an_arabic_article(client, recognition):
    response = client.get("/ar/knowledge/", {"q": "شهادة"})  # singular; the article says الشهادات
    assert titles(response) == ["الاعتراف بالشهادات الأجنبية"]
    assert response.context["hits"][0].language == "ar"


def test_untranslated_articles_are_found_by_their_german_text_from_another_language(client):
    article_create(title_de="Krankenversicherung", body_de="Wie du in Deutschland versichert bist.")
    response = client.get("/ar/knowledge/", {"q": "Krankenversicherung"})
    assert titles(response) == ["Krankenversicherung"]
    assert response.context["hits"][0].language == "de"


def test_languages_without_postgres_configuration_use_simple():
    assert SEARCH_CONFIGS["sq"] == SEARCH_CONFIGS["uk"] == "simple"
    assert SEARCH_CONFIGS["ar"] == "arabic" and SEARCH_CONFIGS["tr"] == "turkish"


def test_ukrainian_search_with_the_simple_configuration(client):
    article_create(
        title_de="Ankommen",
        body_de="Erste Schritte.",
        translations={"uk": ("Прибуття до Німеччини", "Перші кроки після прибуття.")},
    )
    assert titles(client.get("/uk/knowledge/", {"q": "прибуття"})) == ["Прибуття до Німеччини"]


def test_internal_articles_never_appear_in_search_of_youth_or_visitors(client, youth, counselor):
    article_create(
        title_de="Anerkennung: interne Checkliste", body_de="Nur für Fachkräfte.", audience=Audience.INTERNAL
    )
    article_create(title_de="Anerkennung für Jugendliche", body_de="Öffentlich.")
    assert titles(client.get("/de/knowledge/", {"q": "Anerkennung"})) == ["Anerkennung für Jugendliche"]
    assert "interne Checkliste" not in client.get("/de/knowledge/").content.decode()
    client.force_login(youth)
    assert titles(client.get("/de/knowledge/", {"q": "Anerkennung"})) == ["Anerkennung für Jugendliche"]
    assert titles(client.get("/de/knowledge/", {"q": "interne Checkliste"})) == []
    client.force_login(counselor)
    assert set(titles(client.get("/de/knowledge/", {"q": "Anerkennung"}))) == {
        "Anerkennung: interne Checkliste",
        "Anerkennung für Jugendliche",
    }


def test_search_by_topic(client):
    article_create(title_de="Ausbildung finden", body_de="Ausbildung.", topics=("work",))
    article_create(title_de="Ausbildung und Wohnen", body_de="Ausbildung.", topics=("housing",))
    assert titles(client.get("/de/knowledge/", {"q": "Ausbildung", "topic": "housing"})) == [
        "Ausbildung und Wohnen"
    ]


def test_searches_without_result_are_counted_not_who_asked(client, youth):
    client.force_login(youth)
    client.get("/en/knowledge/", {"q": "  Kindergeld   Antrag "})
    client.get("/en/knowledge/", {"q": "kindergeld antrag"})
    client.logout()
    client.get("/de/knowledge/", {"q": "Kindergeld Antrag"})
    rows = {(row.query, row.language): row.count for row in SearchMiss.objects.all()}
    assert rows == {("kindergeld antrag", "en"): 2, ("kindergeld antrag", "de"): 1}
    assert {field.name for field in SearchMiss._meta.fields} == {"id", "query", "language", "day", "count"}


def test_a_search_that_finds_something_is_not_counted(client, recognition):
    client.get("/de/knowledge/", {"q": "Anerkennung"})
    assert not SearchMiss.objects.exists()


# Inflected queries in every portal language: the stored index stems (PostgreSQL's configuration, or our
# light stemmer for Albanian and Ukrainian and on SQLite) and matches the article's other form.
INFLECTED = [
    ("de", "Wohnungen", "Wohnung", "Eine Wohnung in der Stadt finden."),
    ("de", "wohnungen", "Wohnung", "Eine Wohnung in der Stadt finden."),
    ("ru", "квартиры", "Как снять квартиру", "Квартира в городе: что нужно знать."),
    ("ru", "Документов", "Документы для работы", "Какие документы нужны для работы."),
    ("uk", "квартиру", "Як знайти квартиру", "Квартира в місті: що треба знати."),
    ("tr", "denklik", "Diploma denkliği", "Diplomanın denkliğini nasıl alırsın."),
    ("ar", "شهادة", "الاعتراف بالشهادات", "يمكن أن تكون الشهادات معادلة."),
    ("en", "apartments", "Finding an apartment", "Renting an apartment in the city."),
    ("fr", "logements", "Trouver un logement", "Louer un logement en ville."),
    ("sq", "banesat", "Si të gjesh një banesë", "Banesa në qytet."),
]


@pytest.mark.parametrize(("language", "query", "title", "body"), INFLECTED)
def test_an_inflected_query_finds_the_article_in_its_language(client, language, query, title, body):
    translations = {} if language == "de" else {language: (title, body)}
    article_create(title_de=title if language == "de" else "Artikel", body_de=body, translations=translations)
    article_create(title_de="Anderes Thema", body_de="Nichts davon.", translations={language: ("—", "—")})
    response = client.get(f"/{language}/knowledge/", {"q": query})
    assert titles(response) == [title]


def test_every_word_of_the_query_must_match(client):
    article_create(title_de="Wohnung finden", body_de="In der Stadt.")
    article_create(title_de="Wohnung auf dem Land", body_de="Im Dorf.")
    assert titles(client.get("/de/knowledge/", {"q": "Wohnungen Stadt"})) == ["Wohnung finden"]


def test_the_title_ranks_above_the_text(client):
    article_create(title_de="Ausbildung", body_de="Alles zur Lehre.")
    article_create(title_de="Arbeit", body_de="Nach der Ausbildung beginnt die Arbeit.")
    assert titles(client.get("/de/knowledge/", {"q": "Ausbildung"})) == ["Ausbildung", "Arbeit"]


def test_queries_with_search_syntax_or_punctuation_are_harmless(client, recognition):
    queries = ['"Anerkennung', "Anerkennung*", "Anerkennung OR", "(", "'", "-", "a:b", "NEAR(x y)", "x_y:*"]
    for language in ("de", "uk", "sq"):  # uk and sq also build a prefix query of their own
        for query in queries:
            assert client.get(f"/{language}/knowledge/", {"q": query}).status_code == 200, (language, query)


def test_unpublished_articles_are_never_found(client, counselor, recognition):
    recognition.unpublish()
    for user in (None, counselor):
        if user:
            client.force_login(user)
        assert titles(client.get("/de/knowledge/", {"q": "Anerkennung"})) == []
        assert titles(client.get("/ar/knowledge/", {"q": "شهادة"})) == []


def test_a_draft_is_not_found_until_it_is_published(client, recognition):
    """The index holds the published text: a draft's words find nothing, publishing it makes them found."""
    page = ArticlePage.objects.get(pk=recognition.pk)
    page.title_de = "Anerkennung und Gleichwertigkeitsprüfung"
    page.body_de = text_body("Der Bescheid kommt per Post.")
    revision = page.save_revision()
    assert titles(client.get("/de/knowledge/", {"q": "Gleichwertigkeitsprüfung"})) == []
    assert titles(client.get("/de/knowledge/", {"q": "Bescheid"})) == []
    revision.publish()
    assert titles(client.get("/de/knowledge/", {"q": "Bescheid"})) == [
        "Anerkennung und Gleichwertigkeitsprüfung"
    ]
    assert titles(client.get("/de/knowledge/", {"q": "Zeugnis"})) == []  # the old text is gone


def test_a_translation_published_later_is_found_in_its_language(client, recognition):
    page = ArticlePage.objects.get(pk=recognition.pk)
    page.title_ru = "Признание иностранных дипломов"
    page.slug_ru = "priznanie"
    page.body_ru = text_body("Твой диплом из-за границы может быть признан в Германии.")
    assert titles(client.get("/ru/knowledge/", {"q": "дипломы"})) == []
    page.save_revision().publish()
    assert titles(client.get("/ru/knowledge/", {"q": "дипломы"})) == ["Признание иностранных дипломов"]


def test_internal_articles_are_not_found_by_network_partners(client, recognition):
    from hub.roles import Role
    from hub.tests.factories import staff_with_totp

    article_create(title_de="Anerkennung intern", body_de="Für Fachkräfte.", audience=Audience.INTERNAL)
    client.force_login(staff_with_totp(username="partner_pia", roles=[Role.NETWORK_PARTNER]))
    assert titles(client.get("/de/knowledge/", {"q": "Anerkennung"})) == [
        "Anerkennung ausländischer Abschlüsse"
    ]


def test_a_deleted_article_leaves_nothing_in_the_index(recognition):
    pk = recognition.pk
    ArticlePage.objects.get(pk=pk).delete()
    assert index_rows(pk) == 0


def test_the_rebuild_command_indexes_every_article(client, recognition):
    _index_clear()
    assert titles(client.get("/de/knowledge/", {"q": "Anerkennung"})) == []
    call_command("knowledge_search_rebuild", stdout=StringIO())
    assert index_rows(recognition.pk) > 0
    assert titles(client.get("/de/knowledge/", {"q": "Anerkennung"})) == [
        "Anerkennung ausländischer Abschlüsse"
    ]


def index_rows(article_id: int) -> int:
    if connection.vendor == "postgresql":
        return ArticleSearchVectors.objects.filter(article_id=article_id).count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {FTS_TABLE} WHERE rowid >= %s AND rowid < %s",  # noqa: S608
            [article_id * FTS_SLOTS, (article_id + 1) * FTS_SLOTS],
        )
        return cursor.fetchone()[0]


def _index_clear() -> None:
    if connection.vendor == "postgresql":
        ArticleSearchVectors.objects.all().delete()
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608


# PostgreSQL: the stored vectors and their indexes.


@postgres_only
def test_every_language_has_a_stored_vector_with_a_gin_index():
    from django.conf import settings

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", [ArticleSearchVectors._meta.db_table]
        )
        definitions = [row[0] for row in cursor.fetchall()]
    for code, _name in settings.LANGUAGES:
        assert any(f"USING gin (vector_{code})" in definition for definition in definitions), code


@postgres_only
def test_the_vector_is_made_with_the_language_configuration(recognition):
    vectors = ArticleSearchVectors.objects.get(article=recognition)
    assert "'anerkenn':1A" in vectors.vector_de  # german: stemmed, the title weighted A
    assert "شهاد" in vectors.vector_ar  # arabic: the article and the plural ending cut


@postgres_only
def test_the_search_reads_the_stored_vectors_through_their_gin_indexes(recognition):
    """The match is on the stored columns and can be answered by their GIN indexes. With a few rows (and
    still at 3,000 narrow ones) a sequential scan is cheaper, so the planner is told to avoid it here;
    bench/knowledge_search.py prints the plan it picks by itself at 5,000 articles."""
    from django.contrib.auth.models import AnonymousUser

    from knowledge import search_index
    from knowledge.access import articles_visible_to

    article_create(title_de="Wohnung finden", body_de="Tipps für die Wohnungssuche.")
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_nestloop"):
            cursor.execute(f"SET LOCAL {setting} = off")
    matches = search_index.postgres_match(articles_visible_to(AnonymousUser()), "Wohnungen", "ru")
    sql = str(matches.query)
    assert "to_tsvector" not in sql  # nothing computed from article text at query time
    assert '"vector_ru" @@' in sql and '"vector_de" @@' in sql
    plan = matches.explain()
    assert "Bitmap Index Scan on knowledge_search_ru_gin" in plan, plan
    assert "Bitmap Index Scan on knowledge_search_de_gin" in plan, plan
    assert [article.title for article in matches] == ["Wohnung finden"]
