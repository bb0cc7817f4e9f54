"""Every page of the portal, in every language, links the legal pages in its footer, and each link opens
that page in the same language (or the German binding text with a note).

Every page is checked by the every-page language walk (tests/test_language_leftovers.py), which renders
each page of the resolver for each role in each language once and applies this module's `footer_offence`
to the same response as its check of the language: one walk instead of two over the same pages. Here:
the footer's kinds, and each footer link followed to its page."""

import re

import pytest
from django.conf import settings

from hub.legal.models import LegalKind
from hub.legal.services import legal_pages_ensure

pytestmark = pytest.mark.django_db

CODES = [code for code, _name in settings.LANGUAGES]
FOOTER = re.compile(r'<footer class="site-footer">(.*?)</footer>', re.DOTALL)
LINK = re.compile(r'<a href="([^"]+)" data-legal="([^"]+)">')
BITV_KINDS = {"accessibility", "easy-language", "sign-language"}
# Wagtail's page-password form is its own (we use none).
NOT_THE_PORTALS_LAYOUT = re.compile(r"/pages/_util/")


def footer_links(html: str) -> dict[str, str]:
    footer = FOOTER.search(html)
    return {kind: href for href, kind in LINK.findall(footer[1])} if footer else {}


def footer_offence(url: str, html: str, language: str) -> str | None:
    """What is wrong with the legal footer of the page at `url` in `language`, or None. Every page in the
    portal's layout (an <html> document) has one, error pages (403, 404) included."""
    if "<html" not in html or NOT_THE_PORTALS_LAYOUT.search(url):
        return None
    links = footer_links(html)
    expected = {kind: f"/{language}/legal/{kind}/" for kind in LegalKind.values}
    if links != expected:
        return f"legal footer: {sorted(set(expected.items()) ^ set(links.items()))[:3]} wrong or missing"
    return None


def test_the_footer_kinds_include_the_bitv_pages():
    """BITV 2.0: the accessibility statement, Leichte Sprache and the DGS page are in every footer (the
    language walk checks every page for every kind)."""
    assert set(LegalKind.values) >= BITV_KINDS


def test_a_page_without_a_link_or_with_another_languages_link_is_caught():
    page = '<html lang="de"><footer class="site-footer">{}</footer></html>'
    links = "".join(f'<a href="/de/legal/{kind}/" data-legal="{kind}">x</a>' for kind in LegalKind.values)
    assert footer_offence("/de/", page.format(links), "de") is None
    assert footer_offence("/de/", page.format(links.replace('data-legal="imprint"', 'data-legal="x"')), "de")
    english_imprint = links.replace("/de/legal/imprint/", "/en/legal/imprint/")
    assert footer_offence("/de/", page.format(english_imprint), "de")
    assert footer_offence("/de/", page.format(""), "de")
    assert footer_offence("/de/", '{"not": "a page"}', "de") is None


@pytest.mark.parametrize("code", CODES)
def test_each_footer_link_opens_its_page_in_the_language(client, code):
    legal_pages_ensure()
    links = footer_links(client.get(f"/{code}/").content.decode())
    assert links == {kind: f"/{code}/legal/{kind}/" for kind in LegalKind.values}
    for href in links.values():
        response = client.get(href)
        assert response.status_code == 200, href
        html = response.content.decode()
        assert f'<html lang="{code}"' in html
        shown = re.search(r'<article class="article legal-page" lang="(\w+)"', html)[1]
        assert shown == code or (shown == "de" and "translation-note" in html), href
