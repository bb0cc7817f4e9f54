"""A reader opens "Bankkonto eröffnen" (slug bankkonto-eröffnen, made by Wagtail from the German title)
from the knowledge list in Chromium, in Ukrainian and in Arabic: the browser sends the percent-encoded
path, the article opens without a redirect, the note names German in the reader's language, and
reloading the address stays on it."""

from urllib.parse import quote

import pytest

from knowledge.tests.factories import article_create

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "german"), [("uk", "німецька"), ("ar", "الألمانية")])
def test_reader_follows_the_list_link_to_an_article_with_an_umlaut_slug(page, live_server, language, german):
    article = article_create(
        title_de="Bankkonto eröffnen",
        slug="bankkonto-eröffnen",
        body_de="Für Lohn und Miete brauchst du ein Konto. Jede Person hat das Recht auf ein Basiskonto.",
    )
    canonical = f"/{language}/knowledge/{article.pk}/{quote('bankkonto-eröffnen')}/"
    assert article.reader_url(language) == canonical

    page.goto(f"/{language}/knowledge/")
    documents = []
    page.on(
        "response",
        lambda response: documents.append(response) if response.request.is_navigation_request() else None,
    )
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="Bankkonto eröffnen").click()
    response = navigation.value
    assert response.status == 200
    assert response.request.redirected_from is None  # straight to the canonical address, no hop
    assert page.url == live_server.url + canonical
    assert page.inner_text("article h1") == "Bankkonto eröffnen"
    assert f": {german}." in page.inner_text(".translation-note")

    # The address as the browser shows and sends it again (reload, a shared link) is stable.
    response = page.reload()
    assert response.status == 200 and response.request.redirected_from is None
    assert page.url == live_server.url + canonical
    assert [doc.status for doc in documents] == [200, 200]
