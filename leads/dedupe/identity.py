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
from .normalize.people import normalize_id_number, normalize_person_name
from .normalize.regions import country_of_region
from .vocab import INDUSTRY_WORDS_EN, LEGAL_FORMS_EN

# Key prefixes. Strong kinds decide a collision on their own; the others only narrow
# candidates or add weak evidence.
USCC, PHONE, EMAIL, DOMAIN, NAME = "uscc", "phone", "email", "domain", "name"
PINYIN, LOCAL_PHONE, TYPO = "pinyin", "local", "typo"
# An individual's identity document: strong (an ID number names one person, whatever country
# they are a customer in).
IDNO = "idno"
STRONG_KINDS = frozenset({USCC, PHONE, EMAIL, DOMAIN, IDNO})
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
    # An individual (个人客户): their name is never strong evidence.
    individual: bool = False
    # ISO 3166: the country its phones were read in.
    country: str = ""
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


def country_for(*, country: str = "", city: str = "", province: str = "") -> str:
    """A customer's country: as given, else as its city or province makes obvious, else the
    configured default."""
    if country:
        return country.upper()
    return country_of_region(city) or country_of_region(province) or settings.DEFAULT_COUNTRY


def identity_of(
    *,
    company_name: str = "",
    uscc: str = "",
    website: str = "",
    city: str = "",
    contacts: Iterable[Mapping] = (),
    kind: str = "company",
    country: str = "",
    province: str = "",
    id_number: str = "",
) -> Identity:
    country = country_for(country=country, city=city, province=province)
    # Phones are read as numbers of the customer's country: (206) 998-7602 in the US is
    # +1 206-998-7602, 0141 316 5767 in the UK is +44 141 316 5767.
    region = country
    individual = kind == "individual"
    keys: set[str] = set()

    document = normalize_id_number(id_number, country=country) if id_number else None
    if document:
        keys.add(f"{IDNO}:{document}")

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

    if individual:
        # The same name in the same city is not the same person (there are many 王伟 in
        # 杭州): the name key is shared with companies (so a company of that name meets the
        # person, and the other way round), but a match on it is only ever weak (`judge`), and
        # a person's name is never searched by similarity.
        name = normalize_person_name(company_name) if company_name else None
        if name is not None and len(name.core) >= MIN_NAME_LENGTH:
            keys.add(f"{NAME}:{name.core}")
        return Identity(
            keys=frozenset(keys),
            name=name,
            city=normalize_city(city or ""),
            individual=True,
            country=country,
        )
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
        country=country,
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
    uscc, website, city, province, kind, country, id_number and contacts [{phone, email}];
    other keys are ignored."""
    return identity_of(
        company_name=data.get("company_name") or "",
        uscc=data.get("uscc") or "",
        website=data.get("website") or "",
        city=data.get("city") or "",
        contacts=data.get("contacts") or (),
        kind=data.get("kind") or "company",
        country=data.get("country") or "",
        province=data.get("province") or "",
        id_number=data.get("id_number") or "",
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
        kind=lead.kind,
        country=lead.country,
        province=lead.province,
        id_number=lead.id_number,
    )
