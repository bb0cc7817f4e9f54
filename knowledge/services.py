"""Writes of the knowledge base: anonymous counters only (helpful votes, searches that found nothing)."""

from django.utils import timezone

from hub.cms import page_tree_ready, section_index_ensure
from hub.counters import counter_increment
from knowledge.models import ArticlePage, HelpfulVote, KnowledgeIndexPage, SearchMiss

MISS_QUERY_MAX = 100


def helpful_vote_record(*, article: ArticlePage, language: str, helpful: bool) -> None:
    counter_increment(
        HelpfulVote, lookup={"article": article, "language": language}, field="yes" if helpful else "no"
    )


def search_miss_record(*, query: str, language: str) -> None:
    normalised = " ".join(query.lower().split())[:MISS_QUERY_MAX]
    if normalised:
        lookup = {"query": normalised, "language": language, "day": timezone.localdate()}
        counter_increment(SearchMiss, lookup=lookup, field="count")


def knowledge_index_ensure() -> KnowledgeIndexPage:
    """The knowledge base's section in the page tree, editable by editors and coordinators (idempotent)."""
    return section_index_ensure(KnowledgeIndexPage, title_de="Wissen", title_en="Knowledge", slug="wissen")


def on_article_deleted(sender, instance, **kwargs) -> None:
    from knowledge.search_index import article_index_remove

    article_index_remove(instance.pk)


def on_post_migrate(sender, **kwargs) -> None:
    if page_tree_ready():
        knowledge_index_ensure()
