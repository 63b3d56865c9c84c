"""Field rules shared by the pages' forms and the API's serializers (DRF turns Django's
ValidationError into its field errors), so both doors accept and refuse the same input."""

from functools import cache

import babel
import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .dedupe.normalize import normalize_email, normalize_uscc
from .exceptions import InvalidCountry, InvalidUscc


def credit_code(value: str) -> str:
    """A 统一社会信用代码 in its canonical form ("" when blank); refused unless its check
    digit holds."""
    if not value.strip():
        return ""
    code = normalize_uscc(value)
    if code is None:
        raise ValidationError(InvalidUscc.default_message, code="invalid_uscc")
    return code


def email_address(value: str) -> str:
    """The address of what people paste ("Name <addr>", "mailto:…", any case)."""
    if not value.strip():
        return ""
    address = normalize_email(value)
    if address is None or len(address) > 254:
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid")
    return address


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes of the countries and territories whose phone numbers we
    can read (a customer's phones are read as its country's)."""
    return frozenset(phonenumbers.SUPPORTED_REGIONS) & set(babel.Locale("en").territories)


def country_code(value: str) -> str:
    """A country as its ISO 3166 alpha-2 code ("" when blank)."""
    code = (value or "").strip().upper()
    if code and code not in country_codes():
        raise ValidationError(InvalidCountry.default_message, code="invalid_country")
    return code


def country_choices(language: str) -> list[tuple[str, str]]:
    """(code, name in `language`) for a select, sorted by name."""
    names = babel.Locale.parse(language.replace("-", "_")).territories
    return sorted(
        ((code, names.get(code, code)) for code in country_codes()), key=lambda item: item[1]
    )
