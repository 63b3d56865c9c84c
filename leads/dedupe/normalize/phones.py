"""Phone numbers: every number in a free-text field as an E.164 key."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


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
    import phonenumbers  # noqa: PLC0415 - ~25 ms to import: on first use

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
    # "001 206 998 7602", "0065 8220 5816": the country code after 00, as reps in China (and
    # most of the world) dial abroad, whatever country the customer is in.
    if not number.startswith("+") and bare.startswith("00"):
        e164 = _parse_valid("+" + bare[2:], region)
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
