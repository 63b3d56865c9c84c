"""Company names: brackets, regions, legal forms and branches stripped; brand (trade words
stripped), pinyin and the city named in the name."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .. import vocab
from .pinyin import _pinyin
from .regions import (
    CITY,
    PROVINCE,
    _han_region_at_end,
    _han_region_at_start,
    _latin_region_at_end,
    _latin_region_at_start,
    _region_content,
    _regions,
)
from .text import _han, _is_han, _prepare, _squash


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
