"""Individual customers (个人客户): their names and identity document numbers."""

from __future__ import annotations

import re

from .names import CompanyName
from .pinyin import _pinyin
from .text import _prepare, _squash

# GB 11643: the weights of the 17 digits and the check character by the sum modulo 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CN_ID_RE = re.compile(r"^\d{17}[\dX]$")
# What the column holds (leads.Lead.id_number).
MAX_ID_LENGTH = 32


def normalize_person_name(raw: str) -> CompanyName:
    """A person's name as a match key: width, case, traditional characters, spaces and
    punctuation folded (王 伟 = 王伟, "Li Na" = "li na"); nothing stripped, no region read
    from it (a person called 江南 is not a place)."""
    core = _squash(_prepare(raw or ""))
    return CompanyName(core=core, brand=core, pinyin=_pinyin(core) if core else "", city="")


def normalize_id_number(raw: str, *, country: str) -> str | None:
    """An identity document number as a key, or None when it cannot be one. A Chinese
    resident ID (18 characters) must have a valid check character; elsewhere letters and
    digits, at least 5 of them."""
    value = re.sub(r"[^0-9A-Za-z]", "", _prepare(raw or "")).upper()
    if len(value) > MAX_ID_LENGTH:
        return None
    if country == "CN" and len(value) == 18:
        if not _CN_ID_RE.match(value):
            return None
        total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
        return value if _ID_CHECK[total % 11] == value[17] else None
    if len(value) < 5:
        return None
    return value
