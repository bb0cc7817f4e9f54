"""Watching a thread: a live event on the site, "My forum" without JavaScript, and a mail notice
without content through a real Celery worker and SMTP."""

import email
import email.policy
import time

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from counseling.forum import services
from counseling.forum.tests.factories import CategoryFactory, poster, published_thread
from hub.asgi import application

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


@pytest.mark.django_db
def test_my_forum_lists_unread_watched_threads_without_javascript(client):
    reader = poster("reader", published_posts=10)
    thread = published_thread(title="Visa question")
    quiet = published_thread(title="Quiet thread")
    services.watch_set(thread=thread, user=reader, watching=True)
    services.watch_set(thread=quiet, user=reader, watching=True)
    services.post_reply(thread=thread, author=poster("writer", published_posts=10), body="news")
    client.force_login(reader)
    page = client.get("/en/forum/me/").content.decode()
    assert page.index("Visa question") < page.index("Quiet thread")
    assert page.count('class="badge badge-new"') == 1
    client.get(f"/en/forum/t/{thread.pk}/")
    assert 'class="badge badge-new"' not in client.get("/en/forum/me/").content.decode()


@pytest.mark.django_db
def test_follow_and_unfollow(client):
    reader = poster("reader")
    thread = published_thread()
    client.force_login(reader)
    client.post(f"/en/forum/t/{thread.pk}/watch/", {"watch": "1"})
    assert thread.watches.filter(user=reader).exists()
    assert "Stop following" in client.get(f"/en/forum/t/{thread.pk}/").content.decode()
    client.post(f"/en/forum/t/{thread.pk}/watch/", {"watch": "0"})
    assert not thread.watches.exists()


@pytest.mark.django_db(transaction=True)
async def test_a_watcher_gets_a_live_event_when_a_post_is_approved(counselor):
    reader, author = await sync_to_async(poster)("reader"), await sync_to_async(poster)("author")
    thread = await sync_to_async(published_thread)()
    await sync_to_async(services.watch_set)(thread=thread, user=reader, watching=True)
    post = await sync_to_async(services.post_reply)(thread=thread, author=author, body="new answer")
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=ORIGIN)
    communicator.scope["user"] = reader
    connected, _ = await communicator.connect()
    assert connected and await communicator.receive_nothing(timeout=0.2)
    await sync_to_async(services.post_approve)(post=post, moderator=counselor)
    assert await communicator.receive_json_from(timeout=5) == {"kind": "forum", "thread": thread.pk}
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()


@pytest.mark.usefixtures("celery_worker")
def test_a_watcher_with_an_address_gets_one_mail_without_content(smtp_sink, settings):
    reader = poster("reader")
    reader.email = "reader@example.org"
    reader.save()
    no_address = poster("silent")
    writer = poster("writer", published_posts=10)
    thread = published_thread(category=CategoryFactory(language="ru"), title="Секретная тема")
    for user in (reader, no_address):
        services.watch_set(thread=thread, user=user, watching=True)
    services.post_reply(thread=thread, author=writer, body="Секретный ответ")
    services.post_reply(thread=thread, author=writer, body="Ещё один ответ")  # no second mail before a visit
    deadline = time.monotonic() + 20
    while not smtp_sink.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)
    assert [message["to"] for message in smtp_sink.messages] == [["reader@example.org"]]
    message = smtp_sink.messages[0]
    assert "no-reply@jmd-digital-hub.de" in message["from"]
    # Decoded: a Russian mail goes out base64-encoded, and the checks below must read its words.
    mail = email.message_from_string(message["data"], policy=email.policy.default)
    data = f"{mail['subject']}\n{mail.get_body(preferencelist=('plain',)).get_content()}"
    assert "/ru/forum/me/" in data
    assert "Секрет" not in data and "ответ" not in data and "Ещё" not in data
    assert "writer" not in data
