"""Whole youth pages kept for visitors (hub/visitor_pages.py, issue 19): every decorated page is served
from the store on the next visitor's request, the same page with its own CSRF token, nonce and
idempotency key (which validate); a signed-in person, a session with data or a message never gets a
kept page nor leaves one; a change of the data shows on the next request."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpResponse
from django.test import Client

from counseling.forum.tests.factories import CategoryFactory, poster, published_reply, published_thread
from hub import visitor_pages
from knowledge import views as knowledge_views
from knowledge.tests.factories import article_create
from tests.test_youth_pages_cached import _sites

pytestmark = pytest.mark.django_db
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')


@pytest.fixture
def pages(db):
    """Every youth page that keeps a visitor's page (the views under @visitor_page), by label."""
    _sites(5)
    article = article_create(title_de="Wohnung finden", body_de="Miete und Kaution.", topics=("housing",))
    thread = published_thread(category=CategoryFactory(topic="housing", language="de"), author=poster("ina"))
    published_reply(thread, body="Erste Antwort")
    return {
        "start": "/de/",
        "ask": "/de/ask/",
        "chat entry": "/de/chat/",
        "knowledge article": article.reader_url("de"),
        "knowledge search": "/de/knowledge/?q=Wohnung",
        "forum list": "/de/forum/",
        "forum thread": f"/de/forum/t/{thread.pk}/",
        "site finder": "/de/sites/?q=10115",
        "_article": article,
        "_thread": thread,
    }


def _public(pages) -> dict[str, str]:
    return {label: path for label, path in pages.items() if not label.startswith("_")}


def _counting_store(monkeypatch) -> dict[str, int]:
    """Counts the store's hits and fills (the store itself stays real)."""
    seen = {"hit": 0, "set": 0}
    get, put = visitor_pages.store.get, visitor_pages.store.set

    def counted_get(key, default=None):
        value = get(key, default)
        seen["hit"] += value is not None
        return value

    def counted_set(key, value, size):
        seen["set"] += 1
        put(key, value, size)

    monkeypatch.setattr(visitor_pages.store, "get", counted_get)
    monkeypatch.setattr(visitor_pages.store, "set", counted_set)
    return seen


def _holes_out(html: str) -> str:
    for pattern in (CSRF, NONCE, KEY):
        html = pattern.sub(lambda match: match.group().replace(match[1], "…"), html)
    return html


def test_every_page_is_kept_and_served_the_same_with_its_own_tokens(pages, monkeypatch):
    seen = _counting_store(monkeypatch)
    for label, path in _public(pages).items():
        before = dict(seen)
        client = Client()  # a new visitor (no CSRF cookie yet) fills the store; then they read it
        fresh = client.get(path)
        kept = client.get(path)
        assert fresh.status_code == kept.status_code == 200, label
        assert seen["set"] == before["set"] + 1 and seen["hit"] == before["hit"] + 1, label
        fresh_html, kept_html = fresh.content.decode(), kept.content.decode()
        assert _holes_out(fresh_html) == _holes_out(kept_html), label
        assert NONCE.findall(fresh_html), label  # the shell's scripts carry the nonce
        assert set(NONCE.findall(kept_html)) == {NONCE.search(kept_html)[1]} != {NONCE.search(fresh_html)[1]}
        assert f"'nonce-{NONCE.search(kept_html)[1]}'" in kept["Content-Security-Policy"], label
        for header in ("Content-Type", "Vary", "Cache-Control", "X-Frame-Options", "Content-Language"):
            assert fresh.get(header) == kept.get(header), (label, header)


def test_two_visitors_get_their_own_csrf_token_nonce_and_key_and_each_token_validates(pages):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/de/ask/")  # fills the store
    answers = [visitor.get("/de/ask/") for visitor in (first, second)]
    htmls = [answer.content.decode() for answer in answers]
    for pattern in (CSRF, NONCE, KEY):
        assert pattern.search(htmls[0])[1] != pattern.search(htmls[1])[1], pattern.pattern
    for visitor, html in zip((first, second), htmls, strict=True):
        assert settings.CSRF_COOKIE_NAME in visitor.cookies  # the cookie of the token, as on a fresh page
        posted = visitor.post("/de/ask/", {"csrfmiddlewaretoken": CSRF.search(html)[1], "body": ""})
        assert posted.status_code == 200  # the form with its errors: the token was accepted
    # Denial: one visitor's token does not pass with the other's cookie.
    crossed = second.post("/de/ask/", {"csrfmiddlewaretoken": CSRF.search(htmls[0])[1], "body": ""})
    assert crossed.status_code == 403


def test_a_signed_in_person_never_gets_a_visitors_page_nor_leaves_one(client, youth, pages, monkeypatch):
    seen = _counting_store(monkeypatch)
    visitor = Client()
    for label, path in _public(pages).items():
        visitor.get(path)  # kept
        client.force_login(youth)
        before = dict(seen)
        mine = client.get(path, follow=True)
        assert seen == before, label  # neither read nor filled for a signed-in person
        assert mine.status_code == 200, label
        html = mine.content.decode()
        assert "Abmelden" in html or "Sign out" in html, label  # the signed-in navigation
        client.logout()
        # The reverse: what the signed-in person saw is not what the next visitor gets.
        theirs = visitor.get(path).content.decode()
        assert "amira" not in theirs and "Abmelden" not in theirs, label


def test_a_visitor_with_a_session_or_a_message_gets_the_page_afresh(rf, pages, monkeypatch):
    Client().get("/de/")  # kept
    seen = _counting_store(monkeypatch)
    # A pending message (a visitor's go to the message cookie): shown, so the page is built afresh.
    note = Message(constants.SUCCESS, "Deine Frage ist angekommen.")
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = CookieStorage(rf.get("/"))._encode([note])
    assert "Deine Frage ist angekommen." in visitor.get("/de/").content.decode()
    # A session carrying data, signed in or not: never reads nor fills the store.
    session = SessionStore()
    session["chat_language"] = "ar"
    session.create()
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert other.get("/de/").status_code == 200
    assert seen == {"hit": 0, "set": 0}


def _request(rf, **cookies):
    request = rf.get("/de/")
    request.COOKIES.update(cookies)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.META["CSRF_COOKIE"] = "a" * 32
    return request


@pytest.mark.parametrize(
    "trace",
    ["session data", "cookie", "message", "not found", "no-store", "cache-control", "not html", "post"],
)
def test_a_response_with_a_trace_of_a_person_is_never_kept(rf, trace, monkeypatch):
    seen = _counting_store(monkeypatch)

    @visitor_pages.visitor_page
    def view(request):
        response = HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
        if trace == "session data":
            request.session["chosen"] = "x"
        elif trace == "cookie":
            response.set_cookie("seen", "1")
        elif trace == "message":
            request._messages.add(constants.INFO, "Hallo")
        elif trace == "not found":
            response.status_code = 404
        elif trace == "no-store":
            visitor_pages.no_store(request)
        elif trace == "cache-control":
            response["Cache-Control"] = "private"
        elif trace == "not html":
            response["Content-Type"] = "application/json"
        return response

    request = _request(rf)
    if trace == "post":
        request.method = "POST"
    view(request)
    view(request)
    assert seen["set"] == 0


def test_an_untouched_response_is_kept(rf, monkeypatch):
    seen = _counting_store(monkeypatch)

    @visitor_pages.visitor_page
    def view(request):
        return HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")

    view(_request(rf))
    assert view(_request(rf)).content == b"<p>page</p>"
    assert seen == {"hit": 1, "set": 1}


def test_text_that_opens_to_a_secret_the_visitor_knew_never_becomes_a_hole(rf, monkeypatch):
    """A visitor knows the secret of their own CSRF cookie and could plant a token of it in a forum post;
    if their request filled the store, the next visitor's token would appear in that post. Only a secret
    drawn in the filling request cuts holes; with a known one, such a page is not kept."""
    seen = _counting_store(monkeypatch)
    planted = "Q" * 64  # opens to "a" * 32, the secret of _request's cookie

    @visitor_pages.visitor_page
    def view(request):
        return HttpResponse(f"<p>{planted}</p>", content_type="text/html")

    assert view(_request(rf)).content == view(_request(rf)).content == f"<p>{planted}</p>".encode()
    assert seen["set"] == 0
    fresh = _request(rf)
    del fresh.META["CSRF_COOKIE"]  # no cookie: a secret is drawn in this request
    assert view(fresh).content == f"<p>{planted}</p>".encode()  # no longer opens to anything: text
    assert seen["set"] == 1


# --- a change shows on the next request -----------------------------------------------------------


def test_an_edited_article_shows_on_the_next_request(client, pages):
    path = pages["knowledge article"]
    assert "Wohnung finden" in client.get(path).content.decode()
    assert "Wohnung finden" in client.get(path).content.decode()  # kept
    article = pages["_article"]
    article.title_de = "Wohnung suchen"
    article.save_revision().publish()
    article.refresh_from_db()
    html = client.get(article.reader_url("de"), follow=True).content.decode()
    assert "Wohnung suchen" in html and "Wohnung finden" not in html


def test_a_new_reply_shows_on_the_next_request(client, pages):
    path = pages["forum thread"]
    client.get(path)
    assert "Zweite Antwort" not in client.get(path).content.decode()
    published_reply(pages["_thread"], body="Zweite Antwort")
    assert "Zweite Antwort" in client.get(path).content.decode()


def test_a_renamed_site_shows_on_the_next_request(client, pages):
    from sites.models import Site

    path = pages["site finder"]
    client.get(path)
    site = Site.objects.get(slug="ort-1")
    site.name = "JMD Umbenannt"
    site.save()
    assert "JMD Umbenannt" in client.get(path).content.decode()


def test_every_search_without_hits_is_recorded(client, pages, monkeypatch):
    recorded = []
    monkeypatch.setattr(knowledge_views.services, "search_miss_record", lambda **kw: recorded.append(kw))
    for _ in range(3):
        assert client.get("/de/knowledge/?q=Zauberwort").status_code == 200
    assert len(recorded) == 3


def test_the_store_is_bounded():
    assert visitor_pages.store.max_bytes <= 64 * 1024 * 1024
