"""Who may read which article: everyone the public ones, staff the internal ones too."""

from django.http import Http404

from hub.roles import may_enter_staff_area
from knowledge.models import ArticlePage, Audience


def reader_audiences(user) -> list[str]:
    # Internal articles are for the staff area's people: network partners read what young people read.
    if user.is_authenticated and may_enter_staff_area(user):
        return [Audience.PUBLIC, Audience.INTERNAL]
    return [Audience.PUBLIC]


def articles_visible_to(user):
    return ArticlePage.objects.live().filter(audience__in=reader_audiences(user))


def article_visible(user, article: ArticlePage) -> bool:
    return article.live and article.audience in reader_audiences(user)


def access_article(user, page_id: int) -> ArticlePage:
    """The article for reading, or 404 – an internal article does not exist for youth and visitors."""
    article = articles_visible_to(user).filter(pk=page_id).first()
    if article is None:
        raise Http404
    return article


def may_read_articles(user, page_ids) -> bool:
    """Whether one of these articles is readable: their documents go with them (hub/documents.py)."""
    return articles_visible_to(user).filter(pk__in=page_ids).exists()
