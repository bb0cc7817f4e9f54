"""Article page and search cost the same number of queries with 1,000 articles as with a few."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge.models import ArticlePage, Audience
from knowledge.tests.factories import article_create, articles_bulk

pytestmark = pytest.mark.django_db

# Cold (nothing kept yet): the article's light fields and the one body shown are two reads (hub/fragments.py);
# warm, the page reads nothing (tests/test_youth_pages_cached.py).
ARTICLE_PAGE_QUERIES = 7
SEARCH_QUERIES = 6


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def test_article_page_and_search_with_1000_articles(client, youth, django_assert_max_num_queries):
    article = article_create(
        title_de="Anerkennung ausländischer Abschlüsse",
        body_de="Zeugnis, Ausbildung und Arbeit.",
        topics=("recognition", "work"),
    )
    client.force_login(youth)
    client.get("/de/")  # once per session and process: the reader's language, the footer's legal links
    few = {
        "article": _queries(client, article.reader_url("de")),
        "search": _queries(client, "/de/knowledge/", {"q": "Ausbildung"}),
        "list": _queries(client, "/de/knowledge/"),
    }
    articles_bulk(900)
    articles_bulk(100, audience=Audience.INTERNAL, start=901)
    assert ArticlePage.objects.count() == 1001

    with django_assert_max_num_queries(few["article"]):
        assert client.get(article.reader_url("de")).status_code == 200
    with django_assert_max_num_queries(few["search"]):
        response = client.get("/de/knowledge/", {"q": "Ausbildung"})
    assert len(response.context["hits"]) == 20  # one page of the 901 public matches
    assert all(hit.article.audience == Audience.PUBLIC for hit in response.context["hits"])
    with django_assert_max_num_queries(few["list"]):
        client.get("/de/knowledge/")
    assert few["article"] <= ARTICLE_PAGE_QUERIES and few["search"] <= SEARCH_QUERIES, few
