"""Normalisation for duplicate detection (查重): phones, e-mails, domains, USCC, cities,
company names and pg_trgm-compatible trigrams.

Pure Python, no database. The heavy helpers (OpenCC's dictionaries, the bundled public
suffix list, the region tables with their pinyin) are built on first use, once per process.
"""

from __future__ import annotations

from .emails import company_domain, normalize_email
from .names import CompanyName, normalize_company_name
from .phones import PhoneKey, normalize_phones
from .regions import CITY as CITY
from .regions import COUNTY as COUNTY
from .regions import PROVINCE as PROVINCE
from .regions import normalize_city, province_of_city
from .trigrams import trigram_similarity, trigrams
from .uscc import USCC_ALPHABET as USCC_ALPHABET
from .uscc import normalize_uscc, uscc_check_digit_ok

__all__ = [
    "CompanyName",
    "PhoneKey",
    "company_domain",
    "normalize_city",
    "normalize_company_name",
    "normalize_email",
    "normalize_phones",
    "normalize_uscc",
    "province_of_city",
    "trigram_similarity",
    "trigrams",
    "uscc_check_digit_ok",
]
