"""The site finder: postcode and town lookup, the shipped tables, nearest sites in one query."""

from decimal import Decimal

import pytest

from sites import finder
from sites.models import Site
from sites.tests.factories import ProviderGroupFactory, SiteFactory


@pytest.fixture
def big_cities(db):
    return {
        "berlin": SiteFactory(
            name="JMD Berlin",
            town="Berlin",
            postcode="10115",
            latitude="52.532000",
            longitude="13.384000",
            languages=["de", "ar"],
            offers_groups=True,
        ),
        "hamburg": SiteFactory(
            name="JMD Hamburg",
            town="Hamburg",
            postcode="20095",
            latitude="53.551000",
            longitude="10.001000",
            languages=["de", "ru"],
            offers_on_site=False,
        ),
        "muenchen": SiteFactory(
            name="JMD München",
            town="München",
            postcode="80331",
            latitude="48.137000",
            longitude="11.575000",
            languages=["de", "ar", "tr"],
        ),
        "koeln": SiteFactory(
            name="JMD Köln",
            town="Köln",
            postcode="50667",
            latitude="50.938000",
            longitude="6.957000",
            languages=["de", "uk"],
            offers_groups=True,
        ),
    }


def names(results) -> list[str]:
    return [site.name for site, _distance in results]


def test_postcode_of_a_site_finds_it_first(big_cities):
    origin = finder.locate("10115")

    assert origin == finder.Origin(lat=52.532, lon=13.384, label="10115", precision="postcode")
    results = finder.sites_nearest(origin=origin)
    assert names(results) == ["JMD Berlin", "JMD Hamburg", "JMD Köln", "JMD München"]
    assert results[0][1] == pytest.approx(0, abs=0.01)
    assert results[1][1] == pytest.approx(255, abs=10)  # Berlin-Hamburg as the crow flies


def test_postcode_next_to_a_site_uses_the_area(big_cities):
    SiteFactory(town="Berlin", postcode="10179", latitude="52.512000", longitude="13.416000")

    origin = finder.locate("10117")

    assert origin.precision == "area"
    assert (origin.lat, origin.lon) == pytest.approx((52.522, 13.400))


def test_postcode_without_nearby_sites_falls_back_to_its_region(big_cities):
    origin = finder.locate("01067")

    assert origin.precision == "region"
    assert finder.distance_km(origin.lat, origin.lon, 51.05, 13.74) < 20  # Dresden
    assert names(finder.sites_nearest(origin=origin, limit=1)) == ["JMD Berlin"]


def test_postcode_and_town_together(big_cities):
    assert finder.locate("10115 Berlin").precision == "postcode"
    assert finder.locate("  50667   Köln ").label == "50667"


@pytest.mark.parametrize("query", ["Köln", "Koeln", "koln", "KÖLN", "Ko\u0308ln"])
def test_town_spellings(db, query):
    origin = finder.locate(query)

    assert (origin.label, origin.precision) == ("Köln", "town")
    assert finder.distance_km(origin.lat, origin.lon, 50.94, 6.96) < 5


def test_town_prefix_prefers_the_larger_town(db):
    assert finder.locate("frankfurt").label == "Frankfurt am Main"
    assert finder.locate("Frankfurt Oder").label == "Frankfurt (Oder)"
    assert finder.locate("muenchen").label == "München"


def test_town_of_a_site_outside_the_table(db):
    SiteFactory(town="Kleinmachnow-Süd", latitude="52.400000", longitude="13.220000")
    SiteFactory(town="Kleinmachnow-Süd", latitude="52.410000", longitude="13.240000")

    origin = finder.locate("kleinmachnow sued")

    assert origin == finder.Origin(lat=52.405, lon=13.23, label="Kleinmachnow-Süd", precision="town")


@pytest.mark.parametrize("query", ["", "   ", "Atlantis", "1234", "123456", "05123", "Berlin 10115x"])
def test_unknown_input_finds_nothing(db, query):
    assert finder.locate(query) is None


def test_language_and_offer_filters(big_cities):
    origin = finder.locate("Hamburg")

    assert names(finder.sites_nearest(origin=origin, language="ar")) == ["JMD Berlin", "JMD München"]
    assert names(finder.sites_nearest(origin=origin, offer="groups")) == ["JMD Berlin", "JMD Köln"]
    assert names(finder.sites_nearest(origin=origin, offer="on_site", language="ru")) == []
    assert names(finder.sites_nearest(origin=origin, limit=2)) == ["JMD Hamburg", "JMD Berlin"]
    assert names(
        finder.sites_nearest(origin=origin, queryset=Site.objects.exclude(town="Hamburg"), limit=1)
    ) == ["JMD Berlin"]
    with pytest.raises(ValueError, match="offer"):
        finder.sites_nearest(origin=origin, offer="coffee")


def test_browser_coordinates():
    origin = finder.coordinates_from_browser("52.520008", "13.404954")

    assert (origin.lat, origin.lon, origin.precision) == (52.52, 13.405, "device")
    for lat, lon in [
        ("91", "0"),
        ("0", "-180.5"),
        ("abc", "1"),
        ("nan", "1"),
        ("1", "inf"),
        ("", ""),
        (None, "1"),
    ]:
        assert finder.coordinates_from_browser(lat, lon) is None


def test_nearest_sites_in_one_query(db, django_assert_num_queries):
    group = ProviderGroupFactory()
    Site.objects.bulk_create(
        Site(
            name=f"JMD {number}",
            slug=f"jmd-{number}",
            provider_group=group,
            street="Weg 1",
            postcode="10115",
            town="Berlin",
            federal_state="BE",
            latitude=Decimal("47.5") + Decimal(number % 50) / 10,
            longitude=Decimal("6.0") + Decimal(number // 50),
            languages=["de", "ar"] if number % 2 else ["de"],
            offers_groups=bool(number % 3),
        )
        for number in range(500)
    )
    origin = finder.Origin(lat=50.0, lon=10.0, label="Mitte", precision="town")

    # The site index (kept until a site changes, hub/fragments.py), then the sites found: with the index
    # kept, one query whatever the number of sites.
    with django_assert_num_queries(2):
        finder.sites_nearest(origin=origin, language="ar", offer="groups", limit=500)
    with django_assert_num_queries(1):
        results = finder.sites_nearest(origin=origin, language="ar", offer="groups", limit=500)
        # What the finder page and opening_status() read must already be loaded.
        rendered = [
            (site.name, site.slug, site.street, site.town, site.federal_state, site.provider_group.short_name)
            for site, _distance in results
        ]

    assert len(rendered) == len([n for n in range(500) if n % 2 and n % 3])
    distances = [distance for _site, distance in results]
    assert distances == sorted(distances)


def test_tables_are_complete():
    regions = finder._postcode_regions()
    assert len(regions) == 96
    assert set(regions) == {f"{n:02d}" for n in range(1, 100)} - {"05", "43", "62"}
    towns = finder._towns()
    assert len(towns) > 1000
    assert {"Berlin", "München", "Köln", "Frankfurt am Main"} <= {town.label for town in towns}
