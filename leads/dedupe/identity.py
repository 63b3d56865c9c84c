"""What a lead says about which real-world customer it is: its normalised keys and name.

Built from a create/edit payload or from a stored lead with the same function, so that what is
indexed and what is looked up cannot drift apart."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from .normalize import (
    CompanyName,
    company_domain,
    normalize_city,
    normalize_company_name,
    normalize_email,
    normalize_phones,
    normalize_uscc,
)
from .vocab import INDUSTRY_WORDS_EN, LEGAL_FORMS_EN

# Key prefixes. Strong kinds decide a collision on their own; the others only narrow
# candidates or add weak evidence.
USCC, PHONE, EMAIL, DOMAIN, NAME = "uscc", "phone", "email", "domain", "name"
PINYIN, LOCAL_PHONE, TYPO = "pinyin", "local", "typo"
STRONG_KINDS = frozenset({USCC, PHONE, EMAIL, DOMAIN})
# A name shorter than this (after stripping regions and legal forms) says too little.
MIN_NAME_LENGTH = 2
# One letter less than this, and a variant is shared by too many brands to say anything:
# shorter words are keyed as they are (so "Atas" still meets a deletion of "Atlas").
MIN_TYPO_WORD = 5


@dataclass(frozen=True)
class Identity:
    keys: frozenset[str]
    name: CompanyName | None
    city: str
    uscc: str = ""
    # What the trigram index holds and is searched with: the Chinese brand ("星辰" of
    # "北京星辰信息科技有限公司"), or for a Latin name its first distinctive word ("acme" of
    # "Acme Tradng Ltd"): a common word left in a brand would make every search rescan all
    # the brands that share it.
    brand: str = ""

    @property
    def probes(self) -> tuple[str, ...]:
        return (self.brand,) if self.brand else ()

    @property
    def lock_keys(self) -> list[str]:
        """Keys whose match would make a strong duplicate: creators of the same customer
        serialise on these."""
        return sorted(k for k in self.keys if kind_of(k) in STRONG_KINDS or kind_of(k) == NAME)


def kind_of(key: str) -> str:
    return key.partition(":")[0]


def identity_of(
    *,
    company_name: str = "",
    uscc: str = "",
    website: str = "",
    city: str = "",
    contacts: Iterable[Mapping] = (),
) -> Identity:
    region = getattr(settings, "PHONE_DEFAULT_REGION", "CN")
    keys: set[str] = set()

    code = normalize_uscc(uscc or "")
    if code:
        keys.add(f"{USCC}:{code}")
    domain = company_domain(website or "")
    if domain:
        keys.add(f"{DOMAIN}:{domain}")
    for contact in contacts:
        phone = contact.get("phone") or ""
        for number in normalize_phones(phone, region=region):
            keys.add(f"{PHONE}:{number.value}" if number.strong else number.value)
        email = normalize_email(contact.get("email") or "")
        if email:
            keys.add(f"{EMAIL}:{email}")
            domain = company_domain(email)
            if domain:
                keys.add(f"{DOMAIN}:{domain}")

    name = normalize_company_name(company_name or "") if company_name else None
    brand = ""
    if name is not None and len(name.core) >= MIN_NAME_LENGTH:
        keys.add(f"{NAME}:{name.core}")
        if name.pinyin and name.pinyin != name.core:
            keys.add(f"{PINYIN}:{name.pinyin}")
        brand = name.brand
        if name.core.isascii():
            word = _first_distinctive_word(company_name)
            brand = word or brand
            # One-letter slips in the brand word (Redmrak/Redmark, Atas/Atlas): every
            # one-deletion variant is a key, so a slip on either side meets on one of them.
            keys.update(f"{TYPO}:{variant}" for variant in _deletions(word))
    else:
        name = None
    city_key = normalize_city(city or "") or (name.city if name else "")
    return Identity(
        keys=frozenset(keys),
        name=name,
        city=city_key,
        uscc=code or "",
        brand=brand,
    )


def _first_distinctive_word(raw: str) -> str:
    words = re.findall(r"[0-9a-z]+", unicodedata.normalize("NFKC", raw).lower())
    return next((w for w in words if len(w) >= 2 and w not in _stop_words()), "")


def _deletions(word: str) -> set[str]:
    """The word and, when long enough to stay specific, the word minus each one letter."""
    if len(word) < MIN_TYPO_WORD - 1:
        return set()
    if len(word) < MIN_TYPO_WORD:
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def _stop_words() -> frozenset[str]:
    legal = {word for form in LEGAL_FORMS_EN for part in form for word in part.split()}
    return frozenset(legal | set(INDUSTRY_WORDS_EN) | {"the", "and"})


def identity_of_payload(data: Mapping) -> Identity:
    """The identity of a lead create payload (API, import, evaluation set): company_name,
    uscc, website, city and contacts [{phone, email}]; other keys are ignored."""
    return identity_of(
        company_name=data.get("company_name") or "",
        uscc=data.get("uscc") or "",
        website=data.get("website") or "",
        city=data.get("city") or "",
        contacts=data.get("contacts") or (),
    )


def identity_of_lead(lead, contacts: Iterable | None = None) -> Identity:
    """The identity of a stored lead; `contacts` defaults to the lead's contacts."""
    if contacts is None:
        contacts = lead.contacts.all()
    return identity_of(
        company_name=lead.company_name,
        uscc=lead.uscc,
        website=lead.website,
        city=lead.city,
        contacts=[{"phone": c.phone, "email": c.email} for c in contacts],
    )
