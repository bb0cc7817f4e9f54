"""Knowledge base test data: the index page under the default site's home page, and articles."""

from wagtail.models import Page
from wagtail.rich_text import RichText

from knowledge.models import ArticlePage, ArticleTopic, Audience, KnowledgeIndexPage
from knowledge.services import knowledge_index_ensure


def knowledge_index() -> KnowledgeIndexPage:
    return knowledge_index_ensure()


def text_body(*paragraphs: str) -> list:
    return [("text", RichText("".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)))]


_counter = iter(range(1, 10**9))


def article_create(
    *,
    title_de: str,
    body_de: str = "Text.",
    audience: str = Audience.PUBLIC,
    topics: tuple[str, ...] = (),
    translations: dict[str, tuple[str, str]] | None = None,
    **fields,
) -> ArticlePage:
    """translations: {"ar": (title, body text), ...}"""
    slug = fields.pop("slug", f"artikel-{next(_counter)}")
    article = ArticlePage(
        title=title_de,
        title_de=title_de,
        slug=slug,
        slug_de=slug,
        body_de=text_body(body_de),
        audience=audience,
        **fields,
    )
    for code, (title, body) in (translations or {}).items():
        setattr(article, f"title_{code}", title)
        setattr(article, f"slug_{code}", f"{slug}-{code}")
        setattr(article, f"body_{code}", text_body(body))
    knowledge_index().add_child(instance=article)
    for topic in topics:
        ArticleTopic.objects.create(article=article, topic=topic)
    return article


def page_count() -> int:
    return Page.objects.count()


def articles_bulk(count: int, *, audience: str = Audience.PUBLIC, start: int = 1) -> None:
    """Many live articles fast, for query-count tests: tree paths computed like treebeard's, rows written
    without Wagtail's per-page bookkeeping (revisions, logs, Wagtail's own search index); our knowledge
    search index is written once for all of them."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import signals
    from factory.django import mute_signals

    from knowledge.search_index import articles_index_update

    index = knowledge_index()
    content_type = ContentType.objects.get_for_model(ArticlePage)
    offset = index.numchild
    created = []
    with transaction.atomic(), mute_signals(signals.pre_save, signals.post_save):
        for number in range(start, start + count):
            slug = f"massen-artikel-{audience}-{number}"
            article = ArticlePage(
                title=f"Artikel {number}",
                title_de=f"Artikel {number}",
                title_en=f"Article {number}",
                slug=slug,
                slug_de=slug,
                draft_title=f"Artikel {number}",
                body_de=text_body(f"Ausbildung und Arbeit, Teil {number}."),
                body_en=text_body(f"Training and work, part {number}."),
                audience=audience,
                content_type=content_type,
                depth=index.depth + 1,
                path=ArticlePage._get_path(index.path, index.depth + 1, offset + number - start + 1),
                url_path=f"{index.url_path}{slug}/",
                live=True,
                locale_id=index.locale_id,
            )
            article.refresh_derived_text()
            article.save_base(raw=False)
            created.append(article.pk)
        articles_index_update(created)
        index.numchild = offset + count
        index.save(update_fields=["numchild"])
