"""Regions: the province/city/county tables (hanzi and Latin spellings, pinyin keys),
region lookups at either end of a name, and city normalisation.

The tables are built on first use, once per process.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .. import vocab
from .pinyin import _pinyin
from .text import _TOKEN_RE, _han, _prepare, _squash

PROVINCE, CITY, COUNTY = 1, 2, 3


@dataclass(frozen=True)
class _Region:
    key: str
    level: int  # PROVINCE, CITY (prefecture-level, or a city-province) or COUNTY


@dataclass(frozen=True)
class _RegionTables:
    han: dict[str, _Region]  # every spelling ("北京", "北京市", "恩施州", ...)
    han_prefix: dict[str, _Region]  # without the ambiguous bare names ("中山", "阿里")
    han_max: int
    latin: dict[str, _Region]  # squashed Latin spelling -> region
    latin_prefix: dict[str, _Region]  # safe to strip from the front of an English name


def _pinyin_key(name: str) -> str:
    override = vocab.PINYIN_OVERRIDES.get(name)
    if override:
        return override
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415 - a heavy library, loaded on first use

    return "".join(lazy_pinyin(name, style=Style.NORMAL))


@functools.cache
def _regions() -> _RegionTables:
    han: dict[str, _Region] = {}
    ambiguous: set[str] = set()

    def add(spelling: str, region: _Region, *, override: bool = False) -> None:
        if override or spelling not in han:
            han[spelling] = region

    for name in vocab.COUNTY_CITIES:
        region = _Region(_pinyin_key(name), COUNTY)
        add(name, region)
        add(name + "市", region, override=True)
    for name in (*vocab.PREFECTURE_CITIES, *vocab.TAIWAN_CITIES):
        region = _Region(_pinyin_key(name), CITY)
        add(name, region, override=True)
        add(name + "市", region, override=True)
    for short, full in vocab.PREFECTURE_OTHER:
        region = _Region(_pinyin_key(short), CITY)
        add(full, region, override=True)
        add(short, region)
        add(short + "市", region)
        if full.endswith("自治州"):
            add(short + "州", region)
    for short, full in vocab.PROVINCES:
        if short in vocab.CITY_PROVINCES:
            region = _Region(_pinyin_key(short), CITY)
        else:
            region = _Region(_pinyin_key(short), PROVINCE)
            add(short + "省", region, override=True)
        add(short, region, override=True)  # bare "吉林", "海南": the province
        add(full, region, override=True)
        if full.endswith("特别行政区"):
            add(short + "特区", region, override=True)
    for name in vocab.AMBIGUOUS_BARE:
        ambiguous.add(name)
    han_prefix = {k: v for k, v in han.items() if k not in ambiguous}

    latin: dict[str, _Region] = {}
    for spelling, region in han.items():
        if spelling.endswith(("市", "省", "州", "区", "盟")) and spelling[:-1] in han:
            continue
        latin.setdefault(region.key, region)
        if region.level == PROVINCE:  # "jilin", "hainan": the province, as in Chinese
            latin[region.key] = region
    for alias, key in vocab.LATIN_ALIASES.items():
        target = latin.get(key)
        latin[alias] = target if target is not None else _Region(key, CITY)
    ambiguous_keys = {han[name].key for name in ambiguous if name in han}
    other_keys = {_pinyin_key(short) for short, _ in vocab.PREFECTURE_OTHER}
    latin_prefix = {
        spelling: region
        for spelling, region in latin.items()
        if spelling not in vocab.LATIN_PREFIX_EXCLUDED
        and spelling not in ambiguous_keys
        and (spelling not in other_keys or spelling in ("hainan",))
        and (len(spelling) >= 5 or spelling in ("xian", "wuxi", "wuhu"))
    }
    return _RegionTables(
        han=han,
        han_prefix=han_prefix,
        han_max=max(len(k) for k in han),
        latin=latin,
        latin_prefix=latin_prefix,
    )


def _han_region_at_start(text: str, table: dict[str, _Region], longest: int):
    for length in range(min(longest, len(text)), 1, -1):
        region = table.get(text[:length])
        if region is not None:
            return region, length
    return None, 0


def _han_region_at_end(text: str, table: dict[str, _Region], longest: int):
    for length in range(min(longest, len(text)), 1, -1):
        region = table.get(text[-length:])
        if region is not None:
            return region, length
    return None, 0


def _latin_region_at_start(tokens: list[str], table: dict[str, _Region]):
    for count in (3, 2, 1):
        if len(tokens) >= count:
            region = table.get("".join(tokens[:count]))
            if region is not None:
                return region, count
    return None, 0


def _latin_region_at_end(tokens: list[str], table: dict[str, _Region]):
    for count in (3, 2, 1):
        if len(tokens) >= count:
            region = table.get("".join(tokens[-count:]))
            if region is not None:
                return region, count
    return None, 0


def _region_content(text: str) -> tuple[bool, str]:
    """Whether text names nothing but regions/countries ("深圳", "广东深圳", "Beijing, China",
    "中国·上海", "Hong Kong"), and the most specific city named ("" for provinces/countries)."""
    tables = _regions()
    tokens = _TOKEN_RE.findall(text)
    if not tokens:
        return False, ""
    city = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if _han().any.match(token):
            while token:
                if token.startswith("中国"):
                    token = token[2:]
                    continue
                region, length = _han_region_at_start(token, tables.han, tables.han_max)
                if region is None:
                    return False, ""
                if region.level >= CITY:
                    city = region.key
                token = token[length:]
            i += 1
            continue
        for count in (3, 2, 1):
            if i + count <= len(tokens) and "".join(tokens[i : i + count]) in vocab.COUNTRY_WORDS:
                i += count
                break
        else:
            region, count = _latin_region_at_start(tokens[i:], tables.latin)
            if region is None:
                return False, ""
            if region.level >= CITY:
                city = region.key
            i += count
    return True, city


_CITY_SUFFIX_RE = re.compile(
    "(?:特别行政区|(?:(?:" + "|".join(vocab.ETHNIC_GROUPS) + ")族)*自治(?:区|州|县|旗)"
    "|地区|林区|新区|省|市|盟|区|县|旗)$"
)
_LATIN_CITY_SUFFIX_RE = re.compile(
    r"(?:[\s,]+(?:shi|city|sheng|province|municipality|prefecture|district|county|sar|china"
    r"|p\s*r\s*china|prc))+$"
)


@functools.lru_cache(maxsize=4096)
def normalize_city(raw: str) -> str:
    """A city key: toneless pinyin of the bare Chinese name ("北京市" -> "beijing"), or the
    squashed lowercase Latin name ("Beijing Shi" -> "beijing", "London" -> "london")."""
    text = _prepare(raw).strip()
    if not text:
        return ""
    tables = _regions()
    han = "".join(_han().runs.findall(text))
    if han:
        rest, city, province = han, "", ""
        if rest.startswith("中国") and len(rest) > 2:
            rest = rest[2:]
        while rest:
            region, length = _han_region_at_start(rest, tables.han, tables.han_max)
            if region is None:
                break
            rest = rest[length:]
            if region.level >= CITY:
                city = region.key
            else:
                province = region.key
        if city:  # "深圳市南山区" -> the city
            return city
        if not rest:
            return province
        stripped = rest
        for _ in range(2):
            shorter = _CITY_SUFFIX_RE.sub("", stripped)
            if len(shorter) < 2:
                break
            stripped = shorter
        region = tables.han.get(stripped)
        return region.key if region is not None else _pinyin(stripped)
    text = _LATIN_CITY_SUFFIX_RE.sub("", text)
    key = _squash(text)
    region = tables.latin.get(key)
    return region.key if region is not None else key


@functools.cache
def _region_keys() -> frozenset[str]:
    tables = _regions()
    return frozenset(r.key for r in (*tables.han.values(), *tables.latin.values()))


@functools.cache
def _taiwan_keys() -> frozenset[str]:
    return frozenset(_pinyin_key(name) for name in vocab.TAIWAN_CITIES) | {"taiwan"}


# Chinese regions with a country code of their own (ISO 3166).
_REGION_COUNTRIES = {"hongkong": "HK", "aomen": "MO", "macau": "MO", "macao": "MO"}


def country_of_region(raw: str) -> str | None:
    """The country (ISO 3166) of a place name when it is obvious: a Chinese province, city or
    county (CN; HK, MO, TW for theirs), or a well-known city elsewhere (vocab.WORLD_CITIES).
    None when the name says nothing sure."""
    key = normalize_city(raw or "")
    if not key:
        return None
    if key in _region_keys():
        if key in _taiwan_keys():
            return "TW"
        return _REGION_COUNTRIES.get(key, "CN")
    han = "".join(_han().runs.findall(_prepare(raw)))
    if han:
        # A Chinese name is looked up as written (its pinyin may be another place's name).
        return vocab.WORLD_CITIES_ZH.get(_CITY_SUFFIX_RE.sub("", han) or han)
    return vocab.WORLD_CITIES.get(key)


@functools.cache
def _city_provinces() -> tuple[dict[str, str], dict[str, str]]:
    """(bare hanzi city -> province, city key -> province), provinces as bare hanzi names. A
    key two provinces share ("suzhou": 苏州 and 宿州) is left out of the second: nothing sure
    to say of a Latin spelling. A city-province is its own province."""
    by_han: dict[str, str] = {}
    by_key: dict[str, set[str]] = {}
    for province, cities in vocab.CITIES_BY_PROVINCE:
        for city in cities:
            by_han.setdefault(city, province)
            by_key.setdefault(_pinyin_key(city), set()).add(province)
    for name in vocab.CITY_PROVINCES:
        by_han[name] = name
        by_key.setdefault(_pinyin_key(name), set()).add(name)
    sure = {key: next(iter(found)) for key, found in by_key.items() if len(found) == 1}
    return by_han, sure


def province_of_city(raw: str) -> str:
    """The province of a Chinese city, in hanzi without its suffix ("杭州市", "浙江省杭州市"
    and "Hangzhou" -> "浙江"), or "" when the name is not a city the tables place in one
    province."""
    text = _prepare(raw or "").strip()
    if not text:
        return ""
    by_han, by_key = _city_provinces()
    han = "".join(_han().runs.findall(text))
    if han:
        # "浙江省杭州市": the city after the province; "深圳市南山区": the city before its
        # district; "吉林市": a city named as its province.
        candidates = [han]
        for short, full in vocab.PROVINCES:
            for prefix in (full, short + "省", short):
                if han.startswith(prefix) and len(han) > len(prefix):
                    candidates.insert(0, han[len(prefix) :])
                    break
        for candidate in candidates:
            for length in range(min(len(candidate), 8), 1, -1):
                if candidate[:length] in by_han:
                    return by_han[candidate[:length]]
        return ""
    return by_key.get(normalize_city(text), "")
