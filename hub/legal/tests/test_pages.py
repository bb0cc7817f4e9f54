"""The legal pages: there after migrate, in every language (German where a translation is missing, with a
note), retention periods read live, the footer's cached query."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.legal.models import LegalKind, LegalPage
from hub.legal.services import legal_pages_ensure
from hub.retention import retention_policy_set

# Laid by migrate; laid again here where a transactional test's flush (or a reused database) removed them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legal_pages")]

CODES = [code for code, _name in settings.LANGUAGES]


def article_language(html: str) -> str:
    return re.search(r'<article class="article legal-page" lang="(\w+)" dir="(\w+)"', html)[1]


def test_ensuring_twice_keeps_what_coordinators_wrote():
    page = LegalPage.objects.get(kind=LegalKind.IMPRINT)
    page.title_de = "Impressum (geändert)"
    page.save()
    legal_pages_ensure()
    assert LegalPage.objects.count() == len(LegalKind.values)
    assert LegalPage.objects.get(kind=LegalKind.IMPRINT).title_de == "Impressum (geändert)"


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("kind", LegalKind.values)
def test_every_page_answers_in_every_language(client, code, kind):
    response = client.get(f"/{code}/legal/{kind}/")
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if code == "ar" else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html
    # The page in the reader's language, or the German binding text with a note saying so.
    shown = article_language(html)
    if shown == code:
        if code != "de":
            assert 'href="/de/legal/' in html  # the binding German text, one click away
    else:
        assert shown == "de"
        assert 'class="message message-info translation-note"' in html


def test_a_missing_translation_shows_the_german_text_with_a_note(client):
    page = LegalPage.objects.get(kind=LegalKind.PRIVACY)
    page.body_fr = []
    page.save()
    html = client.get("/fr/legal/privacy/").content.decode()
    assert article_language(html) == "de"
    assert "translation-note" in html
    assert "Datenschutzbeauftragte" in html


def test_the_translation_says_the_german_text_is_binding(client):
    html = client.get("/en/legal/privacy/").content.decode()
    assert article_language(html) == "en"
    assert "Only the German text is legally binding." in html
    assert 'href="/de/legal/privacy/"' in html
    german = client.get("/de/legal/privacy/").content.decode()
    assert "translation-note" not in german


def test_an_unknown_kind_or_an_unpublished_page_is_not_found(client):
    assert client.get("/de/legal/nothing/").status_code == 404
    LegalPage.objects.get(kind=LegalKind.IMPRINT).unpublish()
    assert client.get("/de/legal/imprint/").status_code == 404


def test_retention_periods_are_read_live_from_the_coordinators_settings(client, coordinator):
    html = client.get("/en/legal/privacy/").content.decode()
    assert "Cases, after closing or after the last message" in html
    assert "180 days" in html and "48 hours" in html
    retention_policy_set(key="closed_cases", value=90, actor=coordinator)
    html = client.get("/en/legal/privacy/").content.decode()
    assert "90 days" in html and "180 days" not in html.split("Cases, after closing")[1].split("</tr>")[0]


def test_the_summary_for_young_people_lists_their_periods_in_plain_words(client):
    html = client.get("/en/legal/privacy-summary/").content.decode()
    assert "Your account, if you never ask a question" in html
    assert "Audit log entries" not in html  # staff matters stay in the full notice
    assert 'href="/en/legal/privacy/"' in html


def test_the_footer_costs_one_query_then_comes_from_the_cache(client):
    def legal_queries(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return [q["sql"] for q in queries.captured_queries if "legal_legalpage" in q["sql"]]

    assert len(legal_queries("/de/knowledge/")) == 1
    assert legal_queries("/ar/knowledge/") == []
    assert legal_queries("/de/accounts/login/") == []


def test_unpublishing_a_page_takes_its_footer_link_away_at_once(client):
    assert 'data-legal="privacy-summary"' in client.get("/de/").content.decode()
    LegalPage.objects.get(kind=LegalKind.PRIVACY_SUMMARY).unpublish()
    html = client.get("/de/").content.decode()
    assert 'data-legal="privacy-summary"' not in html
    assert 'data-legal="imprint"' in html


def test_the_ask_page_links_the_summary_near_the_form(client):
    html = client.get("/ar/ask/").content.decode()
    main = html[html.index("</form>") : html.index('<footer class="site-footer">')]
    assert 'href="/ar/legal/privacy-summary/"' in main
