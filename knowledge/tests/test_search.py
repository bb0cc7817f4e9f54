"""Knowledge search: per-language full text, only what the reader may see, unanswered searches counted."""

import pytest

from knowledge.models import Audience, SearchMiss
from knowledge.selectors import SEARCH_CONFIGS, article_search
from knowledge.tests.factories import article_create

pytestmark = pytest.mark.django_db


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


def test_substring_fallback_where_there_is_no_postgres(recognition, monkeypatch):
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "sqlite")
    hits = article_search(AnonymousUser(), "zeugnis", language="en")
    assert [hit.title for hit in hits] == ["Anerkennung ausländischer Abschlüsse"]
