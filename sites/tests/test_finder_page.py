"""The site finder page works without JavaScript and keeps a constant query count."""

import pytest

from sites.models import Site
from sites.tests.factories import ProviderGroupFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    SiteFactory(
        name="JMD Berlin-Mitte",
        slug="berlin",
        postcode="10115",
        town="Berlin",
        latitude="52.53",
        longitude="13.38",
        languages=["de", "ar"],
    )
    SiteFactory(
        name="JMD Hamburg",
        slug="hamburg",
        postcode="20095",
        town="Hamburg",
        federal_state="HH",
        latitude="53.55",
        longitude="10.00",
        languages=["de", "ru"],
    )
    SiteFactory(
        name="JMD München",
        slug="muenchen",
        postcode="80331",
        town="München",
        federal_state="BY",
        latitude="48.14",
        longitude="11.57",
        languages=["de", "tr"],
        offers_on_site=False,
    )


def names(response):
    return [result["site"].name for result in response.context["results"]]


def test_postcode_search_lists_the_nearest_first(client, sites):
    response = client.get("/en/sites/", {"q": "10117"})
    assert response.status_code == 200
    assert names(response)[0] == "JMD Berlin-Mitte"
    assert "JMD Berlin-Mitte" in response.content.decode()
    assert "km away" in response.content.decode()


def test_town_search_and_filters(client, sites):
    assert names(client.get("/en/sites/", {"q": "Hamburg"}))[0] == "JMD Hamburg"
    assert names(client.get("/en/sites/", {"q": "10117", "language": "tr"})) == ["JMD München"]
    assert "JMD München" not in names(client.get("/en/sites/", {"q": "80331", "offer": "on_site"}))


def test_browser_location_is_used_when_given(client, sites):
    response = client.get("/en/sites/", {"lat": "48.1", "lon": "11.6"})
    assert names(response)[0] == "JMD München"


def test_an_unknown_place_gets_a_clear_message_and_keeps_the_input(client, sites):
    response = client.get("/en/sites/", {"q": "Atlantis"})
    body = response.content.decode()
    assert "We could not find this place." in body
    assert 'value="Atlantis"' in body


def test_the_finder_keeps_a_constant_query_count_with_500_sites(client, django_assert_max_num_queries):
    group = ProviderGroupFactory()
    Site.objects.bulk_create(
        Site(
            name=f"JMD {number}",
            slug=f"site-{number}",
            provider_group=group,
            street="Weg 1",
            postcode=f"{10000 + number * 7:05d}",
            town=f"Ort {number}",
            federal_state="BE",
            latitude=47.5 + (number % 50) / 10,
            longitude=6 + (number // 50) / 1.2,
            languages=["de"],
        )
        for number in range(500)
    )
    with django_assert_max_num_queries(6):
        response = client.get("/en/sites/", {"q": "10115"})
    assert len(response.context["results"]) == 10
