import functools
from datetime import timedelta

from babel import Locale
from babel.numbers import get_currency_name
from django import template
from django.utils import timezone, translation

from leads.masks import mask_email, mask_id_number, mask_phone

register = template.Library()

register.filter("mask_phone", mask_phone)
register.filter("mask_email", mask_email)
register.filter("mask_id_number", mask_id_number)


@register.filter
def expires_soon(moment) -> bool:
    """Highlight a claim in its last 24 hours."""
    return moment is not None and moment - timezone.now() < timedelta(hours=24)


@functools.lru_cache(maxsize=16)
def _currency_format(locale_name: str):
    locale = Locale.parse(locale_name)
    return locale, locale.currency_formats["standard"]


@register.filter
def money(amount, currency) -> str:
    """An amount in its currency, written the reader's way (¥1,234.50, US$1,234.50). The
    locale's pattern is parsed once (lists of won deals call this on every row)."""
    if amount is None:
        return ""
    try:
        locale, pattern = _currency_format(
            translation.to_locale(translation.get_language() or "en")
        )
        return pattern.apply(amount, locale, currency=currency)
    except (ValueError, LookupError):
        return f"{amount} {currency}"


@register.filter
def currency_name(code: str) -> str:
    return _currency_name(code, translation.to_locale(translation.get_language() or "en"))


@functools.lru_cache(maxsize=256)
def _currency_name(code: str, locale: str) -> str:
    try:
        return get_currency_name(code, locale=locale)
    except (ValueError, LookupError):
        return code


@register.filter
def country_name(code: str) -> str:
    """A country's name in the reader's language (CN → 中国 / China)."""
    locale = translation.to_locale(translation.get_language() or "en")
    try:
        return Locale.parse(locale).territories.get(code, code)
    except (ValueError, LookupError):
        return code
