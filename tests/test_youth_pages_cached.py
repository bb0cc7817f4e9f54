"""Youth pages with shared fragments (hub/fragments.py, issue 19): their queries stay constant from 5 to
500 sites, articles and posts, with the fragments warm and cold; what a fragment shows changes on the
very next request after the data does (denials included); a page from a fragment is the same page."""

import re
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from counseling import services as counseling_services
from counseling.forum import services as forum_services
from counseling.forum.models import Category, Post, PostStatus, Thread
from counseling.forum.tests.factories import CategoryFactory, poster, published_reply, published_thread
from hub import fragments
from knowledge.models import ArticlePage, ArticleTopic
from knowledge.tests.factories import article_create, articles_bulk
from sites.models import ProviderGroup, Site

pytestmark = pytest.mark.django_db


def _sites(count: int, start: int = 0) -> None:
    group, _ = ProviderGroup.objects.get_or_create(short_name="AWO", defaults={"name": "AWO e. V."})
    Site.objects.bulk_create(
        Site(
            name=f"JMD Ort {number}",
            slug=f"ort-{number}",
            provider_group=group,
            street="Weg 1",
            postcode=f"{10000 + number}",
            town=f"Ort {number}",
            federal_state="BE",
            latitude=Decimal("47.5") + Decimal(number % 50) / 10,
            longitude=Decimal("6.0") + Decimal(number // 50),
            languages=["de", "ar"],
        )
        for number in range(start, start + count)
    )
    fragments.bump("sites")  # bulk_create sends no signals (as sites/importer.py does)


def _posts(thread, count: int) -> None:
    author = thread.author
    Post.objects.bulk_create(
        Post(
            thread=thread, author=author, body=f"Antwort {n}", status=PostStatus.PUBLISHED, published_at=None
        )
        for n in range(count)
    )
    forum_services.thread_refresh(thread)


@pytest.fixture
def world(youth):
    """5 of each: sites, articles, forum threads and posts; the youth's own case."""
    _sites(5)
    article = article_create(title_de="Wohnung finden", body_de="Miete und Kaution.", topics=("housing",))
    articles_bulk(4)
    author = poster("schreiberin", published_posts=5)
    category = CategoryFactory(topic="housing", language="de")
    thread = published_thread(category=category, author=author, title="Wohnung in Köln?")
    _posts(thread, 4)
    case = counseling_services.enquiry_create(youth=youth, topic="housing", language="de", body="Hallo")
    return {"article": article, "thread": thread, "case": case, "category": category}


def _pages(world) -> dict[str, tuple[str, bool]]:
    """Each youth page: (path, signed in)."""
    return {
        "start": ("/de/", False),
        "ask": ("/de/ask/", False),
        "chat entry": ("/de/chat/", False),
        "knowledge article": (world["article"].reader_url("de"), False),
        "knowledge search": ("/de/knowledge/?q=Wohnung", False),
        "knowledge list": ("/de/knowledge/", False),
        "forum list": ("/de/forum/", False),
        "forum thread": (f"/de/forum/t/{world['thread'].pk}/", False),
        "forum thread, signed in": (f"/de/forum/t/{world['thread'].pk}/", True),
        "site finder": ("/de/sites/?q=10115", False),
        "own case page": (f"/de/cases/{world['case'].public_id}/", True),
    }


def _forget_fragments() -> None:
    fragments.local.clear()
    cache.clear()
    fragments.kept.drop()  # and the versions this process kept: the next request reads them anew


def _queries(client, path: str, *, cold: bool) -> int:
    if cold:
        _forget_fragments()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def _client_for(client, youth, signed_in: bool):
    client.logout()
    if signed_in:
        client.force_login(youth)
    return client


@pytest.mark.parametrize("cold", [True, False], ids=["cold", "warm"])
def test_queries_constant_from_5_to_500(client, youth, world, cold, django_assert_max_num_queries):
    pages = _pages(world)
    few = {}
    for label, (path, signed_in) in pages.items():
        _client_for(client, youth, signed_in).get(path)  # the session's first request does more
        few[label] = _queries(client, path, cold=cold)

    _sites(495, start=5)
    articles_bulk(495, start=5)
    _posts(world["thread"], 495)
    assert Site.objects.count() == ArticlePage.objects.count() == 500
    assert Post.objects.filter(thread=world["thread"]).count() == 500

    for label, (path, signed_in) in pages.items():
        _client_for(client, youth, signed_in)
        if cold:
            _forget_fragments()
        else:
            client.get(path)  # the fill drew new versions: warm the fragments again
        with django_assert_max_num_queries(few[label], info=label):
            assert client.get(path).status_code == 200


def test_warm_visitor_pages_need_no_query(client, world):
    """What is the same for every visitor comes from fragments and kept rows: no SQL at all."""
    for label, (path, signed_in) in _pages(world).items():
        if signed_in or label in {"ask", "start", "chat entry"}:
            continue  # (the others: sessions and the chat's availability have their own reads)
        client.get(path)
        assert _queries(client, path, cold=False) == 0, label


_PER_REQUEST = [
    (re.compile(r'nonce="[^"]+"'), 'nonce=""'),
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), "csrf"),
    (re.compile(r'name="idempotency_key" value="[^"]+"'), "key"),
]


def _normalised(html: str) -> str:
    for pattern, replacement in _PER_REQUEST:
        html = pattern.sub(replacement, html)
    return html


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
def test_a_page_from_fragments_is_the_same_page(client, youth, world, language):
    for label, (path, signed_in) in _pages(world).items():
        path = path.replace("/de/", f"/{language}/", 1)
        _client_for(client, youth, signed_in)
        _forget_fragments()
        cold = client.get(path, follow=True)
        warm = client.get(path, follow=True)
        assert cold.status_code == warm.status_code == 200, label
        assert _normalised(cold.content.decode()) == _normalised(warm.content.decode()), label


def test_per_request_values_stay_per_request(client):
    first, second = client.get("/de/ask/").content.decode(), client.get("/de/ask/").content.decode()
    key = re.compile(r'name="idempotency_key" value="([^"]+)"')
    nonce = re.compile(r'nonce="([^"]+)"')
    assert key.search(first)[1] != key.search(second)[1]
    assert nonce.search(first)[1] != nonce.search(second)[1]


def test_a_fragment_refuses_a_csrf_token_or_the_nonce(rf):
    template = Template('{% load fragments %}{% fragment "bad" %}{% csrf_token %}{% endfragment %}')
    request = rf.get("/")
    with pytest.raises(Exception, match="CSRF token or the CSP nonce"):
        template.render(Context({"csrf_token": "abc123", "request": request}))
    nonce = Template(
        '{% load fragments %}{% fragment "bad2" %}<script nonce="{{ csp_nonce }}">{% endfragment %}'
    )
    with pytest.raises(Exception, match="CSRF token or the CSP nonce"):
        nonce.render(Context({"csp_nonce": "n0nce-value"}))


# --- a change shows on the next request -------------------------------------------------------------


def test_a_renamed_site_shows_at_once_in_the_finder(client, world):
    assert "JMD Ort 115" not in client.get("/de/sites/?q=10115").content.decode()
    assert "JMD Ort 1" in client.get("/de/sites/?q=10115").content.decode()
    site = Site.objects.get(slug="ort-1")
    site.name = "JMD Umbenannt"
    site.save()
    html = client.get("/de/sites/?q=10115").content.decode()
    assert "JMD Umbenannt" in html and "JMD Ort 1<" not in html


def test_a_deleted_site_leaves_the_finder_at_once(client, world):
    client.get("/de/sites/?q=10115")
    Site.objects.get(slug="ort-1").delete()
    assert "ort-1/" not in client.get("/de/sites/?q=10115").content.decode()


def test_a_topic_added_shows_at_once(client, world):
    article = world["article"]
    assert "?topic=work" not in client.get(article.reader_url("de")).content.decode()
    ArticleTopic.objects.create(article=article, topic="work")
    assert "?topic=work" in client.get(article.reader_url("de")).content.decode()

    client.get("/de/forum/")
    Category.objects.create(topic="work", language="de", name="Arbeit und Ausbildung")
    assert "Arbeit und Ausbildung" in client.get("/de/forum/").content.decode()


def test_an_unpublished_article_is_gone_at_once_and_back_when_published(client, world):
    article = world["article"]
    assert client.get(article.reader_url("de")).status_code == 200
    assert "Wohnung finden" in client.get("/de/knowledge/?q=Wohnung").content.decode()
    assert "Wohnung finden" in client.get("/de/knowledge/").content.decode()

    ArticlePage.objects.get(pk=article.pk).unpublish()
    assert client.get(article.reader_url("de")).status_code == 404
    assert "Wohnung finden" not in client.get("/de/knowledge/?q=Wohnung").content.decode()
    assert "Wohnung finden" not in client.get("/de/knowledge/").content.decode()

    ArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert client.get(article.reader_url("de")).status_code == 200
    assert "Wohnung finden" in client.get("/de/knowledge/?q=Wohnung").content.decode()


def test_an_edited_article_shows_its_new_text_at_once(client, world):
    article = ArticlePage.objects.get(pk=world["article"].pk)
    client.get(article.reader_url("de"))
    article.title_de = "Eine Wohnung mieten"
    article.save_revision().publish()
    assert "Eine Wohnung mieten" in client.get(article.reader_url("de")).content.decode()


def test_a_hidden_post_is_gone_at_once(client, counselor, world):
    thread = world["thread"]
    reply = published_reply(thread, author=thread.author, body="Ruf mich an, geheime Nummer")
    path = f"/de/forum/t/{thread.pk}/"
    assert "geheime Nummer" in client.get(path).content.decode()
    forum_services.post_hide(post=reply, moderator=counselor, reason="Kontaktdaten")
    assert "geheime Nummer" not in client.get(path).content.decode()


def test_a_hidden_thread_is_gone_at_once(client, counselor, world):
    thread = world["thread"]
    path = f"/de/forum/t/{thread.pk}/"
    assert client.get(path).status_code == 200
    opening = thread.posts.get(is_opening=True)
    forum_services.post_hide(post=opening, moderator=counselor, reason="Spam")
    assert Thread.objects.get(pk=thread.pk).status != PostStatus.PUBLISHED
    assert client.get(path).status_code == 404


def test_a_new_reply_shows_at_once(client, world):
    thread = world["thread"]
    path = f"/de/forum/t/{thread.pk}/?page=last"
    client.get(path)
    published_reply(thread, author=thread.author, body="Ganz neue Antwort")
    forum_services.thread_refresh(thread)
    assert "Ganz neue Antwort" in client.get(path).content.decode()


def test_another_process_sees_a_change_at_once(client, world):
    """Another process keeps its own fragments; the version it reads from the shared cache tells it."""
    client.get("/de/sites/?q=10115")
    stale = dict(fragments.local.items)
    Site.objects.filter(slug="ort-1").update(name="JMD Anderswo")  # written elsewhere, bulk, no signal
    fragments.bump("sites")  # as the writing process does (signals, sites/importer.py)
    fragments.local.items.update(stale)  # this process still holds everything it built before
    assert "JMD Anderswo" in client.get("/de/sites/?q=10115").content.decode()


# --- what the fixed cost per request no longer builds (issue 19) -------------------------------------


def test_the_start_page_of_a_visitor_is_never_shown_to_a_signed_in_person(client, youth):
    _forget_fragments()
    visitor = client.get("/en/").content.decode()
    assert "/en/accounts/login/" in visitor
    client.force_login(youth)
    signed_in = client.get("/en/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in signed_in  # the sign-out form: this person's own
    # The visitor's line about signing up is not kept for the signed-in page, nor the other way round.
    hint = "no name, no e-mail address"
    assert hint in visitor and hint not in signed_in
    client.logout()
    assert hint in client.get("/en/").content.decode()


def test_a_warm_forum_list_builds_no_query(client, world, monkeypatch):
    from counseling.forum import selectors

    client.get("/de/forum/")

    def built():
        raise AssertionError("the categories' queryset was built for a kept list")

    monkeypatch.setattr(selectors, "categories", lambda **kwargs: built())
    assert client.get("/de/forum/").status_code == 200


def test_a_warm_blank_ask_form_reads_no_country_list(client, monkeypatch):
    from counseling import forms

    client.get("/de/ask/")

    def read():
        raise AssertionError("the country list was read for a kept blank form")

    monkeypatch.setattr(forms, "country_choices", read)
    assert client.get("/de/ask/").status_code == 200


def test_the_ask_form_still_checks_the_country_and_keeps_the_text(client, youth):
    client.force_login(youth)
    data = {
        "topic": "housing",
        "language": "de",
        "country": "XX",
        "body": "Meine Frage bleibt hier",
        "idempotency_key": str(uuid.uuid4()),
    }
    response = client.post("/de/ask/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "Meine Frage bleibt hier" in html
    assert "country" in response.context["form"].errors
    data["country"] = "TR"
    assert client.post("/de/ask/", data).status_code == 302
