"""Deleting an account anonymises its posts; the retention purge (the one mechanism of hub/retention.py,
with the coordinators' forum periods) removes what moderators hid."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone

from counseling.forum import services
from counseling.forum.data_rights import export_section
from counseling.forum.models import ModerationAction, Post, PostStatus, Report, Thread
from counseling.forum.tests.factories import poster, published_reply, published_thread
from hub import services as hub_services
from hub.retention import retention_policy_set, retention_run

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


FORUM_PURGES = [
    "forum_hidden_threads",
    "forum_hidden_posts",
    "forum_empty_threads",
    "forum_reports",
    "forum_invitations",
    "forum_moderation_log",
]


def _purge(now):
    return retention_run(trigger="test", keys=FORUM_PURGES, now=now).counts


def test_the_purge_deletes_hidden_posts_after_the_retention_period(counselor, coordinator):
    retention_policy_set(key="forum_hidden_posts", value=30, actor=coordinator)
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

    result = _purge(now)
    remaining = set(Post.objects.values_list("body", flat=True))
    assert "old hidden" not in remaining and "pending of a deleted user" not in remaining
    assert {"recent hidden", "published", "Was ist besser?"} <= remaining
    assert not Thread.objects.filter(pk=gone_thread.pk).exists()
    assert result["forum_hidden_posts"] >= 2 and result["forum_hidden_threads"] == 1
    assert sum(_purge(now).values()) == 0  # safe to run twice
    assert Post.objects.get(pk=kept.pk).status == PostStatus.PUBLISHED


def test_the_purge_drops_old_reports_and_log_entries(counselor):
    post = published_reply(published_thread())
    services.report_create(post=post, reporter=poster("r"), reason="spam")
    services.post_approve(post=post, moderator=counselor)
    later = timezone.now() + timedelta(days=366)
    _purge(later - timedelta(days=2))
    assert Report.objects.exists() and ModerationAction.objects.exists()
    _purge(later)
    assert not Report.objects.exists() and not ModerationAction.objects.exists()


def test_the_forum_periods_default_to_the_settings(settings):
    from hub.retention import POLICIES, policy_default

    settings.FORUM_HIDDEN_POST_DAYS = 14
    assert policy_default(POLICIES["forum_hidden_posts"]) == 14
    assert policy_default(POLICIES["forum_log"]) == 365


def test_the_data_export_lists_the_forum_name_posts_and_followed_threads():
    author = poster("lena", pseudonym="sunflower", published_posts=10)
    thread = published_thread(title="Visa")
    services.post_reply(thread=thread, author=author, body="Same here")
    items = export_section(author, add_file=None).items
    assert items[0]["forum_name"] == "sunflower" and items[0]["followed_threads"] == ["Visa"]
    assert [(item["thread"], item["text"]) for item in items[1:]] == [("Visa", "Same here")]
    assert [item["kind"] for item in export_section(poster("nobody"), add_file=None).items] == [
        "forum_profile"
    ]


def test_my_data_download_holds_the_forum_posts(client):
    author = poster("lena", pseudonym="sunflower", published_posts=10)
    services.post_reply(thread=published_thread(title="Visa"), author=author, body="Same here")
    client.force_login(author)
    response = client.post("/en/me/data/")
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    data = json.loads(archive.read("data.json"))
    assert data["sections"]["forum"][1]["text"] == "Same here"
    assert "sunflower" in archive.read("index.html").decode()
