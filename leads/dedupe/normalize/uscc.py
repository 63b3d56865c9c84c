"""Unified social credit codes (统一社会信用代码, GB 32100-2015)."""

from __future__ import annotations

import re
import unicodedata

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
