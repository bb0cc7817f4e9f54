"""The moderation queue and its actions, and who may use them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from counseling.forum import services
from counseling.forum.models import (
    CaseInvitation,
    Category,
    ModerationAction,
    Post,
    PostStatus,
    Report,
    WatchedWord,
)
from counseling.forum.tests.factories import CategoryFactory, poster, published_reply, published_thread
from counseling.models import Case, CounselorProfile
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp
from sites.services import site_counselor_grant
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def pending_post(body="Hallo", *, created_ago=timedelta(0)):
    post = services.thread_create(
        category=CategoryFactory(), author=poster(f"p{Post.objects.count()}"), title="T", body=body
    )
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - created_ago)
    return post


def report(post, times, reason="bullying"):
    for _ in range(times):
        services.report_create(post=post, reporter=UserFactory(roles=[Role.YOUTH]), reason=reason)


def test_three_reports_put_a_post_on_top_of_the_queue(client, counselor):
    old = [pending_post(f"waiting {n}", created_ago=timedelta(hours=5 - n)) for n in range(3)]
    thread = published_thread()
    once = published_reply(thread, body="reported once")
    thrice = published_reply(thread, body="reported three times")
    report(once, 1)
    report(thrice, 2, reason="bullying")
    report(thrice, 1, reason="personal_data")
    client.force_login(counselor)
    response = client.get("/en/staff/forum/")
    rows = list(response.context["page"].object_list)
    assert [post.pk for post in rows] == [thrice.pk, once.pk, *[post.pk for post in old]]
    page = response.content.decode()
    assert "3 reports" in page
    assert "Bullying, insults or hate (2)" in page and "It shares personal data (1)" in page


def test_reporting_twice_counts_once_and_needs_an_account(client):
    post = published_reply(published_thread(), body="hm")
    reporter = poster("lena")
    client.force_login(reporter)
    for _ in range(2):
        response = client.post(f"/en/forum/p/{post.pk}/report/", {"reason": "spam"})
        assert response.status_code == 302
    post.refresh_from_db()
    assert post.open_reports == 1 and Report.objects.count() == 1
    response = client.post(f"/en/forum/p/{post.pk}/report/", {"reason": "", "comment": "kept text"})
    assert "kept text" in response.content.decode() and response.status_code == 200
    client.logout()
    assert "/accounts/login/" in client.get(f"/en/forum/p/{post.pk}/report/")["Location"]


def test_a_hidden_post_is_gone_for_readers(client, counselor):
    thread = published_thread()
    post = published_reply(thread, author=poster("lena"), body="Something nasty")
    report(post, 3)
    client.force_login(counselor)
    response = client.post(f"/en/staff/forum/posts/{post.pk}/hide/", {"reason": "insult"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.HIDDEN and post.open_reports == 0
    assert not Report.objects.filter(resolved_at=None).exists()
    for reader in (poster("reader"), post.author):
        client.force_login(reader)
        assert "Something nasty" not in client.get(f"/en/forum/t/{thread.pk}/").content.decode()
        assert client.get(f"/en/forum/p/{post.pk}/report/").status_code == 404
    client.logout()
    assert "Something nasty" not in client.get(f"/en/forum/t/{thread.pk}/").content.decode()


def test_hiding_the_opening_post_takes_the_thread_away(client, counselor):
    thread = published_thread(title="Bad thread")
    services.post_hide(post=thread.posts.get(), moderator=counselor, reason="spam")
    thread.refresh_from_db()
    assert thread.status == PostStatus.HIDDEN
    client.force_login(poster("reader"))
    assert client.get(f"/en/forum/t/{thread.pk}/").status_code == 404
    assert "Bad thread" not in client.get(f"/en/forum/c/{thread.category_id}/").content.decode()


def test_a_youth_cannot_moderate(client, youth):
    post = pending_post()
    client.force_login(youth)
    assert client.get("/en/staff/forum/").status_code == 403
    assert client.post(f"/en/staff/forum/posts/{post.pk}/approve/").status_code == 403
    assert client.post(f"/en/staff/forum/posts/{post.pk}/hide/", {"reason": "x"}).status_code == 403
    assert (
        client.post("/en/staff/forum/words/", {"word": "x", "action": "block", "kind": "general"}).status_code
        == 403
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING and not WatchedWord.objects.exists()


def test_a_visitor_is_sent_to_the_login(client):
    post = pending_post()
    assert "/accounts/login/" in client.post(f"/en/staff/forum/posts/{post.pk}/approve/")["Location"]
    assert Post.objects.get(pk=post.pk).status == PostStatus.PENDING


@pytest.mark.parametrize("role", [Role.EDITOR, Role.NETWORK_PARTNER, Role.SITE_LEAD, Role.TRAINEE_COUNSELOR])
def test_staff_without_the_forum_permission_cannot_moderate(client, role):
    post = pending_post()
    client.force_login(staff_with_totp(roles=[role]))
    assert client.get("/en/staff/forum/").status_code == 403
    assert client.get(f"/en/staff/forum/posts/{post.pk}/").status_code == 403
    assert client.post(f"/en/staff/forum/posts/{post.pk}/approve/").status_code == 403
    assert client.get("/en/staff/forum/words/").status_code == 403
    assert Post.objects.get(pk=post.pk).status == PostStatus.PENDING


@pytest.mark.parametrize("setup", ["site_a", "site_b", "no_site", "mentor"])
def test_a_counselor_of_any_site_can_moderate(client, setup):
    roles = [Role.MENTOR] if setup == "mentor" else [Role.COUNSELOR]
    moderator = staff_with_totp(roles=roles)
    if setup.startswith("site"):
        site_counselor_grant(user=moderator, site=SiteFactory())
    post = pending_post()
    client.force_login(moderator)
    assert client.get("/en/staff/forum/").status_code == 200
    assert client.post(f"/en/staff/forum/posts/{post.pk}/approve/").status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.moderated_by == moderator
    assert ModerationAction.objects.filter(post=post, kind="approve", actor=moderator).exists()


def test_edit_with_a_note_is_shown_to_readers(client, counselor):
    post = pending_post("Call me 0176 12345678 please")
    client.force_login(counselor)
    client.post(
        f"/en/staff/forum/posts/{post.pk}/edit/",
        {"body": "Call me [removed] please", "note": "phone number removed", "approve": "on"},
    )
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.body == "Call me [removed] please"
    client.force_login(poster("reader"))
    page = client.get(f"/en/forum/t/{post.thread_id}/").content.decode()
    assert "Changed by the moderation team: phone number removed" in page and "0176" not in page


def test_an_edit_without_a_note_comes_back_with_the_text(client, counselor):
    post = pending_post("original")
    client.force_login(counselor)
    response = client.post(f"/en/staff/forum/posts/{post.pk}/edit/", {"body": "changed text", "note": ""})
    assert response.status_code == 200 and "changed text" in response.content.decode()
    assert Post.objects.get(pk=post.pk).body == "original"


def test_lock_a_thread_from_the_moderation_page(client, counselor):
    post = published_reply(published_thread(), body="x")
    client.force_login(counselor)
    response = client.post(f"/en/staff/forum/threads/{post.thread_id}/lock/", {"lock": "1", "post": post.pk})
    assert response["Location"].endswith(f"/staff/forum/posts/{post.pk}/")
    post.thread.refresh_from_db()
    assert post.thread.is_locked


def test_suspend_a_poster_for_a_period(client, counselor):
    author = poster("lena", published_posts=10)
    post = published_reply(published_thread(), author=author)
    client.force_login(counselor)
    client.post(f"/en/staff/forum/posts/{post.pk}/suspend/", {"days": "3", "reason": "insults"})
    profile = author.forum_profile
    profile.refresh_from_db()
    assert profile.is_suspended()
    assert profile.is_suspended(timezone.now() + timedelta(days=2, hours=23))
    assert not profile.is_suspended(timezone.now() + timedelta(days=3, minutes=1))
    with pytest.raises(services.PosterSuspended):
        services.post_reply(thread=post.thread, author=author, body="again")


def test_moderators_maintain_watched_words_per_language(client, counselor):
    client.force_login(counselor)
    data = {"word": " Idiot ", "language": "de", "action": "block", "kind": "general"}
    assert client.post("/en/staff/forum/words/", data).status_code == 302
    word = WatchedWord.objects.get()
    assert (word.word, word.language, word.created_by) == ("idiot", "de", counselor)
    response = client.post("/en/staff/forum/words/", data)
    assert response.status_code == 200 and WatchedWord.objects.count() == 1
    client.post(f"/en/staff/forum/words/{word.pk}/delete/")
    assert not WatchedWord.objects.exists()


def test_a_counselor_invites_the_author_who_accepts_first(client, counselor, other_youth):
    CounselorProfile.objects.create(user=counselor, languages=["ru"])
    author = poster("katya", published_posts=10)
    category = CategoryFactory(topic="family", language="ru")
    post = services.thread_create(category=category, author=author, title="Дома плохо", body="Мне страшно")
    client.force_login(counselor)
    client.post(f"/en/staff/forum/posts/{post.pk}/invite/", {"message": "Let us talk in private."})
    invitation = CaseInvitation.objects.get()
    assert invitation.youth == author and not Case.objects.exists()  # nothing opens before the yes

    client.force_login(other_youth)
    assert client.get(f"/en/forum/invitations/{invitation.pk}/").status_code == 404
    client.force_login(author)
    assert "Invitation from" in client.get("/en/forum/me/").content.decode()
    assert "Let us talk in private." in client.get(f"/en/forum/invitations/{invitation.pk}/").content.decode()
    response = client.post(
        f"/en/forum/invitations/{invitation.pk}/", {"answer": "accept", "body": "Да, давайте поговорим"}
    )
    case = Case.objects.get()
    assert response["Location"].endswith(f"/cases/{case.public_id}/")
    assert (case.youth, case.counselor, case.topic, case.language) == (author, counselor, "family", "ru")
    invitation.refresh_from_db()
    assert invitation.status == "accepted" and invitation.case_public_id == case.public_id
    # Accepting twice opens no second case.
    client.post(f"/en/forum/invitations/{invitation.pk}/", {"answer": "accept", "body": "again"})
    assert Case.objects.count() == 1


def test_a_declined_invitation_opens_nothing(client, counselor):
    author = poster("katya", published_posts=10)
    post = published_reply(published_thread(), author=author)
    invitation = services.invitation_create(post=post, counselor=counselor, message="Hi")
    client.force_login(author)
    client.post(f"/en/forum/invitations/{invitation.pk}/", {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == "declined" and not Case.objects.exists()


def test_moderators_keep_the_categories_per_topic_and_language(client, counselor, youth):
    client.force_login(youth)
    assert client.get("/en/staff/forum/categories/").status_code == 403
    client.force_login(counselor)
    data = {
        "topic": "health",
        "language": "uk",
        "name": "",
        "description": "",
        "is_sensitive": "on",
        "position": 0,
    }
    assert client.post("/en/staff/forum/categories/", data).status_code == 302
    category = Category.objects.get()
    assert (category.topic, category.language, category.is_sensitive) == ("health", "uk", True)
    response = client.post("/en/staff/forum/categories/", data)  # the same topic and language again
    assert response.status_code == 200 and Category.objects.count() == 1
    client.post(f"/en/staff/forum/categories/{category.pk}/", {**data, "is_sensitive": ""})
    category.refresh_from_db()
    assert not category.is_sensitive
