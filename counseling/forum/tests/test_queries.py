"""Pages keep a constant number of queries however many rows they show."""

import pytest
from django.utils import timezone

from counseling.forum import services
from counseling.forum.models import Category, Post, PostStatus, Report, Thread
from counseling.forum.tests.factories import CategoryFactory, poster
from hub.roles import Role
from hub.tests.factories import UserFactory
from hub.topics import Topic

pytestmark = pytest.mark.django_db


def thread_with_replies(count: int, *, counselor=None, prefix="poster") -> Thread:
    category = CategoryFactory(topic="work", language="en")
    authors = [poster(f"{prefix}{n}") for n in range(20)]
    thread = Thread.objects.create(category=category, title="Busy thread", author=authors[0])
    now = timezone.now()
    Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                author=counselor if counselor and n % 7 == 0 else authors[n % 20],
                is_counselor_answer=bool(counselor and n % 7 == 0),
                is_opening=n == 0,
                body=f"Reply number {n}",
                status=PostStatus.PUBLISHED,
                is_self_harm=n == 3,
                created_at=now,
                published_at=now,
            )
            for n in range(count + 1)
        ]
    )
    services.thread_refresh(thread)
    return thread


@pytest.mark.parametrize("who", ["visitor", "youth", "counselor"])
def test_a_thread_with_500_replies_keeps_a_constant_query_count(
    client, django_assert_max_num_queries, counselor, who
):
    thread = thread_with_replies(500, counselor=counselor)
    if who == "youth":
        client.force_login(poster("reader"))
    elif who == "counselor":
        client.force_login(counselor)
    client.get("/en/")  # once per session and process: the reader's language, the footer's legal links
    for page in ("1", "10", "last"):
        with django_assert_max_num_queries(16):
            response = client.get(f"/en/forum/t/{thread.pk}/?page={page}")
        assert response.status_code == 200
    assert "Reply number 500" in response.content.decode()
    assert response.context["page"].paginator.num_pages == 21


def test_the_thread_page_costs_the_same_with_5_and_500_replies(client, django_assert_num_queries, counselor):
    client.force_login(poster("reader"))
    client.get("/en/forum/")  # the first request remembers the reader's language (one UPDATE, once)
    small = thread_with_replies(5, counselor=counselor)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(f"/en/forum/t/{small.pk}/")  # warm the caches (the footer's legal links are cached)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/en/forum/t/{small.pk}/")
    Thread.objects.all().delete()
    big = thread_with_replies(500, counselor=counselor, prefix="big")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/en/forum/t/{big.pk}/")


def test_the_category_list_keeps_a_constant_query_count(client, django_assert_max_num_queries):
    author = poster("author")
    languages = ["de", "en", "ru", "tr", "ar", "uk", "sq", "fr"]
    categories = Category.objects.bulk_create(
        [Category(topic=topic, language=language) for topic in Topic.values for language in languages]
    )
    now = timezone.now()
    Thread.objects.bulk_create(
        [
            Thread(
                category=category, title=f"T{n}", author=author, status=PostStatus.PUBLISHED, last_post_at=now
            )
            for category in categories
            for n in range(3)
        ]
    )
    client.force_login(author)
    for query in ("", "?language=all", "?language=ru"):
        with django_assert_max_num_queries(10):
            response = client.get(f"/en/forum/{query}")
        assert response.status_code == 200
    assert len(response.context["categories"]) == len(Topic.values)
    assert "3 threads" in response.content.decode()
    with django_assert_max_num_queries(12):
        response = client.get(f"/en/forum/c/{categories[0].pk}/")
    assert response.status_code == 200


def test_the_category_page_and_the_queue_keep_a_constant_query_count(
    client, django_assert_max_num_queries, counselor
):
    category = CategoryFactory(topic="work", language="en")
    authors = [poster(f"a{n}") for n in range(10)]
    for n in range(60):
        services.thread_create(category=category, author=authors[n % 10], title=f"Question {n}", body="Hallo")
    reporters = [UserFactory(roles=[Role.YOUTH]) for _ in range(3)]
    for post in Post.objects.all()[:30]:
        for reporter in reporters:
            Report.objects.create(post=post, reporter=reporter, reason="spam")
        Post.objects.filter(pk=post.pk).update(open_reports=3)
    client.force_login(counselor)
    client.get("/en/")  # once per session and process: the reader's language, the footer's legal links
    with django_assert_max_num_queries(14):
        response = client.get("/en/staff/forum/")
    assert len(response.context["page"].object_list) == 40
    with django_assert_max_num_queries(14):
        response = client.get(f"/en/forum/c/{category.pk}/")
    assert len(response.context["page"].object_list) == 30
