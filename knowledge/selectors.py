"""Reading the knowledge base: the article in the reader's language (or its fallback) and the search."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone

from hub.links import absolute_url
from knowledge import search_index
from knowledge.access import article_visible, articles_visible_to, reader_audiences
from knowledge.models import ArticlePage, SearchMiss
from knowledge.search_index import SEARCH_CONFIGS, SOURCE_LANGUAGE  # noqa: F401 - SEARCH_CONFIGS for views

PAGE_SIZE = 20


def reading_language(article: ArticlePage, language: str) -> str:
    """The language the reader gets: theirs if the article has it, else German, else English."""
    for code in (language, SOURCE_LANGUAGE, "en"):
        if article.has_language(code):
            return code
    return SOURCE_LANGUAGE


def article_for_reading(user, page_id: int) -> ArticlePage:
    """The article for its page, or 404 (the rule of knowledge.access): its light fields are kept with the
    knowledge version (hub/fragments.py), so reading costs no query until an article changes; the one
    body shown is read only when the page's shared fragment is missing. The page is shared between
    requests: nothing may be set on it."""
    from hub import fragments

    def build():
        return ArticlePage.objects.only(*_card_fields()).filter(pk=page_id).first()

    article = fragments.cached("knowledge-card", depends=("knowledge",), vary=(page_id,), build=build)
    if article is None or not article_visible(user, article):
        raise Http404
    return article


def _card_fields() -> list[str]:
    codes = [code for code, _name in settings.LANGUAGES]
    per_language = [f"{name}_{code}" for name in ("title", "slug", "summary") for code in codes]
    return ["title", "slug", "live", "audience", "translation_state", *per_language]


def _body(article: ArticlePage, code: str):
    field = f"body_{code}"
    if field in article.get_deferred_fields():
        # A fresh row: the (shared) page of article_for_reading stays as it was.
        return getattr(ArticlePage.objects.only(field).get(pk=article.pk), field)
    return getattr(article, field)


def article_reading(article: ArticlePage, *, language: str) -> dict:
    shown = reading_language(article, language)
    others = [code for code, _name in settings.LANGUAGES if code not in (shown, language)]
    return {
        "article": article,
        "shown_language": shown,
        "shown_bidi": shown in settings.LANGUAGES_BIDI,
        "not_translated": shown != language,
        "title": getattr(article, f"title_{shown}") or article.title,
        "summary": getattr(article, f"summary_{shown}") or "",
        # Read when the page renders it: the article page takes it from a shared fragment (issue 19).
        "body": lambda: _body(article, shown),
        "also_in": [code for code in others if article.has_language(code)],
        "outdated": article.is_outdated(shown),
    }


@dataclass
class SearchHit:
    article: ArticlePage
    language: str  # the language the hit is shown in
    title: str
    summary: str
    url: str


def article_search(user, query: str, *, language: str, topic: str = "", limit: int = PAGE_SIZE) -> list:
    """Articles the user may read that match the query in their language – or, for articles not yet
    translated, in the German source – best first, through the stored index (knowledge/search_index.py):
    PostgreSQL full text, or FTS5 on SQLite (the embedded default)."""
    articles = articles_visible_to(user)
    if topic:
        articles = articles.filter(topic_links__topic=topic)
    query = query.strip()[:200]
    if not query:
        return []
    if connection.vendor == "postgresql":
        # Ids first: ranking over narrow rows, then the page rows of one result page only (half the time
        # at 5,000 articles, bench/knowledge_search.py).
        best = list(
            search_index.postgres_match(articles, query, language).values_list("pk", flat=True)[:limit]
        )
    else:
        scores = search_index.sqlite_scores(query, language)
        # The reader's scope decides, whatever the index holds (drafts, unpublished, internal articles).
        visible = articles.filter(pk__in=list(scores)).values_list("pk", flat=True)
        best = sorted(visible, key=lambda pk: (-scores[pk], pk))[:limit]
    by_pk = articles.filter(pk__in=best).only(*_hit_fields()).in_bulk()
    return [_hit(by_pk[pk], language) for pk in best]


def _hit_fields() -> list[str]:
    # A Wagtail page row has about a hundred columns; building twenty full objects cost more than the
    # search's SQL (bench/knowledge_search.py). A hit needs these (and the templates hit.article.audience).
    codes = [code for code, _name in settings.LANGUAGES]
    per_language = [f"{name}_{code}" for name in ("title", "slug", "summary") for code in codes]
    return ["title", "slug", "audience", "translation_state", *per_language]


def _heavy_fields() -> list[str]:
    codes = [code for code, _name in settings.LANGUAGES]
    return [f"body_{code}" for code in codes] + [f"search_text_{code}" for code in codes]


def _hit(article: ArticlePage, language: str) -> SearchHit:
    shown = reading_language(article, language)
    return SearchHit(
        article=article,
        language=shown,
        title=getattr(article, f"title_{shown}") or article.title,
        summary=getattr(article, f"summary_{shown}") or "",
        url=article.reader_url(language),
    )


def hits_shared(user, query: str, *, language: str, topic: str = "") -> list:
    """The search's hits (or the latest articles without a query), kept with the knowledge version
    (hub/fragments.py) for everyone who reads the same articles: a search for the same words costs no
    query until an article changes. The words are only part of a hashed key, never stored in the clear."""
    from hub import fragments

    def build() -> list:
        if query:
            return article_search(user, query, language=language, topic=topic)
        return articles_latest(user, language=language, topic=topic)

    vary = (query.strip()[:200], topic, tuple(reader_audiences(user)))
    return fragments.cached("knowledge-hits", depends=("knowledge",), vary=vary, build=build)


def articles_latest(user, *, language: str, topic: str = "", limit: int = PAGE_SIZE) -> list[SearchHit]:
    articles = articles_visible_to(user)
    if topic:
        articles = articles.filter(topic_links__topic=topic)
    articles = articles.order_by("-last_published_at", "pk").defer(*_heavy_fields())
    return [_hit(article, language) for article in articles[:limit]]


def articles_due_for_review(*, today=None):
    today = today or timezone.localdate()
    return (
        ArticlePage.objects.filter(review_by__lte=today).order_by("review_by", "pk").defer(*_heavy_fields())
    )


def translation_overview():
    """Per article: which languages are missing and which are older than the German source."""
    rows = []
    codes = [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]
    for article in ArticlePage.objects.order_by("title_de", "pk").defer(*_heavy_fields()):
        rows.append(
            {
                "article": article,
                "missing": [code for code in codes if not article.has_language(code)],
                "outdated": [code for code in codes if article.is_outdated(code)],
            }
        )
    return rows


def search_misses_top(*, days: int = 90, limit: int = 50):
    since = timezone.localdate() - timedelta(days=days)
    return (
        SearchMiss.objects.filter(day__gte=since)
        .values("query", "language")
        .annotate(total=Sum("count"))
        .order_by("-total", "query")[:limit]
    )


def article_links_for_reply(query: str, *, language: str, limit: int = 8) -> list[SearchHit]:
    """For a counselor's reply: public articles only (the young person must be able to open the link),
    found and titled in the young person's language."""
    from django.contrib.auth.models import AnonymousUser

    return article_search(AnonymousUser(), query, language=language, limit=limit)


def article_link_text(article_id: int, *, language: str, request=None) -> str | None:
    """ "Title: https://…/<language>/knowledge/…" for a public article, or None; on the request's host
    where there is one (hub/links.py)."""
    from django.contrib.auth.models import AnonymousUser

    article = articles_visible_to(AnonymousUser()).filter(pk=article_id).defer(*_heavy_fields()).first()
    if article is None:
        return None
    hit = _hit(article, language)
    return f"{hit.title}: {absolute_url(hit.url, request=request)}"
