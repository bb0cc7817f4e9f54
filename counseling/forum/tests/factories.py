import factory

from counseling.forum import services
from counseling.forum.models import Category, ForumProfile, Post, PostStatus, Thread
from hub.roles import Role
from hub.tests.factories import UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("topic", "language")

    topic = "work"
    language = "de"


def poster(username: str, *, pseudonym: str | None = None, published_posts: int = 0):
    """A young person with a forum profile (trusted once published_posts reaches the setting)."""
    user = UserFactory(username=username, roles=[Role.YOUTH])
    ForumProfile.objects.create(
        user=user, pseudonym=pseudonym or f"{username}_forum", published_posts=published_posts
    )
    return user


def published_thread(*, category=None, author=None, title="Ausbildung oder Studium?", body="Was ist besser?"):
    """A thread whose opening post is already published (without going through moderation)."""
    category = category or CategoryFactory()
    thread = Thread.objects.create(category=category, title=title, author=author)
    post = Post.objects.create(
        thread=thread, author=author, body=body, is_opening=True, status=PostStatus.PUBLISHED
    )
    post.published_at = post.created_at
    post.save(update_fields=["published_at"])
    services.thread_refresh(thread)
    return thread


def published_reply(thread, *, author=None, body="Antwort", counselor=False):
    post = Post.objects.create(
        thread=thread, author=author, body=body, status=PostStatus.PUBLISHED, is_counselor_answer=counselor
    )
    post.published_at = post.created_at
    post.save(update_fields=["published_at"])
    return post
