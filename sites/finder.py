"""The site finder: where is the person searching, and which sites are nearest.

Places are found without any network call: in the sites themselves and in two tables shipped in
sites/data/ (see the README there), each read once per process.
"""

import csv
import heapq
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext

from hub import fragments
from sites.models import Site

DATA_DIR = Path(__file__).resolve().parent / "data"
EARTH_RADIUS_KM = 6371.0088
OFFERS = ("online", "on_site", "groups")
# What the finder page shows and opening_status() reads; the long translated texts stay in the database.
RESULT_FIELDS = (
    "name",
    "slug",
    "code",
    "is_model_site",
    "street",
    "postcode",
    "town",
    "federal_state",
    "latitude",
    "longitude",
    "phone",
    "email",
    "languages",
    "offers_online",
    "offers_on_site",
    "offers_groups",
    "provider_group__name",
    "provider_group__short_name",
)

_POSTCODE = re.compile(r"(\d{5})(?:\s+(.*))?")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


@dataclass(frozen=True)
class Origin:
    lat: float
    lon: float
    label: str
    precision: str  # "device", "postcode", "area", "region" or "town"


@dataclass(frozen=True)
class _Place:
    label: str
    lat: float
    lon: float
    keys: frozenset[str]


# --- tables ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _postcode_regions() -> dict[str, _Place]:
    with (DATA_DIR / "postcode_regions.csv").open(encoding="utf-8", newline="") as file:
        return {
            row["region"]: _Place(row["town"], float(row["lat"]), float(row["lon"]), frozenset())
            for row in csv.DictReader(file)
        }


@lru_cache(maxsize=1)
def _towns() -> tuple[_Place, ...]:
    # Sorted by population in the file, so the first match is the largest town of that name.
    with (DATA_DIR / "towns_de.csv").open(encoding="utf-8", newline="") as file:
        return tuple(
            _Place(
                row["name"],
                float(row["lat"]),
                float(row["lon"]),
                _name_keys(row["name"]) | _name_keys(row["ascii_name"]),
            )
            for row in csv.DictReader(file)
        )


# --- locating -------------------------------------------------------------------------------------


def locate(query: str) -> Origin | None:
    """The place a typed postcode ("10115", also "10115 Berlin") or town name ("Koeln") stands for;
    remembered with the sites (the sites' own postcodes and towns are looked at, too)."""
    query = " ".join((query or "").split())
    if not query:
        return None
    return fragments.cached("sites-locate", depends=("sites",), vary=(query,), build=lambda: _locate(query))


def _locate(query: str) -> Origin | None:
    match = _POSTCODE.fullmatch(query)
    if match:
        postcode, rest = match.groups()
        return _locate_postcode(postcode) or (_locate_town(rest) if rest else None)
    if any(char.isdigit() for char in query):
        return None
    return _locate_town(query)


def _locate_postcode(postcode: str) -> Origin | None:
    area = list(
        Site.objects.filter(postcode__startswith=postcode[:3])
        .order_by()
        .values_list("postcode", "latitude", "longitude")
    )
    exact = [(lat, lon) for code, lat, lon in area if code == postcode]
    if exact:
        return _mean_origin(exact, label=postcode, precision="postcode")
    if area:
        return _mean_origin([(lat, lon) for _code, lat, lon in area], label=postcode, precision="area")
    region = _postcode_regions().get(postcode[:2])
    if region is None:
        return None
    return Origin(lat=region.lat, lon=region.lon, label=postcode, precision="region")


def _locate_town(query: str) -> Origin | None:
    keys = _name_keys(query)
    if not keys:
        return None
    towns = _towns()
    place = _first(towns, lambda place: bool(place.keys & keys))
    if place is None:
        site_towns = _site_towns()
        place = (
            _first(site_towns, lambda place: bool(place.keys & keys))
            or _first(towns, lambda place: _starts_with(place.keys, keys))
            or _first(site_towns, lambda place: _starts_with(place.keys, keys))
        )
    if place is None:
        return None
    return Origin(lat=place.lat, lon=place.lon, label=place.label, precision="town")


def _site_towns() -> list[_Place]:
    # Sites in towns below the table's 15,000 inhabitants; one query, a few hundred rows.
    by_town: dict[str, list[tuple]] = {}
    for town, lat, lon in Site.objects.order_by().values_list("town", "latitude", "longitude"):
        by_town.setdefault(town, []).append((lat, lon))
    places = []
    for town, points in sorted(by_town.items()):
        origin = _mean_origin(points, label=town, precision="town")
        places.append(_Place(town, origin.lat, origin.lon, _name_keys(town)))
    return places


def _first(places, predicate) -> _Place | None:
    return next((place for place in places if predicate(place)), None)


def _starts_with(place_keys: frozenset[str], query_keys: frozenset[str]) -> bool:
    # Word prefix: "frankfurt" finds "Frankfurt am Main", "halle" does not find "Hallstadt".
    return any(key.startswith(query + " ") for key in place_keys for query in query_keys)


def _name_keys(name: str) -> frozenset[str]:
    """Spellings a name may be typed in: "Köln" -> {"koeln", "koln"}, so "Koeln" and "koln" both match."""
    folded = unicodedata.normalize("NFC", name.casefold())
    return frozenset(key for key in (_plain(folded.translate(_UMLAUTS)), _plain(folded)) if key)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(
        char if char.isalnum() else " " for char in decomposed if not unicodedata.combining(char)
    )
    return " ".join(letters.split())


def _mean_origin(points: list[tuple], *, label: str, precision: str) -> Origin:
    lat = sum(float(lat) for lat, _lon in points) / len(points)
    lon = sum(float(lon) for _lat, lon in points) / len(points)
    return Origin(lat=lat, lon=lon, label=label, precision=precision)


def coordinates_from_browser(lat: str, lon: str) -> Origin | None:
    """The opt-in device location, or None if the values are not coordinates."""
    try:
        latitude, longitude = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    # About 100 m: plenty for "nearest site", and less of a trace should the origin end up in a URL or log.
    return Origin(
        lat=round(latitude, 3), lon=round(longitude, 3), label=gettext("your location"), precision="device"
    )


# --- nearest sites --------------------------------------------------------------------------------


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def sites_nearest(
    *, origin: Origin, language: str | None = None, offer: str | None = None, limit: int = 10, queryset=None
) -> list[tuple[Site, float]]:
    """The `limit` nearest sites with their distance in km, nearest first.

    Without a queryset the distances come from the cached site index (hub/fragments.py: kept until a
    site changes) and the same search is remembered with it: one query for the RESULT_FIELDS of the
    sites found, whatever the number of sites. A given queryset is searched row by row, with its own
    field selection.
    """
    if offer is not None and offer not in OFFERS:
        raise ValueError(f"unknown offer {offer!r}")
    language = language.lower() if language else None
    if queryset is None:
        nearest = fragments.cached(
            "sites-nearest",
            depends=("sites",),
            vary=(round(origin.lat, 4), round(origin.lon, 4), language, offer, limit),
            build=lambda: _nearest_in_index(origin, language=language, offer=offer, limit=limit),
            shared=True,
        )
        by_pk = (
            Site.objects.only(*RESULT_FIELDS)
            .select_related("provider_group")
            .in_bulk([pk for pk, _d in nearest])
        )
        return [(by_pk[pk], distance) for pk, distance in nearest if pk in by_pk]
    queryset = queryset.select_related("provider_group").order_by()
    if offer:
        queryset = queryset.filter(**{f"offers_{offer}": True})
    sites = list(queryset)
    if language:
        # JSON "contains" does not exist on SQLite; a few hundred sites are filtered quicker here anyway.
        sites = [site for site in sites if language in (site.languages or [])]
    measured = (
        (site, distance_km(origin.lat, origin.lon, float(site.latitude), float(site.longitude)))
        for site in sites
    )
    return heapq.nsmallest(max(limit, 0), measured, key=lambda pair: (pair[1], pair[0].name))


# One row per site: what the search needs, without model instances (500 of them cost more than the rest
# of the finder page).
_INDEX_FIELDS = ("pk", "name", "latitude", "longitude", "languages", *(f"offers_{offer}" for offer in OFFERS))


def _site_index() -> list[tuple]:
    return fragments.cached(
        "sites-index",
        depends=("sites",),
        vary=(_INDEX_FIELDS,),
        build=lambda: [
            (pk, name, float(lat), float(lon), frozenset(languages or []), *offers)
            for pk, name, lat, lon, languages, *offers in Site.objects.order_by().values_list(*_INDEX_FIELDS)
        ],
        shared=True,
    )


def _nearest_in_index(origin: Origin, *, language: str | None, offer: str | None, limit: int) -> list:
    """[(site pk, km)] of the `limit` nearest sites, nearest first (ties by name, as before)."""
    offer_column = 5 + OFFERS.index(offer) if offer else None
    measured = (
        (row[0], distance_km(origin.lat, origin.lon, row[2], row[3]), row[1])
        for row in _site_index()
        if (language is None or language in row[4]) and (offer_column is None or row[offer_column])
    )
    return [
        (pk, distance)
        for pk, distance, _name in heapq.nsmallest(max(limit, 0), measured, key=lambda r: r[1:])
    ]
