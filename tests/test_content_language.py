"""User content carries its language on the rendered pages (WCAG 3.1.2), so a screen reader reads a
Russian question in a Russian voice on a German page, and German fallback text on an Arabic page in a
German one; dir="auto" lets the text run in its own direction."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from counseling.tests.factories import assign_to, counselor_with_profile, make_case
from hub.roles import Role
from hub.tests.factories import UserFactory
from sites.models import GroupOffer, GroupSession
from sites.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db

QUESTION = "Как продлить визу?"


def attrs_around(html: str, text: str) -> str:
    """The opening tag of the element that directly holds `text`."""
    at = html.index(text)
    return html[html.rindex("<", 0, at) : at]


def test_messages_carry_the_case_language_for_the_young_person_and_the_counselor(client):
    youth = UserFactory(roles=[Role.YOUTH])
    case = make_case(youth=youth, language="ru", body=QUESTION)
    counselor = counselor_with_profile("counselor_olga", ["ru", "de"])
    assign_to(case, counselor)
    pages = [(youth, f"/de/cases/{case.public_id}/"), (counselor, f"/de/staff/cases/{case.public_id}/")]
    for user, url in pages:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert '<html lang="de"' in html
        assert attrs_around(html, QUESTION) == '<div class="body" lang="ru" dir="auto">', url


def test_site_descriptions_say_which_language_is_shown(client):
    site = SiteFactory(slug="essen-mitte", description_de="Wir beraten dich in der Innenstadt.")
    site.description_ar = "نقدم لك الاستشارة في وسط المدينة."
    site.save()
    arabic = client.get("/ar/sites/essen-mitte/").content.decode()
    assert attrs_around(arabic, site.description_ar) == '<p lang="ar" dir="auto">'
    # No Russian translation: the German text is shown, and marked German.
    russian = client.get("/ru/sites/essen-mitte/").content.decode()
    assert attrs_around(russian, "Wir beraten dich in der Innenstadt.") == '<p lang="de" dir="auto">'


def test_group_titles_say_which_language_is_shown(client):
    offer = GroupOffer.objects.create(
        site=SiteFactory(), title_de="Mädchentreff", format="on_site", language="de", capacity=5, room="R 3"
    )
    start = timezone.now() + timedelta(days=3)
    GroupSession.objects.create(offer=offer, starts_at=start, ends_at=start + timedelta(hours=1))
    detail = client.get(f"/ar/sites/groups/{offer.public_id}/").content.decode()
    assert re.search(r'<h1 lang="de" dir="auto">Mädchentreff</h1>', detail)
    overview = client.get("/ar/sites/groups/").content.decode()
    assert 'lang="de" dir="auto">Mädchentreff</a>' in overview
