"""Posting: pseudonyms, pre-moderation, contact details, watched words, suspension, counselor answers."""

import pytest
from django.utils import timezone

from counseling.forum import services
from counseling.forum.models import ForumProfile, Post, PostStatus, Thread, WatchedWord
from counseling.forum.tests.factories import CategoryFactory, poster, published_reply, published_thread
from hub.roles import Role
from hub.tests.factories import UserFactory, staff_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def category():
    return CategoryFactory(topic="work", language="en")


def new_thread(client, category, **data):
    data = {"title": "Apprenticeship or university?", "body": "What do you think is better?", **data}
    return client.post(f"/en/forum/c/{category.pk}/new/", data, follow=True)


def test_a_new_accounts_first_post_is_invisible_to_others_until_approved(
    client, category, youth, other_youth, counselor
):
    client.force_login(youth)
    response = new_thread(client, category, pseudonym="sunflower")
    assert ForumProfile.objects.get(user=youth).pseudonym == "sunflower"
    post = Post.objects.get()
    assert post.status == PostStatus.PENDING and "new_poster" in post.hold_reasons
    assert "What do you think is better?" in response.content.decode()  # the author sees it
    assert "Only you can see it" in response.content.decode()

    thread_url = f"/en/forum/t/{post.thread_id}/"
    client.force_login(other_youth)
    assert client.get(thread_url).status_code == 404
    assert "Apprenticeship" not in client.get(f"/en/forum/c/{category.pk}/").content.decode()
    client.logout()
    assert client.get(thread_url).status_code == 404
    assert "0 threads" in client.get("/en/forum/?language=en").content.decode()

    services.post_approve(post=post, moderator=counselor)
    client.force_login(other_youth)
    assert "What do you think is better?" in client.get(thread_url).content.decode()
    assert "Apprenticeship" in client.get(f"/en/forum/c/{category.pk}/").content.decode()
    assert "1 thread" in client.get("/en/forum/?language=en").content.decode()


def test_a_post_with_a_phone_number_is_held_and_the_author_is_told_why(client, category):
    trusted = poster("lena", published_posts=10)
    thread = published_thread(category=category)
    client.force_login(trusted)
    body = "Call me: 0176 12345678, we can talk"
    response = client.post(f"/en/forum/t/{thread.pk}/", {"body": body}, follow=True)
    post = Post.objects.get(author=trusted)
    assert post.status == PostStatus.PENDING and post.hold_reasons == ["phone"]
    assert post.body == body  # the text is kept
    page = response.content.decode()
    assert "seems to contain contact details" in page
    assert "a phone number" in page and body in page

    client.force_login(UserFactory(roles=[Role.YOUTH]))
    assert body not in client.get(f"/en/forum/t/{thread.pk}/").content.decode()


def test_email_and_social_handles_are_held_too(category):
    trusted = poster("lena", published_posts=10)
    thread = published_thread(category=category)
    mail = services.post_reply(thread=thread, author=trusted, body="write to lena.k@gmail.com")
    insta = services.post_reply(thread=thread, author=trusted, body="my insta is instagram.com/lena09")
    plain = services.post_reply(thread=thread, author=trusted, body="I had the same question last year.")
    assert (mail.status, mail.hold_reasons) == (PostStatus.PENDING, ["email"])
    assert (insta.status, insta.hold_reasons) == (PostStatus.PENDING, ["social"])
    assert plain.status == PostStatus.PUBLISHED


def test_trusted_posters_skip_pre_moderation_but_sensitive_categories_never_do(settings):
    settings.FORUM_TRUSTED_AFTER_POSTS = 3
    almost = poster("almost", published_posts=2)
    trusted = poster("trusted", published_posts=3)
    normal = CategoryFactory(topic="school", language="de")
    sensitive = CategoryFactory(topic="health", language="de", is_sensitive=True)
    assert (
        services.thread_create(category=normal, author=almost, title="Frage", body="Hallo").status
        == "pending"
    )
    assert (
        services.thread_create(category=normal, author=trusted, title="Frage", body="Hallo").status
        == "published"
    )
    held = services.thread_create(category=sensitive, author=trusted, title="Frage", body="Hallo")
    assert (held.status, held.hold_reasons) == (PostStatus.PENDING, ["sensitive"])


def test_approved_posts_make_a_poster_trusted(settings, counselor):
    settings.FORUM_TRUSTED_AFTER_POSTS = 2
    user = poster("newbie")
    category = CategoryFactory()
    for _ in range(2):
        post = services.thread_create(category=category, author=user, title="Frage", body="Hallo")
        assert post.status == PostStatus.PENDING
        services.post_approve(post=post, moderator=counselor)
    assert (
        services.thread_create(category=category, author=user, title="Frage", body="Hallo").status
        == "published"
    )


def test_a_blocked_word_refuses_the_post_and_keeps_the_text(client, category):
    WatchedWord.objects.create(word="idiot", language="en", action=WatchedWord.Action.BLOCK)
    client.force_login(poster("lena", published_posts=10))
    response = new_thread(client, category, body="You are all idiot people, idiot!")
    assert response.status_code == 200
    page = response.content.decode()
    assert "words that are not allowed here: idiot" in page
    assert "You are all idiot people, idiot!" in page and "Apprenticeship or university?" in page
    assert not Post.objects.exists() and not Thread.objects.exists()


def test_a_refused_first_post_keeps_the_forum_name_free(client, category, youth):
    WatchedWord.objects.create(word="idiot", language="en", action=WatchedWord.Action.BLOCK)
    client.force_login(youth)
    new_thread(client, category, pseudonym="sunflower", body="idiot")
    assert not ForumProfile.objects.exists()
    new_thread(client, category, pseudonym="sunflower")
    assert ForumProfile.objects.get().pseudonym == "sunflower"


def test_a_watched_word_holds_the_post(category):
    WatchedWord.objects.create(word="drugs", language="en")
    post = services.thread_create(
        category=category, author=poster("lena", published_posts=10), title="Q", body="Where to buy drugs?"
    )
    assert (post.status, post.hold_reasons) == (PostStatus.PENDING, ["watched_word"])


def test_forum_names_must_not_reveal_who_someone_is(client, category, youth):
    poster("taken", pseudonym="sunflower")
    client.force_login(youth)
    page = new_thread(client, category, pseudonym="amira@example.com").content.decode()
    assert "This looks like an e-mail address" in page and "What do you think is better?" in page
    page = new_thread(client, category, pseudonym="Sunflower").content.decode()
    assert "This forum name is taken" in page
    assert not Post.objects.exists()


def test_a_suspended_poster_is_told_until_when_and_loses_nothing(client, category, counselor):
    user = poster("lena", published_posts=10)
    thread = published_thread(category=category)
    reply = published_reply(thread, author=user)
    services.poster_suspend(post=reply, moderator=counselor, days=7, reason="insults")
    client.force_login(user)
    page = client.get(f"/en/forum/t/{thread.pk}/").content.decode()
    assert "paused your account" in page and "Reason: insults" in page
    response = client.post(f"/en/forum/t/{thread.pk}/", {"body": "Let me say this once more"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "You cannot post until" in page and "Let me say this once more" in page
    assert Post.objects.filter(author=user).count() == 1

    services.poster_suspend(post=reply, moderator=counselor, days=0, reason="")
    assert services.post_reply(thread=thread, author=user, body="Sorry").status == PostStatus.PUBLISHED


def test_counselor_answers_go_online_at_once_with_the_badge(client, category, counselor):
    counselor.display_name = "Deniz"
    counselor.save()
    thread = published_thread(category=category, author=poster("lena"))
    client.force_login(counselor)
    client.post(f"/en/forum/t/{thread.pk}/", {"body": "Both are possible; let me explain."})
    answer = Post.objects.get(author=counselor)
    assert answer.status == PostStatus.PUBLISHED and answer.is_counselor_answer
    client.force_login(UserFactory(roles=[Role.YOUTH]))
    page = client.get(f"/en/forum/t/{thread.pk}/").content.decode()
    assert 'class="forum-post from-counselor' in page and "Deniz" in page
    assert '<span class="badge badge-counselor">Counselor</span>' in page
    thread.refresh_from_db()
    assert thread.has_counselor_answer and thread.reply_count == 1


@pytest.mark.parametrize(
    "role", [Role.EDITOR, Role.NETWORK_PARTNER, Role.COORDINATOR, Role.TRAINEE_COUNSELOR]
)
def test_posting_needs_a_youth_account_or_a_counselor(client, category, role):
    thread = published_thread(category=category)
    client.force_login(staff_with_totp(roles=[role]))
    assert client.get(f"/en/forum/c/{category.pk}/new/").status_code == 403
    assert client.post(f"/en/forum/t/{thread.pk}/", {"body": "Hello"}).status_code == 403
    assert not Post.objects.filter(body="Hello").exists()


def test_visitors_read_but_sign_in_to_post_and_chat_guests_cannot_post(client, category):
    thread = published_thread(category=category)
    page = client.get(f"/en/forum/t/{thread.pk}/").content.decode()
    assert "Was ist besser?" in page
    assert 'name="robots" content="noindex' in page
    assert "to write an answer" in page
    assert client.post(f"/en/forum/t/{thread.pk}/", {"body": "Hi"}).status_code == 403
    assert "/accounts/login/" in client.get(f"/en/forum/c/{category.pk}/new/")["Location"]
    guest = UserFactory(roles=[Role.YOUTH], is_guest=True)
    client.force_login(guest)
    assert client.post(f"/en/forum/t/{thread.pk}/", {"body": "Hi"}).status_code == 403


def test_a_locked_thread_takes_no_more_answers_except_from_moderators(client, category, counselor):
    thread = published_thread(category=category)
    services.thread_lock(thread=thread, moderator=counselor, locked=True)
    client.force_login(poster("lena", published_posts=10))
    page = client.get(f"/en/forum/t/{thread.pk}/").content.decode()
    assert "This thread is closed" in page and 'id="reply"' not in page
    assert client.post(f"/en/forum/t/{thread.pk}/", {"body": "Hi"}).status_code == 403
    client.force_login(counselor)
    assert client.post(f"/en/forum/t/{thread.pk}/", {"body": "Closing note"}).status_code == 302


def test_the_thread_author_marks_a_counselors_answer_as_helpful(client, category, counselor):
    author = poster("lena")
    thread = published_thread(category=category, author=author)
    peer = published_reply(thread, author=poster("timur"), body="peer")
    answer = published_reply(thread, author=counselor, body="counselor", counselor=True)
    client.force_login(poster("other"))
    assert client.post(f"/en/forum/p/{answer.pk}/helpful/", {"helpful": "1"}).status_code == 403
    client.force_login(author)
    assert client.post(f"/en/forum/p/{peer.pk}/helpful/", {"helpful": "1"}).status_code == 403
    client.post(f"/en/forum/p/{answer.pk}/helpful/", {"helpful": "1"})
    answer.refresh_from_db()
    assert answer.is_helpful
    assert "Helpful answer" in client.get(f"/en/forum/t/{thread.pk}/").content.decode()


def test_self_harm_posts_show_the_support_box_in_the_readers_language(client, counselor):
    WatchedWord.objects.create(word="убить себя", language="ru", kind=WatchedWord.Kind.SELF_HARM)
    category = CategoryFactory(topic="health", language="ru")
    post = services.thread_create(
        category=category,
        author=poster("katya", published_posts=10),
        title="Мне плохо",
        body="Хочу убить себя",
    )
    assert post.status == PostStatus.PENDING and post.is_self_harm and "self_harm" in post.hold_reasons
    services.post_approve(post=post, moderator=counselor)
    client.force_login(poster("reader"))
    english = client.get(f"/en/forum/t/{post.thread_id}/").content.decode()
    assert "You are not alone" in english and "116 111" in english and "0800 111 0 111" in english
    calm = published_thread(category=category)
    assert "116 111" not in client.get(f"/en/forum/t/{calm.pk}/").content.decode()
    # A moderator may mark a post by hand, too.
    services.post_flag_self_harm(post=Post.objects.get(thread=calm), moderator=counselor, flagged=True)
    assert "116 111" in client.get(f"/en/forum/t/{calm.pk}/").content.decode()


def test_categories_are_shown_in_the_readers_language_first(client):
    CategoryFactory(topic="work", language="ru")
    CategoryFactory(topic="housing", language="de")
    russian = client.get("/ru/forum/").content.decode()
    assert 'href="/ru/forum/c/' in russian
    assert client.get("/en/forum/?language=ru").context["categories"].count() == 1
    assert client.get("/en/forum/?language=all").context["categories"].count() == 2


def test_replying_follows_the_thread_and_posts_record_their_time(category):
    user = poster("lena", published_posts=10)
    thread = published_thread(category=category)
    before = timezone.now()
    post = services.post_reply(thread=thread, author=user, body="Hi")
    assert thread.watches.filter(user=user).exists()
    thread.refresh_from_db()
    assert thread.last_post_at >= before and post.published_at == thread.last_post_at


def test_the_author_takes_the_number_out_and_the_post_appears(client, category):
    author = poster("lena", published_posts=10)
    thread = published_thread(category=category)
    post = services.post_reply(thread=thread, author=author, body="Call me: 0176 12345678")
    client.force_login(poster("other"))
    assert client.get(f"/en/forum/p/{post.pk}/edit/").status_code == 404
    client.force_login(author)
    assert "Change your post" in client.get(f"/en/forum/t/{thread.pk}/").content.decode()
    response = client.post(f"/en/forum/p/{post.pk}/edit/", {"body": "Call me: 0176 1234"}, follow=True)
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING and "0176 1234" in response.content.decode()
    client.post(f"/en/forum/p/{post.pk}/edit/", {"body": "Ask me here in the forum instead."})
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.hold_reasons == []
    assert client.get(f"/en/forum/p/{post.pk}/edit/").status_code == 404  # published: no more edits
