"""Deleting an account anonymises its posts; the retention purge removes what moderators hid."""

from datetime import timedelta

import pytest
from django.utils import timezone

from counseling.forum import services
from counseling.forum.models import ModerationAction, Post, PostStatus, Report, Thread
from counseling.forum.tests.factories import poster, published_reply, published_thread
from hub import services as hub_services
from hub.schedule import BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


def test_deleting_an_account_leaves_its_posts_as_deleted_user(client):
    author = poster("lena", pseudonym="sunflower")
    thread = published_thread(author=author, title="My question")
    published_reply(thread, author=author, body="Thanks everyone!")
    hub_services.account_delete(user=author)
    assert Post.objects.filter(author__isnull=True).count() == 2
    page = client.get(f"/en/forum/t/{thread.pk}/").content.decode()
    assert "Thanks everyone!" in page and "deleted user" in page and "sunflower" not in page
    assert "deleted user" in client.get(f"/en/forum/c/{thread.category_id}/").content.decode()


def test_the_account_deletion_page_anonymises_forum_posts(client):
    author = poster("lena", pseudonym="sunflower")
    thread = published_thread(author=author)
    client.force_login(author)
    response = client.post("/en/me/delete/", {"password": "correct-horse-battery", "confirm": "on"})
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).author is None


def test_the_purge_deletes_hidden_posts_after_the_retention_period(settings, counselor):
    settings.FORUM_HIDDEN_POST_DAYS = 30
    now = timezone.now()
    thread = published_thread()
    old = published_reply(thread, body="old hidden")
    recent = published_reply(thread, body="recent hidden")
    kept = published_reply(thread, body="published")
    gone_thread = published_thread(title="hidden thread")
    for post in (old, recent, gone_thread.posts.get()):
        services.post_hide(post=post, moderator=counselor, reason="x")
    Post.objects.filter(pk__in=[old.pk, gone_thread.posts.get().pk]).update(
        moderated_at=now - timedelta(days=31)
    )
    orphan = services.post_reply(thread=thread, author=poster("leaver"), body="pending of a deleted user")
    Post.objects.filter(pk=orphan.pk).update(author=None, created_at=now - timedelta(days=31))

    result = services.purge_forum(now=now)
    remaining = set(Post.objects.values_list("body", flat=True))
    assert "old hidden" not in remaining and "pending of a deleted user" not in remaining
    assert {"recent hidden", "published", "Was ist besser?"} <= remaining
    assert not Thread.objects.filter(pk=gone_thread.pk).exists()
    assert result["posts"] >= 2
    assert services.purge_forum(now=now)["posts"] == 0  # safe to run twice
    assert Post.objects.get(pk=kept.pk).status == PostStatus.PUBLISHED


def test_the_purge_drops_old_reports_and_log_entries(settings, counselor):
    settings.FORUM_LOG_DAYS = 365
    post = published_reply(published_thread())
    services.report_create(post=post, reporter=poster("r"), reason="spam")
    services.post_approve(post=post, moderator=counselor)
    later = timezone.now() + timedelta(days=366)
    services.purge_forum(now=later)
    assert not Report.objects.exists() and not ModerationAction.objects.exists()


def test_the_purge_is_scheduled_nightly():
    assert BEAT_SCHEDULE["purge-forum"]["task"] == "forum.purge"


def test_the_data_export_lists_the_forum_name_posts_and_followed_threads():
    from counseling.forum.selectors import export_for

    author = poster("lena", pseudonym="sunflower", published_posts=10)
    thread = published_thread(title="Visa")
    services.post_reply(thread=thread, author=author, body="Same here")
    data = export_for(author)
    assert data["forum_name"] == "sunflower"
    assert [(post["thread"], post["text"]) for post in data["posts"]] == [("Visa", "Same here")]
    assert data["followed_threads"] == ["Visa"]
    assert export_for(poster("nobody"))["posts"] == []
