"""Normalisation for duplicate detection (查重): phones, e-mails, domains, USCC, cities,
company names and pg_trgm-compatible trigrams.

Pure Python, no database. The heavy helpers (OpenCC's dictionaries, the bundled public
suffix list, the region tables with their pinyin) are built on first use, once per process.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from email.utils import parseaddr
from urllib.parse import urlsplit

from . import vocab

__all__ = [
    "CompanyName",
    "PhoneKey",
    "company_domain",
    "normalize_city",
    "normalize_company_name",
    "normalize_email",
    "normalize_phones",
    "normalize_uscc",
    "trigram_similarity",
    "trigrams",
    "uscc_check_digit_ok",
]

# Hanzi as pypinyin sees them (basic block, extension A, compatibility, extension B+).
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TOKEN_RE = re.compile(r"[^\W_]+")  # runs of letters/digits/hanzi (str.isalnum)


class _HanPatterns:
    """Patterns over hanzi, compiled on first use (their big classes cost ~10 ms to build)."""

    def __init__(self) -> None:
        self.any = re.compile(f"[{_HAN}]")
        self.runs = re.compile(f"[{_HAN}]+")
        self.space_between = re.compile(f"(?<=[{_HAN}])\\s+(?=[{_HAN}])")
        # A district after a city prefix: "海淀区", "浦东新区" (not "区块链", "区域").
        self.district = re.compile(f"^[{_HAN}]{{2,3}}?(?:新区|区|县)(?!块|域|间)")


@functools.cache
def _han() -> _HanPatterns:
    return _HanPatterns()


# --- Shared text helpers -------------------------------------------------------------------


@functools.cache
def _t2s_state():
    """OpenCC('t2s') and the set of characters that can make it change a string at all.

    Converting costs ~100 µs even for text that is already simplified; the trigger set lets
    the (usual) simplified input skip it. Built from the converter's own dictionaries."""
    from opencc import OpenCC

    converter = OpenCC("t2s")
    triggers: set[str] | None = set()
    try:
        for group in converter._dict_chain_data:
            for _max_len, _min_len, table in group:
                for key, value in table.items():
                    target = value.split(" ")[0]
                    if target == key:
                        continue
                    if len(target) == len(key):
                        triggers.update(k for k, t in zip(key, target, strict=True) if k != t)
                    else:
                        triggers.update(key)
    except (AttributeError, TypeError, ValueError):  # another opencc layout: always convert
        triggers = None
    return converter, (frozenset(triggers) if triggers is not None else None)


def _to_simplified(text: str) -> str:
    converter, triggers = _t2s_state()
    if triggers is not None and triggers.isdisjoint(text):
        return text
    return converter.convert(text)


@functools.cache
def _latin_fold_table() -> dict[int, str]:
    """Accented Latin letters -> their base letters ("é" -> "e", "ß" -> "ss")."""
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base != char and base.isascii() and base:
            table[code] = base
    table.update({ord(k): v for k, v in {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe"}.items()})
    table.update({ord(k): v for k, v in {"đ": "d", "ł": "l", "þ": "th", "ı": "i"}.items()})
    return table


def _prepare(raw: str) -> str:
    """NFKC (full-width -> half-width), traditional -> simplified, lowercase, no accents."""
    text = unicodedata.normalize("NFKC", raw or "")
    if not text.isascii():
        text = _to_simplified(text).lower().translate(_latin_fold_table())
        return text
    return text.lower()


def _is_han(text: str) -> bool:
    return bool(text) and _han().runs.fullmatch(text) is not None


def _squash(text: str) -> str:
    """Only letters, digits and hanzi."""
    return "".join(ch for ch in text if ch.isalnum())


# --- Phones --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhoneKey:
    value: str  # "+8613800138000" (E.164) when strong; "local:+86:12345678" without area code
    strong: bool  # False only for numbers that lack an area code / are not valid full numbers


_PHONE_SPLIT_RE = re.compile(r"[/,;|\n\r、，；]|(?<![a-z])or(?![a-z])|或者?|以及|及", re.I)
_PHONE_EXT_RE = re.compile(
    r"(?:转|分机号?|內線|内线|ext(?:ension)?|(?<![a-z])x|#)\s*[.:：]?\s*\d{1,6}(?!\d)", re.I
)
_PHONE_TRAILING_GROUP_RE = re.compile(r"^(.*\d)[\s-]+\d{1,5}\s*$")
_PHONE_LEADING_CC_RE = re.compile(r"^\s*\(?(\d{1,3})\)?[\s.-]")


def _phonenumbers():
    import phonenumbers  # ~25 ms to import: on first use

    return phonenumbers


def _parse_valid(number: str, region: str) -> str | None:
    phonenumbers = _phonenumbers()
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _digits_of(piece: str) -> str:
    digits = re.sub(r"\D", "", piece)
    return ("+" + digits) if piece.lstrip().startswith("+") else digits


def _phone_key(piece: str, region: str, country_code: int) -> list[PhoneKey]:
    number = _digits_of(piece)
    bare = number.lstrip("+")
    if not 5 <= len(bare) <= 17:
        # Several numbers separated by spaces or dashes only: "13800138000 13900139000".
        for parts in (piece.split(), re.split(r"\s+|-", piece)):
            if len(parts) > 1 and all(len(_digits_of(p).lstrip("+")) >= 7 for p in parts):
                return [k for part in parts for k in _phone_key(part, region, country_code)]
        return []
    e164 = _parse_valid(number, region)
    if e164:
        return [PhoneKey(e164, True)]
    # "010-65529988-8001": an extension after a dash.
    match = _PHONE_TRAILING_GROUP_RE.match(piece)
    if match and len(re.sub(r"\D", "", match.group(1))) >= 10:
        e164 = _parse_valid(_digits_of(match.group(1)), region)
        if e164:
            return [PhoneKey(e164, True)]
    # "852 2345 6789": another country's code written without "+" / "00".
    match = _PHONE_LEADING_CC_RE.match(piece)
    if match and not number.startswith("+"):
        code = int(match.group(1))
        known = _phonenumbers().region_code_for_country_code(code) != "ZZ"
        if code != country_code and known:
            e164 = _parse_valid("+" + bare, region)
            if e164:
                return [PhoneKey(e164, True)]
    # A Chinese landline without its area code: "6552 9988".
    if (
        country_code == 86
        and not number.startswith("+")
        and 7 <= len(bare) <= 8
        and bare[0] in "23456789"
    ):
        return [PhoneKey(f"local:+{country_code}:{bare}", False)]
    # Several numbers separated by spaces only.
    parts = piece.split()
    if len(parts) > 1 and all(len(_digits_of(p).lstrip("+")) >= 7 for p in parts):
        return [k for part in parts for k in _phone_key(part, region, country_code)]
    return []


def normalize_phones(raw: str, *, region: str = "CN") -> list[PhoneKey]:
    """Every phone number in one free-text field, as E.164 keys (no duplicates, in order)."""
    if not raw or not raw.strip():
        return []
    region = (region or "CN").upper()
    country_code = _phonenumbers().country_code_for_region(region)
    text = unicodedata.normalize("NFKC", raw)
    keys: list[PhoneKey] = []
    for piece in _PHONE_SPLIT_RE.split(text):
        piece = _PHONE_EXT_RE.sub(" ", piece)
        if not any(ch.isdigit() for ch in piece):
            continue
        # Notes ("微信同号", "Tel:", "(手机)") carry no digits: keep digits, "+" and spacing.
        piece = re.sub(r"[^\d+\s().-]", " ", piece).strip()
        for key in _phone_key(piece, region, country_code):
            if key not in keys:
                keys.append(key)
    return keys


# --- E-mail and domains --------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"[^\s@<>()\[\],;:\"'.][^\s@<>()\[\],;:\"']*@"
    r"(?:[^\W_](?:(?:[^\W_]|-)*[^\W_])?\.)+(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)"
)
_EMAIL_SEARCH_RE = re.compile(r"[^\s<>()\[\],;:\"'，；、]+@[^\s<>()\[\],;:\"'，；、]+")
_AT_RE = re.compile(r"\s*[\[({<]\s*(?:at|艾特)\s*[\])}>]\s*", re.I)
_DOT_RE = re.compile(r"\s*[\[({<]\s*dot\s*[\])}>]\s*", re.I)


def _valid_email(candidate: str) -> bool:
    if not candidate or _EMAIL_RE.fullmatch(candidate) is None:
        return False
    local = candidate.rsplit("@", 1)[0]
    return not local.endswith(".") and ".." not in candidate


def normalize_email(raw: str) -> str | None:
    """One e-mail address, lowercased ("Zhang San <ZS@Example.COM>" -> "zs@example.com"),
    or None unless the text holds something that looks like local@domain.tld."""
    text = unicodedata.normalize("NFKC", raw or "").strip().replace("。", ".")
    if not text:
        return None
    text = re.sub(r"^\s*mailto:", "", text, flags=re.I).split("?", 1)[0]
    text = _DOT_RE.sub(".", _AT_RE.sub("@", text))
    _name, address = parseaddr(text)
    candidates = [address] if "@" in address else []
    candidates += _EMAIL_SEARCH_RE.findall(text)
    for candidate in candidates:
        candidate = candidate.strip(".").lower()
        if _valid_email(candidate):
            return candidate
    return None


@functools.cache
def _tld_extract():
    import tldextract

    # The bundled public suffix snapshot: no network, no cache directory.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


@functools.cache
def _blocked_domains() -> frozenset[str]:
    return vocab.FREE_MAIL_DOMAINS | vocab.PLATFORM_DOMAINS


def _host_label_ok(label: str) -> bool:
    return bool(label) and label[0] != "-" and label[-1] != "-" and label.replace("-", "").isalnum()


def company_domain(raw: str) -> str | None:
    """The registered domain of a website or e-mail address ("huawei.com"), or None for
    free-mail providers, shared platforms, IP addresses and garbage."""
    text = unicodedata.normalize("NFKC", raw or "").strip().lower().replace("。", ".")
    if not text:
        return None
    if "@" in text and "://" not in text:
        email = normalize_email(text)
        if email is None:
            return None
        host = email.rsplit("@", 1)[1]
    else:
        # Several sites in one field ("www.a.com；www.b.cn"): the first one.
        text = next((t for t in re.split(r"[\s,;、|]+", text) if t), "")
        if "://" not in text:
            text = "http://" + text.lstrip("/")
        try:
            host = urlsplit(text).hostname or ""
        except ValueError:
            return None
    host = host.strip(".")
    if not host or "." not in host:
        return None
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.split(".")
    if not all(_host_label_ok(label) for label in labels):
        return None
    extracted = _tld_extract()(host)
    registered = extracted.top_domain_under_public_suffix
    if not registered or not extracted.domain or not extracted.suffix:
        return None
    if extracted.domain in vocab.FREE_MAIL_BRANDS:
        # yahoo.com.hk, hotmail.co.uk, gmx.ch ...: the brand is free mail whatever the country.
        return None
    blocked = _blocked_domains()
    for start in range(len(labels) - registered.count(".")):
        if ".".join(labels[start:]) in blocked:
            return None
    return registered


# --- USCC (统一社会信用代码, GB 32100-2015) --------------------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_TYPOS = str.maketrans({"O": "0", "I": "1"})


def uscc_check_digit_ok(code: str) -> bool:
    """Whether an 18-character code's last character is its GB 32100-2015 check character."""
    code = (code or "").upper()
    if len(code) != 18 or any(ch not in _USCC_VALUE for ch in code):
        return False
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


def normalize_uscc(raw: str) -> str | None:
    """The canonical 18-character unified social credit code, or None if it is not one."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    text = re.sub(r"[\s\-_]", "", text).translate(_USCC_TYPOS)
    return text if uscc_check_digit_ok(text) else None


# --- Regions -------------------------------------------------------------------------------

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
    from pypinyin import Style, lazy_pinyin

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


# --- Pinyin --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _segment_pinyin(segment: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(segment, style=Style.NORMAL))


def _pinyin(text: str) -> str:
    """The same as "".join(lazy_pinyin(text, style=Style.NORMAL)), per-word cached."""
    if text.isascii():
        return text
    from pypinyin.seg.simpleseg import seg

    return "".join(_segment_pinyin(segment) for segment in seg(text))


# --- Company names -------------------------------------------------------------------------


@dataclass(frozen=True)
class CompanyName:
    core: str  # normalised name: regions & legal forms stripped, simplified, lowercase, no punct
    brand: str  # core with trailing industry words stripped (never empty if core isn't)
    pinyin: str  # toneless pinyin of core, no separators; for Latin cores == core
    city: str  # city key (as normalize_city) from the name's region prefix/bracket/branch


_BRACKET_RE = re.compile(
    r"[(\[【「『《<〈〔〖{]([^()\[\]【】「」『』《》<>〈〉〔〕〖〗{}]*)[)\]】」』》>〉〕〗}]"
)
_DOTTED_RE = re.compile(r"(?<![^\W_])(?:[a-z]\.\s?){2,}(?![^\W_])")
_SEPARATOR_RE = re.compile(r"[^\w&]+|_")
_BRANCH_EN: tuple[tuple[str, ...], ...] = (
    ("representative", "office"),
    ("rep", "office"),
    ("branch", "office"),
    ("branch",),
)


@dataclass(frozen=True)
class _WordTables:
    legal_cn: frozenset[str]
    legal_cn_max: int
    branch_cn: frozenset[str]
    branch_cn_max: int
    legal_en: frozenset[tuple[str, ...]]
    industry_cn: frozenset[str]
    industry_cn_max: int


@functools.cache
def _words_tables() -> _WordTables:
    return _WordTables(
        legal_cn=frozenset(vocab.LEGAL_FORMS_CN),
        legal_cn_max=max(map(len, vocab.LEGAL_FORMS_CN)),
        branch_cn=frozenset(vocab.BRANCH_FORMS_CN),
        branch_cn_max=max(map(len, vocab.BRANCH_FORMS_CN)),
        legal_en=frozenset(vocab.LEGAL_FORMS_EN),
        industry_cn=frozenset(vocab.INDUSTRY_WORDS_CN),
        industry_cn_max=max(map(len, vocab.INDUSTRY_WORDS_CN)),
    )


def _suffix_lengths(text: str, table: frozenset[str], longest: int):
    """Lengths of the table's words that text ends with, longest first."""
    for length in range(min(longest, len(text)), 0, -1):
        if text[-length:] in table:
            yield length


def _has_content(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _strip_trailing_connectors(tokens: list[str]) -> list[str]:
    while len(tokens) > 1 and tokens[-1] in ("&", "and"):
        tokens = tokens[:-1]
    return tokens


def _cut_branch_place(head: str) -> tuple[str, str]:
    """Split the place off a branch's name: the text before "分公司" is "腾讯科技有限公司北京"
    -> ("腾讯科技有限公司", "beijing")."""
    legal_cn = _words_tables().legal_cn
    tables = _regions()
    cut = -1
    for form in legal_cn:
        position = head.rfind(form) if len(form) > 1 else -1
        if position > 0:
            cut = max(cut, position + len(form))
    city = ""
    if 0 < cut and len(head) - cut <= 12:
        place, head = head[cut:], head[:cut]
        while place:  # "北京", "广东省深圳市", "深圳南山": the most specific known city
            region, length = _han_region_at_start(place, tables.han, tables.han_max)
            if region is None:
                break
            if region.level >= CITY:
                city = region.key
            place = place[length:]
        return head, city
    region, length = _han_region_at_end(head, tables.han, tables.han_max)
    if region is not None and _has_content(head[:-length]):
        head = head[:-length].rstrip()
        city = region.key if region.level >= CITY else ""
        region, length = _han_region_at_end(head, tables.han, tables.han_max)
        if region is not None and region.level == PROVINCE and _has_content(head[:-length]):
            head = head[:-length].rstrip()
    return head, city


def _strip_legal_forms(text: str) -> tuple[str, str]:
    """Legal forms and branch suffixes off the end, repeatedly; the branch's city if any."""
    words = _words_tables()
    tables = _regions()
    city = ""
    changed = True
    while changed:
        changed = False
        text = text.strip()
        for length in _suffix_lengths(text, words.branch_cn, words.branch_cn_max):
            head, branch_city = _cut_branch_place(text[:-length].rstrip())
            if _has_content(head):
                text, changed = head, True
                city = city or branch_city
            break
        if changed:
            continue
        if text in words.legal_cn:  # nothing but a legal form: leave it
            break
        for length in _suffix_lengths(text, words.legal_cn, words.legal_cn_max):
            if _has_content(text[:-length]):
                text, changed = text[:-length].rstrip(), True
                break
        if changed:
            continue
        if not text[-1:].isascii():  # no English legal form can follow
            break
        tokens = text.split()
        for seq in _BRANCH_EN:
            n = len(seq)
            if len(tokens) > n and tuple(tokens[-n:]) == seq:
                # "… Co., Ltd. Beijing Branch" or "… Ltd Branch", not "Olive Branch".
                head = tokens[:-n]
                region, count = _latin_region_at_end(head, tables.latin)
                if region is not None and len(head) > count:
                    head = head[:-count]
                    city = city or (region.key if region.level >= CITY else "")
                elif not any(tuple(head[-k:]) in words.legal_en for k in (1, 2, 3)):
                    break
                text, changed = " ".join(_strip_trailing_connectors(head)), True
                break
        if changed:
            continue
        for n in (3, 2, 1):
            if len(tokens) > n and tuple(tokens[-n:]) in words.legal_en:
                head = _strip_trailing_connectors(tokens[:-n])
                if _has_content(" ".join(head)):
                    text, changed = " ".join(head), True
                break
    return text, city


def _strip_industry_once(words: list[str]) -> list[str] | None:
    """words without one trailing trade word, or None if there is none."""
    if not words:
        return None
    tables = _words_tables()
    last = words[-1]
    if last in vocab.INDUSTRY_WORDS_EN or last in tables.industry_cn:
        return words[:-1]
    for length in range(min(tables.industry_cn_max, len(last) - 1), 1, -1):
        if last[-length:] in tables.industry_cn:
            return [*words[:-1], last[:-length]]
    return None


def _is_generic(words: list[str]) -> bool:
    """Whether the words are nothing but trade words ("科技", "银行", "trading group")."""
    while words:
        shorter = _strip_industry_once(words)
        if shorter is None:
            return False
        words = [w for w in shorter if w]
    return True


def _brand_ok(text: str) -> bool:
    """Long enough to be a brand, and not just a place ("北京银行" keeps its brand)."""
    tables = _regions()
    if text in tables.han or text in tables.latin or text in vocab.COUNTRY_WORDS:
        return False
    if _is_han(text):
        return len(text) >= 2
    return len(text) >= 3


def _brand_of(words: list[str], core: str) -> str:
    while True:
        shorter = _strip_industry_once(words)
        if shorter is None:
            break
        shorter = [w for w in shorter if w]
        if not _brand_ok("".join(shorter)):
            break
        words = shorter
    return "".join(words) or core


def _words(text: str) -> list[str]:
    """Squashed words; "&" becomes the word "and"."""
    words = (_squash(t) or ("and" if t == "&" else "") for t in text.replace("&", " & ").split())
    return [w for w in words if w]


def _strippable(rest: str) -> bool:
    """Whether a region may be stripped from before `rest` (something specific is left)."""
    words = _words(rest)
    return len("".join(words)) >= 2 and not _is_generic(words)


# Characters that make a word with a preceding "市" ("市场", "市政", "市民", ...).
_SHI_WORDS = frozenset("场政民值面容貌")


def _strip_region_suffix(text: str) -> tuple[str, str]:
    """A region left at the end once the legal form is gone ("中国移动通信集团广东")."""
    tables = _regions()
    if not _is_han(text[-2:]):
        return text, ""
    region, length = _han_region_at_end(text, tables.han_prefix, tables.han_max)
    if region is None or not _strippable(text[:-length]):
        return text, ""
    return text[:-length].rstrip(), (region.key if region.level >= CITY else "")


def _strip_region_prefix(text: str) -> tuple[str, str]:
    tables = _regions()
    city = ""
    while text:
        if _is_han(text[:1]):
            region, length = _han_region_at_start(text, tables.han_prefix, tables.han_max)
            if region is None:
                break
            if text[length - 1] == "市" and text[length : length + 1] in _SHI_WORDS:
                # "北京市场营销": "北京" + "市场营销", not "北京市" + "场营销".
                region = tables.han_prefix.get(text[: length - 1])
                if region is None:
                    break
                length -= 1
            rest = text[length:].lstrip()
        else:
            tokens = text.split()
            region, count = _latin_region_at_start(tokens, tables.latin_prefix)
            if region is None:
                break
            rest = " ".join(tokens[count:])
        if region.level >= CITY:
            city = region.key
        if not _strippable(rest):
            break
        text = rest
        if region.level >= CITY and _is_han(text[:1]):
            district = _han().district.match(text)
            if district and _strippable(text[district.end() :]):
                text = text[district.end() :].lstrip()
    return text, city


def _drop_region_brackets(text: str) -> tuple[str, str]:
    city = ""

    def replace(match: re.Match[str]) -> str:
        nonlocal city
        content = match.group(1)
        is_region, found_city = _region_content(content)
        if is_region:
            city = city or found_city
            return " "
        return f" {content} "

    while True:
        replaced = _BRACKET_RE.sub(replace, text)
        if replaced == text:
            return replaced, city
        text = replaced


@functools.lru_cache(maxsize=8192)
def normalize_company_name(raw: str) -> CompanyName:
    """Normalise a company name for duplicate matching; see CompanyName."""
    text = _prepare(raw)
    text, city_bracket = _drop_region_brackets(text)
    text = _DOTTED_RE.sub(lambda m: m.group(0).replace(".", "").replace(" ", "") + " ", text)
    text = _SEPARATOR_RE.sub(" ", text)
    text = _han().space_between.sub("", text).strip()
    text, city_branch = _strip_legal_forms(text)
    text, city_suffix = _strip_region_suffix(text)
    text, city_prefix = _strip_region_prefix(text)
    words = _words(text)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    core = "".join(words)
    return CompanyName(
        core=core,
        brand=_brand_of(words, core),
        pinyin=_pinyin(core),
        city=city_branch or city_bracket or city_suffix or city_prefix,
    )


# --- Trigrams (PostgreSQL pg_trgm) ---------------------------------------------------------


def trigrams(text: str) -> set[str]:
    """pg_trgm's show_trgm(): per alphanumeric word, padded "  word ", every 3-char slice."""
    grams: set[str] = set()
    for word in _TOKEN_RE.findall((text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): |A ∩ B| / |A ∪ B| of the two trigram sets."""
    left, right = trigrams(a), trigrams(b)
    if not left and not right:
        return 0.0
    union = len(left | right)
    return len(left & right) / union if union else 0.0
