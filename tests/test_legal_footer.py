"""Every page of the portal, in every language, links the legal pages in its footer, and each link opens
that page in the same language (or the German binding text with a note).

The pages come from the URL resolver (every route, sample values for its arguments), so a new page is
covered without anyone adding it here. Youth pages are fetched by a visitor and by a signed-in young
person, staff pages by a coordinator; every HTML answer that uses the portal's layout is checked, error
pages (404, 403) included."""

import re

import pytest
from django.conf import settings
from django.urls import get_resolver

from hub.legal.models import LegalKind
from hub.legal.services import legal_pages_ensure
from hub.middleware import STAFF_PATH
from hub.tests.test_staff_area import _route_paths
from tests.fuzzing import unrecorded_templates

pytestmark = pytest.mark.django_db

CODES = [code for code, _name in settings.LANGUAGES]
FOOTER = re.compile(r'<footer class="site-footer">(.*?)</footer>', re.DOTALL)
LINK = re.compile(r'<a href="([^"]+)" data-legal="([^"]+)">')
# Sign-out by GET would end the session mid-walk; Wagtail's page-password form is its own (we use none).
SKIP = re.compile(r"/accounts/logout/$|/pages/_util/")


def portal_paths() -> list[str]:
    """Every route under the language prefix, without the language (the resolver lays it for German)."""
    paths = sorted(set(_route_paths(get_resolver().url_patterns)))
    return [path[3:] for path in paths if path.startswith("/de/") and not SKIP.search(path)]


def footer_links(html: str) -> dict[str, str]:
    footer = FOOTER.search(html)
    return {kind: href for href, kind in LINK.findall(footer[1])} if footer else {}


BITV_KINDS = {"accessibility", "easy-language", "sign-language"}


def test_the_footer_kinds_include_the_bitv_pages():
    """BITV 2.0: the accessibility statement, Leichte Sprache and the DGS page are in every footer (the
    enumeration below checks every page for every kind)."""
    assert set(LegalKind.values) >= BITV_KINDS


def test_the_route_list_covers_youth_and_staff_pages():
    paths = portal_paths()
    assert "/ask/" in paths and "/knowledge/" in paths and "/forum/" in paths
    assert "/staff/" in paths and "/staff/retention/" in paths
    assert "/legal/some-slug/" in paths  # the legal pages themselves
    assert "/staff/accessibility-feedback/" in paths


@pytest.mark.parametrize("code", CODES)
def test_every_page_has_the_legal_links_in_its_language(client, youth, coordinator, code, monkeypatch):
    from django.test import Client

    unrecorded_templates(monkeypatch)  # only the HTML is read: the client's copies of contexts cost time
    legal_pages_ensure()
    visitor, young_person, staff = Client(), Client(), Client()
    young_person.force_login(youth)
    staff.force_login(coordinator)
    checked, hrefs, missing = 0, set(), []
    for path in portal_paths():
        for who, browser in (
            [("coordinator", staff)]
            if STAFF_PATH.match(path)
            else [
                ("visitor", visitor),
                ("youth", young_person),
            ]
        ):
            response = browser.get(f"/{code}{path}")
            is_html = "text/html" in response.get("Content-Type", "")
            if not is_html or response.status_code not in {200, 403, 404}:
                continue
            html = response.content.decode()
            if "<html" not in html:
                continue
            links = footer_links(html)
            expected = {kind: f"/{code}/legal/{kind}/" for kind in LegalKind.values}
            if links != expected or not set(links) >= BITV_KINDS:
                missing.append((path, who, response.status_code))
            hrefs.update(links.values())
            checked += 1
    assert missing == []
    assert checked > 80  # youth and staff pages, not a handful

    client.logout()
    for href in sorted(hrefs):
        response = client.get(href)
        assert response.status_code == 200, href
        html = response.content.decode()
        assert f'<html lang="{code}"' in html
        shown = re.search(r'<article class="article legal-page" lang="(\w+)"', html)[1]
        assert shown == code or (shown == "de" and "translation-note" in html), href
