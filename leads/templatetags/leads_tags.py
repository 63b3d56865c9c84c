from datetime import timedelta

from babel import Locale
from babel.numbers import format_currency, get_currency_name
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


@register.filter
def money(amount, currency) -> str:
    """An amount in its currency, written the reader's way (¥1,234.50, US$1,234.50)."""
    if amount is None:
        return ""
    locale = translation.to_locale(translation.get_language() or "en")
    try:
        return format_currency(amount, currency, locale=locale)
    except (ValueError, LookupError):
        return f"{amount} {currency}"


@register.filter
def currency_name(code: str) -> str:
    locale = translation.to_locale(translation.get_language() or "en")
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
