"""Knowledge base test data: the index page under the default site's home page, and articles."""

from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from knowledge.models import ArticlePage, ArticleTopic, Audience, KnowledgeIndexPage


def knowledge_index() -> KnowledgeIndexPage:
    index = KnowledgeIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=KnowledgeIndexPage(title="Wissen", title_de="Wissen", slug="wissen"))
    return index


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
        title=title_de, title_de=title_de, slug=slug, slug_de=slug, body_de=text_body(body_de), audience=audience, **fields
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
