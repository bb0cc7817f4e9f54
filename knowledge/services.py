"""Writes of the knowledge base: anonymous counters only (helpful votes, searches that found nothing)."""


from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from hub.cms import page_tree_ready, section_editors_grant, site_home_page
from knowledge.models import ArticlePage, HelpfulVote, KnowledgeIndexPage, SearchMiss

MISS_QUERY_MAX = 100


def _increment(model, *, lookup: dict, field: str) -> None:
    """count + 1 on the row for `lookup`, creating it on first use; safe when two requests race."""
    if model.objects.filter(**lookup).update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **{field: 1})
    except IntegrityError:
        model.objects.filter(**lookup).update(**{field: F(field) + 1})


def helpful_vote_record(*, article: ArticlePage, language: str, helpful: bool) -> None:
    _increment(
        HelpfulVote, lookup={"article": article, "language": language}, field="yes" if helpful else "no"
    )


def search_miss_record(*, query: str, language: str) -> None:
    normalised = " ".join(query.lower().split())[:MISS_QUERY_MAX]
    if normalised:
        lookup = {"query": normalised, "language": language, "day": timezone.localdate()}
        _increment(SearchMiss, lookup=lookup, field="count")


def knowledge_index_ensure() -> KnowledgeIndexPage:
    """The knowledge base's section in the page tree, editable by editors and coordinators (idempotent)."""
    index = KnowledgeIndexPage.objects.first()
    if index is None:
        index = site_home_page().add_child(
            instance=KnowledgeIndexPage(
                title="Wissen", title_de="Wissen", title_en="Knowledge", slug="wissen"
            )
        )
    section_editors_grant(index)
    return index


def on_post_migrate(sender, **kwargs) -> None:
    if page_tree_ready():
        knowledge_index_ensure()
