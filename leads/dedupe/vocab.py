"""Word lists for duplicate detection: Chinese regions, legal forms, trade words, mail domains.

Plain data only, kept in `vocab.json` next to this module (what each list holds and how it is
used: its entry under "_notes" there). It is read once, at import, and every list gets its
Python type here: pairs and token sequences are tuples, lists looked up by membership are
frozensets. A list written in the file as an object of lists (cities by province, domains by
kind) is its groups concatenated in order.

`normalize` derives its lookup tables (pinyin keys, alias maps) from these lists lazily on
first use. Region names are stored bare (without 省/市) unless a form with its suffix is the
only sensible spelling (autonomous prefectures, leagues, regions)."""

import json
from importlib.resources import files
from typing import Any

_DATA: dict[str, Any] = json.loads(
    files(__package__).joinpath("vocab.json").read_text(encoding="utf-8")
)


def _items(name: str) -> list:
    """The list under `name`, with groups (an object of lists) concatenated in order."""
    value = _DATA[name]
    if isinstance(value, dict):
        return [item for group in value.values() for item in group]
    return value


def _strings(name: str) -> tuple[str, ...]:
    return tuple(_items(name))


def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    return tuple((first, second) for first, second in _items(name))


def _tuples(name: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(item) for item in _items(name))


def _set(name: str) -> frozenset[str]:
    return frozenset(_items(name))


# --- Regions ---------------------------------------------------------------------------------
PROVINCES: tuple[tuple[str, str], ...] = _pairs("PROVINCES")
CITY_PROVINCES: frozenset[str] = _set("CITY_PROVINCES")
PREFECTURE_CITIES: tuple[str, ...] = _strings("PREFECTURE_CITIES")
PREFECTURE_OTHER: tuple[tuple[str, str], ...] = _pairs("PREFECTURE_OTHER")
COUNTY_CITIES: tuple[str, ...] = _strings("COUNTY_CITIES")
TAIWAN_CITIES: tuple[str, ...] = _strings("TAIWAN_CITIES")
# The same cities grouped by province (bare names): which province a city is in.
CITIES_BY_PROVINCE: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (province, tuple(cities))
    for name in ("PREFECTURE_CITIES", "COUNTY_CITIES")
    for province, cities in _DATA[name].items()
)
ETHNIC_GROUPS: tuple[str, ...] = _strings("ETHNIC_GROUPS")
AMBIGUOUS_BARE: frozenset[str] = _set("AMBIGUOUS_BARE")
PINYIN_OVERRIDES: dict[str, str] = dict(_DATA["PINYIN_OVERRIDES"])
LATIN_ALIASES: dict[str, str] = dict(_DATA["LATIN_ALIASES"])
LATIN_PREFIX_EXCLUDED: frozenset[str] = _set("LATIN_PREFIX_EXCLUDED")
COUNTRY_WORDS: frozenset[str] = _set("COUNTRY_WORDS")

# --- Legal forms -----------------------------------------------------------------------------
LEGAL_FORMS_CN: tuple[str, ...] = _strings("LEGAL_FORMS_CN")
BRANCH_FORMS_CN: tuple[str, ...] = _strings("BRANCH_FORMS_CN")
LEGAL_FORMS_EN: tuple[tuple[str, ...], ...] = _tuples("LEGAL_FORMS_EN")

# --- Trade / descriptor words ----------------------------------------------------------------
INDUSTRY_WORDS_CN: tuple[str, ...] = _strings("INDUSTRY_WORDS_CN")
INDUSTRY_WORDS_EN: frozenset[str] = _set("INDUSTRY_WORDS_EN")

# --- Domains ---------------------------------------------------------------------------------
FREE_MAIL_DOMAINS: frozenset[str] = _set("FREE_MAIL_DOMAINS")
FREE_MAIL_BRANDS: frozenset[str] = _set("FREE_MAIL_BRANDS")
PLATFORM_DOMAINS: frozenset[str] = _set("PLATFORM_DOMAINS")

# --- Countries -------------------------------------------------------------------------------
# City key (normalize_city of a Latin spelling) -> ISO 3166 code, for cities outside China;
# and the Chinese names of such cities, as written.
WORLD_CITIES: dict[str, str] = {
    city: country for country, cities in _DATA["WORLD_CITIES"].items() for city in cities
}
WORLD_CITIES_ZH: dict[str, str] = dict(_DATA["WORLD_CITIES_ZH"])
