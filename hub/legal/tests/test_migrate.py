"""`migrate` lays the legal pages with their default texts (post_migrate), in every language."""

import pytest
from django.conf import settings

from hub.legal.models import GERMAN_ONLY_KINDS, LegalKind, LegalPage

pytestmark = pytest.mark.django_db

CODES = [code for code, _name in settings.LANGUAGES]


def test_a_migrated_database_has_every_kind_live_in_every_language():
    pages = {page.kind: page for page in LegalPage.objects.live()}
    assert set(pages) == set(LegalKind.values)
    for page in pages.values():
        # Leichte Sprache is German for every reader: its text exists once.
        codes = ["de"] if page.kind in GERMAN_ONLY_KINDS else CODES
        assert [code for code in codes if not page.has_language(code)] == [], page.kind
        assert all(getattr(page, f"title_{code}") for code in codes), page.kind
